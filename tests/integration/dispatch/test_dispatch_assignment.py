"""Assignment services on SQLite and PostgreSQL, and `altmatch dispatch assign` end to end."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from tests.dispatch_world import ON, DispatchWorld, build_dispatch_world
from tests.schema_template import SchemaTemplate
from typer.testing import CliRunner

from altmatch.cli import app
from altmatch.config import Settings
from altmatch.db import Sessions, make_engine, session_factory
from altmatch.db.models import AuditEntry, RosterAssignment
from altmatch.domain.access import OPERATOR, NotFoundError
from altmatch.services.dispatch.assignment import (
    CommitRequest,
    PinIn,
    PlanRequest,
    WeightsIn,
    commit_assignment,
    current_assignment,
    plan_assignment,
)
from altmatch.services.kernel.errors import RuleError, StaleError

pytestmark = pytest.mark.date_sensitive

runner = CliRunner()


@pytest.fixture
def world(sessions: Sessions) -> DispatchWorld:
    return build_dispatch_world(sessions)


def _roster(sessions: Sessions, world: DispatchWorld) -> dict[str, str | None]:
    out = current_assignment(sessions, OPERATOR, company_id=world.company_id, on=ON)
    return {s.position: s.alt for s in out.current.slots}


def test_the_plain_optimum_moves_a1_to_osaka_and_brings_in_a4(
    sessions: Sessions, world: DispatchWorld
) -> None:
    result = plan_assignment(sessions, OPERATOR, PlanRequest(on=ON), company_id=world.company_id)
    assert result.current.filled == 3
    assert result.proposed.filled == 4  # most positions filled comes first
    slots = {s.position: s.alt for s in result.proposed.slots}
    assert slots == {"K1-P": "A4", "K2-P": "A2", "O1-P": "A3", "O2-P": "A1"}
    assert _roster(sessions, world)["K1-P"] == "A1"  # a what-if writes nothing


def test_a_large_continuity_bonus_cannot_beat_coverage_but_exclusions_change_the_plan(
    sessions: Sessions, world: DispatchWorld
) -> None:
    request = PlanRequest(
        on=ON, excluded=[world.alts["A4"]], weights=WeightsIn(continuity_bonus_minutes=120)
    )
    result = plan_assignment(sessions, OPERATOR, request, company_id=world.company_id)
    assert result.proposed.moves == []
    assert result.proposed.weights["continuity_bonus_minutes"] == 120


def test_commit_writes_assignments_in_one_go_and_audits(
    sessions: Sessions, world: DispatchWorld
) -> None:
    result = plan_assignment(sessions, OPERATOR, PlanRequest(on=ON), company_id=world.company_id)
    body = CommitRequest(on=ON, fingerprint=result.proposed.fingerprint)
    commit_assignment(sessions, OPERATOR, body, company_id=world.company_id)
    assert _roster(sessions, world) == {"K1-P": "A4", "K2-P": "A2", "O1-P": "A3", "O2-P": "A1"}
    with sessions() as session:
        ended = session.scalars(select(RosterAssignment).where(RosterAssignment.end == ON)).all()
        assert [r.alt_id for r in ended] == [world.alts["A1"]]
        audit = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "assignment.committed")
        ).one()
        assert audit.tenant_id == world.company_id
    with pytest.raises(StaleError):
        commit_assignment(sessions, OPERATOR, body, company_id=world.company_id)


def test_bad_pins_and_unknown_companies_are_refused(
    sessions: Sessions, world: DispatchWorld
) -> None:
    pin = PinIn(alt_id=world.alts["A3"], position_id=world.positions["K2-P"])
    with pytest.raises(RuleError) as caught:
        plan_assignment(
            sessions, OPERATOR, PlanRequest(on=ON, pins=[pin]), company_id=world.company_id
        )
    assert caught.value.field == "pins"
    with pytest.raises(RuleError):
        plan_assignment(
            sessions, OPERATOR, PlanRequest(on=ON, excluded=[99999]), company_id=world.company_id
        )
    with pytest.raises(NotFoundError):
        current_assignment(sessions, OPERATOR, company_id=world.kobe_boe_id, on=ON)


@pytest.fixture
def cli_world(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, schema_template: SchemaTemplate
) -> Iterator[DispatchWorld]:
    monkeypatch.setenv("ALTMATCH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ALTMATCH_DATABASE_URL", "")
    settings = Settings()
    schema_template.install(settings)
    engine = make_engine(settings)
    try:
        yield build_dispatch_world(session_factory(engine))
    finally:
        engine.dispose()


def _assign(*args: str, code: int = 0) -> str:
    result = runner.invoke(app, ["dispatch", "assign", *args])
    assert result.exit_code == code, result.output
    return result.output


def test_cli_prints_the_plan_writes_csv_and_commits_only_when_asked(
    cli_world: DispatchWorld, tmp_path: Path
) -> None:
    company = str(cli_world.company_id)
    out = tmp_path / "plan.csv"
    text = _assign("--company", company, "--on", str(ON), "--pin", "A2=K1-P", "--out", str(out))
    assert "Proposed roster (not committed)" in text
    assert "move A1: K1-P -> K2-P" in text and "move A2: K2-P -> K1-P" in text
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert {r["position"]: r["alt"] for r in rows}["K1-P"] == "A2"
    data = json.loads(_assign("--company", company, "--on", str(ON), "--json"))
    assert data["filled"] == 4
    before = json.loads(
        _assign("--company", company, "--on", str(ON), "--json", "--pin", "A1=K1-P")
    )
    assert before["moves"] == []  # A1 kept at K1-P: A4 can reach no other post
    _assign("--company", company, "--on", str(ON), "--pin", "A2=K1-P", "--commit")
    again = json.loads(_assign("--company", company, "--on", str(ON), "--json", "--pin", "A2=K1-P"))
    assert {s["position"]: s["alt"] for s in again["slots"]}["K1-P"] == "A2"
    assert not any(m["alt"] == "A2" for m in again["moves"])


@pytest.mark.parametrize(
    ("pin", "needle"),
    [
        ("A9=K1-P", "no ALT 'A9'"),
        ("A1=Z9", "no position 'Z9'"),
        ("A4=K2-P", "A4 cannot be pinned to K2-P: it needs a driving licence"),
        ("A1", "use ALT=POSITION"),
    ],
)
def test_cli_bad_pins_exit_2_with_a_clear_message(
    cli_world: DispatchWorld, pin: str, needle: str
) -> None:
    result = runner.invoke(
        app,
        [
            "dispatch",
            "assign",
            "--company",
            str(cli_world.company_id),
            "--on",
            str(ON),
            "--pin",
            pin,
        ],
    )
    assert result.exit_code == 2
    assert needle in result.output


def test_cli_double_booked_alt_exits_2(cli_world: DispatchWorld) -> None:
    result = runner.invoke(
        app,
        [
            *("dispatch", "assign", "--company", str(cli_world.company_id), "--on", str(ON)),
            *("--pin", "A1=K1-P", "--pin", "A1=K2-P"),
        ],
    )
    assert result.exit_code == 2
    assert "A1 is pinned to both K1-P and K2-P" in result.output
