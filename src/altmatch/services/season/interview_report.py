"""A season's interview calibration as people read it: the coordinator's report (summary,
assessors, candidates a page at a time, earlier uploads) and one application's calibrated
score with the sentence that says how it was adjusted and why.

Sentences (warnings, suggested swaps, the adjustment) are rendered in the current locale, so
callers wrap the call in `use_locale`. The report is the coordinators'; an application's
calibrated score is read by the coordinators' candidate page and by the candidate's own.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy.orm import Session

from altmatch.db import Sessions
from altmatch.db import interview_calibration as calibrations
from altmatch.db import season as repo
from altmatch.db.models import (
    AssessorSeverityRow,
    CalibratedCandidate,
    InterviewCalibration,
    SeasonCandidate,
    SeasonRow,
)
from altmatch.domain.access import Actor, Permission, require
from altmatch.domain.calibrated_scores import (
    Adjustment,
    ScoreFacts,
    adjustment_of,
    explain_adjustment,
)
from altmatch.domain.interview_design import AssessorMove
from altmatch.i18n import N_, Message, get_locale, render
from altmatch.rulebook import load_rulebook
from altmatch.services.kernel.listing import ListMetaOut, ListQuery, ListSpec, list_meta
from altmatch.services.season.access import SeasonOut, access_season, season_out

CALIBRATED: ListSpec = calibrations.CALIBRATED_LIST
DECIMALS = 4  # as the calibration's own files round (docs/formats/interviews.md)


class ComponentOut(BaseModel):
    component: int  # 1 for the largest group
    candidates: int
    assessors: int
    panels: list[str]  # busiest first


class SwapOut(BaseModel):
    """A suggested move: `assessor_id` also sits on `panel_id`, joining two groups."""

    assessor_id: str
    panel_id: str
    from_component: int
    to_component: int
    message: str


class CalibrationSummaryOut(BaseModel):
    """What a calibration found. `id`, `created_at` and `created_by` are None for a file only
    checked (not stored); `uncalibrated` counts applications in the match with no score in it."""

    id: int | None
    model: str
    filename: str
    sha256: str
    created_at: datetime | None
    created_by: str | None
    low: int  # the rubric's scale
    high: int
    scores: int
    candidates: int
    assessors: int
    criteria: int
    panels: int
    reliability: float | None
    icc: float | None
    residual_sd: float | None
    connected: bool
    components: list[ComponentOut]
    suggested_swaps: list[SwapOut]
    warnings: list[str]
    offsets: dict[str, float]  # criterion -> offset (scores run high where positive)
    uncalibrated: int


class AssessorOut(BaseModel):
    assessor_id: str
    severity: float  # rubric points below the average assessor of their group
    se: float | None
    candidates: int
    component: int


class CalibratedOut(BaseModel):
    """One application's row of the report; `rank_change` is how many places calibration
    moved them up (negative: down)."""

    id: int  # the application's row id
    candidate_id: str
    name: str
    raw_mean: float
    score: float
    se: float | None
    assessors: int
    component: int
    match_score: int  # 0-100: what the match reads
    interview_score: int  # the imported score, which the match no longer reads
    rank: int
    raw_rank: int
    rank_change: int


class CalibrationHistoryOut(BaseModel):
    id: int
    created_at: datetime
    created_by: str | None
    filename: str
    sha256: str
    candidates: int
    reliability: float | None


class CalibrationCriterionOut(BaseModel):
    id: str
    name: str


class CalibrationRubricOut(BaseModel):
    """What an upload's scores must be: whole numbers low..high on these criteria."""

    low: int
    high: int
    criteria: list[CalibrationCriterionOut]


class InterviewsPageOut(BaseModel):
    season: SeasonOut
    open: bool  # a calibration may still be stored (no outcome published)
    rubric: CalibrationRubricOut
    calibration: CalibrationSummaryOut | None  # the current one
    assessors: list[AssessorOut]
    candidates: list[CalibratedOut]  # one page of the current calibration's
    listing: ListMetaOut | None
    history: list[CalibrationHistoryOut]  # every calibration, newest (the current) first


class CalibratedInterviewOut(BaseModel):
    """An application's calibrated interview score and how it was adjusted (`text`)."""

    calibration_id: int
    stored_at: datetime
    raw_mean: float
    score: float
    se: float | None
    assessors: int
    low: int
    high: int
    change: float  # score − raw mean: positive after harsh assessors
    adjustment: Adjustment
    match_score: int  # what the match reads, 0-100
    interview_score: int  # the imported score
    text: str


def season_open(session: Session, season: SeasonRow) -> bool:
    """Whether the season's interview scores may still change: nothing published yet."""
    return season.status == "open" and repo.latest_published_run(session, season.id) is None


def rubric_out(locale: str) -> CalibrationRubricOut:
    rubric = load_rulebook().interview_rubric
    return CalibrationRubricOut(
        low=rubric.min_score,
        high=rubric.max_score,
        criteria=[
            CalibrationCriterionOut(id=c.id, name=c.name.get(locale)) for c in rubric.criteria
        ],
    )


def interviews_page(
    sessions: Sessions, actor: Actor, season_id: int, lq: ListQuery
) -> InterviewsPageOut:
    """The coordinator's calibration page: the current calibration's report, one page of its
    candidates as `lq` asks, and the earlier uploads."""
    require(actor, Permission.SEASON_MANAGE)
    with sessions() as session:
        season = access_season(session, actor, season_id)
        history = calibrations.calibration_history(session, season.id)
        current = history[0][0] if history else None
        listing = None
        rows: list[CalibratedOut] = []
        if current is not None:
            page = calibrations.calibrated_page(session, current.id, lq)
            rows = [_calibrated_out(*row) for row in page.rows]
            listing = list_meta(page, CALIBRATED)
        return InterviewsPageOut(
            season=season_out(season),
            open=season_open(session, season),
            rubric=rubric_out(get_locale()),
            calibration=None
            if current is None
            else stored_summary(session, current, history[0][1]),
            assessors=[]
            if current is None
            else [assessor_out(a) for a in calibrations.assessors(session, current.id)],
            candidates=rows,
            listing=listing,
            history=[_history_out(row, name) for row, name in history],
        )


def stored_summary(
    session: Session, row: InterviewCalibration, created_by: str | None
) -> CalibrationSummaryOut:
    """A stored calibration's summary, its sentences in the current locale."""
    uncalibrated = calibrations.uncalibrated_count(session, row.season_id, row.id)
    return summary_out(row, created_by, uncalibrated)


def summary_out(
    row: InterviewCalibration, created_by: str | None, uncalibrated: int
) -> CalibrationSummaryOut:
    """The summary of a calibration row (stored, or only built to show a checked file)."""
    moves = [
        AssessorMove(s["assessor_id"], s["panel_id"], s["from_component"], s["to_component"])
        for s in row.swaps
    ]
    warnings = [render(Message(w["template"], w["params"])) for w in row.warnings]
    if uncalibrated:
        template = N_(
            "{count} applications in the match have no scores in this file: the match reads "
            "their imported interview score, which no panel calibrated."
        )
        warnings.append(render(Message(template, {"count": uncalibrated})))
    return CalibrationSummaryOut(
        id=row.id,
        model=row.model,
        filename=row.filename,
        sha256=row.sha256,
        created_at=row.created_at,
        created_by=created_by,
        low=row.low,
        high=row.high,
        scores=row.scores,
        candidates=row.candidates,
        assessors=row.assessors,
        criteria=row.criteria,
        panels=row.panels,
        reliability=_round(row.reliability),
        icc=_round(row.icc),
        residual_sd=_round(row.residual_sd),
        connected=row.connected,
        components=[ComponentOut.model_validate(c) for c in row.components],
        suggested_swaps=[
            SwapOut(
                assessor_id=m.assessor_id,
                panel_id=m.panel_id,
                from_component=m.from_component,
                to_component=m.to_component,
                message=render(m.message),
            )
            for m in moves
        ],
        warnings=warnings,
        offsets={name: round(value, DECIMALS) + 0.0 for name, value in row.offsets.items()},
        uncalibrated=uncalibrated,
    )


def assessor_out(row: AssessorSeverityRow) -> AssessorOut:
    return AssessorOut(
        assessor_id=row.assessor_id,
        severity=round(row.severity, DECIMALS) + 0.0,
        se=_round(row.se),
        candidates=row.candidates,
        component=row.component,
    )


def _calibrated_out(
    row: CalibratedCandidate, external_id: str, name: str, interview_score: int
) -> CalibratedOut:
    return CalibratedOut(
        id=row.candidate_id,
        candidate_id=external_id,
        name=name,
        raw_mean=round(row.raw_mean, DECIMALS) + 0.0,
        score=round(row.score, DECIMALS) + 0.0,
        se=_round(row.se),
        assessors=row.assessors,
        component=row.component,
        match_score=row.match_score,
        interview_score=interview_score,
        rank=row.rank,
        raw_rank=row.raw_rank,
        rank_change=row.raw_rank - row.rank,
    )


def _history_out(row: InterviewCalibration, created_by: str | None) -> CalibrationHistoryOut:
    return CalibrationHistoryOut(
        id=row.id,
        created_at=row.created_at,
        created_by=created_by,
        filename=row.filename,
        sha256=row.sha256,
        candidates=row.candidates,
        reliability=_round(row.reliability),
    )


def calibrated_interview(
    session: Session, row: SeasonCandidate, *, own: bool
) -> CalibratedInterviewOut | None:
    """The application's score in its season's current calibration (None: not calibrated),
    explained to the candidate themselves (`own`) or to a coordinator."""
    current = calibrations.current_calibration(session, row.season_id)
    if current is None:
        return None
    found = calibrations.calibrated_candidate(session, current.id, row.id)
    if found is None:
        return None
    facts = ScoreFacts(found.raw_mean, found.score, found.se, current.low, current.high)
    return CalibratedInterviewOut(
        calibration_id=current.id,
        stored_at=current.created_at,
        raw_mean=round(found.raw_mean, DECIMALS) + 0.0,
        score=round(found.score, DECIMALS) + 0.0,
        se=_round(found.se),
        assessors=found.assessors,
        low=current.low,
        high=current.high,
        change=round(found.score - found.raw_mean, DECIMALS) + 0.0,
        adjustment=adjustment_of(found.raw_mean, found.score),
        match_score=found.match_score,
        interview_score=row.interview_score,
        text=render(explain_adjustment(facts, own=own)),
    )


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, DECIMALS) + 0.0


def warning_records(messages: Sequence[Message]) -> list[dict[str, Any]]:
    """Messages as stored: template and parameters (plain values), rendered when read."""
    return [{"template": m.template, "params": dict(m.params)} for m in messages]
