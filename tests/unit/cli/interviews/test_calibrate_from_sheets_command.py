"""`altmatch interviews calibrate --season N --from-sheets`: the season's submitted score sheets
give the same three files as a scores file of the same scores; a missing season, a season with
no submitted sheet and a wrong mix of options exit 2 and write nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.calibration_world import scores_file
from tests.interview_round_world import Round, as_file_rows, build_round, score_lines
from tests.schema_template import SchemaTemplate
from typer.testing import CliRunner

from altmatch.cli import app
from altmatch.config import Settings
from altmatch.db import make_engine, session_factory
from altmatch.services.season.interview_scoring import ScoreSheetIn, save_sheet

pytestmark = pytest.mark.date_sensitive  # the tiny season's request deadline is a month on
runner = CliRunner()
FILES = ("assessors.csv", "calibrated.csv", "summary.json")


@pytest.fixture
def r(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, schema_template: SchemaTemplate
) -> Iterator[Round]:
    monkeypatch.setenv("ALTMATCH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ALTMATCH_DATABASE_URL", "")
    settings = Settings()
    schema_template.install(settings)
    engine = make_engine(settings)
    try:
        sessions = session_factory(engine)
        world = build_round(sessions)
        for (who, candidate), scores in score_lines(world).items():
            save_sheet(
                sessions,
                world.assessors[who],
                world.candidates[candidate],
                ScoreSheetIn(scores=scores),
                version=0,
                submit=True,
            )
        yield world
    finally:
        engine.dispose()


def _run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["interviews", "calibrate", *args])
    return result.exit_code, result.stdout + result.stderr


def test_the_sheets_give_the_files_a_scores_file_of_the_same_scores_gives(
    r: Round, tmp_path: Path
) -> None:
    code, output = _run("--season", str(r.season_id), "--from-sheets", "--out", str(tmp_path / "a"))
    assert code == 0, output
    scores = tmp_path / "scores.csv"
    scores.write_bytes(scores_file(as_file_rows(r)))
    code, output = _run("--scores", str(scores), "--out", str(tmp_path / "b"))
    assert code == 0, output
    for name in FILES:
        assert (tmp_path / "a" / name).read_text() == (tmp_path / "b" / name).read_text(), name
    assessors = (tmp_path / "a" / "assessors.csv").read_text()
    assert f"A{r.user_ids['l1']}," in assessors and "@" not in assessors


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--season", "999", "--from-sheets"], "no season with ID 999"),
        (["--from-sheets"], "--season N --from-sheets"),
        (["--season", "1"], "--season N --from-sheets"),
        (["--scores", "x.csv", "--season", "1", "--from-sheets"], "--season N --from-sheets"),
    ],
)
def test_wrong_options_exit_2_and_write_nothing(
    r: Round, tmp_path: Path, args: list[str], says: str
) -> None:
    code, output = _run(*args, "--out", str(tmp_path / "out"))
    assert code == 2 and says in output
    assert not (tmp_path / "out").exists()
