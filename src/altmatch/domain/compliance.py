"""The compliance watch: a dispatch company's legal deadlines per ALT, as dated alerts.

From each ALT's facts (when their first fixed-term contract with the company began, their
residence card's expiry, and their assignments: where, under which contract type, from when to
when) and `today`, `compliance_alerts` returns the alerts a company should see, by due date:

- `dispatch_three_year_unit` (Worker Dispatching Act): only worker-dispatch assignments count.
  Assignments at the same client unit (altmatch takes the Board of Education of the position's
  contract as the unit, the cautious reading) form one run while each starts no more than
  `resetting_gap_months` after the day following the previous one's end (a break of exactly
  three months keeps the run; one day more starts a new one). The run reaches the limit on
  `first_day_after(run start, limit_years)`: the first day beyond the period, on which the ALT
  may no longer work there. A run that ends before that day, or ended before today, gives no
  alert.
- `indefinite_conversion` (Labour Contract Act Article 18): fixed-term contracts renewed from
  `employed_since` (counted from `counts_from` at the earliest) total more than five years from
  `first_day_after(start, 5)`. With yearly contracts renewed on that anniversary, the contract
  starting that day is the one that takes the total past five years, so the right arises that
  day; a contract running across it gives the right at its own, earlier, start. altmatch keeps
  no list of past contracts, so breaks that restart the count are not seen.
- `residence_card_expiry`: due on the card's expiry date.
- `outsourcing_direction`: a standing warning for each assignment under an outsourcing contract
  that has not ended, due on its start (brief the school before the ALT arrives).

Periods follow the Civil Code (Article 143): a period of years starting on a day ends on the day
before the same date in its last year, or at the end of that month when the date does not exist
there (29 February). An alert shows from `lead_days` before its due date and stays after it,
overdue, until it is acknowledged or the facts change (acknowledgements are the service's).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from altmatch.domain.timeline import add_months
from altmatch.i18n import N_, Message, register_labels
from altmatch.rulebook.compliance import DispatchCompliance
from altmatch.rulebook.vocabulary import ContractType


class ComplianceRule(StrEnum):
    """The rules of the compliance watch (the ids of the rulebook's `dispatch_compliance`)."""

    DISPATCH_THREE_YEAR_UNIT = "dispatch_three_year_unit"
    INDEFINITE_CONVERSION = "indefinite_conversion"
    RESIDENCE_CARD_EXPIRY = "residence_card_expiry"
    OUTSOURCING_DIRECTION = "outsourcing_direction"


# The same words as the rulebook's names (a test keeps them equal): notices are stored as
# catalog messages, so the rule's name must be one too.
register_labels(
    ComplianceRule,
    {
        ComplianceRule.DISPATCH_THREE_YEAR_UNIT: N_("Three-year limit in one client unit"),
        ComplianceRule.INDEFINITE_CONVERSION: N_(
            "Right to an indefinite contract (five-year rule)"
        ),
        ComplianceRule.RESIDENCE_CARD_EXPIRY: N_("Residence card and period of stay expiry"),
        ComplianceRule.OUTSOURCING_DIRECTION: N_(
            "Outsourcing: school staff must not direct the ALT"
        ),
    },
)
RULE_ORDER = {rule: i for i, rule in enumerate(ComplianceRule)}


class DueStatus(StrEnum):
    """Where an alert's due date lies from today."""

    OVERDUE = "overdue"  # the due date has passed
    DUE_SOON = "due_soon"  # today or within the rulebook's due-soon days
    LATER = "later"


register_labels(
    DueStatus,
    {
        DueStatus.OVERDUE: N_("Overdue"),
        DueStatus.DUE_SOON: N_("Due soon"),
        DueStatus.LATER: N_("Later"),
    },
)


class Named(Protocol):
    """A name in both interface languages (a rulebook Text, or a row's two names)."""

    @property
    def en(self) -> str: ...

    @property
    def ja(self) -> str: ...

    def get(self, locale: str) -> str: ...


@dataclass(frozen=True)
class Names:
    """A name in English and Japanese, rendered in the reader's language inside a Message."""

    en: str
    ja: str

    def get(self, locale: str) -> str:
        return self.ja if locale == "ja" else self.en


@dataclass(frozen=True)
class Stint:
    """One assignment: from `start` to `end` (None: open) at a school of a client BoE (the
    client unit), under a contract of `contract_type`."""

    start: dt.date
    end: dt.date | None
    client_id: int
    client: Named
    school: Named
    contract_type: ContractType


@dataclass(frozen=True)
class AltFacts:
    """What the watch knows of one ALT."""

    alt_id: int
    employed_since: dt.date | None  # the first fixed-term contract with the company began
    residence_card_expires_on: dt.date | None
    stints: tuple[Stint, ...] = ()


@dataclass(frozen=True)
class ComplianceRules:
    """The rulebook's figures, as the calculation uses them."""

    unit_limit_years: int
    unit_resetting_gap_months: int
    conversion_years: int
    conversion_counts_from: dt.date
    card_renewal_opens_months: int
    lead_days: Mapping[ComplianceRule, int]
    due_soon_days: int

    @classmethod
    def of(cls, section: DispatchCompliance) -> ComplianceRules:
        return cls(
            unit_limit_years=section.dispatch_three_year_unit.limit_years,
            unit_resetting_gap_months=section.dispatch_three_year_unit.resetting_gap_months,
            conversion_years=section.indefinite_conversion.limit_years,
            conversion_counts_from=section.indefinite_conversion.counts_from,
            card_renewal_opens_months=section.residence_card_expiry.renewal_opens_months,
            lead_days={rule: section.rule(rule.value).lead.days for rule in ComplianceRule},
            due_soon_days=section.due_soon.days,
        )


@dataclass(frozen=True)
class Alert:
    """One deadline of one ALT; (alt_id, rule, due_on) is what an acknowledgement names."""

    alt_id: int
    rule: ComplianceRule
    due_on: dt.date
    shows_from: dt.date
    detail: Message

    @property
    def key(self) -> tuple[int, str, dt.date]:
        return self.alt_id, self.rule.value, self.due_on


@dataclass(frozen=True)
class Run:
    """Consecutive worker-dispatch assignments at one client unit, counted as one stay."""

    client_id: int
    client: Named
    start: dt.date
    end: dt.date | None  # None: still open


def first_day_after(start: dt.date, years: int) -> dt.date:
    """The first day after a period of `years` years that began on `start` (Civil Code Art.
    143): the same date `years` later, or 1 March when `start` is 29 February and that year
    has none (the period then ends on 28 February)."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return dt.date(start.year + years, 3, 1)


def due_status(due_on: dt.date, today: dt.date, due_soon_days: int) -> DueStatus:
    if due_on < today:
        return DueStatus.OVERDUE
    if (due_on - today).days <= due_soon_days:
        return DueStatus.DUE_SOON
    return DueStatus.LATER


def unit_runs(stints: Iterable[Stint], resetting_gap_months: int) -> list[Run]:
    """The worker-dispatch runs per client unit, by client then start: an assignment continues
    the run when it starts no later than `resetting_gap_months` after the day after the run's
    last end (or while the run is open)."""
    by_client: dict[int, list[Stint]] = {}
    for stint in stints:
        if stint.contract_type is ContractType.WORKER_DISPATCH:
            by_client.setdefault(stint.client_id, []).append(stint)
    runs: list[Run] = []
    for client_id in sorted(by_client):
        ordered = sorted(by_client[client_id], key=lambda s: s.start)
        current: Run | None = None
        for stint in ordered:
            if current is not None and _continues(current, stint, resetting_gap_months):
                end = (
                    None
                    if current.end is None or stint.end is None
                    else max(current.end, stint.end)
                )
                current = Run(client_id, current.client, current.start, end)
                continue
            if current is not None:
                runs.append(current)
            current = Run(client_id, stint.client, stint.start, stint.end)
        if current is not None:
            runs.append(current)
    return runs


def _continues(run: Run, stint: Stint, gap_months: int) -> bool:
    if run.end is None:
        return True
    return stint.start <= add_months(run.end + dt.timedelta(days=1), gap_months)


def alerts_for(alt: AltFacts, today: dt.date, rules: ComplianceRules) -> list[Alert]:
    """The alerts of one ALT that show on `today`, in no particular order."""
    found: list[Alert] = []

    def add(rule: ComplianceRule, due_on: dt.date, detail: Message) -> None:
        shows_from = due_on - dt.timedelta(days=rules.lead_days[rule])
        if today >= shows_from:
            found.append(Alert(alt.alt_id, rule, due_on, shows_from, detail))

    for run in unit_runs(alt.stints, rules.unit_resetting_gap_months):
        due_on = first_day_after(run.start, rules.unit_limit_years)
        if run.end is not None and (run.end < today or run.end < due_on):
            continue  # over, or ends before the limit
        detail = N_(
            "Worker dispatch at {client} since {start}: the {years}-year limit is reached on "
            "{due_on}, and from that day the ALT may not work in that unit."
        )
        params = {
            "client": run.client,
            "start": run.start,
            "years": rules.unit_limit_years,
            "due_on": due_on,
        }
        add(ComplianceRule.DISPATCH_THREE_YEAR_UNIT, due_on, Message(detail, params))
    if alt.employed_since is not None:
        counted = max(alt.employed_since, rules.conversion_counts_from)
        due_on = first_day_after(counted, rules.conversion_years)
        detail = N_(
            "Fixed-term contracts counted from {start}: their total passes {years} years on "
            "{due_on}, from when the ALT may ask for an indefinite contract (earlier if one "
            "contract runs across that day)."
        )
        params = {"start": counted, "years": rules.conversion_years, "due_on": due_on}
        add(ComplianceRule.INDEFINITE_CONVERSION, due_on, Message(detail, params))
    if alt.residence_card_expires_on is not None:
        expiry = alt.residence_card_expires_on
        opens = add_months(expiry, -rules.card_renewal_opens_months)
        detail = N_(
            "The residence card expires on {due_on}; the renewal can be applied for from about "
            "{opens}."
        )
        add(
            ComplianceRule.RESIDENCE_CARD_EXPIRY,
            expiry,
            Message(detail, {"due_on": expiry, "opens": opens}),
        )
    for stint in alt.stints:
        if stint.contract_type is not ContractType.OUTSOURCING:
            continue
        if stint.end is not None and stint.end < today:
            continue
        detail = N_(
            "At {school} ({client}) under an outsourcing contract from {start}: only the "
            "company may direct the ALT there."
        )
        params = {"school": stint.school, "client": stint.client, "start": stint.start}
        add(ComplianceRule.OUTSOURCING_DIRECTION, stint.start, Message(detail, params))
    return found


def compliance_alerts(
    alts: Sequence[AltFacts], today: dt.date, rules: ComplianceRules
) -> list[Alert]:
    """Every alert of the ALTs that shows on `today`, earliest due date first (then by rule,
    then by ALT)."""
    found = [alert for alt in alts for alert in alerts_for(alt, today, rules)]
    return sorted(found, key=lambda a: (a.due_on, RULE_ORDER[a.rule], a.alt_id))
