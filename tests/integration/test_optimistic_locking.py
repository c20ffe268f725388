"""Optimistic locking on SQLite and PostgreSQL: every versioned row is written as a
compare-and-swap (`version_id_col`: UPDATE … WHERE version = the one loaded), so of two writers
who read the same version the second gets StaleError (409) and the first writer's change is kept.

Each context is raced twice: with two ORM sessions that load a row at one version and both write
it (every versioned model), and through its real services, the first writer running between the
second's version check and its UPDATE, the moment a check-then-write service loses an update.
Removing `version_id_col` from any of these models makes its tests fail.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from types import ModuleType
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from tests.dispatch_world import build_dispatch_world
from tests.season_world import build_world, filled_season
from tests.support_world import build_support_world
from time_machine import TimeMachineFixture

from altmatch.db import Base, Sessions, session_factory
from altmatch.db.models import (
    AuditEntry,
    CaseEvent,
    CaseMessage,
    DispatchContract,
    InterviewPanel,
    InterviewSlot,
    OnlineApplication,
    Posting,
    PostingApplication,
    RosterAlt,
    ScoreSheet,
    SeasonCandidate,
    SeasonRequest,
    SupportCase,
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
from altmatch.services.dispatch import roster, transfers
from altmatch.services.kernel import locking
from altmatch.services.kernel.errors import StaleError
from altmatch.services.kernel.locking import stale_guard, touch
from altmatch.services.season import requests
from altmatch.services.season.access import RequestOut
from altmatch.services.support import case_reads
from altmatch.services.support.case_reads import get_case, list_my_cases
from altmatch.services.support.cases import CaseIn, MessageIn, open_case, post_message
from altmatch.services.support.escalation import escalate_case

pytestmark = pytest.mark.date_sensitive


@pytest.fixture
def sessions(engine: Engine) -> Sessions:
    """Write sessions that begin as reads do, even on SQLite: these tests replay interleavings
    that BEGIN IMMEDIATE rules out there (a whole writer inside another's transaction) to check
    the compare-and-swap beneath it. tests/integration/test_races.py races the real thing."""
    return session_factory(engine, immediate_writes=False)


VERSIONED = {
    SeasonRequest,
    SeasonCandidate,
    DispatchContract,
    RosterAlt,
    TransferRequest,
    Posting,
    PostingApplication,
    SupportCase,
    OnlineApplication,
    # the interview round (m14): a slot is booked, moved and reminded by conditional UPDATEs
    # that compare its version (tests/integration/season/test_interview_round_db.py); a score
    # sheet is saved with its version compared (test_interview_scoring_db.py)
    InterviewPanel,
    InterviewSlot,
    ScoreSheet,
}


def test_every_table_with_a_version_column_maps_it_as_the_version_counter() -> None:
    versioned = {m.class_ for m in Base.registry.mappers if "version" in m.columns}
    assert versioned == VERSIONED
    for model in versioned:
        mapper = model.__mapper__
        assert mapper.version_id_col is mapper.columns["version"], model.__name__


def _race(
    sessions: Sessions,
    model: type[Any],
    row_id: int,
    first: Callable[[Any], None],
    second: Callable[[Any], None],
) -> Any:
    """Two sessions load the row at one version; the first writes and commits, then the second
    writes: its UPDATE matches no row, and stale_guard makes that the usual StaleError. Returns
    the row as stored afterwards, checked to be one version on."""
    with sessions() as one, sessions() as two:
        mine, theirs = one.get(model, row_id), two.get(model, row_id)
        assert mine is not None and theirs is not None
        loaded = mine.version
        assert theirs.version == loaded
        first(mine)
        one.commit()
        second(theirs)
        with pytest.raises(StaleError), stale_guard():
            two.commit()
    with sessions() as check:
        row = check.get(model, row_id)
        assert row is not None and row.version == loaded + 1
        return row


def _set(column: str, value: object) -> Callable[[Any], None]:
    return lambda row: setattr(row, column, value)


def _race_column(
    sessions: Sessions, model: type[Any], row_id: int, column: str, first: object, second: object
) -> None:
    kept = _race(sessions, model, row_id, _set(column, first), _set(column, second))
    assert getattr(kept, column) == first


def _let_in_first(
    monkeypatch: pytest.MonkeyPatch, module: ModuleType, first: Callable[[], object]
) -> None:
    """Make `module`'s next version check pass and then run `first`, a whole service call that
    commits: the second writer (the one being checked) has read the row and goes on to write it."""
    pending = [first]

    def check_then_let_the_first_writer_in(row: Any, version: int | None) -> None:
        locking.expect_version(row, version)
        if pending:
            pending.pop()()

    monkeypatch.setattr(module, "expect_version", check_then_let_the_first_writer_in)


def _audited(sessions: Sessions, action: str) -> list[AuditEntry]:
    with sessions() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


# --- season ---------------------------------------------------------------------------------


def test_season_requests_and_applications(
    sessions: Sessions, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = build_world(sessions)
    season_id = filled_season(sessions, world)
    with sessions() as session:
        candidate = session.scalars(select(SeasonCandidate.id).order_by(SeasonCandidate.id)).first()
    assert candidate is not None
    _race_column(sessions, SeasonCandidate, candidate, "interview_score", 71, 72)

    request_id = requests.list_requests(sessions, world.kobe, season_id).requests[0].id
    _race_column(sessions, SeasonRequest, request_id, "capacity", 5, 6)

    def current() -> RequestOut:
        found = requests.list_requests(sessions, world.kobe, season_id).requests
        return next(r for r in found if r.id == request_id)

    read = current()

    def edit(capacity: int) -> RequestOut:
        changed = requests.RequestFields.model_validate(read.model_dump() | {"capacity": capacity})
        return requests.edit_request(
            sessions, world.kobe, season_id, read.id, changed, version=read.version
        )

    _let_in_first(monkeypatch, requests, lambda: edit(3))
    with pytest.raises(StaleError):
        edit(4)
    kept = current()
    assert (kept.capacity, kept.version) == (3, read.version + 1)
    assert len(_audited(sessions, "request.edited")) == 1


# --- dispatch -------------------------------------------------------------------------------


def test_dispatch_contracts_roster_and_transfers(
    sessions: Sessions, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = build_dispatch_world(sessions)
    with sessions() as session:
        contract = session.scalars(select(DispatchContract.id)).first()
        alt_user = session.scalars(select(User).where(User.email == world.alt_user_email)).one()
    assert contract is not None
    _race_column(sessions, DispatchContract, contract, "price_per_alt_month", 310_000, 320_000)
    alt_id = next(iter(world.alts.values()))
    _race_column(sessions, RosterAlt, alt_id, "home_municipality", "Ashiya", "Akashi")
    # The version moves on when the row is touched but none of its own columns change.
    _race(sessions, RosterAlt, alt_id, touch, touch)

    alt = Actor(user_id=alt_user.id, role=Role.ALT)
    made = transfers.request_my_transfer(
        sessions, alt, transfers.TransferIn(to_prefecture="Osaka", reasons="Family")
    )
    _race_column(sessions, TransferRequest, made.id, "decision_note", "first", "second")

    # The ALT withdraws while staff decline: the decline came first and stands.
    pending = transfers.list_my_transfers(sessions, alt).transfers[0]
    _let_in_first(
        monkeypatch,
        transfers,
        lambda: transfers.decline_transfer(
            sessions,
            OPERATOR,
            made.id,
            version=pending.version,
            note="No post there",
            company_id=world.company_id,
        ),
    )
    with pytest.raises(StaleError):
        transfers.withdraw_my_transfer(sessions, alt, made.id, version=pending.version)
    kept = transfers.list_my_transfers(sessions, alt).transfers[0]
    assert (kept.status, kept.version) == ("declined", pending.version + 1)
    assert _audited(sessions, "transfer.withdrawn") == []

    # Two checklist ticks at once (the roster's edits were an explicit UPDATE ... WHERE version).
    company = world.company_id
    read = roster.get_roster_alt(sessions, OPERATOR, alt_id, company_id=company)
    day = dt.date(2027, 3, 1)

    def tick(item: str) -> roster.RosterAltDetailOut:
        done = roster.ChecklistTick(item=item, done_on=day, version=read.version)
        return roster.tick_checklist(sessions, OPERATOR, alt_id, done, company_id=company)

    _let_in_first(monkeypatch, roster, lambda: tick("contract_signed"))
    with pytest.raises(StaleError):
        tick("residence_card")
    kept_alt = roster.get_roster_alt(sessions, OPERATOR, alt_id, company_id=company)
    assert kept_alt.version == read.version + 1
    assert {i.id for i in kept_alt.checklist if i.done_on} == {"contract_signed"}


# --- direct hire ----------------------------------------------------------------------------

TODAY = dt.date(2027, 1, 15)


def test_direct_hire_postings_and_applications(
    sessions: Sessions, monkeypatch: pytest.MonkeyPatch
) -> None:
    boe = create_organisation(
        sessions,
        actor=OPERATOR,
        kind=OrgKind.BOE,
        name_en="Kobe",
        name_ja="神戸",
        prefecture="Hyogo",
    ).id
    users = {
        role: create_user(
            sessions,
            actor=OPERATOR,
            email=f"{role.value}@example.org",
            display_name=role.value,
            role=role,
            password=None,
            organisation_id=org,
        ).id
        for role, org in ((Role.BOE_STAFF, boe), (Role.CANDIDATE, None))
    }
    staff = Actor(user_id=users[Role.BOE_STAFF], role=Role.BOE_STAFF, organisation_id=boe)
    emily = Actor(user_id=users[Role.CANDIDATE], role=Role.CANDIDATE)
    fields = postings.PostingFields(
        title_en="Elementary ALT, Kobe",
        title_ja="神戸市 小学校ALT",
        school_levels=[SchoolLevel.ELEMENTARY],
        min_jlpt=Jlpt.N4,
        monthly_pay=280_000,
        start=dt.date(2027, 4, 1),
        closes_on=dt.date(2027, 2, 28),
    )
    posting = postings.create_posting(sessions, staff, fields, today=TODAY)
    applied = ApplyIn(
        alt_years=3,
        jlpt=Jlpt.N2,
        residence=Residence.JAPAN,
        status_of_residence=StatusOfResidence.INSTRUCTOR,
    )
    app = apply_to_posting(sessions, emily, posting.id, applied, today=TODAY)
    _race_column(sessions, Posting, posting.id, "description", "first", "second")
    _race_column(sessions, PostingApplication, app.id, "cover_note", "first", "second")

    # Staff close the posting while the last opening is filled (which closes it too): the hire
    # came first, so the posting is closed once, as filled.
    with sessions() as session:  # the race above moved it on
        version = session.get_one(PostingApplication, app.id).version
    for stage in (PostingStage.SCREENING, PostingStage.INTERVIEW, PostingStage.OFFERED):
        version = move(
            sessions, staff, posting.id, app.id, MoveIn(stage=stage, version=version)
        ).version
    read = postings.list_boe_postings(sessions, staff, today=TODAY).postings[0].posting
    hire = MoveIn(stage=PostingStage.HIRED, version=version)
    _let_in_first(monkeypatch, postings, lambda: move(sessions, staff, posting.id, app.id, hire))
    with pytest.raises(StaleError):
        postings.close_posting(sessions, staff, posting.id, version=read.version, today=TODAY)
    kept = postings.list_boe_postings(sessions, staff, today=TODAY).postings[0]
    assert kept.posting.version == read.version + 1
    assert kept.by_stage[PostingStage.HIRED] == 1
    closed = _audited(sessions, "posting.closed")
    assert [e.after and e.after["reason"] for e in closed] == ["filled"]


# --- support --------------------------------------------------------------------------------

MONDAY_9 = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)


def test_support_cases(
    sessions: Sessions, monkeypatch: pytest.MonkeyPatch, clock: TimeMachineFixture
) -> None:
    clock.move_to(MONDAY_9, tick=False)
    world = build_support_world(sessions)
    alt, handler = world.actors["jet_alt"], world.actors["kobe_supervisor"]
    body = CaseIn(category=CaseCategory.PAY_CONTRACT, subject="My payslip", description="Short.")
    case_id = open_case(sessions, alt, body, now=MONDAY_9).id
    _race_column(sessions, SupportCase, case_id, "subject", "first", "second")
    _race(sessions, SupportCase, case_id, touch, touch)  # e.g. two messages, no column changed

    # Two handlers answer the version they read: the first answer stands, the second is refused.
    read = get_case(sessions, handler, case_id, now=MONDAY_9)
    post_message(sessions, handler, case_id, MessageIn(body="First", version=read.version))
    with pytest.raises(StaleError):
        post_message(sessions, handler, case_id, MessageIn(body="Second", version=read.version))
    with sessions() as session:
        bodies = session.scalars(select(CaseMessage.body).where(CaseMessage.case_id == case_id))
        assert list(bodies) == ["First"]

    # Reading escalates an overdue case without a lock: the ALT's list and the handler's read
    # race to escalate an unanswered one. The handler's escalation stands; it climbs once.
    alt = world.actors["direct_alt"]
    case_id = open_case(sessions, alt, body, now=MONDAY_9).id
    before = get_case(sessions, handler, case_id, now=MONDAY_9)
    late = before.first_response_due + timedelta(minutes=1)
    first = [lambda: get_case(sessions, handler, case_id, now=late)]

    def handler_first(*args: Any, **kwargs: Any) -> Any:
        if first:
            first.pop()()
        return escalate_case(*args, **kwargs)

    monkeypatch.setattr(case_reads, "escalate_case", handler_first)
    with pytest.raises(StaleError):
        list_my_cases(sessions, alt, now=late)
    kept = get_case(sessions, handler, case_id, now=late)
    assert (kept.level, kept.version) == (before.level + 1, before.version + 1)
    with sessions() as session:
        escalations = session.scalar(
            select(func.count())
            .select_from(CaseEvent)
            .where(CaseEvent.case_id == case_id, CaseEvent.action == "escalated")
        )
    assert escalations == 1
