"""`altmatch demo --db`: seeds the web app's database through the services, once."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from altmatch.cli import app
from altmatch.config import Settings
from altmatch.db import make_engine, session_factory
from altmatch.db.models import (
    Organisation,
    School,
    SeasonCandidate,
    SeasonRequest,
    SeasonRow,
    User,
)
from altmatch.demo import DEMO_PASSWORD, generate_demo, persona
from altmatch.domain.access import OPERATOR
from altmatch.rulebook.vocabulary import HiringPath
from altmatch.services.authentication import act_as, sign_in
from altmatch.services.my_placement import my_placement
from altmatch.services.season_applications import my_application

runner = CliRunner()


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
    assert counts[0] == 381 and counts[1] == 12 and counts[2] == 1 and counts[4] == 60
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
