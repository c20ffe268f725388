"""The coordinator's stage board as JSON (the twin of /seasons/{id}/stages) with bulk moves, and
the frame of the BoE's "new request" page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from altmatch.domain.application import ApplicationStage
from altmatch.services.season.request_form import NewRequestFormOut, new_request_form
from altmatch.services.stage_moves import (
    MAX_MOVE,
    MovedOut,
    MoveItem,
    MovePlanOut,
    StageBoardOut,
    move_stages,
    plan_move,
    stage_board,
)
from altmatch.web.api.params import Id
from altmatch.web.auth import RequestEditorDep, SeasonManagerDep
from altmatch.web.deps import SessionsDep

router = APIRouter(prefix="/seasons", tags=["season"])


class MoveRequest(BaseModel):
    to_stage: ApplicationStage
    applications: list[MoveItem] = Field(max_length=MAX_MOVE, description="Row ids and versions.")


class StageMoveIn(MoveRequest):
    reason: str = Field(max_length=500)


def _stage(value: str) -> ApplicationStage | None:
    try:
        return ApplicationStage(value.strip()) if value.strip() else None
    except ValueError:
        return None


@router.get("/{season_id}/stages", response_model=StageBoardOut)
def get_stages(
    season_id: Id,
    actor: SeasonManagerDep,
    sessions: SessionsDep,
    stage: Annotated[str, Query(max_length=32, description="A stage; empty: every stage")] = "",
    q: Annotated[str, Query(max_length=100, description="Part of a name or id")] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> StageBoardOut:
    """One page of the season's applications at a stage, with each one's stage history."""
    return stage_board(sessions, actor, season_id, stage=_stage(stage), q=q, page=page)


@router.post("/{season_id}/stages/plan", response_model=MovePlanOut)
def post_stage_plan(
    season_id: Id, body: MoveRequest, actor: SeasonManagerDep, sessions: SessionsDep
) -> MovePlanOut:
    """What a bulk move would do (who moves, who cannot), changing nothing."""
    return plan_move(sessions, actor, season_id, body.applications, body.to_stage)


@router.post("/{season_id}/stages/moves", response_model=MovedOut)
def post_stage_moves(
    season_id: Id, body: StageMoveIn, actor: SeasonManagerDep, sessions: SessionsDep
) -> MovedOut:
    """Move every listed application, or none: 422 for a move not allowed, 409 when a version
    is stale. Audited with the reason; the candidates are notified."""
    return move_stages(
        sessions, actor, season_id, body.applications, body.to_stage, reason=body.reason
    )


@router.get("/{season_id}/requests/new", response_model=NewRequestFormOut)
def get_new_request_form(
    season_id: Id, actor: RequestEditorDep, sessions: SessionsDep
) -> NewRequestFormOut:
    """The twin of the "new request" page: your BoE, and whether (until when) the season takes
    new requests. File one with POST /seasons/{id}/requests."""
    return new_request_form(sessions, actor, season_id)
