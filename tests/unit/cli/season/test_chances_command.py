"""`altmatch chances`: files written atomically, reproducible, precise enough, bad input refused."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from typer.testing import CliRunner

from altmatch.cli import app

SEASON = Path(__file__).parents[4] / "examples" / "season"
runner = CliRunner()


def chances(out: Path, *extra: str) -> list[dict[str, str]]:
    result = runner.invoke(
        app, ["chances", "--season", str(SEASON), "--out", str(out), "--seed", "5", *extra]
    )
    assert result.exit_code == 0, result.output
    with (out / "chances.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_every_candidate_gets_a_probability_inside_its_interval(tmp_path: Path) -> None:
    rows = chances(tmp_path / "out", "--runs", "800")
    assert len(rows) == 12
    for row in rows:
        p, low, high = float(row["probability"]), float(row["ci_low"]), float(row["ci_high"])
        assert 0 <= low <= p <= high <= 1
    files = {p.name for p in (tmp_path / "out").iterdir()}
    assert {
        "chances.csv", "requests.csv", "outcomes.jsonl", "summary.json",
        "probability_histogram.png", "probability_histogram.svg",
        "prefecture_chances.png", "prefecture_chances.svg",
    } <= files  # fmt: skip
    assert (tmp_path / "out" / "probability_histogram.png").read_bytes()[:4] == b"\x89PNG"


def test_the_same_seed_writes_identical_files(tmp_path: Path) -> None:
    chances(tmp_path / "a", "--runs", "300")
    chances(tmp_path / "b", "--runs", "300", "--workers", "1")
    for name in ("chances.csv", "requests.csv", "outcomes.jsonl", "prefecture_chances.svg"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_precision_decides_how_many_seasons_are_run(tmp_path: Path) -> None:
    chances(tmp_path / "out", "--precision", "0.02")
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["max_standard_error"] < 0.02
    assert summary["runs"] < 2000
    assert summary["expected_placements"] == summary["expected_places_filled"]


def test_a_low_chance_comes_with_its_main_reason(tmp_path: Path) -> None:
    rows = chances(tmp_path / "out", "--runs", "500")
    for row in rows:
        if float(row["probability"]) < 0.5:
            assert row["main_reason"], row


def test_a_bad_season_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "season"
    bad.mkdir()
    (bad / "requests.csv").write_text("request_id,capacity,boe,prefecture\nR1,two,B,Hyogo\n")
    (bad / "candidates.csv").write_text("candidate_id,interview_score\nC1,80\n")
    out = tmp_path / "out"
    result = runner.invoke(app, ["chances", "--season", str(bad), "--out", str(out)])
    assert result.exit_code == 2
    assert "requests.csv:2:capacity" in result.stderr
    assert not out.exists()


def test_an_existing_output_folder_is_not_overwritten(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    result = runner.invoke(app, ["chances", "--season", str(SEASON), "--out", str(out)])
    assert result.exit_code == 2 and "already exists" in result.stderr


def test_the_uncertainty_model_can_be_changed_for_a_what_if(tmp_path: Path) -> None:
    chances(tmp_path / "calm", "--runs", "300", "--withdrawal", "0", "--request-drop", "0",
            "--seat-gain", "0", "--seat-loss", "0")  # fmt: skip
    summary = json.loads((tmp_path / "calm" / "summary.json").read_text())
    assert summary["uncertainty"] == {
        "withdrawal": 0.0, "request_drop": 0.0, "seat_gain": 0.0, "seat_loss": 0.0,
    }  # fmt: skip
    calm = {
        r["candidate_id"]: r for r in csv.DictReader((tmp_path / "calm" / "chances.csv").open())
    }
    assert all(int(r["seasons"]) == 300 for r in calm.values())  # nobody withdraws


def test_an_impossible_uncertainty_model_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["chances", "--season", str(SEASON), "--out", str(tmp_path / "o"),
         "--request-drop", "0.6", "--seat-gain", "0.6"],
    )  # fmt: skip
    assert result.exit_code == 2 and "must not exceed 1" in result.stderr
    assert not (tmp_path / "o").exists()
