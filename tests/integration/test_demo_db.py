"""`altmatch demo --db`: seeds the web app's database through the services, once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from altmatch.cli import app
from altmatch.config import Settings
from altmatch.db import Sessions, make_engine, session_factory, upgrade_database
from altmatch.db.models import (
    CaseMessage,
    ContractPosition,
    DispatchContract,
    Organisation,
    Posting,
    PostingApplication,
    PostingStageChange,
    RosterAlt,
    RosterAssignment,
    School,
    SeasonCandidate,
    SeasonRequest,
    SeasonRow,
    SupportCase,
    SupportCaseHandler,
    SupportRoute,
    Tender,
    TransferEvent,
    TransferRequest,
    User,
)
from altmatch.demo import DEMO_PASSWORD, generate_demo, persona, personas
from altmatch.demo import seed_recruitment as online
from altmatch.demo.direct_hire import APPLICANTS, generate_direct_hire
from altmatch.demo.dispatch import generate_dispatch
from altmatch.demo.seed_database import seed_demo_database
from altmatch.demo.seed_operations import seed_demo_operations
from altmatch.domain.access import OPERATOR, AccessDeniedError, Actor, Role
from altmatch.rulebook import load_rulebook
from altmatch.rulebook.vocabulary import HiringPath
from altmatch.services.accounts.authentication import act_as, sign_in
from altmatch.services.my_placement import my_placement
from altmatch.services.season.applications import my_application

pytestmark = pytest.mark.date_sensitive

runner = CliRunner()
TODAY = date(2026, 11, 25)


def _counts(settings: Settings) -> tuple[int, ...]:
    engine = make_engine(settings)
    try:
        with session_factory(engine)() as session:
            return tuple(
                session.scalar(select(func.count()).select_from(table)) or 0
                for table in (Organisation, User, SeasonRow, SeasonRequest, SeasonCandidate)
            )
    finally:
        engine.dispose()


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("ALTMATCH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ALTMATCH_DATABASE_URL", "")
    return Settings()


def test_seeding_twice_adds_nothing_the_second_time_and_prints_the_logins(
    settings: Settings,
) -> None:
    first = runner.invoke(app, ["demo", "--db", "--candidates", "60"])
    counts = _counts(settings)
    second = runner.invoke(app, ["demo", "--db", "--candidates", "60"])

    assert first.exit_code == 0, first.stderr
    assert persona("kobe_boe_staff").login in first.stdout and DEMO_PASSWORD in first.stdout
    # the demo season and the online intake (demo.seed_recruitment), whose submitted
    # applications are season applications too
    assert counts[0] == 381 and counts[2] == 2 and counts[4] == 60 + online.SUBMITTED
    # applicants to the demo postings; the offices' screeners and the online applicants
    assert counts[1] == len(personas()) + APPLICANTS + online.NEW_ACCOUNTS
    assert second.exit_code == 0 and _counts(settings) == counts


def test_seeding_gives_every_demo_boe_its_schools_with_coordinates_once(
    settings: Settings,
) -> None:
    runner.invoke(app, ["demo", "--db", "--candidates", "30"])
    again = runner.invoke(app, ["demo", "--db", "--candidates", "30"])
    engine = make_engine(settings)
    try:
        with session_factory(engine)() as session:
            boes = set(session.scalars(select(Organisation.id).where(Organisation.kind == "boe")))
            schools = list(session.scalars(select(School)))
    finally:
        engine.dispose()

    assert again.exit_code == 0 and "0 schools" in again.stdout
    assert len(schools) == len(generate_demo().schools)
    assert {s.boe_id for s in schools} == boes
    assert all(s.latitude is not None and s.longitude is not None for s in schools)


def test_if_empty_seeds_only_a_database_without_a_season(settings: Settings) -> None:
    runner.invoke(app, ["demo", "--db", "--candidates", "30"])
    before = _counts(settings)

    again = runner.invoke(app, ["demo", "--db", "--if-empty", "--candidates", "90"])

    assert again.exit_code == 0 and "nothing seeded" in again.stdout
    assert _counts(settings) == before


def test_a_seeded_candidate_persona_signs_in_and_finds_their_application(
    settings: Settings,
) -> None:
    runner.invoke(app, ["demo", "--db", "--candidates", "30"])
    engine = make_engine(settings)
    try:
        sessions = session_factory(engine)
        emily = persona("candidate_emily")
        assert sign_in(sessions, email=emily.login, password=DEMO_PASSWORD, ip="test").user
        application = my_application(sessions, act_as(sessions, OPERATOR, emily.login), 1)
    finally:
        engine.dispose()
    assert application.application.candidate_id == emily.candidate_id


def test_demo_refuses_to_run_without_out_or_db() -> None:
    result = runner.invoke(app, ["demo"])
    assert result.exit_code == 2 and "--db" in result.stderr


def test_the_seeded_alt_persona_finds_one_dispatch_contract_even_after_seeding_twice(
    settings: Settings,
) -> None:
    runner.invoke(app, ["demo", "--db", "--candidates", "30"])
    runner.invoke(app, ["demo", "--db", "--candidates", "30"])
    engine = make_engine(settings)
    try:
        sessions = session_factory(engine)
        placement = my_placement(sessions, act_as(sessions, OPERATOR, persona("alt_james").login))
    finally:
        engine.dispose()
    (contract,) = placement.contracts
    assert contract.path is HiringPath.DISPATCH and contract.workplace_boe is not None
    assert contract.recontract_year == contract.end.year


OPERATION_TABLES = (
    DispatchContract,
    ContractPosition,
    Tender,
    RosterAlt,
    RosterAssignment,
    TransferRequest,
    TransferEvent,
    Posting,
    PostingApplication,
    PostingStageChange,
    SupportRoute,
    SupportCase,
    SupportCaseHandler,
    CaseMessage,
)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Sessions]:
    """A migrated, empty database on each backend."""
    url = "" if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    chosen = Settings(data_dir=tmp_path / "backend", database_url=url)
    upgrade_database(chosen)
    engine = make_engine(chosen)
    yield session_factory(engine)
    engine.dispose()


def _table_counts(sessions: Sessions) -> dict[str, int]:
    with sessions() as session:
        return {
            table.__tablename__: session.scalar(select(func.count()).select_from(table)) or 0
            for table in OPERATION_TABLES
        }


def test_seeding_fills_the_dispatch_and_direct_hire_tables_once(
    backend: Sessions,
) -> None:
    demo = generate_demo(candidates=30)
    first = seed_demo_database(backend, demo)
    counts = _table_counts(backend)
    second = seed_demo_database(backend, demo)

    assert first.operations.contracts == counts["dispatch_contracts"] >= 30
    assert 150 <= counts["contract_positions"] <= 300
    assert counts["roster_alts"] >= 150 and counts["roster_assignments"] >= 130
    assert counts["transfer_requests"] == 3 and counts["transfer_events"] == 5
    assert 10 <= counts["postings"] <= 20 and counts["posting_applications"] >= 20
    assert counts["posting_stage_changes"] > counts["posting_applications"]
    assert counts["tenders"] > counts["dispatch_contracts"]
    # Each persona staff member answers first for their organisation; James's case is overdue,
    # Hannah's answered by Minato's desk.
    assert counts["support_routes"] == 6 and counts["support_cases"] == 2
    assert counts["support_case_handlers"] >= 2  # each case records the handlers it reached
    assert counts["case_messages"] == 1
    assert second.operations.contracts == second.operations.postings == 0
    assert _table_counts(backend) == counts
    _check_persona_links(backend)


def _check_persona_links(backend: Sessions) -> None:
    """James works in Nishinomiya and asked to move to Kyoto; Hannah is at interview in Kobe."""
    with backend() as session:
        users = {u.email: u.id for u in session.scalars(select(User))}
        orgs = {o.name_en: o.id for o in session.scalars(select(Organisation))}
        james = session.scalars(
            select(RosterAlt).where(RosterAlt.user_id == users[persona("alt_james").login])
        ).one()
        school = session.scalars(
            select(School)
            .join(ContractPosition, ContractPosition.school_id == School.id)
            .join(RosterAssignment, RosterAssignment.position_id == ContractPosition.id)
            .where(RosterAssignment.alt_id == james.id, RosterAssignment.end.is_(None))
        ).one()
        (request,) = session.scalars(
            select(TransferRequest).where(TransferRequest.alt_id == james.id)
        )
        (event,) = session.scalars(
            select(TransferEvent).where(TransferEvent.transfer_id == request.id)
        )
        hannah = session.scalars(
            select(PostingApplication).where(
                PostingApplication.user_id == users[persona("alt_hannah").login]
            )
        ).one()
        posting = session.get(Posting, hannah.posting_id)
        kobe_staff = users[persona("kobe_boe_staff").login]
        moves = session.scalars(
            select(PostingStageChange).where(PostingStageChange.application_id == hannah.id)
        ).all()

    assert james.company_id == orgs["Sakura Language Partners Co., Ltd."]
    assert school.boe_id == orgs["Nishinomiya City BoE"]
    assert (request.status, request.to_prefecture, request.requested_by) == (
        "requested",
        "Kyoto",
        users[persona("alt_james").login],
    )
    assert (event.action, event.by_user_id) == ("requested", request.requested_by)
    assert posting is not None and posting.boe_id == orgs["Kobe City BoE"]
    assert posting.created_by == kobe_staff and hannah.stage == "interview"
    assert hannah.declared["jlpt"] == "N2" and hannah.declared["alt_years"] == 3
    assert [m.to_stage for m in sorted(moves, key=lambda m: m.at)] == [
        "applied",
        "screening",
        "interview",
    ]
    assert [m.by_user_id for m in moves if m.to_stage != "applied"] == [kobe_staff] * 2


def test_only_the_operator_seeds_demo_operations(settings: Settings) -> None:
    admin = Actor(user_id=1, role=Role.ADMIN)
    demo = generate_demo(candidates=30)
    engine = make_engine(settings)
    try:
        with pytest.raises(AccessDeniedError):
            seed_demo_operations(
                session_factory(engine),
                admin,  # type: ignore[arg-type]
                dispatch=generate_dispatch(demo, TODAY, load_rulebook()),
                direct_hire=generate_direct_hire(demo, TODAY, load_rulebook()),
                orgs={},
                logins={},
                boe_staff={},
            )
    finally:
        engine.dispose()
