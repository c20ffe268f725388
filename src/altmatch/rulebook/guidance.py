"""Typed shape of the advisor's decision guidance and of the interview rubric.

`guidance:` holds what the advisor says beyond pay and eligibility (issue 18): per topic, a
sourced comparison of the three paths, and the JET calendar the personal plan is dated by.

`interview_rubric:` is a top-level key, not part of `guidance:`, on purpose: the same rubric
is what candidates prepare against and what assessors score on (recruitment, issue 19), so it
carries nothing advisor-specific. An assessor's score for a criterion is an integer from
`min_score` to `max_score`; `criterion(id)` and `accepts(id, score)` are what a scoring form or
an import of `candidate_id,panel_id,assessor_id,criterion,score` rows checks against.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from altmatch.rulebook.schema import Frozen, Sourced, Text
from altmatch.rulebook.vocabulary import HiringPath


class Note(Sourced):
    """One sourced statement in both languages."""

    text: Text


class Topic(Frozen):
    """One consideration, compared path by path, with optional further points (questions to
    ask, what to do if things go wrong) under their own heading."""

    title: Text
    summary: Note
    paths: dict[HiringPath, Note]
    points_title: Text | None = None
    points: list[Note] = Field(default_factory=list)

    @model_validator(mode="after")
    def _complete(self) -> Topic:
        missing = set(HiringPath) - set(self.paths)
        if missing:
            raise ValueError(f"paths missing: {sorted(missing)}")
        if bool(self.points) != (self.points_title is not None):
            raise ValueError("points and points_title are given together, or neither")
        return self


class InterviewTopic(Topic):
    """What recruiters look for, plus a self-check a candidate can do alone."""

    self_check: list[Note] = Field(min_length=1)


class MonthSpan(Sourced):
    """Months of the year something usually happens in; `last` may be earlier than `first`
    when the span runs over New Year."""

    first: int = Field(ge=1, le=12)
    last: int = Field(ge=1, le=12)


class JetCycle(Frozen):
    """When a JET application's answers arrive, counted from its window's closing date."""

    interviews: MonthSpan
    results: MonthSpan
    placement_notice: MonthSpan
    alternate_upgrades: MonthSpan = Field(
        description="From the results until the last month alternates are still upgraded."
    )


class GuidanceTiming(Frozen):
    jet: JetCycle


class Guidance(Frozen):
    """The whole decision: the topics, in the order the advisor shows them."""

    timing: GuidanceTiming
    alumni: Topic
    training: Topic
    transfers: Topic
    supervisor: Topic
    interview: InterviewTopic
    strategy: Topic

    def topics(self) -> tuple[tuple[str, Topic], ...]:
        return (
            ("alumni", self.alumni),
            ("training", self.training),
            ("transfers", self.transfers),
            ("supervisor", self.supervisor),
            ("interview", self.interview),
            ("strategy", self.strategy),
        )


class RubricAnchor(Frozen):
    """What a given score on one criterion looks like."""

    score: int
    text: Text


class RubricCriterion(Sourced):
    """One thing a panel scores, its anchors (one per score) and questions to practise on."""

    id: str = Field(pattern=r"^[a-z_]+$")
    name: Text
    description: Text
    anchors: list[RubricAnchor] = Field(min_length=2)
    questions: list[Text] = Field(min_length=1)

    def anchor(self, score: int) -> RubricAnchor:
        return next(a for a in self.anchors if a.score == score)


class ShortlistPolicy(Sourced):
    """How many candidates the interview round shortlists, and lists as alternates, per place
    the season's BoEs requested: the defaults a coordinator starts from."""

    places_per_request_place: float = Field(gt=0)
    alternates_per_request_place: float = Field(ge=0)


class InterviewRubric(Sourced):
    """Criteria scored on one ordinal scale, each with an anchor for every score."""

    min_score: int = Field(ge=0)
    max_score: int
    criteria: list[RubricCriterion] = Field(min_length=1)
    shortlist: ShortlistPolicy

    @model_validator(mode="after")
    def _scale(self) -> InterviewRubric:
        if self.max_score <= self.min_score:
            raise ValueError("max_score must exceed min_score")
        ids = [c.id for c in self.criteria]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"duplicate criterion ids: {dupes}")
        scores = list(self.scores)
        for criterion in self.criteria:
            if sorted(a.score for a in criterion.anchors) != scores:
                raise ValueError(
                    f"criterion {criterion.id}: needs exactly one anchor for each score "
                    f"{self.min_score}-{self.max_score}"
                )
        return self

    @property
    def scores(self) -> range:
        return range(self.min_score, self.max_score + 1)

    def criterion(self, criterion_id: str) -> RubricCriterion:
        """The criterion with this id; KeyError names an unknown one."""
        for criterion in self.criteria:
            if criterion.id == criterion_id:
                return criterion
        raise KeyError(criterion_id)

    def accepts(self, criterion_id: str, score: int) -> bool:
        """Whether `score` is a valid score for the criterion `criterion_id`."""
        return any(c.id == criterion_id for c in self.criteria) and score in self.scores
