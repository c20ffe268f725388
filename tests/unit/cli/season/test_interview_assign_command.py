"""`altmatch season interview-assign` shows the plan (a table or JSON) without writing, books it
with --commit, and refuses an unknown office or season with exit 2."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.interview_world import InterviewWorld, build_interviews
from tests.schema_template import SchemaTemplate
from typer.testing import CliRunner

from altmatch.cli import app
from altmatch.config import Settings
from altmatch.db import Sessions, make_engine, session_factory
from altmatch.domain.access import OPERATOR
from altmatch.services.season.interview_planner import planner

pytestmark = pytest.mark.date_sensitive  # the session is ten days from today

runner = CliRunner()


@pytest.fixture
def database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, schema_template: SchemaTemplate
) -> Iterator[tuple[Sessions, InterviewWorld]]:
    monkeypatch.setenv("ALTMATCH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ALTMATCH_DATABASE_URL", "")
    settings = Settings()
    schema_template.install(settings)
    engine = make_engine(settings)
    try:
        sessions = session_factory(engine)
        yield sessions, build_interviews(sessions)
    finally:
        engine.dispose()


def test_the_plan_is_shown_then_booked_with_commit(
    database: tuple[Sessions, InterviewWorld],
) -> None:
    sessions, iw = database
    season = str(iw.rw.season_id)
    shown = runner.invoke(app, ["season", "interview-assign", "london", "--season", season])
    assert shown.exit_code == 0, shown.stderr
    assert "Emily Carter" in shown.stdout and "Olivia Smith" in shown.stdout
    assert "2 slot(s) would be booked" in shown.stdout
    assert planner(sessions, OPERATOR, iw.rw.london, iw.rw.season_id).booked == 0
    done = runner.invoke(
        app, ["season", "interview-assign", "london", "--season", season, "--commit", "--json"]
    )
    assert done.exit_code == 0, done.stderr
    plan = json.loads(done.stdout)
    assert plan["booked"] and {s["slot_id"] for s in plan["seats"]} == set(iw.slots[:2])
    assert planner(sessions, OPERATOR, iw.rw.london, iw.rw.season_id).booked == 2


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["atlantis", "--season", "{season}"], "no office 'atlantis'"),
        (["london", "--season", "999"], "no season 999"),
    ],
)
def test_an_unknown_office_or_season_exits_2(
    database: tuple[Sessions, InterviewWorld], args: list[str], problem: str
) -> None:
    _, iw = database
    filled = [a.format(season=iw.rw.season_id) for a in args]
    result = runner.invoke(app, ["season", "interview-assign", *filled])
    assert result.exit_code == 2 and problem in result.stderr
