"""Read models for the advisor's whole-decision guidance and the person's dated plan.

`guidance_out` renders the rulebook's `guidance:` topics and its `interview_rubric:` in one
language, every statement with its source; `plan_out` renders the domain's plan steps. Both
are part of the advice format (`AdviceOut.guidance`, `AdviceOut.plan`).
"""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date
from pydantic import BaseModel

from altmatch.domain.advice import Advice
from altmatch.domain.application_plan import Branch, MonthOf, PlanStep, Precision, StepKind, plan
from altmatch.i18n import Message, render
from altmatch.i18n.formats import BABEL_LOCALES, day
from altmatch.rulebook.guidance import InterviewRubric, InterviewTopic, Note, Topic
from altmatch.rulebook.schema import Rulebook
from altmatch.rulebook.vocabulary import HiringPath

_MONTH_PATTERNS = {"en": "MMMM y", "ja": "y年M月"}


class SourcedTextOut(BaseModel):
    text: str
    source: str
    as_of: dt.date
    estimate: bool


class PathNoteOut(SourcedTextOut):
    path: HiringPath
    name: str


class TopicOut(BaseModel):
    id: str
    title: str
    summary: SourcedTextOut
    paths: list[PathNoteOut]
    points_title: str | None
    points: list[SourcedTextOut]
    self_check: list[SourcedTextOut] = []  # the interview topic only


class RubricAnchorOut(BaseModel):
    score: int
    text: str


class RubricCriterionOut(BaseModel):
    id: str
    name: str
    description: str
    anchors: list[RubricAnchorOut]
    questions: list[str]
    source: str
    as_of: dt.date
    estimate: bool


class RubricOut(BaseModel):
    min_score: int
    max_score: int
    criteria: list[RubricCriterionOut]
    source: str
    as_of: dt.date
    estimate: bool


class GuidanceOut(BaseModel):
    """The topics in display order, and the interview rubric."""

    topics: list[TopicOut]
    rubric: RubricOut


class PlanStepOut(BaseModel):
    date: dt.date  # the first of the month when precision is "month"
    precision: Precision
    when: str
    path: HiringPath
    kind: StepKind
    branch: Branch | None
    text: str


def guidance_out(rulebook: Rulebook, locale: str) -> GuidanceOut:
    return GuidanceOut(
        topics=[
            _topic_out(key, topic, rulebook, locale) for key, topic in rulebook.guidance.topics()
        ],
        rubric=_rubric_out(rulebook.interview_rubric, locale),
    )


def plan_out(advice: Advice, rulebook: Rulebook, locale: str) -> list[PlanStepOut]:
    return [_step_out(step, locale) for step in plan(advice, rulebook)]


def month_name(month: MonthOf, locale: str) -> str:
    """'January 2027' or '2027年1月'."""
    return format_date(
        month.first_day,
        _MONTH_PATTERNS.get(locale, _MONTH_PATTERNS["en"]),
        locale=BABEL_LOCALES.get(locale, "en_US"),
    )


def _note_out(note: Note, locale: str) -> SourcedTextOut:
    return SourcedTextOut(
        text=note.text.get(locale),
        source=str(note.source),
        as_of=note.as_of,
        estimate=note.estimate,
    )


def _topic_out(key: str, topic: Topic, rulebook: Rulebook, locale: str) -> TopicOut:
    paths = [
        PathNoteOut(
            path=path,
            name=rulebook.paths[path].name.get(locale),
            **_note_out(note, locale).model_dump(),
        )
        for path in HiringPath
        if (note := topic.paths.get(path)) is not None
    ]
    return TopicOut(
        id=key,
        title=topic.title.get(locale),
        summary=_note_out(topic.summary, locale),
        paths=paths,
        points_title=topic.points_title.get(locale) if topic.points_title else None,
        points=[_note_out(p, locale) for p in topic.points],
        self_check=(
            [_note_out(n, locale) for n in topic.self_check]
            if isinstance(topic, InterviewTopic)
            else []
        ),
    )


def _rubric_out(rubric: InterviewRubric, locale: str) -> RubricOut:
    return RubricOut(
        min_score=rubric.min_score,
        max_score=rubric.max_score,
        source=str(rubric.source),
        as_of=rubric.as_of,
        estimate=rubric.estimate,
        criteria=[
            RubricCriterionOut(
                id=c.id,
                name=c.name.get(locale),
                description=c.description.get(locale),
                anchors=[
                    RubricAnchorOut(score=a.score, text=a.text.get(locale))
                    for a in sorted(c.anchors, key=lambda a: a.score)
                ],
                questions=[q.get(locale) for q in c.questions],
                source=str(c.source),
                as_of=c.as_of,
                estimate=c.estimate,
            )
            for c in rubric.criteria
        ],
    )


def _step_out(step: PlanStep, locale: str) -> PlanStepOut:
    when = (
        month_name(MonthOf(step.on.year, step.on.month), locale)
        if step.precision is Precision.MONTH
        else day(step.on, locale)
    )
    return PlanStepOut(
        date=step.on,
        precision=step.precision,
        when=when,
        path=step.path,
        kind=step.kind,
        branch=step.branch,
        text=_render(step.message, locale),
    )


def _render(message: Message, locale: str) -> str:
    """Render a plan message, writing its months the reader's way first."""
    params = {
        key: month_name(value, locale) if isinstance(value, MonthOf) else value
        for key, value in message.params.items()
    }
    return render(Message(message.template, params), locale)
