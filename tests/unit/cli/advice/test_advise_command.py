"""`altmatch advise`: a table for people, the documented JSON for scripts, exit 2 on bad input."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from altmatch.cli import app
from altmatch.io.profile_file import read_profile_file

EXAMPLES = Path(__file__).parents[4] / "examples"
runner = CliRunner()


def test_json_output_matches_the_api_for_the_same_profile(client: TestClient) -> None:
    result = runner.invoke(app, ["advise", str(EXAMPLES / "profile.yaml"), "--json"])
    assert result.exit_code == 0, result.output
    from_cli = json.loads(result.stdout)
    payload = json.loads(json.dumps(read_profile_file(EXAMPLES / "profile.yaml"), default=str))
    from_api = client.post("/api/v1/advice", json=payload).json()
    assert from_cli == from_api


def test_the_table_names_every_path_and_what_would_open_a_closed_one() -> None:
    result = runner.invoke(app, ["advise", str(EXAMPLES / "profile.yaml")])
    assert result.exit_code == 0, result.output
    for name in ("JET Programme", "Dispatch company", "Direct hire"):
        assert name in result.stdout
    assert "JLPT" in result.stdout  # the direct-hire fix mentions the JLPT


def test_the_table_can_be_printed_in_japanese() -> None:
    result = runner.invoke(app, ["advise", str(EXAMPLES / "profile.yaml"), "--lang", "ja"])
    assert result.exit_code == 0, result.output
    assert "JETプログラム" in result.stdout
    assert "あなたの計画" in result.stdout  # the dated plan is printed too (issue 18)


def test_the_table_lists_what_to_check_before_applying(tmp_path: Path) -> None:
    silent = tmp_path / "silent.yaml"
    silent.write_text("degree: bachelor\ncitizenship: GB\nenglish: native\n")
    result = runner.invoke(app, ["advise", str(silent)])
    assert result.exit_code == 0, result.output
    assert "check before you apply:" in result.stdout
    assert "Tell us how many years of your schooling were taught in English" in result.stdout


def test_an_unknown_jlpt_level_exits_2_naming_the_field_and_allowed_values(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("degree: bachelor\ncitizenship: GB\nenglish: native\njlpt: N7\n")
    result = runner.invoke(app, ["advise", str(bad)])
    assert result.exit_code == 2
    assert "jlpt" in result.stderr and "'N2'" in result.stderr and "'N7'" in result.stderr


def test_negative_years_and_unknown_fields_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"degree": "bachelor", "citizenship": "GB", "english": "native", '
        '"alt_years": -2, "shoe_size": 9}'
    )
    result = runner.invoke(app, ["advise", str(bad), "--json"])
    assert result.exit_code == 2
    assert "alt_years: must be at least 0" in result.stderr
    assert "shoe_size: unknown field" in result.stderr
    assert result.stdout == ""


def test_an_unreadable_file_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["advise", str(tmp_path / "missing.yaml")])
    assert result.exit_code == 2
    assert "missing.yaml" in result.stderr
