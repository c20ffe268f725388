"""Retention risk and contract health read from the database (SQLite and PostgreSQL), on the
coverage world worked by hand, with support cases, a transfer request and survey scores added.

Today 25 Nov 2026. K-1 (Kobe): 3 posts, Ada (leaving: 6, high) and Ben (renewing: 0); 2/3
filled = 0.67 < 0.8 and 1 of 2 ALTs at high risk (0.5 >= 0.34): at risk. Q-1 (Kyoto): 2 posts,
Cai (undecided; deadline 31 Mar 2027 - 90 days = 31 Dec 2026, not within 30 days yet: 1) and
Dee (renewing; one open case 1 + a pending transfer request 2 = 3, medium): fully covered, one
open case: watch. Eve (leaving, no placement) is listed with her risk but in no contract.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.orm import Session
from tests.dispatch_coverage_world import TODAY, CoverageWorld, build_coverage_world

from altmatch.db import Sessions
from altmatch.db.models import (
    ContractPosition,
    RosterAlt,
    RosterAssignment,
    SupportCase,
    Tender,
    TransferRequest,
    User,
)
from altmatch.domain.access import OPERATOR, AccessDeniedError, Actor, NotFoundError, Role
from altmatch.domain.contract_health import HealthReason, HealthStatus
from altmatch.domain.retention_risk import RiskLevel, RiskReason
from altmatch.services.dispatch import retention as retention_service
from altmatch.services.dispatch.contract_health import HealthSort, company_contract_health
from altmatch.services.dispatch.coverage import dispatch_coverage
from altmatch.services.dispatch.retention import company_retention

pytestmark = pytest.mark.date_sensitive


def staff(company: int) -> Actor:
    return Actor(user_id=1, role=Role.COMPANY_STAFF, organisation_id=company)


def _case(session: Session, user: int, employer: int, status: str) -> None:
    opened = datetime(2026, 11, 20, 0, 0, tzinfo=UTC)
    session.add(
        SupportCase(
            alt_user_id=user,
            path="dispatch",
            employer_id=employer,
            category="pay_contract",
            urgency="normal",
            language="en",
            subject="Summer pay",
            description="Is August paid?",
            status=status,
            opened_at=opened,
            first_response_due=opened + timedelta(hours=4),
            resolution_due=opened + timedelta(days=5),
        )
    )


@pytest.fixture
def world(sessions: Sessions) -> CoverageWorld:
    found = build_coverage_world(sessions)
    with sessions.begin() as session:
        user = User(
            email="dee@example.org",
            display_name="Dee",
            password_hash="",
            role="alt",
            locale="en",
        )
        session.add(user)
        session.flush()
        dee = session.get(RosterAlt, found.alts["dee"])
        assert dee is not None
        dee.user_id = user.id
        _case(session, user.id, found.company, "open")
        _case(session, user.id, found.company, "resolved")  # closed: not counted
        _case(session, user.id, found.other_company, "open")  # another employer: not counted
        session.add(
            TransferRequest(
                company_id=found.company,
                alt_id=found.alts["dee"],
                to_prefecture="Osaka",
                reasons="Closer to family.",
            )
        )
        session.add(
            Tender(
                company_id=found.company,
                boe_id=found.kyoto,
                title="Kyoto ALTs 2027",
                requested_alts=2,
                requested_start=date(2027, 8, 1),
                bid_price_per_alt_month=390_000,
                submitted_on=date(2026, 11, 10),
            )
        )
    return found


def test_each_working_alt_has_a_score_and_its_reasons(
    sessions: Sessions, world: CoverageWorld
) -> None:
    found = company_retention(sessions, staff(world.company), today=TODAY)
    by = {a.external_id: a for a in found.alts}
    assert set(by) == {"A-ada", "A-ben", "A-cai", "A-dee", "A-eve"}  # never Rex
    assert [(r.reason, r.points) for r in by["A-ada"].reasons] == [(RiskReason.LEAVING, 6)]
    assert (by["A-ada"].score, by["A-ada"].level) == (6, RiskLevel.HIGH)
    assert by["A-cai"].renewal_deadline == date(2026, 12, 31)
    assert [(r.reason, r.points) for r in by["A-cai"].reasons] == [(RiskReason.UNDECIDED, 1)]
    assert [(r.reason, r.points) for r in by["A-dee"].reasons] == [
        (RiskReason.OPEN_CASES, 1),
        (RiskReason.TRANSFER_REQUESTED, 2),
    ]
    assert (by["A-dee"].level, by["A-ben"].score, by["A-eve"].contract_id) == (
        RiskLevel.MEDIUM,
        0,
        None,
    )
    assert by["A-ben"].own_satisfaction is None and by["A-ben"].school_satisfaction is None
    assert (found.high, found.medium, found.low) == (2, 1, 2)
    assert [a.score for a in found.alts] == sorted((a.score for a in found.alts), reverse=True)


def test_contract_health_lists_each_contract_with_its_status_and_reasons(
    sessions: Sessions, world: CoverageWorld
) -> None:
    found = company_contract_health(sessions, staff(world.company), today=TODAY)
    assert [c.reference for c in found.contracts] == ["K-1", "Q-1"]  # at risk first
    k1, q1 = found.contracts
    assert (k1.posts, k1.filled, round(k1.coverage or 0, 3)) == (3, 2, 0.667)
    assert (k1.alts, k1.alts_at_high_risk, k1.retention_risk) == (2, 1, 3.0)
    assert k1.status is HealthStatus.AT_RISK
    assert [n.reason for n in k1.notes] == [
        HealthReason.LOW_COVERAGE,
        HealthReason.MANY_AT_HIGH_RISK,
    ]
    assert k1.notes[0].detail == "2 of 3 posts filled."
    assert k1.school_satisfaction is None  # no survey yet, never 0
    assert (q1.coverage, q1.open_cases, q1.retention_risk, q1.status) == (
        1.0,
        1,
        2.0,
        HealthStatus.WATCH,
    )
    assert (q1.tender_date, q1.tender_start, k1.tender_date) == (
        date(2026, 11, 10),
        date(2027, 8, 1),
        None,
    )
    assert (found.at_risk, found.watch, found.ok) == (1, 1, 0)


def test_the_reader_language_and_sort_order_apply(sessions: Sessions, world: CoverageWorld) -> None:
    ja = company_contract_health(
        sessions, staff(world.company), today=TODAY, locale="ja", sort=HealthSort.RISK
    )
    assert [c.reference for c in ja.contracts] == ["K-1", "Q-1"]  # 3.0 before 2.0
    assert ja.contracts[0].boe == "神戸市教育委員会"
    by_coverage = company_contract_health(
        sessions, staff(world.company), today=TODAY, sort=HealthSort.REFERENCE
    )
    assert [c.reference for c in by_coverage.contracts] == ["K-1", "Q-1"]


@dataclass(frozen=True)
class Scores:
    school_score: float | None
    alt_score: float | None
    responses: int = 1


def test_survey_scores_reach_the_alts_and_the_contract_through_satisfaction(
    sessions: Sessions, world: CoverageWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ben scores his school 2.5 and it scores him 2.0: 3 + 2 = 5 points. K-1's schools' mean
    over surveyed ALTs is 2.0 (Ada has no survey): below 3, a third reason."""
    with sessions() as session:
        ben = session.get(RosterAlt, world.alts["ben"])
        assert ben is not None
        position_id = session.scalars(
            RosterAssignment.__table__.select()
            .with_only_columns(RosterAssignment.position_id)
            .where(RosterAssignment.alt_id == ben.id, RosterAssignment.end.is_(None))
        ).one()
        position = session.get(ContractPosition, position_id)
        assert position is not None
        key = (ben.id, position.school_id)

    def fake(session: Session, company_id: int, *, on: date) -> Mapping[tuple[int, int], Scores]:
        assert (company_id, on) == (world.company, TODAY)
        return {key: Scores(school_score=2.0, alt_score=2.5)}

    monkeypatch.setattr(retention_service, "_satisfaction", fake)
    alts = {
        a.external_id: a
        for a in company_retention(sessions, staff(world.company), today=TODAY).alts
    }
    assert (alts["A-ben"].own_satisfaction, alts["A-ben"].school_satisfaction) == (2.5, 2.0)
    assert (alts["A-ben"].score, alts["A-ben"].level) == (5, RiskLevel.MEDIUM)
    k1 = company_contract_health(sessions, staff(world.company), today=TODAY).contracts[0]
    assert k1.school_satisfaction == 2.0
    assert HealthReason.LOW_SCHOOL_SATISFACTION in [n.reason for n in k1.notes]


def test_hiring_targets_show_the_netting_per_region_and_start_month(
    sessions: Sessions, world: CoverageWorld
) -> None:
    """Kyoto, August 2027: Q-1 has ended, Dee (renewing) is released: gross 0 − 1 + 0 = 0.
    Hyogo, April: K-1's open post 1 − 0 + 0 = 1. Kyoto, April: Cai undecided, contract ended 31
    March: ⌈0.5 × 1⌉ = 1 expected leaver."""
    found = dispatch_coverage(sessions, staff(world.company), today=TODAY)
    by = {(t.region, t.start_month.month): t for t in found.targets}
    kyoto_aug = by[("Kyoto", 8)]
    assert (kyoto_aug.gross_need, kyoto_aug.redeployable, kyoto_aug.net_need) == (0, 1, 0)
    hyogo_apr = by[("Hyogo", 4)]
    assert (hyogo_apr.gross_need, hyogo_apr.expected_leavers, hyogo_apr.hires) == (1, 0, 1)
    kyoto_apr = by[("Kyoto", 4)]
    assert (kyoto_apr.gross_need, kyoto_apr.expected_leavers, kyoto_apr.hires) == (0, 1, 1)
    assert found.rule.undecided_leaving_share == 0.5
    k1 = next(c for c in found.contracts if c.reference == "K-1")
    assert [(n.start_month.month, n.gross_need, n.expected_leavers) for n in k1.needs] == [
        (4, 1, 0),
        (8, 1, 1),  # Ada, leaving, her contract ended 30 June
        (9, 1, 1),
    ]


def test_other_companies_and_boe_staff_never_see_them(
    sessions: Sessions, world: CoverageWorld
) -> None:
    rival = company_contract_health(sessions, staff(world.other_company), today=TODAY)
    assert [c.reference for c in rival.contracts] == ["R-1"]
    assert [
        a.external_id
        for a in company_retention(sessions, staff(world.other_company), today=TODAY).alts
    ] == ["R-rex"]
    with pytest.raises(NotFoundError):
        company_contract_health(
            sessions, staff(world.other_company), company_id=world.company, today=TODAY
        )
    with pytest.raises(NotFoundError):
        company_retention(sessions, staff(world.other_company), company_id=world.company)
    boe = Actor(user_id=2, role=Role.BOE_STAFF, organisation_id=world.kobe)
    with pytest.raises(AccessDeniedError):
        company_contract_health(sessions, boe, today=TODAY)
    with pytest.raises(AccessDeniedError):
        company_retention(sessions, boe, today=TODAY)
    operator = company_contract_health(sessions, OPERATOR, company_id=world.company, today=TODAY)
    assert len(operator.contracts) == 2
