"""`altmatch dispatch compliance`: compliance.csv for every company or one, the table, JSON,
and the errors (an unknown company or language: exit 2; an existing folder without --force)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.schema_template import SchemaTemplate
from time_machine import TimeMachineFixture
from typer.testing import CliRunner

from altmatch.cli import app
from altmatch.clock import JAPAN
from altmatch.config import Settings
from altmatch.db import Sessions, make_engine, session_factory
from altmatch.db.models import RosterAlt
from altmatch.domain.access import OPERATOR, OrgKind
from altmatch.services.accounts.users import create_organisation

runner = CliRunner()
TODAY = "2026-12-06"


def _alt(company: int, ext: str, name: str, **dates: dt.date) -> RosterAlt:
    return RosterAlt(
        company_id=company,
        external_id=ext,
        name=name,
        home_prefecture="Hyogo",
        home_municipality="Kobe",
        home_latitude=34.7,
        home_longitude=135.2,
        school_experience=[],
        driving_licence=False,
        jlpt="none",
        contract_end=dt.date(2027, 7, 31),
        **dates,
    )


def build(sessions: Sessions) -> tuple[int, int]:
    """Sakura: S-01 Amy Clark, card expires 2027-01-10 (shown from 2026-10-12); S-02 Ben Davis,
    first contract 2021-12-20 (five years complete 2026-12-20). Minato: M-01 Eve Green, card
    expired 2026-12-01."""
    org = create_organisation
    sakura = org(sessions, actor=OPERATOR, kind=OrgKind.COMPANY, name_en="Sakura", name_ja="さくら")
    minato = org(sessions, actor=OPERATOR, kind=OrgKind.COMPANY, name_en="Minato", name_ja="みなと")
    with sessions.begin() as session:
        session.add_all(
            [
                _alt(
                    sakura.id, "S-01", "Amy Clark", residence_card_expires_on=dt.date(2027, 1, 10)
                ),
                _alt(sakura.id, "S-02", "Ben Davis", employed_since=dt.date(2021, 12, 20)),
                _alt(
                    minato.id, "M-01", "Eve Green", residence_card_expires_on=dt.date(2026, 12, 1)
                ),
            ]
        )
    return sakura.id, minato.id


@pytest.fixture
def companies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, schema_template: SchemaTemplate
) -> Iterator[tuple[int, int]]:
    monkeypatch.setenv("ALTMATCH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ALTMATCH_DATABASE_URL", "")
    settings = Settings()
    schema_template.install(settings)
    engine = make_engine(settings)
    try:
        yield build(session_factory(engine))
    finally:
        engine.dispose()


def run(*args: str, code: int = 0) -> str:
    result = runner.invoke(app, ["dispatch", "compliance", "--today", TODAY, *args])
    assert result.exit_code == code, result.output
    return result.output


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_out_writes_every_companys_alerts_to_compliance_csv(
    companies: tuple[int, int], tmp_path: Path
) -> None:
    sakura, minato = companies
    out = tmp_path / "watch"
    run("--out", str(out))

    assert [p.name for p in out.iterdir()] == ["compliance.csv"]
    header = (out / "compliance.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("alt_id,rule,due_on,detail,")
    rows = _rows(out / "compliance.csv")
    assert [(r["company_id"], r["alt_id"], r["rule"], r["due_on"], r["status"]) for r in rows] == [
        (str(sakura), "S-02", "indefinite_conversion", "2026-12-20", "due_soon"),
        (str(sakura), "S-01", "residence_card_expiry", "2027-01-10", "later"),
        (str(minato), "M-01", "residence_card_expiry", "2026-12-01", "overdue"),
    ]
    assert rows[1]["detail"].startswith("The residence card expires on 10 Jan 2027")
    assert rows[1]["alt_name"] == "Amy Clark" and rows[1]["action"]
    assert rows[1]["acknowledged_at"] == ""


def test_one_company_in_japanese_and_as_json(companies: tuple[int, int], tmp_path: Path) -> None:
    sakura, _ = companies
    out = tmp_path / "sakura"
    run("--company", str(sakura), "--lang", "ja", "--out", str(out))
    rows = _rows(out / "compliance.csv")
    assert [r["alt_id"] for r in rows] == ["S-02", "S-01"]
    assert "2027年1月10日" in rows[1]["detail"]
    assert rows[1]["action"].startswith("申請の受付が始まったら")

    (data,) = json.loads(run("--company", str(sakura), "--json"))
    assert (data["to_do"], data["overdue"]) == (2, 0)
    assert [a["rule"] for a in data["alerts"]] == ["indefinite_conversion", "residence_card_expiry"]


def test_the_table_names_each_company_and_alert(companies: tuple[int, int]) -> None:
    text = run()
    assert "Sakura: 2 to do, 0 overdue" in text and "Minato: 1 to do, 1 overdue" in text
    assert "Ben Davis (S-02)" in text and "2026-12-20" in text


def test_errors_exit_2_and_an_existing_folder_needs_force(
    companies: tuple[int, int], tmp_path: Path
) -> None:
    assert "no dispatch company with ID 999" in run("--company", "999", code=2)
    assert "--lang" in run("--lang", "fr", code=2)
    out = tmp_path / "again"
    run("--out", str(out))
    assert "already exists" in run("--out", str(out), code=1)
    run("--out", str(out), "--force")
    assert len(_rows(out / "compliance.csv")) == 3


def test_the_sweep_reminds_each_alert_once(
    companies: tuple[int, int], clock: TimeMachineFixture
) -> None:
    """On 2026-12-06 in Japan the three alerts show: the sweep reminds each once."""
    clock.move_to(dt.datetime(2026, 12, 6, 9, 0, tzinfo=JAPAN), tick=True)
    first = runner.invoke(app, ["sweep"])
    assert first.exit_code == 0, first.output
    assert "compliance: 3 alert(s) reminded to dispatch companies" in first.output
    again = runner.invoke(app, ["sweep"])
    assert "compliance: 0 alert(s) reminded" in again.output
