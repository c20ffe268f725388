"""The assessor's interview round as JSON: my panels, one candidate's score sheet, saving or
submitting it, and declaring a conflict of interest. Sitting on the candidate's panel is what
lets anyone in (404 otherwise); the role must be allowed to score (403 otherwise)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from altmatch.domain.access import Actor, Permission
from altmatch.services.season.interview_scoring import (
    MAX_NOTE,
    AssessingOut,
    ConflictIn,
    ConflictOut,
    ScoreSheetIn,
    ScoreSheetOut,
    declare_conflict,
    my_panels,
    save_sheet,
    score_sheet,
)
from altmatch.web.api.params import Id
from altmatch.web.auth import PermissionGate
from altmatch.web.deps import SessionsDep
from altmatch.web.locale import LocaleDep

router = APIRouter(prefix="/assessing", tags=["interviews"])
ScorerDep = Annotated[Actor, Depends(PermissionGate(Permission.INTERVIEWS_SCORE))]
VERSION = "The sheet's version you read (0: no sheet saved yet): a stale one is refused with 409."


class SheetSaveIn(BaseModel):
    scores: dict[str, int] = Field(
        default_factory=dict, description="criterion id -> a whole score on the rubric's scale"
    )
    note: str = Field(default="", max_length=MAX_NOTE)
    version: int = Field(ge=0, description=VERSION)
    submit: bool = Field(
        default=False,
        description="true: submit for calibration (every criterion scored); a submitted sheet "
        "stays submitted and saving it again is an audited correction",
    )


class ConflictDeclareIn(BaseModel):
    reason: str = Field(min_length=1, max_length=32, description="a code of the rulebook's list")
    note: str = Field(default="", max_length=MAX_NOTE)


@router.get("", response_model=AssessingOut)
def get_assessing(
    actor: ScorerDep,
    sessions: SessionsDep,
    tz: Annotated[str, Query(max_length=64, description="IANA zone for reader_time")] = "",
) -> AssessingOut:
    """The panels you sit on, each with its booked candidates in time order (in the office's
    zone and in `tz`, Japan's by default) and whether your sheet is saved or submitted."""
    return my_panels(sessions, actor, zone=tz or None)


@router.get("/candidates/{candidate_id}", response_model=ScoreSheetOut)
def get_sheet(
    candidate_id: Id, actor: ScorerDep, sessions: SessionsDep, locale: LocaleDep
) -> ScoreSheetOut:
    """A candidate of your panel: the rubric with its anchors in your language, their
    statement of purpose and your saved scores. 404 unless you sit on their panel."""
    return score_sheet(sessions, actor, candidate_id, locale=locale)


@router.put("/candidates/{candidate_id}/sheet", response_model=ScoreSheetOut)
def put_sheet(
    candidate_id: Id,
    body: SheetSaveIn,
    actor: ScorerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
) -> ScoreSheetOut:
    """Save your sheet whole (a draft, or `submit`); 409 on a stale version or once the
    season's outcome is published, 422 for a score off the scale or, on submit, a criterion
    left unscored."""
    sheet = ScoreSheetIn(scores=body.scores, note=body.note)
    return save_sheet(
        sessions,
        actor,
        candidate_id,
        sheet,
        version=body.version,
        submit=body.submit,
        locale=locale,
    )


@router.post("/candidates/{candidate_id}/conflict", response_model=ConflictOut, status_code=201)
def post_conflict(
    candidate_id: Id, body: ConflictDeclareIn, actor: ScorerDep, sessions: SessionsDep
) -> ConflictOut:
    """Declare a conflict of interest with a candidate of your panel: the office's staff are
    told, and the candidate leaves your list (you can no longer score them)."""
    return declare_conflict(
        sessions, actor, candidate_id, ConflictIn(reason=body.reason, note=body.note)
    )
