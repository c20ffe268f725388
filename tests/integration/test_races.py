"""Races on SQLite and PostgreSQL: several clients (threads, each with its own sessions) start one
action together behind a barrier. Exactly one wins; the others are refused cleanly (StaleError
409 or RuleError 422, never a database error), and the invariant the action guards holds.

On SQLite a write transaction begins IMMEDIATE (`altmatch.db.engine`), so writers queue for the
lock and each re-reads what the previous one committed; on PostgreSQL the rows are locked FOR
UPDATE. Either way every versioned UPDATE is also a compare-and-swap.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from tests.dispatch_world import ON, build_dispatch_world
from tests.support_world import build_support_world
from time_machine import TimeMachineFixture

from altmatch.db import Sessions
from altmatch.db.models import (
    AuditEntry,
    CaseEvent,
    EmploymentContract,
    PostingApplication,
    PostingStageChange,
    RosterAssignment,
    TransferRequest,
    User,
)
from altmatch.domain.access import OPERATOR, Actor, OrgKind, Role
from altmatch.domain.direct_hire import PostingStage
from altmatch.rulebook.vocabulary import (
    CaseCategory,
    Jlpt,
    Residence,
    SchoolLevel,
    StatusOfResidence,
)
from altmatch.services.accounts.users import create_organisation, create_user
from altmatch.services.direct_hire import postings
from altmatch.services.direct_hire.applications import ApplyIn, MoveIn, apply_to_posting
from altmatch.services.direct_hire.applications import move_application as move
from altmatch.services.dispatch import assignment, transfers
from altmatch.services.kernel.errors import RuleError, StaleError
from altmatch.services.support.case_reads import get_case
from altmatch.services.support.cases import CaseIn, ResolveIn, open_case, resolve_case

pytestmark = pytest.mark.date_sensitive

CLIENTS = 4


def _race(calls: list[Callable[[], object]]) -> tuple[list[object], list[RuleError]]:
    """Run `calls` at once, one thread each; what they returned and the refusals they got.
    Anything else (a database error, a deadlock) fails the test."""
    barrier = threading.Barrier(len(calls))
    won: list[object] = []
    refused: list[RuleError] = []
    broken: list[BaseException] = []

    def client(call: Callable[[], object]) -> None:
        barrier.wait()
        try:
            won.append(call())
        except RuleError as refusal:  # StaleError included
            refused.append(refusal)
        except BaseException as error:
            broken.append(error)

    threads = [threading.Thread(target=client, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a client hung"
    assert broken == [], broken
    return won, refused


def _count(sessions: Sessions, query: object) -> int:
    with sessions() as session:
        return int(session.scalar(query) or 0)  # type: ignore[call-overload]


# --- direct hire ----------------------------------------------------------------------------

TODAY = dt.date(2027, 1, 15)
APPLIED = ApplyIn(
    alt_years=3,
    jlpt=Jlpt.N2,
    residence=Residence.JAPAN,
    status_of_residence=StatusOfResidence.INSTRUCTOR,
)


def _posting(
    sessions: Sessions, applicants: int, openings: int = 1
) -> tuple[Actor, int, list[int]]:
    """A posting of a BoE with `openings` and `applicants` applications to it."""
    boe = create_organisation(
        sessions,
        actor=OPERATOR,
        kind=OrgKind.BOE,
        name_en="Kobe",
        name_ja="神戸",
        prefecture="Hyogo",
    ).id
    staff_id = create_user(
        sessions,
        actor=OPERATOR,
        email="staff@example.org",
        display_name="Staff",
        role=Role.BOE_STAFF,
        password=None,
        organisation_id=boe,
    ).id
    staff = Actor(user_id=staff_id, role=Role.BOE_STAFF, organisation_id=boe)
    fields = postings.PostingFields(
        title_en="Elementary ALT, Kobe",
        title_ja="神戸市 小学校ALT",
        school_levels=[SchoolLevel.ELEMENTARY],
        min_jlpt=Jlpt.N4,
        monthly_pay=280_000,
        start=dt.date(2027, 4, 1),
        closes_on=dt.date(2027, 2, 28),
        openings=openings,
    )
    posting = postings.create_posting(sessions, staff, fields, today=TODAY).id
    apps = []
    for n in range(applicants):
        user = create_user(
            sessions,
            actor=OPERATOR,
            email=f"applicant{n}@example.org",
            display_name=f"Applicant {n}",
            role=Role.CANDIDATE,
            password=None,
            organisation_id=None,
        ).id
        candidate = Actor(user_id=user, role=Role.CANDIDATE)
        apps.append(apply_to_posting(sessions, candidate, posting, APPLIED, today=TODAY).id)
    return staff, posting, apps


def _version(sessions: Sessions, app_id: int) -> int:
    with sessions() as session:
        return session.get_one(PostingApplication, app_id).version


@pytest.mark.parametrize("openings", [1, 2])
def test_simultaneous_hires_never_overfill_a_posting(sessions: Sessions, openings: int) -> None:
    staff, posting, apps = _posting(sessions, CLIENTS, openings)
    for app in apps:
        for stage in (PostingStage.SCREENING, PostingStage.INTERVIEW, PostingStage.OFFERED):
            move(
                sessions, staff, posting, app, MoveIn(stage=stage, version=_version(sessions, app))
            )
    hires = [MoveIn(stage=PostingStage.HIRED, version=_version(sessions, app)) for app in apps]

    won, refused = _race(
        [
            lambda a=app, h=hire: move(sessions, staff, posting, a, h)
            for app, hire in zip(apps, hires, strict=True)
        ]
    )

    assert (len(won), len(refused)) == (openings, CLIENTS - openings)
    hired = select(func.count()).where(PostingApplication.stage == PostingStage.HIRED.value)
    assert _count(sessions, hired) == openings
    assert _count(sessions, select(func.count()).select_from(EmploymentContract)) == openings
    closed = select(func.count()).where(AuditEntry.action == "posting.closed")
    assert _count(sessions, closed) == 1


def test_simultaneous_moves_change_an_application_once(sessions: Sessions) -> None:
    staff, posting, (app,) = _posting(sessions, 1)
    version = _version(sessions, app)
    targets = [PostingStage.SCREENING, PostingStage.REJECTED] * (CLIENTS // 2)

    won, refused = _race(
        [
            lambda t=target: move(sessions, staff, posting, app, MoveIn(stage=t, version=version))
            for target in targets
        ]
    )

    assert (len(won), len(refused)) == (1, CLIENTS - 1)
    moved = select(func.count()).where(
        PostingStageChange.application_id == app, PostingStageChange.from_stage.is_not(None)
    )
    assert _count(sessions, moved) == 1
    assert _version(sessions, app) == version + 1


# --- dispatch -------------------------------------------------------------------------------


def test_a_transfer_is_decided_once(sessions: Sessions) -> None:
    world = build_dispatch_world(sessions)
    with sessions() as session:
        user = session.scalars(select(User).where(User.email == world.alt_user_email)).one()
    alt = Actor(user_id=user.id, role=Role.ALT)
    made = transfers.request_my_transfer(
        sessions, alt, transfers.TransferIn(to_prefecture="Osaka", reasons="Family")
    )
    company = world.company_id
    proposed = transfers.propose_transfer_moves(
        sessions, OPERATOR, made.id, version=made.version, company_id=company, on=ON
    )
    assert proposed.proposal is not None and proposed.proposal.feasible
    version = proposed.version

    def approve() -> object:
        return transfers.approve_transfer(
            sessions, OPERATOR, made.id, version=version, company_id=company
        )

    def decline() -> object:
        return transfers.decline_transfer(
            sessions, OPERATOR, made.id, version=version, company_id=company
        )

    won, refused = _race([approve, decline] * (CLIENTS // 2))

    assert (len(won), len(refused)) == (1, CLIENTS - 1)
    decided = select(func.count()).where(
        AuditEntry.action.in_(["transfer.approved", "transfer.declined"])
    )
    assert _count(sessions, decided) == 1
    with sessions() as session:
        row = session.get_one(TransferRequest, made.id)
        assert row.version == version + 1 and row.status in ("approved", "declined")


def test_one_assignment_plan_is_committed_once(sessions: Sessions) -> None:
    """Every client commits the same plan, checked against the same roster fingerprint: the
    first changes the roster, and the fingerprint no longer matches for the others."""
    world = build_dispatch_world(sessions)
    company = world.company_id
    plan = assignment.plan_assignment(
        sessions, OPERATOR, assignment.PlanRequest(on=ON), company_id=company
    )
    assert plan.proposed.moves, "the world's plan moves someone"
    body = assignment.CommitRequest(on=ON, fingerprint=plan.proposed.fingerprint)

    def commit() -> object:
        return assignment.commit_assignment(sessions, OPERATOR, body, company_id=company)

    won, refused = _race([commit] * CLIENTS)

    assert (len(won), len(refused)) == (1, CLIENTS - 1)
    assert all(isinstance(r, StaleError) for r in refused)
    committed = select(func.count()).where(AuditEntry.action == "assignment.committed")
    assert _count(sessions, committed) == 1
    with sessions() as session:
        current = session.execute(
            select(RosterAssignment.alt_id, RosterAssignment.position_id).where(
                RosterAssignment.end.is_(None)
            )
        ).all()
    alts, positions = zip(*current, strict=True)
    assert len(set(alts)) == len(alts) and len(set(positions)) == len(positions)


# --- support --------------------------------------------------------------------------------

MONDAY_9 = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)


def test_a_case_is_resolved_once(sessions: Sessions, clock: TimeMachineFixture) -> None:
    clock.move_to(MONDAY_9, tick=False)
    world = build_support_world(sessions)
    alt = world.actors["jet_alt"]
    handlers = [world.actors["kobe_supervisor"], world.actors["kobe_chief"]]
    body = CaseIn(category=CaseCategory.PAY_CONTRACT, subject="My payslip", description="Short.")
    case_id = open_case(sessions, alt, body, now=MONDAY_9).id
    version = get_case(sessions, handlers[0], case_id, now=MONDAY_9).version

    won, refused = _race(
        [
            lambda h=handlers[n % 2], n=n: resolve_case(
                sessions, h, case_id, ResolveIn(version=version, note=f"Done {n}"), now=MONDAY_9
            )
            for n in range(CLIENTS)
        ]
    )

    assert (len(won), len(refused)) == (1, CLIENTS - 1)
    resolved = select(func.count()).where(
        CaseEvent.case_id == case_id, CaseEvent.action == "resolved"
    )
    assert _count(sessions, resolved) == 1
