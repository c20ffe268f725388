"""The demo's dispatch operations: deterministic, realistic in size, consistent with the demo
world (schools, BoEs, personas) and deliberately improvable by the optimiser."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest

from altmatch.demo import DemoSeason, generate_demo, persona
from altmatch.demo.dispatch import (
    PERSONA_STAFF_BOES,
    PERSONA_TRANSFER_BOES,
    PRICE_RANGE,
    generate_dispatch,
)
from altmatch.demo.dispatch_records import (
    DemoDispatch,
    fiscal_year_start,
    persona_contract_term,
)
from altmatch.domain.commute import distance_km
from altmatch.rulebook import load_rulebook
from altmatch.rulebook.vocabulary import ContractType, RenewalIntention

pytestmark = pytest.mark.date_sensitive

TODAY = date(2026, 11, 25)


@pytest.fixture(scope="module")
def demo() -> DemoSeason:
    return generate_demo(candidates=30)


@pytest.fixture(scope="module")
def ops(demo: DemoSeason) -> DemoDispatch:
    return generate_dispatch(demo, TODAY, load_rulebook())


def test_the_same_seed_and_day_give_the_same_records(demo: DemoSeason, ops: DemoDispatch) -> None:
    again = generate_dispatch(generate_demo(candidates=30), TODAY, load_rulebook())
    other = generate_dispatch(generate_demo(7, candidates=30), TODAY, load_rulebook())
    assert again == ops
    assert other.roster != ops.roster


def test_sizes_are_in_the_intended_ranges(demo: DemoSeason, ops: DemoDispatch) -> None:
    assert 150 <= ops.positions <= 300
    for company in demo.companies:
        contracts = [c for c in ops.contracts if c.company_id == company.id]
        positions = sum(len(c.positions) for c in contracts)
        roster = [a for a in ops.roster if a.company_id == company.id]
        current = [a for a in ops.assignments if a.company_id == company.id and a.end is None]
        assert 10 <= len(contracts) <= 16, company.id
        assert {c.contract_type for c in contracts} == set(ContractType)
        assert 0.85 * positions <= len(roster) <= 1.15 * positions
        assert len(current) < positions and len(current) < len(roster)  # vacancies and spares


def test_contracts_run_in_fiscal_years_with_illustrative_prices(
    demo: DemoSeason, ops: DemoDispatch
) -> None:
    companies = {c.id: c for c in demo.companies}
    for c in ops.contracts:
        assert (c.start.month, c.start.day, c.end.month, c.end.day) == (4, 1, 3, 31)
        assert c.start <= TODAY < c.end and c.renewal_date < c.end
        assert PRICE_RANGE[0] <= c.price_per_alt_month <= PRICE_RANGE[1]
        # A company's own BoEs, or where a persona ALT asks to move (so a proposal exists).
        assert (
            c.boe_id in companies[c.company_id].boe_ids
            or c.boe_id in PERSONA_TRANSFER_BOES.values()
        )
        assert c.boe_id not in PERSONA_STAFF_BOES
    soon = [c for c in ops.contracts if c.end < TODAY + timedelta(days=365)]
    assert soon and len(soon) < len(ops.contracts)
    sakura = {c.boe_id for c in ops.contracts if c.company_id == "company-sakura"}
    assert "boe-28-nishinomiya" in sakura
    assert not {"boe-28-kobe", "boe-28-toyooka", "boe-20-pref"} & {c.boe_id for c in ops.contracts}


def test_every_position_is_at_a_school_of_the_contracts_boe(
    demo: DemoSeason, ops: DemoDispatch
) -> None:
    school_boe = {s.external_id: s.boe_id for s in demo.schools}
    for c in ops.contracts:
        assert c.positions
        for p in c.positions:
            assert school_boe[p.school_external_id] == c.boe_id
            assert 1 <= p.days_per_week <= 5
    ids = [(c.company_id, p.external_id) for c in ops.contracts for p in c.positions]
    assert len(set(ids)) == len(ids)
    every = [p for c in ops.contracts for p in c.positions]
    assert any(p.requires_driving_licence for p in every)
    assert 0 < sum(p.min_jlpt.rank >= 3 for p in every) < len(every) / 5


def test_current_assignments_never_double_book_and_meet_hard_requirements(
    ops: DemoDispatch,
) -> None:
    current = [a for a in ops.assignments if a.end is None]
    alts = Counter((a.company_id, a.alt_external_id) for a in current)
    posts = Counter((a.company_id, a.position_external_id) for a in current)
    assert max(alts.values()) == 1 and max(posts.values()) == 1
    roster = {(a.company_id, a.external_id): a for a in ops.roster}
    position = {(c.company_id, p.external_id): (c, p) for c in ops.contracts for p in c.positions}
    for a in current:
        alt = roster[a.company_id, a.alt_external_id]
        contract, post = position[a.company_id, a.position_external_id]
        assert contract.reference == a.contract_reference
        assert alt.driving_licence or not post.requires_driving_licence
        assert alt.jlpt.rank >= post.min_jlpt.rank
        assert contract.start <= a.start <= TODAY


def test_some_alts_work_far_from_home_so_the_optimiser_has_moves(
    demo: DemoSeason, ops: DemoDispatch
) -> None:
    school = {s.external_id: s for s in demo.schools}
    position = {(c.company_id, p.external_id): p for c in ops.contracts for p in c.positions}
    roster = {(a.company_id, a.external_id): a for a in ops.roster}
    km = []
    for a in ops.assignments:
        if a.end is None:
            alt = roster[a.company_id, a.alt_external_id]
            s = school[position[a.company_id, a.position_external_id].school_external_id]
            km.append(distance_km(alt.home_latitude, alt.home_longitude, s.latitude, s.longitude))
    assert sorted(km)[len(km) // 2] < 6  # most live a few km from their school
    assert sum(k > 8 for k in km) >= 10  # and some commute much farther than they need to


def test_roster_facts_are_realistic(ops: DemoDispatch) -> None:
    items = [i.id for i in load_rulebook().dispatch_operations.onboarding.items]
    intentions = Counter(a.renewal_intention for a in ops.roster)
    assert intentions[RenewalIntention.RENEWING] > intentions[RenewalIntention.UNDECIDED] > 0
    assert intentions[RenewalIntention.LEAVING] > 0
    staff = [a for a in ops.roster if a.persona_key is None]
    assert {(a.contract_end.month, a.contract_end.day) for a in staff} == {(7, 31), (3, 31)}
    assert all(TODAY < a.contract_end <= TODAY + timedelta(days=3 * 366) for a in ops.roster)
    assert any(a.preferred_prefectures for a in ops.roster)
    assert all(set(a.checklist) <= set(items) for a in ops.roster)
    partial = [a for a in ops.roster if 0 < len(a.checklist) < len(items)]
    assert partial and len(partial) < len(ops.roster) / 2
    assert all(date.fromisoformat(d) <= TODAY for a in ops.roster for d in a.checklist.values())


def test_personas_are_linked_and_james_asks_to_move_to_kyoto(
    demo: DemoSeason, ops: DemoDispatch
) -> None:
    school_boe = {s.external_id: s.boe_id for s in demo.schools}
    position = {(c.company_id, p.external_id): p for c in ops.contracts for p in c.positions}
    (james,) = [a for a in ops.roster if a.persona_key == "alt_james"]
    (hannah,) = [a for a in ops.roster if a.persona_key == "alt_hannah"]
    assert james.company_id == persona("alt_james").organisation_id == "company-sakura"
    assert james.name == "James Okafor" and hannah.company_id == "company-minato"
    # Their roster contract is the one the seeder records for them (EmploymentContract).
    start, end = persona_contract_term(load_rulebook(), TODAY)
    assert james.contract_end == hannah.contract_end == end and start < TODAY < end
    (post,) = [
        a for a in ops.assignments if a.alt_external_id == james.external_id and a.end is None
    ]
    school = position[post.company_id, post.position_external_id].school_external_id
    assert school_boe[school] == "boe-28-nishinomiya"

    by_status = {t.status: t for t in ops.transfers}
    assert set(by_status) == {"requested", "approved", "declined"}
    pending = by_status["requested"]
    assert pending.alt_external_id == james.external_id and pending.to_prefecture == "Kyoto"
    assert "partner" in pending.reasons
    assert [e.action for e in pending.events] == ["requested"]
    for status in ("approved", "declined"):
        t = by_status[status]
        assert [e.action for e in t.events] == ["requested", status]
        assert t.decided_at is not None and t.created_at < t.decided_at
        assert t.decided_by_persona is not None
        assert persona(t.decided_by_persona).organisation_id == t.company_id


def test_the_approved_move_left_an_ended_assignment_elsewhere(ops: DemoDispatch) -> None:
    (moved,) = [t for t in ops.transfers if t.status == "approved"]
    history = [a for a in ops.assignments if a.alt_external_id == moved.alt_external_id]
    ended = [a for a in history if a.end is not None]
    current = [a for a in history if a.end is None]
    assert len(ended) == 1 and len(current) == 1
    assert ended[0].end is not None and ended[0].end < current[0].start


def test_tenders_are_won_lost_and_pending(demo: DemoSeason, ops: DemoDispatch) -> None:
    won = Counter(t.contract_reference for t in ops.tenders if t.outcome == "won")
    assert set(won) == {c.reference for c in ops.contracts} and set(won.values()) == {1}
    for company in demo.companies:
        outcomes = {t.outcome for t in ops.tenders if t.company_id == company.id}
        assert outcomes == {"won", "lost", "pending"}, company.id
    for t in ops.tenders:
        assert t.submitted_on <= TODAY and t.requested_alts >= 1
        assert (t.contract_reference is None) == (t.outcome != "won")


@pytest.mark.parametrize("today", [date(2027, 4, 2), date(2027, 3, 30), date(2026, 8, 1)])
def test_any_day_of_the_year_gives_consistent_records(demo: DemoSeason, today: date) -> None:
    ops = generate_dispatch(demo, today, load_rulebook())
    assert all(c.start <= today < c.end for c in ops.contracts)
    assert all(a.start <= today for a in ops.assignments)
    assert all(t.submitted_on <= today for t in ops.tenders)
    assert fiscal_year_start(today).month == 4


@pytest.mark.parametrize(
    "today", [date(2026, 11, 25), date(2028, 7, 25), date(2029, 12, 5), date(2032, 2, 29)]
)
def test_the_persona_contract_is_current_on_any_day_even_after_the_timeline_ends(
    today: date,
) -> None:
    start, end = persona_contract_term(load_rulebook(), today)
    assert start <= today <= end
    assert (start.month, start.day) == (7, 25) and end.year == start.year + 1
