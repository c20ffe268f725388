"""`altmatch demo`: writes a season folder that `altmatch match` accepts, the same for a seed."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from altmatch.cli import app
from altmatch.i18n import use_locale

FILES = ["candidates.csv", "couples.csv", "requests.csv"]
runner = CliRunner()


def demo(out: Path, *extra: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["demo", "--out", str(out), "--candidates", "300", *extra])
    return result.exit_code, result.stdout, result.stderr


def test_demo_writes_a_season_that_match_places(tmp_path: Path) -> None:
    code, stdout, stderr = demo(tmp_path / "season", "--seed", "3")
    assert code == 0, stderr
    assert sorted(p.name for p in (tmp_path / "season").iterdir()) == FILES
    assert "Prefectures" in stdout and "47" in stdout and "300" in stdout
    assert "altmatch match --season" in stdout
    result = runner.invoke(
        app,
        [
            "match",
            "--season",
            str(tmp_path / "season"),
            "--out",
            str(tmp_path / "run"),
            "--seed",
            "1",
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert "stable" in result.stdout or "blocking" in result.stdout


def test_the_same_seed_writes_byte_identical_files(tmp_path: Path) -> None:
    assert demo(tmp_path / "a", "--seed", "9")[0] == 0
    assert demo(tmp_path / "b", "--seed", "9")[0] == 0
    assert demo(tmp_path / "c", "--seed", "10")[0] == 0
    for name in FILES:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert (tmp_path / "a" / FILES[0]).read_bytes() != (tmp_path / "c" / FILES[0]).read_bytes()


def test_an_existing_folder_is_refused_unless_forced(tmp_path: Path) -> None:
    out = tmp_path / "season"
    out.mkdir()
    (out / "mine.txt").write_text("keep me")
    code, _stdout, stderr = demo(out)
    assert code == 2 and "already exists" in stderr
    assert (out / "mine.txt").exists()
    assert demo(out, "--force")[0] == 0
    assert sorted(p.name for p in out.iterdir()) == FILES


def test_too_few_candidates_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["demo", "--out", str(tmp_path / "x"), "--candidates", "2"])
    assert result.exit_code == 2
    assert not (tmp_path / "x").exists()


def test_the_summary_speaks_japanese(tmp_path: Path) -> None:
    with use_locale("ja"):
        code, stdout, _stderr = demo(tmp_path / "season")
    assert code == 0
    assert "都道府県" in stdout and "教育委員会" in stdout
