"""`altmatch dispatch coverage`: tables, JSON and the files --out writes, for a named company."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.dispatch_coverage_world import TODAY, CoverageWorld, build_coverage_world
from tests.schema_template import SchemaTemplate
from typer.testing import CliRunner

from altmatch.cli import app
from altmatch.config import Settings
from altmatch.db import make_engine, session_factory

pytestmark = pytest.mark.date_sensitive

runner = CliRunner()


@pytest.fixture
def world(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, schema_template: SchemaTemplate
) -> Iterator[CoverageWorld]:
    monkeypatch.setenv("ALTMATCH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ALTMATCH_DATABASE_URL", "")
    settings = Settings()
    schema_template.install(settings)
    engine = make_engine(settings)
    try:
        yield build_coverage_world(session_factory(engine))
    finally:
        engine.dispose()


def run(*args: str, code: int = 0) -> str:
    result = runner.invoke(app, ["dispatch", "coverage", *args])
    assert result.exit_code == code, result.output
    return result.output


def test_tables_show_the_months_targets_and_alts_at_risk(world: CoverageWorld) -> None:
    text = run("--company", str(world.company), "--today", TODAY.isoformat())
    assert "Sakura ALT: 5 positions, 4 assigned, gap 1 now." in text
    assert "ALTs to hire within 12 months: 3." in text
    assert "2027-07" in text and "Ada Lovelace (A-ada)" in text and "Leaving" in text
    assert "R-1" not in text  # the other company's contract


def test_json_is_the_read_model(world: CoverageWorld) -> None:
    data = json.loads(run("--company", str(world.company), "--today", "2026-11-25", "--json"))
    assert data["hires_total"] == 3
    assert [t["hires"] for t in data["target_totals"]] == [2, 1, 0]


def test_out_writes_csv_files_and_the_chart(world: CoverageWorld, tmp_path: Path) -> None:
    out = tmp_path / "coverage"
    run("--company", str(world.company), "--today", "2026-11-25", "--out", str(out))
    assert sorted(p.name for p in out.iterdir()) == [
        "coverage.csv",
        "coverage_chart.png",
        "coverage_chart.svg",
        "targets.csv",
    ]
    rows = list(csv.DictReader(io.StringIO((out / "coverage.csv").read_text(encoding="utf-8"))))
    assert len(rows) == 12 * 3  # Hyogo, Kyoto and the total for each month
    july = {r["region"]: r for r in rows if r["month"] == "2027-07"}
    assert (july["Hyogo"]["positions"], july["Hyogo"]["at_risk"], july["Hyogo"]["gap"]) == (
        "3",
        "1",
        "2",
    )
    assert july["total"]["gap"] == "3"
    targets = list(csv.DictReader(io.StringIO((out / "targets.csv").read_text(encoding="utf-8"))))
    assert [(t["region"], t["start_month"], t["hires"]) for t in targets] == [
        ("Hyogo", "2027-04", "1"),
        ("Kyoto", "2027-04", "1"),
        ("Hyogo", "2027-08", "1"),
        ("Kyoto", "2027-08", "0"),
        ("Hyogo", "2027-09", "0"),
        ("Kyoto", "2027-09", "0"),
    ]
    assert (out / "coverage_chart.png").read_bytes().startswith(b"\x89PNG")
    assert "<svg" in (out / "coverage_chart.svg").read_text(encoding="utf-8")
    # The same folder again is refused unless --force.
    assert "already exists" in run("--company", str(world.company), "--out", str(out), code=1)
    run("--company", str(world.company), "--out", str(out), "--force")


def test_a_region_filter_and_bad_input(world: CoverageWorld) -> None:
    data = json.loads(
        run("--company", str(world.company), "--today", "2026-11-25", "--region", "Kyoto", "--json")
    )
    assert [c["reference"] for c in data["contracts"]] == ["Q-1"]
    assert "--region" in run("--company", str(world.company), "--region", "Okinawa", code=2)
    assert "no dispatch company" in run("--company", str(world.kobe), code=2)
    assert "Invalid value" in run("--company", str(world.company), "--today", "25/11/2026", code=2)
