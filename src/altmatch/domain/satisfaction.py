"""Satisfaction of an ALT × school pair, from the termly surveys, and what it means for a roster.

Each term the school answers a short survey about its ALT and the ALT one about the school, each
on a 1-5 scale (the rulebook's `dispatch_surveys`). A pair's `school_score` and `alt_score` are
the means of the items answered in the latest round with answers; its `fit` maps the available
means from 1-5 onto 0-1 and averages them: (score - 1) / 4, so 1 is 0.0, 3 is 0.5 and 5 is 1.0.

The roster optimiser may use fit (when the company asks): a pair at or above the rulebook's
`good_fit` is worth `keep_bonus_minutes` of commute for staying, one below `poor_fit` costs
`move_penalty_minutes` for staying, anything between or with too few answers nothing
(`stay_adjustment`). Pure: the rulebook's figures come in as arguments, dates are passed in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from altmatch.rulebook.surveys import SatisfactionWeights, SchoolTerms, SurveyWindow

SCALE_MIN, SCALE_MAX = 1, 5


class SurveyKind(StrEnum):
    """Who answers: the school (about its ALT) or the ALT (about the school, confidential)."""

    SCHOOL = "school"
    ALT = "alt"


class StayEffect(StrEnum):
    """What a pair's satisfaction does to the optimiser's cost of keeping it."""

    KEEP = "keep"  # well matched: a bonus for staying
    MOVE = "move"  # poorly matched: a penalty for staying
    NONE = "none"


@dataclass(frozen=True)
class Term:
    """One school term: the academic year it belongs to (the year its April falls in), its
    number (1-3) and first and last days."""

    academic_year: int
    number: int
    start: date
    end: date

    @property
    def key(self) -> str:
        """`2026-2`: the 2nd term of the school year that began in April 2026."""
        return f"{self.academic_year}-{self.number}"


@dataclass(frozen=True)
class Window:
    """When a round's survey can be answered (both days inclusive) and when to remind."""

    opens_on: date
    closes_on: date
    remind_on: date


def _term(terms: SchoolTerms, academic_year: int, number: int) -> Term:
    spec = terms.terms[number - 1]
    start_year = academic_year + (1 if spec.start_month < 4 else 0)
    end_year = academic_year + (1 if spec.end_month < 4 else 0)
    return Term(
        academic_year,
        number,
        date(start_year, spec.start_month, spec.start_day),
        date(end_year, spec.end_month, spec.end_day),
    )


def term_of(day: date, terms: SchoolTerms) -> Term:
    """The term `day` falls in; in a holiday between terms (August), the term that ended last,
    whose survey is then still being answered."""
    academic_year = day.year if day.month >= 4 else day.year - 1
    candidates = [_term(terms, academic_year, n) for n in (1, 2, 3)]
    for term in candidates:
        if term.start <= day <= term.end:
            return term
    ended = [t for t in candidates if t.end < day]
    return ended[-1] if ended else candidates[0]


def previous_term(term: Term, terms: SchoolTerms) -> Term:
    """The term before `term` (the 3rd term of the year before, before a 1st term)."""
    if term.number == 1:
        return _term(terms, term.academic_year - 1, 3)
    return _term(terms, term.academic_year, term.number - 1)


def survey_window(term: Term, window: SurveyWindow) -> Window:
    """The round's window: opens `opens_days_before_end` before the term's last day, closes
    `closes_days_after_end` after it, reminds `reminder_days_before_close` before closing."""
    closes = term.end + timedelta(days=window.closes_days_after_end)
    return Window(
        opens_on=term.end - timedelta(days=window.opens_days_before_end),
        closes_on=closes,
        remind_on=closes - timedelta(days=window.reminder_days_before_close),
    )


def mean_score(answers: Mapping[str, int], items: Sequence[str]) -> float | None:
    """The mean of the listed items' answers (each 1-5); None when none is answered. Raises
    ValueError for an answer off the scale."""
    values = []
    for item in items:
        if item in answers:
            value = answers[item]
            if not SCALE_MIN <= value <= SCALE_MAX:
                raise ValueError(f"{item}: {value} is not on the 1-5 scale")
            values.append(value)
    return sum(values) / len(values) if values else None


def unit(score: float) -> float:
    """A 1-5 score on 0-1: (score - 1) / 4."""
    return (score - SCALE_MIN) / (SCALE_MAX - SCALE_MIN)


@dataclass(frozen=True)
class PairSatisfaction:
    """How well an ALT and a school suit each other, by their latest answered surveys.

    `school_score`: the mean of the school's items (1-5) in the latest round the school answered,
    None if it never did; `alt_score`: the same for the ALT's survey of the school; `responses`:
    how many surveys those two means rest on (0-2); `round_key`: the term of the latest of them
    (`2026-2`), None without answers."""

    school_score: float | None
    alt_score: float | None
    responses: int
    round_key: str | None = None

    @property
    def fit(self) -> float | None:
        """The combined fit on 0-1: the mean of the available scores mapped from 1-5 to 0-1
        (a school at 4.0 and an ALT at 2.0 give (0.75 + 0.25) / 2 = 0.5); None without any."""
        scores = [s for s in (self.school_score, self.alt_score) if s is not None]
        if not scores:
            return None
        return sum(unit(s) for s in scores) / len(scores)

    def effect(self, weights: SatisfactionWeights) -> StayEffect:
        """KEEP at or above `good_fit`, MOVE below `poor_fit`, NONE between, without a fit, or
        with fewer than `min_responses` answers."""
        fit = self.fit
        if fit is None or self.responses < weights.min_responses:
            return StayEffect.NONE
        if fit >= weights.good_fit:
            return StayEffect.KEEP
        if fit < weights.poor_fit:
            return StayEffect.MOVE
        return StayEffect.NONE

    def stay_adjustment(self, weights: SatisfactionWeights) -> float:
        """Commute minutes taken off the cost of keeping the pair: `keep_bonus_minutes` for a
        well-matched pair, minus `move_penalty_minutes` for a poorly matched one, else 0."""
        effect = self.effect(weights)
        if effect is StayEffect.KEEP:
            return weights.keep_bonus_minutes
        if effect is StayEffect.MOVE:
            return -weights.move_penalty_minutes
        return 0.0
