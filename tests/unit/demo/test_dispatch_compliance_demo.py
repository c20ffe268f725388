"""The demo's compliance watch: on any day, every company (Sakura's staff persona's above all)
has an alert of each rule, one overdue and open, one acknowledged, and every acknowledgement
names an alert that shows; the records stay consistent."""

from __future__ import annotations

from datetime import date

import pytest

from altmatch.demo import DemoSeason, generate_demo
from altmatch.demo.dispatch import generate_dispatch
from altmatch.demo.dispatch_compliance import years_before
from altmatch.demo.dispatch_records import DemoDispatch
from altmatch.domain.compliance import (
    Alert,
    AltFacts,
    ComplianceRule,
    ComplianceRules,
    DueStatus,
    Names,
    Stint,
    compliance_alerts,
    due_status,
)
from altmatch.rulebook import load_rulebook

DAYS = [date(2026, 11, 25), date(2027, 4, 2), date(2027, 3, 30), date(2026, 8, 1)]


@pytest.fixture(scope="module")
def demo() -> DemoSeason:
    return generate_demo(candidates=30)


def _alerts(ops: DemoDispatch, company: str, today: date) -> tuple[list[Alert], list[str]]:
    """The company's alerts as the service computes them (ALT n is the n-th roster entry)."""
    contract = {(c.company_id, c.reference): c for c in ops.contracts}
    roster = [a for a in ops.roster if a.company_id == company]
    clients = sorted({c.boe_id for c in ops.contracts})
    facts = []
    for n, alt in enumerate(roster):
        stints = tuple(
            Stint(
                s.start,
                s.end,
                clients.index(contract[company, s.contract_reference].boe_id),
                Names("", ""),
                Names("", ""),
                contract[company, s.contract_reference].contract_type,
            )
            for s in ops.assignments
            if (s.company_id, s.alt_external_id) == (company, alt.external_id)
        )
        facts.append(AltFacts(n, alt.employed_since, alt.residence_card_expires_on, stints))
    rules = ComplianceRules.of(load_rulebook().dispatch_compliance)
    return compliance_alerts(facts, today, rules), [a.external_id for a in roster]


@pytest.mark.parametrize("today", DAYS)
def test_each_company_has_every_rule_an_overdue_alert_and_an_acknowledged_one(
    demo: DemoSeason, today: date
) -> None:
    ops = generate_dispatch(demo, today, load_rulebook())
    for company in ("company-sakura", "company-minato", "company-hokushin"):
        alerts, ids = _alerts(ops, company, today)
        acked = {
            (a.alt_external_id, a.rule, a.due_on)
            for a in ops.acknowledgements
            if a.company_id == company
        }
        keys = {(ids[a.alt_id], a.rule.value, a.due_on) for a in alerts}
        assert acked <= keys, company  # every acknowledgement is of an alert that shows
        assert {a.rule for a in alerts} == set(ComplianceRule), company
        open_ = [a for a in alerts if (ids[a.alt_id], a.rule.value, a.due_on) not in acked]
        assert {a.rule for a in open_} == set(ComplianceRule), company
        assert any(due_status(a.due_on, today, 30) is DueStatus.OVERDUE for a in open_), company
        assert any(rule == "indefinite_conversion" for _, rule, _ in acked), company


def test_acknowledgements_are_by_the_companys_staff_persona_in_the_past(demo: DemoSeason) -> None:
    today = DAYS[0]
    ops = generate_dispatch(demo, today, load_rulebook())
    sakura = [a for a in ops.acknowledgements if a.company_id == "company-sakura"]
    assert sakura and {a.by_persona for a in sakura} == {"sakura_company_staff"}
    assert all(a.at.date() < today and a.note for a in ops.acknowledgements)
    assert generate_dispatch(demo, today, load_rulebook()) == ops  # deterministic


def test_every_alt_has_its_dates_and_the_earlier_stays_end_before_the_current_ones(
    demo: DemoSeason,
) -> None:
    today = DAYS[0]
    ops = generate_dispatch(demo, today, load_rulebook())
    assert all(a.residence_card_expires_on for a in ops.roster)
    assert all(a.employed_since and a.employed_since <= a.contract_end for a in ops.roster)
    by_alt: dict[tuple[str, str], list[date | None]] = {}
    for s in ops.assignments:
        by_alt.setdefault((s.company_id, s.alt_external_id), []).append(s.end)
    assert all(ends.count(None) == 1 for ends in by_alt.values() if None in ends)


def test_years_before_keeps_the_date_or_falls_back_to_28_february() -> None:
    assert years_before(date(2026, 12, 6), 5) == date(2021, 12, 6)
    assert years_before(date(2028, 2, 29), 3) == date(2025, 2, 28)
