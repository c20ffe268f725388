"""The demo's retention watch: on any day James has an unanswered renewal question and Hannah
answered hers; every company has a contract with half or more of its ALTs leaving and a fully
covered one whose ALTs all renew; and the records stay deterministic."""

from __future__ import annotations

from datetime import date

import pytest

from altmatch.demo import DemoSeason, generate_demo
from altmatch.demo.dispatch import generate_dispatch
from altmatch.demo.dispatch_records import DemoDispatch
from altmatch.rulebook import load_rulebook
from altmatch.rulebook.vocabulary import RenewalIntention

pytestmark = pytest.mark.date_sensitive

DAYS = [date(2026, 11, 25), date(2027, 4, 2), date(2026, 8, 1)]
COMPANIES = ("company-sakura", "company-minato", "company-hokushin")


@pytest.fixture(scope="module")
def demo() -> DemoSeason:
    return generate_demo(candidates=30)


def _working(ops: DemoDispatch, company: str, today: date) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for s in ops.assignments:
        if s.company_id == company and s.end is None and s.start <= today:
            found.setdefault(s.contract_reference, []).append(s.alt_external_id)
    return found


@pytest.mark.parametrize("today", DAYS)
def test_the_personas_have_a_question_waiting_and_one_answered(
    demo: DemoSeason, today: date
) -> None:
    ops = generate_dispatch(demo, today, load_rulebook())
    personas = {a.persona_key: a for a in ops.roster if a.persona_key}
    asks = {a.alt_external_id: a for a in ops.renewal_asks}
    james = asks[personas["alt_james"].external_id]
    assert james.answered_at is None and james.answer is None
    assert james.asked_at.date() < today
    assert james.contract_end == personas["alt_james"].contract_end
    hannah = asks[personas["alt_hannah"].external_id]
    assert hannah.answer is RenewalIntention.UNDECIDED and hannah.reason
    assert hannah.answered_at is not None and hannah.asked_at <= hannah.answered_at
    assert hannah.answered_by_persona == "alt_hannah"
    assert len(ops.renewal_asks) == 2


@pytest.mark.parametrize("today", DAYS)
def test_every_company_has_a_contract_at_risk_and_one_in_good_health(
    demo: DemoSeason, today: date
) -> None:
    ops = generate_dispatch(demo, today, load_rulebook())
    intention = {(a.company_id, a.external_id): a.renewal_intention for a in ops.roster}
    for company in COMPANIES:
        posts = {c.reference: len(c.positions) for c in ops.contracts if c.company_id == company}
        working = _working(ops, company, today)
        leaving = [
            ref
            for ref, alts in working.items()
            if len(alts) >= 2
            and 2 * sum(intention[company, a] is RenewalIntention.LEAVING for a in alts)
            >= len(alts)
        ]
        assert leaving, company
        renewing = [
            ref
            for ref, alts in working.items()
            if len(alts) == posts[ref]
            and all(intention[company, a] is RenewalIntention.RENEWING for a in alts)
        ]
        assert renewing, company


def test_the_demo_is_deterministic(demo: DemoSeason) -> None:
    today = DAYS[0]
    assert generate_dispatch(demo, today, load_rulebook()) == generate_dispatch(
        demo, today, load_rulebook()
    )
