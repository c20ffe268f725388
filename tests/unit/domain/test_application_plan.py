"""The personal plan: dated steps for every open path, JET's calendar counted from its
deadline, dispatch as the fallback, and what to do once JET answers. Each case sets the
advice's next steps by hand, so the dates are worked out here, not read from the rulebook's
windows."""

from __future__ import annotations

import datetime as dt
from dataclasses import fields, replace

import pytest

from altmatch.domain.advice import Advice, PathAdvice
from altmatch.domain.application_plan import (
    Branch,
    MonthOf,
    PlanStep,
    Precision,
    StepKind,
    plan,
)
from altmatch.domain.timeline import NextStep
from altmatch.rulebook import Rulebook, load_rulebook
from altmatch.rulebook.vocabulary import HiringPath

JET, DISPATCH, DIRECT = HiringPath.JET, HiringPath.DISPATCH, HiringPath.DIRECT_HIRE


@pytest.fixture(scope="module")
def book() -> Rulebook:
    """The 2026 edition with year-round hiring pinned to what these cases were worked with:
    dispatch starts in April, August and September, four months from application to start;
    direct hire starts in April, three months from application."""
    rulebook = load_rulebook(2026)
    paths = dict(rulebook.paths)
    for path, months, lead in ((DISPATCH, [4, 8, 9], 4), (DIRECT, [4], 3)):
        timeline = paths[path].timeline.model_copy(
            update={"start_months": months, "lead_months": lead, "windows": []}
        )
        paths[path] = paths[path].model_copy(update={"timeline": timeline})
    return rulebook.model_copy(update={"paths": paths})


def _path(book: Rulebook, path: HiringPath, route: NextStep, *, open_: bool = True) -> PathAdvice:
    """One path's advice with only what the plan reads filled in (the rest left empty)."""
    info = book.paths[path]
    values: dict[str, object] = {f.name: () for f in fields(PathAdvice)}
    values.update(
        path=path,
        info=info,
        failed_rules=() if open_ else (info.eligibility[0],),
        dimension_scores={},
        score=0.0,
        next_step=route,
    )
    return PathAdvice(**values)  # type: ignore[arg-type]


def _advice(today: dt.date, *paths: PathAdvice) -> Advice:
    return Advice(
        rulebook_year=2026,
        rulebook_as_of=dt.date(2026, 11, 25),
        today=today,
        priorities={},
        paths=paths,
    )


def _dated(steps: tuple[PlanStep, ...]) -> list[tuple[dt.date, str, str, str | None]]:
    return [(s.on, s.path.value, s.kind.value, s.branch.value if s.branch else None) for s in steps]


# The UK's 2026 round as the JET UK office states it: October to the last Friday of November.
GB_2026 = NextStep(
    dt.date(2026, 10, 1), dt.date(2026, 11, 27), dt.date(2027, 7, 25), False, for_country=True
)
GB_2027 = NextStep(
    dt.date(2027, 10, 1), dt.date(2027, 11, 26), dt.date(2028, 7, 25), False, for_country=True
)
DIRECT_ROUTE = NextStep(None, None, dt.date(2027, 4, 1), True)


def test_a_british_graduate_in_october_applies_to_jet_with_dispatch_as_fallback(
    book: Rulebook,
) -> None:
    """Today 2026-10-15, the UK window (1 Oct - 27 Nov 2026) is open.
    JET: apply by 27 Nov 2026; interviews January-February after a November deadline, so
    Jan-Feb 2027; results March-April 2027; placement notice May-June 2027; departure
    25 Jul 2027; alternates upgraded from April to December 2027.
    Dispatch (four months' lead, starts in April/August/September): 15 Oct + 4 months =
    15 Feb 2027, so the first start is 1 Apr 2027 and the application is due 4 months
    earlier, 1 Dec 2026. If JET says no in April 2027: 1 Apr + 4 months = 1 Aug 2027, an
    August start, later than April, so the plan points to it.
    Direct hire is not open to this person, so it has no step."""
    today = dt.date(2026, 10, 15)
    dispatch_route = NextStep(None, None, dt.date(2027, 4, 1), True)
    advice = _advice(
        today,
        _path(book, JET, GB_2026),
        _path(book, DISPATCH, dispatch_route),
        _path(book, DIRECT, DIRECT_ROUTE, open_=False),
    )

    steps = plan(advice, book)

    assert _dated(steps) == [
        (dt.date(2026, 11, 27), "jet", "apply_by", None),
        (dt.date(2026, 12, 1), "dispatch", "apply_by", None),
        (dt.date(2027, 1, 1), "jet", "interviews", None),
        (dt.date(2027, 3, 1), "jet", "results", None),
        (dt.date(2027, 4, 1), "dispatch", "if_not_selected", "if_not_selected"),
        (dt.date(2027, 4, 1), "dispatch", "start", None),
        (dt.date(2027, 5, 1), "jet", "placement_notice", None),
        (dt.date(2027, 7, 25), "jet", "start", None),
        (dt.date(2027, 12, 1), "jet", "alternate_upgrades", "if_alternate"),
    ]
    by_kind = {(s.path, s.kind): s for s in steps}
    assert by_kind[JET, StepKind.INTERVIEWS].message.params == {
        "first": MonthOf(2027, 1),
        "last": MonthOf(2027, 2),
    }
    assert by_kind[JET, StepKind.INTERVIEWS].precision is Precision.MONTH
    assert by_kind[JET, StepKind.RESULTS].message.params["last"] == MonthOf(2027, 4)
    assert by_kind[JET, StepKind.PLACEMENT_NOTICE].message.params["last"] == MonthOf(2027, 6)
    assert "following year" in by_kind[JET, StepKind.PLACEMENT_NOTICE].message.template
    assert by_kind[JET, StepKind.APPLY_BY].message.params == {"date": dt.date(2026, 11, 27)}
    assert "your country" in by_kind[JET, StepKind.APPLY_BY].message.template
    assert by_kind[DISPATCH, StepKind.APPLY_BY].message.params == {
        "date": dt.date(2026, 12, 1),
        "start": dt.date(2027, 4, 1),
    }
    assert "alongside JET" in by_kind[DISPATCH, StepKind.APPLY_BY].message.template
    assert by_kind[DISPATCH, StepKind.IF_NOT_SELECTED].message.params == {
        "date": dt.date(2027, 8, 1)
    }
    assert by_kind[JET, StepKind.ALTERNATE_UPGRADES].message.params == {"month": MonthOf(2027, 12)}


def test_after_the_jet_window_the_plan_says_so_and_points_to_the_next_one(
    book: Rulebook,
) -> None:
    """Today 2026-12-10, two weeks after the UK deadline (27 Nov 2026): the next round opens
    1 Oct 2027 and closes 26 Nov 2027 for a 25 Jul 2028 departure, so the plan starts today
    with "not taking applications now", then interviews in January 2028.
    Dispatch: 10 Dec + 4 months = 10 Apr 2027, past 1 April, so the first start is
    1 Aug 2027, applied for by 1 Apr 2027 - long before JET's next answer."""
    today = dt.date(2026, 12, 10)
    advice = _advice(
        today,
        _path(book, JET, GB_2027),
        _path(book, DISPATCH, NextStep(None, None, dt.date(2027, 8, 1), True)),
    )

    steps = plan(advice, book)

    first = steps[0]
    assert (first.on, first.path, first.kind) == (today, JET, StepKind.NOT_OPEN)
    assert first.message.params == {"opens": dt.date(2027, 10, 1), "closes": dt.date(2027, 11, 26)}
    assert "not taking applications now" in first.message.template
    jet = [s for s in steps if s.path is JET]
    assert [s.on for s in jet[1:3]] == [dt.date(2027, 11, 26), dt.date(2028, 1, 1)]
    dispatch = [(s.on, s.kind) for s in steps if s.path is DISPATCH and s.branch is None]
    assert dispatch == [
        (dt.date(2027, 4, 1), StepKind.APPLY_BY),
        (dt.date(2027, 8, 1), StepKind.START),
    ]
    assert [s.on for s in steps] == sorted(s.on for s in steps)


def test_with_a_general_window_the_deadline_is_a_range_until_the_last_country_closes(
    book: Rulebook,
) -> None:
    """A country with no window of its own: deadlines run 15 Nov - 5 Dec 2026. On 20 Nov the
    earliest has passed, so the step is dated today and names 5 Dec; interviews are counted
    from the last deadline: the first January after December 2026 is January 2027."""
    today = dt.date(2026, 11, 20)
    route = NextStep(
        dt.date(2026, 9, 17),
        dt.date(2026, 11, 15),
        dt.date(2027, 7, 25),
        False,
        apply_by_latest=dt.date(2026, 12, 5),
    )

    steps = plan(_advice(today, _path(book, JET, route)), book)

    apply_by = steps[0]
    assert (apply_by.on, apply_by.kind) == (today, StepKind.APPLY_BY)
    assert apply_by.message.params == {"latest": dt.date(2026, 12, 5)}
    assert steps[1].kind is StepKind.INTERVIEWS and steps[1].on == dt.date(2027, 1, 1)


def test_before_the_general_window_the_range_of_deadlines_is_given(book: Rulebook) -> None:
    route = NextStep(
        dt.date(2026, 9, 17),
        dt.date(2026, 11, 15),
        dt.date(2027, 7, 25),
        False,
        apply_by_latest=dt.date(2026, 12, 5),
    )

    steps = plan(_advice(dt.date(2026, 9, 1), _path(book, JET, route)), book)

    assert steps[0].kind is StepKind.NOT_OPEN
    assert steps[0].message.params["latest"] == dt.date(2026, 12, 5)
    assert steps[1].on == dt.date(2026, 11, 15)
    assert steps[1].message.params == {
        "date": dt.date(2026, 11, 15),
        "latest": dt.date(2026, 12, 5),
    }


def test_only_paths_open_to_the_person_are_planned(book: Rulebook) -> None:
    """JET closed to the person: no JET step, and dispatch is no longer "a fallback"."""
    today = dt.date(2026, 10, 15)
    advice = _advice(
        today,
        _path(book, JET, GB_2026, open_=False),
        _path(book, DISPATCH, NextStep(None, None, dt.date(2027, 4, 1), True)),
        _path(book, DIRECT, DIRECT_ROUTE, open_=False),
    )

    steps = plan(advice, book)

    assert {s.path for s in steps} == {DISPATCH}
    assert "alongside JET" not in steps[0].message.template
    assert plan(_advice(today, _path(book, DISPATCH, DIRECT_ROUTE, open_=False)), book) == ()


def test_without_dispatch_a_jet_refusal_points_to_the_next_jet_window(book: Rulebook) -> None:
    steps = plan(_advice(dt.date(2026, 10, 15), _path(book, JET, GB_2026)), book)

    refusal = next(s for s in steps if s.branch is Branch.IF_NOT_SELECTED)
    assert (refusal.path, refusal.on) == (JET, dt.date(2027, 4, 1))
    assert "next autumn window" in refusal.message.template


def test_direct_hire_is_applied_for_the_lead_time_before_its_april_start(book: Rulebook) -> None:
    """Three months' lead for an April start: a 1 Apr 2027 start is applied for by
    1 Jan 2027."""
    steps = plan(_advice(dt.date(2026, 10, 15), _path(book, DIRECT, DIRECT_ROUTE)), book)

    assert [(s.on, s.kind) for s in steps] == [
        (dt.date(2027, 1, 1), StepKind.APPLY_BY),
        (dt.date(2027, 4, 1), StepKind.START),
    ]


def test_a_jet_path_with_no_published_window_says_so(book: Rulebook) -> None:
    today = dt.date(2026, 10, 15)
    route = NextStep(None, None, None, False)

    steps = plan(_advice(today, _path(book, JET, route)), book)

    assert [(s.on, s.kind) for s in steps] == [(today, StepKind.NO_WINDOW)]


def test_the_plan_reads_no_clock_only_the_advices_day(book: Rulebook) -> None:
    """The same advice gives the same plan; moving `today` moves only what depends on it."""
    one = _advice(dt.date(2026, 10, 15), _path(book, JET, GB_2026))
    later = replace(one, today=dt.date(2026, 9, 1))

    assert plan(one, book) == plan(one, book)
    assert plan(later, book)[0].kind is StepKind.NOT_OPEN
    assert plan(one, book)[0].kind is StepKind.APPLY_BY
