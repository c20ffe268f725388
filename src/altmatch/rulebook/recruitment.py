"""Typed shape of `recruitment:`, the online application's rules (issue 19).

The questions a programme asks (their wording in both languages), the statement of purpose's
length limit, the documents and references it wants and how long a referee's link works, and
the reasons a screener may record for a decision. The rules that use them live in
`altmatch.domain.recruitment`.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, model_validator

from altmatch.i18n import N_, register_labels
from altmatch.rulebook.schema import Frozen, Reasoned, Text


class Question(StrEnum):
    """The application form's questions: each maps to a fact the season or eligibility reads."""

    NAME = "name"
    CITIZENSHIP = "citizenship"
    DEGREE = "degree"
    ENGLISH = "english"
    JLPT = "jlpt"
    TEACHING_YEARS = "teaching_years"
    DRIVING_LICENCE = "driving_licence"
    PRIOR_JET_YEARS = "prior_jet_years"
    YEARS_IN_JAPAN = "years_in_japan_recent"
    PREFERRED_PREFECTURES = "preferred_prefectures"
    STATEMENT = "statement"
    TIME_ZONE = "time_zone"  # where they will be for the interview: its clock and its hours


class QuestionText(Frozen):
    label: Text
    help: Text | None = None


class StatementLimit(Reasoned):
    """The statement of purpose's length, in characters (not bytes: Japanese counts alike)."""

    max_chars: int = Field(ge=100, le=20000)
    min_chars: int = Field(ge=0)


class DocumentRules(Reasoned):
    """What an applicant (or a referee) may upload: size and kinds, checked by content."""

    max_bytes: int = Field(ge=10_000, le=20_000_000)
    content_types: list[str] = Field(min_length=1)


class ReferenceRules(Reasoned):
    """How many references, how long a referee's link works, and whether submission waits."""

    count: int = Field(ge=0, le=5)
    link_days: int = Field(ge=1, le=120)
    may_follow: bool  # True: the application may be submitted before references arrive
    max_requests: int = Field(ge=1, le=20)  # e-mails per referee slot: no one is spammed


class Decision(StrEnum):
    SCREEN_IN = "screen_in"
    SCREEN_OUT = "screen_out"


register_labels(
    Decision, {Decision.SCREEN_IN: N_("Screen in"), Decision.SCREEN_OUT: N_("Screen out")}
)


class ScreeningReason(Frozen):
    """A reason a screener may give; `decision` says which decision it goes with."""

    decision: Decision
    text: Text


class Recruitment(Frozen):
    questions: dict[Question, QuestionText]
    statement: StatementLimit
    documents: DocumentRules
    references: ReferenceRules
    reasons: dict[str, ScreeningReason]

    @model_validator(mode="after")
    def _complete(self) -> Recruitment:
        missing = set(Question) - set(self.questions)
        if missing:
            raise ValueError(f"recruitment questions missing: {sorted(missing)}")
        for decision in Decision:
            if not any(r.decision is decision for r in self.reasons.values()):
                raise ValueError(f"no screening reason for {decision.value}")
        return self
