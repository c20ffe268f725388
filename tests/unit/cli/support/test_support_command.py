"""`altmatch support routes` shows and changes a routing table; `altmatch support escalate`
(the cron job) raises overdue cases once, however often it runs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tests.schema_template import SchemaTemplate
from tests.support_world import SupportWorld, build_support_world
from time_machine import TimeMachineFixture
from typer.testing import CliRunner

from altmatch.cli import app
from altmatch.config import Settings
from altmatch.db import Sessions, make_engine, session_factory
from altmatch.services.support.case_reads import get_case
from altmatch.services.support.cases import CaseIn, open_case

pytestmark = pytest.mark.date_sensitive

runner = CliRunner()
MONDAY_9 = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)  # 09:00 in Japan


@pytest.fixture
def db(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, schema_template: SchemaTemplate
) -> Iterator[Sessions]:
    monkeypatch.setenv("ALTMATCH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ALTMATCH_DATABASE_URL", "")
    settings = Settings()
    schema_template.install(settings)
    engine = make_engine(settings)
    yield session_factory(engine)
    engine.dispose()


@pytest.fixture
def world(db: Sessions, clock: TimeMachineFixture) -> SupportWorld:
    clock.move_to(MONDAY_9, tick=False)  # the contracts run around the day cases open
    return build_support_world(db)


def test_routes_lists_each_level_with_its_handlers(world: SupportWorld) -> None:
    result = runner.invoke(app, ["support", "routes", str(world.kobe_id)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"Support route of Kobe City BoE (organisation {world.kobe_id}):"
    assert lines[1] == f"  1. supervisor: Kobe Supervisor <{world.emails['kobe_supervisor']}>"
    assert lines[2] == f"  2. section_chief: Kobe Chief <{world.emails['kobe_chief']}>"
    assert lines[3] == "  3. programme_adviser: (nobody)"


def test_routes_set_replaces_the_named_roles_only(world: SupportWorld) -> None:
    clerk = world.emails["kobe_clerk"]
    result = runner.invoke(
        app,
        ["support", "routes", str(world.kobe_id), "--set", f"supervisor={clerk}", "--json"],
    )
    assert result.exit_code == 0, result.output
    entries = json.loads(result.output)["entries"]
    assert [(e["role"], e["email"]) for e in entries] == [
        ("supervisor", clerk),
        ("section_chief", world.emails["kobe_chief"]),
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--set", "boss=x@example.org"], "ROLE=EMAIL"),
        (["--set", "supervisor=nobody@example.org"], "no user with the e-mail"),
        (["--set", "support_desk=kobe-clerk@support.example.org"], "cannot have the role"),
    ],
)
def test_routes_refuses_bad_entries(world: SupportWorld, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["support", "routes", str(world.kobe_id), *args])
    assert result.exit_code == 2
    assert message in result.output


def test_routes_of_an_unknown_organisation_exits_2(world: SupportWorld) -> None:
    result = runner.invoke(app, ["support", "routes", "999"])
    assert result.exit_code == 2 and "no BoE or company 999" in result.output


def test_escalate_raises_overdue_cases_once(db: Sessions, world: SupportWorld) -> None:
    body = CaseIn(category="housing", urgency="high", subject="Leak", description="Roof leaks")
    case = open_case(db, world.actors["dispatch_alt"], body, now=MONDAY_9)
    late = (case.first_response_due + timedelta(minutes=1)).isoformat()
    early = runner.invoke(app, ["support", "escalate", "--now", MONDAY_9.isoformat()])
    assert early.exit_code == 0 and "escalated 0" in early.output
    first = runner.invoke(app, ["support", "escalate", "--now", late])
    assert first.exit_code == 0, first.output
    assert f"case {case.id}: level 1 -> 2 (1 notified)" in first.output
    again = runner.invoke(app, ["support", "escalate", "--now", late, "--json"])
    assert json.loads(again.output)["escalated"] == []
    assert get_case(db, world.actors["company_manager"], case.id).level == 2


def test_escalate_refuses_a_bad_time(world: SupportWorld) -> None:
    result = runner.invoke(app, ["support", "escalate", "--now", "tomorrow"])
    assert result.exit_code == 2 and "ISO" in result.output
