"""`altmatch dispatch contract-health`: contract_health.csv for every company or one, the table,
JSON, and the errors (an unknown company or language: exit 2; an existing folder without
--force: exit 1). On the coverage world of tests/dispatch_coverage_world.py (25 Nov 2026)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.dispatch_coverage_world import TODAY, CoverageWorld, build_coverage_world
from tests.schema_template import SchemaTemplate
from time_machine import TimeMachineFixture
from typer.testing import CliRunner

from altmatch.cli import app
from altmatch.clock import JAPAN
from altmatch.config import Settings
from altmatch.db import make_engine, session_factory
from altmatch.db.models import RosterAlt, User

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
    result = runner.invoke(
        app, ["dispatch", "contract-health", "--today", TODAY.isoformat(), *args]
    )
    assert result.exit_code == code, result.output
    return result.output


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_out_writes_every_companys_contracts_to_contract_health_csv(
    world: CoverageWorld, tmp_path: Path
) -> None:
    """K-1: 2 of 3 filled (0.667), Ada 6 + Ben 0 = mean 3.00, at risk. Q-1: 2 of 2, Cai 1 + Dee
    0 = 0.50, ok. The rival's R-1: 1 of 4 (0.250), Rex leaving 6.00, at risk."""
    out = tmp_path / "health"
    run("--out", str(out))
    assert [p.name for p in out.iterdir()] == ["contract_health.csv"]
    header = (out / "contract_health.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("contract_id,school_satisfaction,retention_risk,coverage,")
    rows = _rows(out / "contract_health.csv")
    assert [
        (r["company_id"], r["contract_reference"], r["coverage"], r["retention_risk"], r["status"])
        for r in rows
    ] == [
        (str(world.company), "K-1", "0.667", "3.00", "at_risk"),
        (str(world.company), "Q-1", "1.000", "0.50", "ok"),
        (str(world.other_company), "R-1", "0.250", "6.00", "at_risk"),
    ]
    k1 = rows[0]
    assert k1["contract_id"] == str(world.contracts["K-1"])
    assert k1["school_satisfaction"] == ""  # no survey yet: empty, never 0
    assert (k1["alts"], k1["alts_at_high_risk"], k1["open_cases"]) == ("2", "1", "0")
    assert (k1["renewal_date"], k1["tender_date"], k1["boe"]) == ("2027-12-31", "", "Kobe City BoE")
    assert k1["reasons"] == "2 of 3 posts filled. | 1 of 2 ALTs at high risk of leaving."


def test_one_company_in_japanese_and_as_json(world: CoverageWorld, tmp_path: Path) -> None:
    out = tmp_path / "sakura"
    run("--company", str(world.company), "--lang", "ja", "--out", str(out))
    rows = _rows(out / "contract_health.csv")
    assert [r["contract_reference"] for r in rows] == ["K-1", "Q-1"]
    assert rows[0]["boe"] == "神戸市教育委員会"
    assert rows[0]["reasons"].startswith("3枠中2枠を配置済みです。")
    (data,) = json.loads(run("--company", str(world.company), "--json"))
    assert (data["at_risk"], data["watch"], data["ok"]) == (1, 0, 1)


def test_the_table_names_each_company_and_contract(world: CoverageWorld) -> None:
    text = run()
    assert "Sakura ALT: 1 at risk, 0 to watch, 1 OK" in text
    assert "Rival Dispatch: 1 at risk, 0 to watch, 0 OK" in text
    assert "K-1" in text and "No survey yet" in text


def test_errors_exit_2_and_an_existing_folder_needs_force(
    world: CoverageWorld, tmp_path: Path
) -> None:
    assert "no dispatch company with ID 999" in run("--company", "999", code=2)
    assert "--lang" in run("--lang", "fr", code=2)
    out = tmp_path / "again"
    run("--out", str(out))
    assert "already exists" in run("--out", str(out), code=1)
    run("--out", str(out), "--force")
    assert len(_rows(out / "contract_health.csv")) == 3


def test_the_sweep_asks_each_alt_once(world: CoverageWorld, clock: TimeMachineFixture) -> None:
    """On 25 Nov 2026 Eve's ask window is open (deadline 2 Nov): with an account she is asked,
    once however often the sweep runs."""
    engine = make_engine(Settings())
    try:
        with session_factory(engine).begin() as session:
            user = User(
                email="eve@example.org",
                display_name="Eve",
                password_hash="",
                role="alt",
                locale="en",
            )
            session.add(user)
            session.flush()
            session.get_one(RosterAlt, world.alts["eve"]).user_id = user.id
    finally:
        engine.dispose()
    clock.move_to(dt.datetime(2026, 11, 25, 9, 0, tzinfo=JAPAN), tick=True)
    first = runner.invoke(app, ["sweep"])
    assert first.exit_code == 0, first.output
    assert "renewals: 1 ALT(s) asked, 0 reminded" in first.output
    lines = first.output.splitlines()  # one line per task
    assert any(line.startswith("surveys: ") for line in lines)
    assert any(line.startswith("interviews: ") for line in lines)
    again = runner.invoke(app, ["sweep"])
    assert "renewals: 0 ALT(s) asked" in again.output


def test_the_coverage_command_shows_and_writes_the_netting(
    world: CoverageWorld, tmp_path: Path
) -> None:
    """Kyoto, August 2027: gross 0 − 1 redeployable (Dee) + 0 leavers = net 0, no hire."""
    result = runner.invoke(
        app,
        [
            "dispatch",
            "coverage",
            "--company",
            str(world.company),
            "--today",
            TODAY.isoformat(),
            "--out",
            str(tmp_path / "cov"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "How each target is netted" in result.output
    rows = _rows(tmp_path / "cov" / "targets.csv")
    kyoto = next(r for r in rows if (r["region"], r["start_month"]) == ("Kyoto", "2027-08"))
    assert (kyoto["gross_need"], kyoto["redeployable"], kyoto["net_need"], kyoto["hires"]) == (
        "0",
        "1",
        "0",
        "0",
    )
