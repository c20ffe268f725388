"""The demo intake's interview round (demo.interview_round): for each interviewing office two
panels of an officer, a former participant and an educator with one assessor on both (and the
Tokyo officer on every first panel, so calibration is one connected design), a session each a
week on, and a slot for every screened-in applicant, some booked by the candidates and some
assigned by the office. Seeding twice adds nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from altmatch.cli import app
from altmatch.config import Settings
from altmatch.db import make_engine, session_factory
from altmatch.db.models import (
    AuditEntry,
    InterviewConflict,
    InterviewPanel,
    PanelAssessor,
    SeasonRow,
)
from altmatch.demo import seed_recruitment as online
from altmatch.demo.interview_round import booked_slots
from altmatch.domain.access import OPERATOR
from altmatch.services.season.interview_planner import planner

runner = CliRunner()


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("ALTMATCH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ALTMATCH_DATABASE_URL", "")
    return Settings()


def test_the_demo_intake_interviews_every_screened_in_applicant_on_linked_panels(
    settings: Settings,
) -> None:
    first = runner.invoke(app, ["demo", "--db", "--candidates", "30"])
    assert first.exit_code == 0, first.stderr
    engine = make_engine(settings)
    try:
        sessions = session_factory(engine)
        with sessions() as session:
            season = session.scalars(
                select(SeasonRow).where(SeasonRow.name.like("% online intake"))
            ).one()
            panels = list(session.scalars(select(InterviewPanel)))
            seats = list(session.execute(select(PanelAssessor.user_id, PanelAssessor.panel_id)))
            actions = list(session.scalars(select(AuditEntry.action)))
        assert len(panels) == 2 * len(online.INTERVIEWING) == 6
        on_panels: dict[int, set[int]] = {}
        for user, panel in seats:
            on_panels.setdefault(user, set()).add(panel)
        assert all(len([p for p in panels if p.id in s]) in (1, 2, 3) for s in on_panels.values())
        assert max(len(s) for s in on_panels.values()) == len(online.INTERVIEWING)  # the visitor
        assert _connected(on_panels, {p.id for p in panels})
        booked = booked_slots(sessions, season.id)
        assert {b.candidate_id for b in booked} and all(len(b.assessor_ids) == 3 for b in booked)
        flagged = []
        for office in {p.office_id for p in panels}:
            grid = planner(sessions, OPERATOR, office, season.id)
            assert grid.waiting == [] and grid.booked == grid.heard >= 1
            flagged += [s.id for s in grid.slots if s.conflicted]
        # the demo's one declared conflict sits on a booked panel: its planner asks to move it
        assert len(flagged) == 1
        assert "interview.booked" in actions and "interview.assigned" in actions
        again = runner.invoke(app, ["demo", "--db", "--candidates", "30"])
        assert again.exit_code == 0, again.stderr
        assert len(booked_slots(sessions, season.id)) == len(booked)
        with sessions() as session:
            assert session.scalar(select(func.count()).select_from(InterviewConflict)) == 1
    finally:
        engine.dispose()


def _connected(on_panels: dict[int, set[int]], panels: set[int]) -> bool:
    """Whether the panels form one group linked by shared assessors."""
    reached = {min(panels)}
    grew = True
    while grew:
        grew = False
        for sits in on_panels.values():
            if sits & reached and not sits <= reached:
                reached |= sits
                grew = True
    return reached == panels
