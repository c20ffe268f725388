"""`altmatch season calibrate-interviews`: a good file is stored as the season's calibration
(or only checked with --check); a bad one exits 2 with file:row:column and stores nothing, as
does an unknown season."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.calibration_world import flip_rows, scores_file, tiny_season
from tests.schema_template import SchemaTemplate
from tests.season_world import build_world
from typer.testing import CliRunner

from altmatch.cli import app
from altmatch.config import Settings
from altmatch.db import Sessions, make_engine, session_factory
from altmatch.db import interview_calibration as calibrations

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
        yield sessions, tiny_season(sessions, build_world(sessions))
    finally:
        engine.dispose()


def _stored(sessions: Sessions, season: int) -> int:
    with sessions() as session:
        return len(calibrations.calibration_history(session, season))


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["season", "calibrate-interviews", *args])
    return result.exit_code, result.stdout, result.stderr


def test_a_good_file_is_stored_and_summarised(
    database: tuple[Sessions, int], tmp_path: Path
) -> None:
    sessions, season = database
    scores = tmp_path / "scores.csv"
    scores.write_bytes(scores_file(flip_rows()))

    code, out, err = _run(str(season), "--scores", str(scores))

    assert code == 0, err
    assert "Stored as calibration 1" in out and "Reliability of calibrated scores" in out
    assert _stored(sessions, season) == 1


def test_check_stores_nothing(database: tuple[Sessions, int], tmp_path: Path) -> None:
    sessions, season = database
    scores = tmp_path / "scores.csv"
    scores.write_bytes(scores_file(flip_rows()))

    code, out, err = _run(str(season), "--scores", str(scores), "--check", "--lang", "ja")

    assert code == 0, err
    assert "面接評価の補正" in out  # the table's title, in Japanese
    assert _stored(sessions, season) == 0


def test_a_bad_file_exits_2_with_file_row_and_column_and_stores_nothing(
    database: tuple[Sessions, int], tmp_path: Path
) -> None:
    sessions, season = database
    rows = [*flip_rows(), "ZZ9,PL,s,communication,3", "A01,PL,s,charisma,9"]
    scores = tmp_path / "scores.csv"
    scores.write_bytes(scores_file(rows))

    code, _, err = _run(str(season), "--scores", str(scores))

    assert code == 2
    lines = err.strip().splitlines()
    unknown, criterion, score = len(rows), len(rows) + 1, len(rows) + 1  # header: row 1
    assert (
        f"{scores}:{unknown}:candidate_id: no application of this season has the id 'ZZ9'" in lines
    )
    assert any(line.startswith(f"{scores}:{criterion}:criterion: ") for line in lines)
    assert any(line.startswith(f"{scores}:{score}:score: ") for line in lines)
    assert _stored(sessions, season) == 0


def test_an_unknown_season_or_a_missing_file_exits_2(
    database: tuple[Sessions, int], tmp_path: Path
) -> None:
    _, season = database
    scores = tmp_path / "scores.csv"
    scores.write_bytes(scores_file(flip_rows()))

    code, _, err = _run(str(season + 99), "--scores", str(scores))
    assert code == 2 and f"no season {season + 99}" in err

    code, _, err = _run(str(season), "--scores", str(tmp_path / "nowhere.csv"))
    assert code == 2 and err.startswith(f"{tmp_path / 'nowhere.csv'}:0:-: cannot read")
