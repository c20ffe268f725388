"""Migration m4_compact_runs: runs stored in the old form (inputs and explanations as JSON) come
back in the compact form with the same outcomes, explanations and alternates, and go back."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import JSON as SAJSON
from sqlalchemy import Engine, column, select, table
from tests.season_world import PUBLISH_ANYWAY

from altmatch.config import Settings
from altmatch.db import Sessions, downgrade_database, upgrade_database
from altmatch.db import season as repo
from altmatch.db.models import MatchRun
from altmatch.demo.season import generate_demo
from altmatch.demo.seed_database import seed_demo_database
from altmatch.domain.access import OPERATOR
from altmatch.services.accounts.authentication import act_as
from altmatch.services.season.applications import my_application
from altmatch.services.season.publish import publish_run
from altmatch.services.season.reasons_store import read_explanation
from altmatch.services.season.results import season_placements
from altmatch.services.season.runs import review_run, run_season_match

pytestmark = pytest.mark.date_sensitive

COORDINATOR = "programme_coordinator@demo.altmatch.example"


def _explanations(sessions: Sessions, run_id: int) -> dict[int, dict[str, Any]]:
    with sessions() as session:
        return {
            p.candidate_id: read_explanation(session, p) for p in repo.placements(session, run_id)
        }


def _snapshot(sessions: Sessions, run_id: int) -> dict[str, Any]:
    with sessions() as session:
        run = session.get(MatchRun, run_id)
        assert run is not None
        return repo.run_inputs(session, run)


def test_old_runs_convert_to_the_compact_form_and_back_without_losing_a_reason(
    settings: Settings, sessions: Sessions, engine: Engine
) -> None:
    report = seed_demo_database(sessions, generate_demo(candidates=300))
    coordinator = act_as(sessions, OPERATOR, COORDINATOR)
    first = run_season_match(sessions, coordinator, report.season_id, seed=3).run.id
    again = run_season_match(sessions, coordinator, report.season_id, seed=4).run.id
    publish_run(sessions, coordinator, report.season_id, again, overrides=PUBLISH_ANYWAY)
    reasons = _explanations(sessions, again)
    inputs = _snapshot(sessions, again)
    review = review_run(sessions, coordinator, report.season_id, again)
    boe = act_as(sessions, OPERATOR, "kobe_boe_staff@demo.altmatch.example")
    view = season_placements(sessions, boe, report.season_id)
    candidate = act_as(sessions, OPERATOR, "candidate_emily@demo.altmatch.example")
    outcome = my_application(sessions, candidate, report.season_id).outcome
    with sessions() as session:
        runs = {r.id: r.inputs_id for r in session.scalars(select(MatchRun))}
    assert runs[first] == runs[again]  # an unchanged season's inputs are stored once

    engine.dispose()
    downgrade_database(settings, "m3_erasure")
    old = _old_form(engine, again)
    assert old["inputs"] == inputs
    for candidate_id, explanation in reasons.items():
        stored = old["explanations"][candidate_id]
        assert stored["text"] == explanation["text"]
        assert [(w["request_id"], w["choice"], w["reason"]) for w in stored["why_not"]] == [
            (w["request_id"], w["choice"], w["reason"]) for w in explanation["why_not"]
        ]
        for w, v in zip(stored["why_not"], explanation["why_not"], strict=True):
            assert w["cutoff_rank"] == v.get("cutoff_rank")
            assert w["lost_lottery"] == v.get("lost_lottery", False)
            assert w["requirements"] == v.get("requirements", [])
    engine.dispose()
    upgrade_database(settings)

    assert _explanations(sessions, again) == reasons
    assert _snapshot(sessions, again) == inputs
    assert review_run(sessions, coordinator, report.season_id, again) == review
    assert season_placements(sessions, boe, report.season_id) == view
    assert my_application(sessions, candidate, report.season_id).outcome == outcome


def _old_form(engine: Engine, run_id: int) -> dict[str, Any]:
    """The run as m3_erasure stored it, read with plain SQL."""
    runs = table("match_runs", column("id"), column("inputs_snapshot", SAJSON()))
    placements = table(
        "run_placements", column("run_id"), column("candidate_id"), column("explanation", SAJSON())
    )
    with engine.connect() as connection:
        inputs = connection.scalar(select(runs.c.inputs_snapshot).where(runs.c.id == run_id))
        rows = connection.execute(
            select(placements.c.candidate_id, placements.c.explanation).where(
                placements.c.run_id == run_id
            )
        ).all()
    decoded = inputs if isinstance(inputs, dict) else json.loads(inputs)
    return {"inputs": decoded, "explanations": dict(rows)}
