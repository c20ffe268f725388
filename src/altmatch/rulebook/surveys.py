"""Typed shape of `dispatch_surveys:`, the satisfaction surveys a dispatch company sends each term.

The Japanese school terms (with their source), when a round's survey opens and closes relative
to its term, how many days before the deadline a reminder goes out, the questions of the
school's and the ALT's surveys with the words of the 1-5 scale in both languages, and the
optional weights the roster optimiser gives to a pair's satisfaction. The reasoning that turns
these into dates and scores lives in `altmatch.domain.satisfaction`.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from altmatch.rulebook.schema import Frozen, Reasoned, Sourced, Text


class SchoolTerm(Frozen):
    """One term of the school year: from month/day to month/day (inclusive)."""

    number: int = Field(ge=1, le=3)
    name: Text
    start_month: int = Field(ge=1, le=12)
    start_day: int = Field(ge=1, le=31)
    end_month: int = Field(ge=1, le=12)
    end_day: int = Field(ge=1, le=31)


class SchoolTerms(Sourced):
    """The three terms of the Japanese school year (April to March)."""

    terms: list[SchoolTerm] = Field(min_length=3, max_length=3)

    @model_validator(mode="after")
    def _numbered(self) -> SchoolTerms:
        if [t.number for t in self.terms] != [1, 2, 3]:
            raise ValueError("terms must be numbered 1, 2, 3 in order")
        return self


class SurveyWindow(Reasoned):
    """A round's survey opens `opens_days_before_end` days before its term ends and closes
    `closes_days_after_end` days after; a reminder goes `reminder_days_before_close` days
    before it closes, once per invitation."""

    opens_days_before_end: int = Field(ge=0, le=120)
    closes_days_after_end: int = Field(ge=0, le=60)
    reminder_days_before_close: int = Field(ge=1, le=60)


class SurveyItem(Frozen):
    """One question on a 1-5 scale."""

    id: str = Field(pattern=r"^[a-z_]{1,32}$")
    question: Text


class SurveyForm(Frozen):
    """A survey: its title, who reads the answers, and its questions."""

    title: Text
    intro: Text
    items: list[SurveyItem] = Field(min_length=1, max_length=8)


class SatisfactionWeights(Reasoned):
    """What the roster optimiser makes of a current pair's satisfaction, in commute minutes,
    when the company asks it to: a pair whose fit is at least `good_fit` gets `keep_bonus_minutes`
    for staying; one below `poor_fit` gets `move_penalty_minutes` added to staying. Pairs with
    fewer than `min_responses` answers are left as they are."""

    good_fit: float = Field(ge=0, le=1)
    poor_fit: float = Field(ge=0, le=1)
    keep_bonus_minutes: float = Field(ge=0, le=600)
    move_penalty_minutes: float = Field(ge=0, le=600)
    min_responses: int = Field(ge=1, le=10)

    @model_validator(mode="after")
    def _ordered(self) -> SatisfactionWeights:
        if self.poor_fit > self.good_fit:
            raise ValueError("poor_fit must not exceed good_fit")
        return self


class DispatchSurveys(Frozen):
    """The school's survey of its ALT, the ALT's (confidential) survey of the school, the
    terms they run in, and the optimiser's satisfaction weights."""

    school_terms: SchoolTerms
    window: SurveyWindow
    scale: list[Text] = Field(min_length=5, max_length=5)
    school_survey: SurveyForm
    alt_survey: SurveyForm
    weights: SatisfactionWeights
