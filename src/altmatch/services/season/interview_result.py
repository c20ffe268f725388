"""An application's interview result as its candidate (or a coordinator) reads it: the
decision, the calibrated score and the cut, how the score was adjusted from the raw mean and
why, and each reason as a sentence in the reader's language (rendered in the current locale,
so callers wrap the call in `use_locale`).

The figures are the ones the decision was made on (stored with it), so a later calibration
does not change what the candidate was told; the coordinator's shortlist page says when the
calibration has moved on since.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel
from sqlalchemy.orm import Session

from altmatch.db import interview_decisions as decisions_repo
from altmatch.db.models import InterviewCalibration, InterviewDecision, SeasonCandidate
from altmatch.domain.calibrated_scores import (
    Adjustment,
    ScoreFacts,
    adjustment_of,
    explain_adjustment,
)
from altmatch.domain.shortlist import ShortlistDecision, ShortlistReason
from altmatch.i18n import N_, Message, render

DECIMALS = 4

_OWN = {
    ShortlistReason.ABOVE_CUT: N_(
        "Your calibrated score {score} is at or above the shortlist's cut, {cut}: the "
        "calibrated score of the last of the {places} candidates shortlisted."
    ),
    ShortlistReason.ALTERNATE_RANGE: N_(
        "Your calibrated score {score} is below the shortlist's cut, {cut}, but among the next "
        "{alternates}: you are alternate number {position}. If a shortlisted candidate "
        "withdraws, alternates are called in this order."
    ),
    ShortlistReason.BELOW_CUT: N_(
        "Your calibrated score {score} is below the shortlist's cut, {cut}, and below the "
        "last alternate's score, {alternate_cut}."
    ),
    ShortlistReason.CROSSED_IN: N_(
        "Ranked by raw means you would not have been shortlisted: calibration took out how "
        "much harsher than average your assessors scored."
    ),
    ShortlistReason.CROSSED_OUT: N_(
        "Ranked by raw means you would have been shortlisted: calibration took out how much "
        "more leniently than average your assessors scored."
    ),
    ShortlistReason.STATISTICAL_TIE: N_(
        "Your score is within the margin of error of a candidate on the other side of a cut: "
        "the interview cannot tell you apart with confidence, and the order of the calibrated "
        "scores decided."
    ),
    ShortlistReason.LOTTERY: N_(
        "Your calibrated score equals that of a candidate on the other side of a cut: the "
        "season's seeded lottery decided, as the match breaks its ties."
    ),
}
# BELOW_CUT with no alternates listed
_BELOW_ONLY = N_("Your calibrated score {score} is below the shortlist's cut, {cut}.")


class InterviewResultOut(BaseModel):
    """The interview round's decision for one application, with its reasons."""

    decision: ShortlistDecision
    decided_at: datetime
    position: int  # by calibrated score among everyone ranked
    alternate_position: int | None
    raw_mean: float
    score: float
    se: float | None
    cut: float | None
    alternate_cut: float | None
    places: int
    alternates: int
    low: int  # the rubric's scale
    high: int
    adjustment: Adjustment
    adjustment_text: str
    reason_codes: list[ShortlistReason]
    reasons: list[str]  # as the candidate reads them ("Your calibrated score…"), in order


def interview_result(
    session: Session, row: SeasonCandidate, *, own: bool
) -> InterviewResultOut | None:
    """The application's interview result, or None before the round has decided it."""
    found = decisions_repo.decision_of(session, row.id)
    if found is None:
        return None
    calibration = session.get(InterviewCalibration, found.calibration_id)
    low, high = (calibration.low, calibration.high) if calibration else (1, 5)
    facts = ScoreFacts(found.raw_mean, found.score, found.se, low, high)
    codes = [ShortlistReason(code) for code in found.reasons]
    return InterviewResultOut(
        decision=ShortlistDecision(found.decision),
        decided_at=found.decided_at,
        position=found.position,
        alternate_position=found.alternate_position,
        raw_mean=_round(found.raw_mean),
        score=_round(found.score),
        se=None if found.se is None else _round(found.se),
        cut=None if found.cut is None else _round(found.cut),
        alternate_cut=None if found.alternate_cut is None else _round(found.alternate_cut),
        places=found.places,
        alternates=found.alternates,
        low=low,
        high=high,
        adjustment=adjustment_of(found.raw_mean, found.score),
        adjustment_text=render(explain_adjustment(facts, own=own)),
        reason_codes=codes,
        reasons=[render(reason_message(found, code)) for code in codes],
    )


def reason_message(found: InterviewDecision, code: ShortlistReason) -> Message:
    """One reason as a sentence to the candidate, with the decision's figures."""
    params: dict[str, object] = {
        "score": _shown(found.score),
        "cut": _shown(found.cut),
        "alternate_cut": _shown(found.alternate_cut),
        "places": found.places,
        "alternates": found.alternates,
        "position": found.alternate_position or 0,
    }
    if code is ShortlistReason.BELOW_CUT and found.alternate_cut is None:
        return Message(_BELOW_ONLY, params)
    return Message(_OWN[code], params)


def _shown(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _round(value: float) -> float:
    return round(value, DECIMALS) + 0.0
