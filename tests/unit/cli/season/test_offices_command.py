"""`altmatch season offices` lists a programme's recruiting offices and screeners;
`altmatch season office-staff` adds and removes a coordinator, and refuses anyone else."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.recruitment_world import RecruitWorld, build_recruitment
from tests.schema_template import SchemaTemplate
from typer.testing import CliRunner

from altmatch.cli import app
from altmatch.config import Settings
from altmatch.db import Sessions, make_engine, session_factory
from altmatch.domain.access import OPERATOR
from altmatch.services.season.recruiting_offices import list_offices

pytestmark = pytest.mark.date_sensitive  # the season's request deadline is a month on

runner = CliRunner()


@pytest.fixture
def database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, schema_template: SchemaTemplate
) -> Iterator[tuple[Sessions, RecruitWorld]]:
    monkeypatch.setenv("ALTMATCH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ALTMATCH_DATABASE_URL", "")
    settings = Settings()
    schema_template.install(settings)
    engine = make_engine(settings)
    try:
        sessions = session_factory(engine)
        yield sessions, build_recruitment(sessions)
    finally:
        engine.dispose()


def _staff(sessions: Sessions, code: str) -> list[str]:
    found = {o.code: o for o in list_offices(sessions, OPERATOR)}
    return [s.email for s in found[code].staff]


def test_offices_are_listed_with_their_screeners(database: tuple[Sessions, RecruitWorld]) -> None:
    result = runner.invoke(app, ["season", "offices"])
    assert result.exit_code == 0, result.stderr
    assert "london" in result.stdout and "Europe/Dublin" in result.stdout
    assert "screener-london@example.org" in result.stdout


def test_a_coordinator_is_added_and_removed(database: tuple[Sessions, RecruitWorld]) -> None:
    sessions, _ = database
    added = runner.invoke(app, ["season", "office-staff", "dublin", "coordinator@example.org"])
    assert added.exit_code == 0, added.stderr
    assert "coordinator@example.org" in _staff(sessions, "dublin")
    removed = runner.invoke(
        app, ["season", "office-staff", "dublin", "coordinator@example.org", "--remove"]
    )
    assert removed.exit_code == 0
    assert _staff(sessions, "dublin") == ["screener-dublin@example.org"]


def test_a_candidate_or_unknown_office_is_refused(database: tuple[Sessions, RecruitWorld]) -> None:
    sessions, _ = database
    refused = runner.invoke(app, ["season", "office-staff", "london", "emily@example.org"])
    assert refused.exit_code != 0 and "coordinator of this programme" in refused.stderr
    unknown = runner.invoke(app, ["season", "office-staff", "paris", "coordinator@example.org"])
    assert unknown.exit_code != 0 and "no office 'paris'" in unknown.stderr
    assert _staff(sessions, "london") == ["screener-london@example.org"]
