"""The demo's compliance watch: the dates it reads on every roster ALT, and at each company ALTs
near each deadline, so every part of the compliance page has something to show.

Every ALT's first contract began with their first assignment (the spares' with this fiscal
year), and their residence card expires 200 days or more from today (no alert). Then, among
each company's ALTs with a single assignment (not the personas, not anyone whose transfer the
demo tells), in alt-id order:

- the first working under worker dispatch reaches three years at its BoE 120 days from today:
  where their assignment began later, an earlier stay at the same post is added (the BoE's
  previous contract, from before the company used altmatch, so it is not on record);
- the next one's residence card expires in 20 days (due soon);
- the next one's five years were complete 20 days ago (overdue, not acknowledged);
- the next one's five years complete in 75 days, already acknowledged by the company's staff
  persona three days ago;
- every outsourcing warning is acknowledged (the schools were briefed) except the last one.

Deterministic: it draws nothing, so the rest of the demo is unchanged; the acknowledged keys
come from `altmatch.domain.compliance` itself, so they always match an alert.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, timedelta

from altmatch.demo.dispatch_records import (
    DemoAcknowledgement,
    DemoAssignment,
    DemoContract,
    DemoRosterAlt,
    DemoTransfer,
    fiscal_year_start,
    in_japan,
)
from altmatch.demo.personas import personas
from altmatch.domain.access import Role
from altmatch.domain.compliance import (
    AltFacts,
    ComplianceRule,
    ComplianceRules,
    Names,
    Stint,
    alerts_for,
)
from altmatch.rulebook.schema import Rulebook
from altmatch.rulebook.vocabulary import ContractType

UNIT_DUE_IN = timedelta(days=120)
CARD_DUE_IN = timedelta(days=20)
CONVERSION_OVERDUE_BY = timedelta(days=20)
CONVERSION_ACKNOWLEDGED_DUE_IN = timedelta(days=75)
QUIET_CARD_DAYS = 200  # baseline cards expire at least this far ahead, past every lead time


def years_before(day: date, years: int) -> date:
    """The same date `years` earlier (28 February for a 29 February without one)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return date(day.year - years, 2, 28)


def add_compliance(
    contracts: Sequence[DemoContract],
    roster: Sequence[DemoRosterAlt],
    assignments: Sequence[DemoAssignment],
    transfers: Sequence[DemoTransfer],
    today: date,
    rulebook: Rulebook,
) -> tuple[list[DemoRosterAlt], list[DemoAssignment], list[DemoAcknowledgement]]:
    """The roster with its dates, the assignments with the earlier stays, and the
    acknowledgements (see the module)."""
    alts = list(roster)
    stays = list(assignments)
    contract_of = {(c.company_id, c.reference): c for c in contracts}
    by_alt: dict[tuple[str, str], list[DemoAssignment]] = {}
    for a in stays:
        by_alt.setdefault((a.company_id, a.alt_external_id), []).append(a)
    for i, alt in enumerate(alts):
        starts = [a.start for a in by_alt.get((alt.company_id, alt.external_id), [])]
        alts[i] = replace(
            alt,
            employed_since=min(starts, default=fiscal_year_start(today)),
            residence_card_expires_on=today + timedelta(days=QUIET_CARD_DAYS + (i * 53) % 800),
        )
    moved = {(t.company_id, t.alt_external_id) for t in transfers}
    index = {(a.company_id, a.external_id): i for i, a in enumerate(alts)}
    rules = ComplianceRules.of(rulebook.dispatch_compliance)
    five = rules.conversion_years
    changes: list[Callable[[DemoRosterAlt], DemoRosterAlt]] = [
        lambda a: replace(a, residence_card_expires_on=today + CARD_DUE_IN),
        lambda a: replace(a, employed_since=years_before(today - CONVERSION_OVERDUE_BY, five)),
        lambda a: replace(
            a, employed_since=years_before(today + CONVERSION_ACKNOWLEDGED_DUE_IN, five)
        ),
    ]
    acknowledgements: list[DemoAcknowledgement] = []
    for company_id in sorted({c.company_id for c in contracts}):
        singles = sorted(
            (
                a
                for a in alts
                if a.company_id == company_id
                and a.persona_key is None
                and (company_id, a.external_id) not in moved
                and [s.end for s in by_alt.get((company_id, a.external_id), [])] == [None]
            ),
            key=lambda a: a.external_id,
        )
        dispatched = next(
            (
                a
                for a in singles
                if _kind(contract_of, by_alt[company_id, a.external_id][0])
                is ContractType.WORKER_DISPATCH
            ),
            None,
        )
        others = [a for a in singles if a is not dispatched]
        if dispatched is not None:
            stay = by_alt[company_id, dispatched.external_id][0]
            begun = years_before(today + UNIT_DUE_IN, rules.unit_limit_years)
            if begun < stay.start:
                earlier = replace(stay, start=begun, end=stay.start - timedelta(days=1))
                stays.append(earlier)
                by_alt[company_id, dispatched.external_id].append(earlier)
            i = index[company_id, dispatched.external_id]
            alts[i] = replace(alts[i], employed_since=min(begun, stay.start))
        for change, alt in zip(changes, others, strict=False):
            i = index[company_id, alt.external_id]
            alts[i] = change(alts[i])
        converting = others[2].external_id if len(others) > 2 else None
        acknowledgements += _acknowledged(
            company_id,
            [a for a in alts if a.company_id == company_id],
            by_alt,
            contract_of,
            converting,
            today,
            rules,
        )
    return alts, stays, acknowledgements


def _kind(contract_of: dict[tuple[str, str], DemoContract], a: DemoAssignment) -> ContractType:
    return contract_of[a.company_id, a.contract_reference].contract_type


def _acknowledged(
    company_id: str,
    alts: Sequence[DemoRosterAlt],
    by_alt: dict[tuple[str, str], list[DemoAssignment]],
    contract_of: dict[tuple[str, str], DemoContract],
    converting: str | None,
    today: date,
    rules: ComplianceRules,
) -> list[DemoAcknowledgement]:
    """The staff persona acknowledged the conversion alert of the ALT `converting` (an alt id)
    and every outsourcing warning but the last."""
    staff = next(
        (
            p.key
            for p in personas()
            if p.role is Role.COMPANY_STAFF and p.organisation_id == company_id
        ),
        None,
    )
    clients = sorted({c.boe_id for c in contract_of.values()})
    out: list[DemoAcknowledgement] = []
    warnings = []
    for n, alt in enumerate(alts):
        stints = tuple(
            Stint(
                a.start,
                a.end,
                clients.index(contract_of[company_id, a.contract_reference].boe_id),
                Names(a.contract_reference, a.contract_reference),
                Names(a.position_external_id, a.position_external_id),
                _kind(contract_of, a),
            )
            for a in by_alt.get((company_id, alt.external_id), [])
        )
        facts = AltFacts(n, alt.employed_since, alt.residence_card_expires_on, stints)
        for alert in alerts_for(facts, today, rules):
            if alert.rule is ComplianceRule.OUTSOURCING_DIRECTION:
                warnings.append((alt, alert.due_on, alert.shows_from))
            elif (
                alert.rule is ComplianceRule.INDEFINITE_CONVERSION and alt.external_id == converting
            ):
                out.append(
                    DemoAcknowledgement(
                        company_id,
                        alt.external_id,
                        alert.rule.value,
                        alert.due_on,
                        staff,
                        in_japan(today - timedelta(days=3), 16),
                        "Told in writing at the renewal meeting, with the terms after "
                        "conversion; the ALT will apply in the spring.",
                    )
                )
    for alt, due_on, shows_from in warnings[:-1]:
        briefed = max(shows_from, min(due_on + timedelta(days=5), today - timedelta(days=1)))
        out.append(
            DemoAcknowledgement(
                company_id,
                alt.external_id,
                ComplianceRule.OUTSOURCING_DIRECTION.value,
                due_on,
                staff,
                in_japan(briefed, 11),
                "School briefed: lesson requests go through our coordinator.",
            )
        )
    return out
