"""An application that came in online leaves `submitted` only through its recruiting office's
screening queue, on SQLite and PostgreSQL: the stage board and the single stage change refuse
it with a pointer to the queue and change nothing; once screened, it moves on the board as any
other; imported applications move from submitted as before."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from tests.recruitment_world import RecruitWorld, answers, build_recruitment, complete_application
from tests.season_world import filled_season

from altmatch.db import Sessions
from altmatch.db.models import OnlineApplication, SeasonCandidate
from altmatch.domain.application import ApplicationStage
from altmatch.rulebook.recruitment import Decision
from altmatch.services.kernel.errors import RuleError
from altmatch.services.season.applications import set_stage
from altmatch.services.season.online_application import submit_application
from altmatch.services.season.screening import ScreeningIn, decide_screening
from altmatch.services.stage_moves import MoveItem, move_stages, plan_move, stage_board

SCREENED = ApplicationStage.SCREENED


@pytest.fixture
def rw(sessions: Sessions) -> RecruitWorld:
    return build_recruitment(sessions)


def _emily(sessions: Sessions, rw: RecruitWorld) -> tuple[int, int]:
    """Emily submits online (through London): her online application's id and version."""
    version = complete_application(sessions, rw, rw.emily, answers())
    out = submit_application(sessions, rw.emily, rw.season_id, version=version)
    return out.id, out.version


def _season_row(sessions: Sessions, online_id: int) -> SeasonCandidate:
    with sessions() as session:
        candidate_id = session.get_one(OnlineApplication, online_id).candidate_id
        return session.get_one(SeasonCandidate, candidate_id)


def test_the_board_refuses_to_screen_an_online_application_and_points_to_the_queue(
    sessions: Sessions, rw: RecruitWorld
) -> None:
    online_id, _ = _emily(sessions, rw)
    row = _season_row(sessions, online_id)
    coordinator = rw.world.coordinator
    board = stage_board(sessions, coordinator, rw.season_id)
    shown = next(r for r in board.rows if r.id == row.id)
    assert shown.online and shown.moves == []
    plan = plan_move(
        sessions, coordinator, rw.season_id, [MoveItem(id=row.id, version=1)], SCREENED
    )
    assert plan.applications == [] and [r.id for r in plan.refused] == [row.id]
    item = MoveItem(id=row.id, version=row.version)
    with pytest.raises(RuleError) as refused:
        move_stages(sessions, coordinator, rw.season_id, [item], SCREENED, reason="looks fine")
    assert refused.value.message.params["queue"] == f"/offices/{rw.london}/queue"
    with pytest.raises(RuleError):
        set_stage(sessions, coordinator, rw.season_id, row.id, SCREENED, version=row.version)
    assert _season_row(sessions, online_id).stage == "submitted"


def test_once_the_office_has_screened_it_the_board_moves_it_on(
    sessions: Sessions, rw: RecruitWorld
) -> None:
    online_id, version = _emily(sessions, rw)
    yes = ScreeningIn(decision=Decision.SCREEN_IN, reason_code="eligible", note="All in order")
    decide_screening(sessions, rw.london_screener, rw.london, online_id, yes, version=version)
    row = _season_row(sessions, online_id)
    assert row.stage == "screened"
    item = MoveItem(id=row.id, version=row.version)
    interviewed = ApplicationStage.INTERVIEWED
    move_stages(sessions, rw.world.coordinator, rw.season_id, [item], interviewed, reason="heard")
    assert _season_row(sessions, online_id).stage == "interviewed"


def test_imported_applications_still_move_from_submitted_on_the_board(
    sessions: Sessions, rw: RecruitWorld
) -> None:
    season = filled_season(sessions, rw.world, name="imported")
    with sessions() as session:
        row = session.scalars(
            select(SeasonCandidate).where(SeasonCandidate.season_id == season).limit(1)
        ).one()
    assert row.stage == "submitted"
    item = MoveItem(id=row.id, version=row.version)
    moved = move_stages(sessions, rw.world.coordinator, season, [item], SCREENED, reason="ok")
    assert moved.moved == 1
