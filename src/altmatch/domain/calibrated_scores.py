"""Calibrated interview scores in the season: the match's 0-100 scale, ranks, and the sentence
that tells a candidate (or a coordinator) how a score was adjusted and why.

**The mapping.** The season's interview score, which the match's fit reads
(`domain.season.fit_points`), is a whole number from 0 to 100; the rubric scores from
`low` to `high` (1-5 in the 2026 rulebook). A calibrated score s is put on the season's scale
linearly, so that the rubric's ends meet the season's:

    match score = 100 × (s − low) / (high − low), rounded half up, then held within 0..100

(a calibrated score may fall a little outside the rubric's scale, see interview_calibration).
A step of the match score is 0.04 rubric points on a 1-5 rubric: well below any standard
error a panel of three can give, so rounding hides no difference worth keeping.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from altmatch.i18n import N_, Message

MATCH_SCALE = 100  # the season's interview score runs 0..MATCH_SCALE (io.season_files)
TIE = 9  # decimals: scores closer than this rank equal (float noise), as the calibration does
# A move smaller than this many rubric points (1.25 on the 0-100 scale: about one step of the
# match score) is told as "barely changed" rather than as raised or lowered.
ABOUT_AVERAGE = 0.05


def match_score(score: float, low: int, high: int) -> int:
    """`score` on the rubric's low..high scale as the season's 0..100 interview score."""
    if high <= low:
        raise ValueError("the rubric's scale must run from low to a higher high")
    scaled = MATCH_SCALE * (score - low) / (high - low)
    return max(0, min(MATCH_SCALE, math.floor(scaled + 0.5)))


def ranks(values: Sequence[float]) -> list[int]:
    """Each value's rank, highest first (1 = best); equal values share the better rank, and the
    next value's rank counts them all (1, 2, 2, 4)."""
    keyed = [round(v, TIE) for v in values]
    order = sorted(range(len(keyed)), key=lambda i: -keyed[i])
    out = [0] * len(keyed)
    for position, i in enumerate(order):
        if position and keyed[order[position - 1]] == keyed[i]:
            out[i] = out[order[position - 1]]
        else:
            out[i] = position + 1
    return out


class Adjustment(StrEnum):
    """Which way calibration moved a score: up after harsh assessors, down after lenient ones."""

    RAISED = "raised"
    LOWERED = "lowered"
    UNCHANGED = "unchanged"


def adjustment_of(raw_mean: float, score: float) -> Adjustment:
    change = round(score - raw_mean, TIE)  # 3.45 − 3.5 is −0.05, not −0.0499…98
    if change >= ABOUT_AVERAGE:
        return Adjustment.RAISED
    if change <= -ABOUT_AVERAGE:
        return Adjustment.LOWERED
    return Adjustment.UNCHANGED


@dataclass(frozen=True)
class ScoreFacts:
    """One application's calibrated interview score, as the explanation reads it."""

    raw_mean: float  # mean of the scores their assessors gave them, on the rubric's scale
    score: float  # what an assessor of average severity would give them
    se: float | None
    low: int
    high: int


_OWN = {
    Adjustment.RAISED: N_(
        "Your assessors scored, on average, {points} points harsher than the average assessor, "
        "so your interview score was raised: your calibrated score is {score} (raw mean {raw}) "
        "on the rubric's {low}–{high} scale."
    ),
    Adjustment.LOWERED: N_(
        "Your assessors scored, on average, {points} points more leniently than the average "
        "assessor, so your interview score was lowered: your calibrated score is {score} (raw "
        "mean {raw}) on the rubric's {low}–{high} scale."
    ),
    Adjustment.UNCHANGED: N_(
        "Your assessors scored about as the average assessor does, so your interview score "
        "barely changed: your calibrated score is {score} (raw mean {raw}) on the rubric's "
        "{low}–{high} scale."
    ),
}
_THEIRS = {
    Adjustment.RAISED: N_(
        "Their assessors scored, on average, {points} points harsher than the average "
        "assessor, so the interview score was raised: calibrated {score} (raw mean {raw}) on "
        "the rubric's {low}–{high} scale."
    ),
    Adjustment.LOWERED: N_(
        "Their assessors scored, on average, {points} points more leniently than the average "
        "assessor, so the interview score was lowered: calibrated {score} (raw mean {raw}) on "
        "the rubric's {low}–{high} scale."
    ),
    Adjustment.UNCHANGED: N_(
        "Their assessors scored about as the average assessor does, so the interview score "
        "barely changed: calibrated {score} (raw mean {raw}) on the rubric's {low}–{high} "
        "scale."
    ),
}


def explain_adjustment(facts: ScoreFacts, *, own: bool) -> Message:
    """How calibration moved the score and why: the candidate's own words (`own`) or a
    coordinator's. The change is the calibrated score minus the raw mean, which is the average
    severity of who scored them (when every assessor scores every criterion, as the rubric
    asks, the criteria's offsets cancel); `score` carries its standard error when known."""
    way = adjustment_of(facts.raw_mean, facts.score)
    shown = f"{facts.score:.2f}" if facts.se is None else f"{facts.score:.2f} ± {facts.se:.2f}"
    params = {
        "points": f"{abs(facts.score - facts.raw_mean):.2f}",
        "score": shown,
        "raw": f"{facts.raw_mean:.2f}",
        "low": facts.low,
        "high": facts.high,
    }
    return Message((_OWN if own else _THEIRS)[way], params)
