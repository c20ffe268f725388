"""`altmatch season shortlist`: a preview by default (nothing changes), the decision applied
with --commit, and refusals exit 2 on stderr as the other season commands do."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, update
from tests.calibration_world import flip_rows, scores_file, tiny_season
from tests.schema_template import SchemaTemplate
from tests.season_world import build_world
from typer.testing import CliRunner

from altmatch.cli import app
from altmatch.config import Settings
from altmatch.db import Sessions, make_engine, session_factory
from altmatch.db.models import InterviewDecision, SeasonCandidate
from altmatch.domain.access import OPERATOR
from altmatch.services.season.interview_calibration import calibrate_season

pytestmark = pytest.mark.date_sensitive  # the season's request deadline is a month on

runner = CliRunner()


@pytest.fixture
def database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, schema_template: SchemaTemplate
) -> Iterator[tuple[Sessions, int]]:
    monkeypatch.setenv("ALTMATCH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ALTMATCH_DATABASE_URL", "")
    settings = Settings()
    schema_template.install(settings)
    engine = make_engine(settings)
    try:
        sessions = session_factory(engine)
        season = tiny_season(sessions, build_world(sessions))
        with sessions.begin() as session:
            session.execute(update(SeasonCandidate).values(stage="interviewed"))
        yield sessions, season
    finally:
        engine.dispose()


def _calibrate(sessions: Sessions, season: int) -> None:
    done = calibrate_season(
        sessions, OPERATOR, season, content=scores_file(flip_rows()), filename="s.csv"
    )
    assert done.committed


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["season", "shortlist", *args])
    return result.exit_code, result.stdout, result.stderr


def _decided(sessions: Sessions) -> dict[str, str]:
    with sessions() as session:
        query = select(SeasonCandidate.external_id, InterviewDecision.decision).join(
            InterviewDecision, InterviewDecision.candidate_id == SeasonCandidate.id
        )
        return {external: decision for external, decision in session.execute(query)}


def test_the_preview_prints_the_crossings_and_changes_nothing(
    database: tuple[Sessions, int],
) -> None:
    sessions, season = database
    _calibrate(sessions, season)
    code, out, err = _run(str(season), "--places", "3", "--alternates", "2")
    assert code == 0, err
    assert "2 candidates are shortlisted whom raw means would have left out" in out
    assert "2 are left out whom raw means would have shortlisted" in out
    assert "3 shortlisted, 2 alternates, 3 not selected." in out
    assert "B01" in out and "In by calibration" in out and "--commit" in out
    assert _decided(sessions) == {}


def test_commit_applies_the_decision(database: tuple[Sessions, int]) -> None:
    sessions, season = database
    _calibrate(sessions, season)
    code, out, err = _run(str(season), "--places", "3", "--alternates", "2", "--commit")
    assert code == 0, err
    decided = _decided(sessions)
    assert decided["B01"] == "shortlisted" and decided["A01"] == "alternate"
    assert sorted(decided.values()).count("not_selected") == 3
    assert "every candidate ranked has been told" in out


def test_in_japanese(database: tuple[Sessions, int]) -> None:
    sessions, season = database
    _calibrate(sessions, season)
    code, out, err = _run(str(season), "--places", "3", "--lang", "ja")
    assert code == 0, err
    assert "統計的" in out and "B01" in out


def test_refusals_exit_2_and_change_nothing(database: tuple[Sessions, int]) -> None:
    sessions, season = database
    code, _, err = _run(str(season), "--places", "3", "--commit")
    assert code == 2 and "calibrat" in err  # no calibration yet
    code, _, err = _run("999", "--places", "3")
    assert code == 2 and "no season 999" in err
    code, _, err = _run(str(season), "--places", "-1")
    assert code == 2
    code, _, err = _run(str(season), "--lang", "fr")
    assert code == 2 and "--lang" in err
    assert _decided(sessions) == {}
