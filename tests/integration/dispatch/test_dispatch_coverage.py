"""A company's coverage read from the database on SQLite and PostgreSQL, worked by hand."""

from __future__ import annotations

from datetime import date

import pytest
from tests.dispatch_coverage_world import TODAY, CoverageWorld, build_coverage_world

from altmatch.db import Sessions
from altmatch.db.models import Organisation
from altmatch.domain.access import OPERATOR, AccessDeniedError, Actor, NotFoundError, Role
from altmatch.rulebook.vocabulary import RenewalIntention
from altmatch.services.dispatch.coverage import CoverageOut, dispatch_coverage
from altmatch.services.kernel.errors import RuleError

pytestmark = pytest.mark.date_sensitive


@pytest.fixture
def world(sessions: Sessions) -> CoverageWorld:
    return build_coverage_world(sessions)


def staff(company: int) -> Actor:
    return Actor(user_id=1, role=Role.COMPANY_STAFF, organisation_id=company)


def gaps(found: CoverageOut, region: str | None = None) -> list[int]:
    return [(m.regions[region] if region else m.total).gap for m in found.series]


def test_company_staff_see_their_months_regions_and_targets(
    sessions: Sessions, world: CoverageWorld
) -> None:
    found = dispatch_coverage(sessions, staff(world.company), today=TODAY)
    assert found.company == "Sakura ALT"
    assert found.months[0] == date(2026, 11, 1) and found.months[-1] == date(2027, 10, 1)
    assert found.regions == ["Hyogo", "Kyoto"]
    assert gaps(found, "Hyogo") == [1] * 8 + [2] * 4
    assert gaps(found, "Kyoto") == [0] * 5 + [1] * 4 + [0] * 3
    assert (found.now.positions, found.now.assigned, found.now.at_risk, found.now.gap) == (
        5,
        4,
        0,
        1,
    )
    horizon = found.at_horizon
    assert (horizon.positions, horizon.assigned, horizon.at_risk, horizon.gap) == (3, 2, 1, 2)
    assert horizon.released == 1  # Dee, renewing, once Q-1 has ended
    targets = {(t.region, t.start_month.month): t.hires for t in found.targets}
    assert targets == {
        ("Hyogo", 4): 1,
        ("Kyoto", 4): 1,
        ("Hyogo", 8): 1,
        ("Kyoto", 8): 0,
        ("Hyogo", 9): 0,
        ("Kyoto", 9): 0,
    }
    assert [(t.start_month, t.hires) for t in found.target_totals] == [
        (date(2027, 4, 1), 2),
        (date(2027, 8, 1), 1),
        (date(2027, 9, 1), 0),
    ]
    assert found.hires_total == 3


def test_at_risk_alts_are_listed_with_their_contract_end_and_intention(
    sessions: Sessions, world: CoverageWorld
) -> None:
    found = dispatch_coverage(sessions, staff(world.company), today=TODAY)
    assert [
        (a.name, a.contract_end, a.renewal_intention, a.from_month, a.contract_reference)
        for a in found.at_risk
    ] == [
        ("Cai Wen", date(2027, 3, 31), RenewalIntention.UNDECIDED, date(2027, 4, 1), "Q-1"),
        ("Ada Lovelace", date(2027, 6, 30), RenewalIntention.LEAVING, date(2027, 7, 1), "K-1"),
    ]
    assert found.at_risk[1].school == "Nada Elementary"


def test_each_contract_shows_now_and_horizon_and_a_passed_renewal(
    sessions: Sessions, world: CoverageWorld
) -> None:
    found = dispatch_coverage(sessions, staff(world.company), today=TODAY)
    by_ref = {c.reference: c for c in found.contracts}
    assert set(by_ref) == {"K-1", "Q-1"}  # never the rival's R-1
    k1, q1 = by_ref["K-1"], by_ref["Q-1"]
    assert (k1.now.positions, k1.now.assigned, k1.now.gap, k1.at_horizon.gap) == (3, 2, 1, 2)
    assert not k1.ends_within_horizon and not k1.renewal_passed
    assert (q1.now.positions, q1.now.gap, q1.at_horizon.positions) == (2, 0, 0)
    assert q1.ends_within_horizon and q1.renewal_passed
    assert q1.boe_ja == "京都市教育委員会"


def test_the_rule_comes_from_the_rulebook(sessions: Sessions, world: CoverageWorld) -> None:
    rule = dispatch_coverage(sessions, staff(world.company), today=TODAY).rule
    assert (rule.horizon_months, rule.undecided_counts_as_at_risk) == (12, True)
    assert rule.start_months == [4, 8, 9]
    assert "hiring intakes" in rule.rationale


def test_a_region_filter_keeps_one_region_and_refuses_an_unknown_one(
    sessions: Sessions, world: CoverageWorld
) -> None:
    found = dispatch_coverage(sessions, staff(world.company), today=TODAY, region="Kyoto")
    assert found.region == "Kyoto" and found.regions == ["Hyogo", "Kyoto"]
    assert [c.reference for c in found.contracts] == ["Q-1"]
    assert gaps(found) == [0] * 5 + [1] * 4 + [0] * 3
    assert found.hires_total == 1
    with pytest.raises(RuleError) as refused:
        dispatch_coverage(sessions, staff(world.company), today=TODAY, region="Okinawa")
    assert refused.value.field == "region"


def test_another_day_moves_the_horizon(sessions: Sessions, world: CoverageWorld) -> None:
    found = dispatch_coverage(sessions, staff(world.company), today=date(2027, 5, 2))
    assert found.months[0] == date(2027, 5, 1)
    # Cai is gone already (at risk from the first month); Q-1 ends in July.
    assert found.now.at_risk == 1
    assert [t.start_month for t in found.target_totals] == [
        date(2027, 8, 1),
        date(2027, 9, 1),
        date(2028, 4, 1),
    ]


def test_the_other_company_sees_only_its_own_numbers(
    sessions: Sessions, world: CoverageWorld
) -> None:
    found = dispatch_coverage(sessions, staff(world.other_company), today=TODAY)
    assert [c.reference for c in found.contracts] == ["R-1"]
    assert (found.now.positions, found.now.assigned) == (4, 1)
    assert [a.name for a in found.at_risk] == ["Rex Rival"]


def test_others_are_refused_and_the_operator_names_a_company(
    sessions: Sessions, world: CoverageWorld
) -> None:
    boe = Actor(user_id=2, role=Role.BOE_STAFF, organisation_id=world.kobe)
    with pytest.raises(AccessDeniedError):
        dispatch_coverage(sessions, boe, today=TODAY)
    found = dispatch_coverage(sessions, OPERATOR, company_id=world.company, today=TODAY)
    assert found.hires_total == 3
    with pytest.raises(NotFoundError):
        dispatch_coverage(sessions, OPERATOR, company_id=world.kobe, today=TODAY)
    with pytest.raises(NotFoundError):
        dispatch_coverage(sessions, OPERATOR, today=TODAY)


def test_a_company_without_contracts_has_nothing_to_cover(
    sessions: Sessions, world: CoverageWorld
) -> None:
    with sessions.begin() as session:
        empty = Organisation(kind="company", name_en="New Co", name_ja="新会社")
        session.add(empty)
        session.flush()
        empty_id = empty.id
    found = dispatch_coverage(sessions, staff(empty_id), today=TODAY)
    assert found.contracts == [] and found.at_risk == [] and found.regions == []
    assert [m.total.positions for m in found.series] == [0] * 12
    assert [(t.start_month, t.hires) for t in found.target_totals] == [
        (date(2027, 4, 1), 0),
        (date(2027, 8, 1), 0),
        (date(2027, 9, 1), 0),
    ]
    assert found.hires_total == 0
