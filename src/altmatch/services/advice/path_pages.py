"""One page per hiring path for someone still deciding: who employs you, who may apply, when,
what it pays in kind, how it rates, and what the whole-decision guidance says about it, all
from the rulebook with each statement's source. The advisor compares the paths for one
person; these pages describe each path for everyone (JSON twins: /api/v1/paths...).
"""

from __future__ import annotations

import datetime as dt
from typing import TypedDict

from babel.dates import get_month_names
from pydantic import BaseModel

from altmatch.domain.access import NotFoundError
from altmatch.domain.timeline import next_step
from altmatch.i18n import label, render
from altmatch.i18n.formats import BABEL_LOCALES
from altmatch.rulebook.schema import ApplicationWindow, Rulebook, Sourced
from altmatch.rulebook.vocabulary import Dimension, HiringPath
from altmatch.services.advice.guidance import SourcedTextOut
from altmatch.services.advice.profile_input import country_name


class PathRuleOut(SourcedTextOut):
    """An eligibility rule in words; `advisory` rules warn rather than close the path."""

    id: str
    fix: str
    advisory: bool


class PathBenefitOut(SourcedTextOut):
    label: str


class PathRatingOut(SourcedTextOut):
    dimension: Dimension
    name: str
    score: float


class PathWindowOut(BaseModel):
    opens: dt.date
    closes: dt.date
    closes_latest: dt.date | None
    starts: dt.date


class PathCountryWindowsOut(BaseModel):
    countries: list[str]
    names: list[str]
    windows: list[PathWindowOut]
    source: str
    as_of: dt.date
    estimate: bool


class PathGuidanceOut(SourcedTextOut):
    topic: str
    title: str


class PathSummaryOut(BaseModel):
    path: HiringPath
    name: str
    employer: str
    support_model: str
    url: str


class PathPageOut(PathSummaryOut):
    """Everything the rulebook says about one path, for one reader's language."""

    today: dt.date
    timeline: SourcedTextOut
    year_round: bool
    next_window: PathWindowOut | None  # the general round (countries may differ: see below)
    start_months: list[int]
    start_month_names: list[str]  # the same months in the reader's language
    lead_months: int
    country_windows: list[PathCountryWindowsOut]
    eligibility: list[PathRuleOut]
    benefits: list[PathBenefitOut]
    ratings: list[PathRatingOut]
    guidance: list[PathGuidanceOut]
    others: list[PathSummaryOut]


class PathsOut(BaseModel):
    paths: list[PathSummaryOut]


class _Sourced(TypedDict):
    text: str
    source: str
    as_of: dt.date
    estimate: bool


def _sourced(item: Sourced, text: str) -> _Sourced:
    return {
        "text": text,
        "source": str(item.source),
        "as_of": item.as_of,
        "estimate": item.estimate,
    }


def _summary(rulebook: Rulebook, path: HiringPath, locale: str) -> PathSummaryOut:
    info = rulebook.paths[path]
    return PathSummaryOut(
        path=path,
        name=info.name.get(locale),
        employer=info.employer.get(locale),
        support_model=info.support_model.get(locale),
        url=f"/paths/{path.value}",
    )


def _window(w: ApplicationWindow) -> PathWindowOut:
    return PathWindowOut(
        opens=w.opens, closes=w.closes, closes_latest=w.closes_latest, starts=w.starts
    )


def _label(value: Dimension, locale: str) -> str:
    return render(label(value), locale)


def paths_out(rulebook: Rulebook, locale: str) -> PathsOut:
    return PathsOut(paths=[_summary(rulebook, p, locale) for p in HiringPath])


def path_page(rulebook: Rulebook, path: HiringPath, locale: str, *, today: dt.date) -> PathPageOut:
    """The page for `path` as of `today` (which decides the next application round)."""
    info = rulebook.paths[path]
    timeline = info.timeline
    step = next_step(timeline, today=today, earliest_start=None)
    months = get_month_names("wide", locale=BABEL_LOCALES.get(locale, "en_US"))
    upcoming = None
    if step.apply_by is not None and step.start is not None and step.apply_from is not None:
        upcoming = PathWindowOut(
            opens=step.apply_from,
            closes=step.apply_by,
            closes_latest=step.apply_by_latest,
            starts=step.start,
        )
    countries = [
        PathCountryWindowsOut(
            countries=list(entry.countries),
            names=[country_name(c, locale) for c in entry.countries],
            windows=[_window(w) for w in entry.windows if w.last_day >= today],
            source=str(entry.source),
            as_of=entry.as_of,
            estimate=entry.estimate,
        )
        for entry in timeline.country_windows
    ]
    guidance = [
        PathGuidanceOut(
            topic=key,
            title=topic.title.get(locale),
            **_sourced(note, note.text.get(locale)),
        )
        for key, topic in rulebook.guidance.topics()
        if (note := topic.paths.get(path)) is not None
    ]
    return PathPageOut(
        **_summary(rulebook, path, locale).model_dump(),
        today=today,
        timeline=SourcedTextOut(**_sourced(timeline, timeline.summary.get(locale))),
        year_round=step.year_round,
        next_window=upcoming,
        start_months=sorted(timeline.start_months),
        start_month_names=[months[m] for m in sorted(timeline.start_months)],
        lead_months=timeline.lead_months,
        country_windows=[c for c in countries if c.windows],
        eligibility=[
            PathRuleOut(
                id=r.id,
                fix=r.fix.get(locale),
                advisory=r.advisory,
                **_sourced(r, r.description.get(locale)),
            )
            for r in info.eligibility
        ],
        benefits=[
            PathBenefitOut(label=b.label.get(locale), **_sourced(b, b.value.get(locale)))
            for b in info.benefits
        ],
        ratings=[
            PathRatingOut(
                dimension=d,
                name=_label(d, locale),
                score=r.score,
                **_sourced(r, r.reason.get(locale)),
            )
            for d in Dimension
            if (r := info.ratings.get(d)) is not None
        ],
        guidance=guidance,
        others=[_summary(rulebook, p, locale) for p in HiringPath if p is not path],
    )


def hiring_path(value: str) -> HiringPath:
    """The path an address names (/paths/jet); any other name is not found."""
    try:
        return HiringPath(value)
    except ValueError:
        raise NotFoundError(value) from None
