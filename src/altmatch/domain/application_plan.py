"""A personal application plan: the dated steps of every path open to the person, side by side.

Each open path contributes the steps of its next route in (the advice's `next_step`). JET gets
its whole calendar, dated from its window's closing day with the months in the rulebook's
`guidance.timing.jet`: apply by, interviews, results, placement notice (after which declining
bars the next year), departure, how long alternates may still be upgraded, and what to do if it
says no. A dispatch application runs alongside JET as the fallback; direct hire gets its own
apply-by and start. Pure: `advice.today` is the only "now".

Messages take `MonthOf` parameters for steps known only to the month; adapters render those as
month names ("January 2027", "2027年1月"), as they render dates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from altmatch.domain.advice import Advice, PathAdvice
from altmatch.domain.timeline import NextStep, add_months, next_step
from altmatch.i18n import N_, Message
from altmatch.rulebook.guidance import JetCycle, MonthSpan
from altmatch.rulebook.schema import Rulebook
from altmatch.rulebook.vocabulary import HiringPath


class Precision(StrEnum):
    """How exactly a step's date is known: to the day, or only to the month."""

    DAY = "day"
    MONTH = "month"


class StepKind(StrEnum):
    """What a step is, in the order steps on the same day are listed."""

    NOT_OPEN = "not_open"
    NO_WINDOW = "no_window"
    APPLY_BY = "apply_by"
    INTERVIEWS = "interviews"
    RESULTS = "results"
    PLACEMENT_NOTICE = "placement_notice"
    IF_NOT_SELECTED = "if_not_selected"
    START = "start"
    ALTERNATE_UPGRADES = "alternate_upgrades"


class Branch(StrEnum):
    """A step that applies only if an earlier answer goes a certain way."""

    IF_ALTERNATE = "if_alternate"
    IF_NOT_SELECTED = "if_not_selected"


@dataclass(frozen=True, order=True)
class MonthOf:
    """A calendar month, as a step's date or a message parameter."""

    year: int
    month: int

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)


@dataclass(frozen=True)
class PlanStep:
    """One dated step. `on` is the day, or the first of the month when `precision` is MONTH."""

    on: dt.date
    precision: Precision
    path: HiringPath
    kind: StepKind
    message: Message
    branch: Branch | None = None


def plan(advice: Advice, rulebook: Rulebook) -> tuple[PlanStep, ...]:
    """The steps of every path open to the person, in date order (see module docstring)."""
    today = advice.today
    open_paths = {p.path: p for p in advice.paths if p.eligible}
    jet = open_paths.get(HiringPath.JET)
    dispatch = open_paths.get(HiringPath.DISPATCH)
    steps: list[PlanStep] = []
    if jet is not None:
        steps += _jet_steps(jet, rulebook.guidance.timing.jet, today, dispatch)
    if dispatch is not None:
        steps += _dispatch_steps(dispatch, today, alongside_jet=jet is not None)
    direct = open_paths.get(HiringPath.DIRECT_HIRE)
    if direct is not None:
        steps += _direct_hire_steps(direct, today)
    order = list(StepKind)
    paths = list(HiringPath)
    return tuple(sorted(steps, key=lambda s: (s.on, order.index(s.kind), paths.index(s.path))))


def _month_after(after: dt.date, month: int) -> MonthOf:
    """The first `month` (1-12) that falls in a later calendar month than `after`."""
    ahead = (month - after.month - 1) % 12 + 1
    first = add_months(dt.date(after.year, after.month, 1), ahead)
    return MonthOf(first.year, first.month)


def _resolve(span: MonthSpan, after: dt.date) -> tuple[MonthOf, MonthOf]:
    """A span of months placed on the calendar: its first month after `after`, its last month
    no earlier than its first (a span may run over New Year)."""
    first = _month_after(after, span.first)
    if span.last == span.first:
        return first, first
    return first, _month_after(first.first_day, span.last)


def _months_message(single: str, ranged: str, first: MonthOf, last: MonthOf) -> Message:
    if first == last:
        return Message(single, {"month": first})
    return Message(ranged, {"first": first, "last": last})


def _jet_steps(
    jet: PathAdvice, cycle: JetCycle, today: dt.date, dispatch: PathAdvice | None
) -> list[PlanStep]:
    route = jet.next_step
    if route.apply_by is None or route.start is None:
        message = Message(
            N_("No JET application window is published yet: check the programme's site in autumn.")
        )
        return [PlanStep(today, Precision.DAY, HiringPath.JET, StepKind.NO_WINDOW, message)]

    def step(
        on: dt.date | MonthOf, kind: StepKind, message: Message, branch: Branch | None = None
    ) -> PlanStep:
        if isinstance(on, MonthOf):
            return PlanStep(on.first_day, Precision.MONTH, HiringPath.JET, kind, message, branch)
        return PlanStep(on, Precision.DAY, HiringPath.JET, kind, message, branch)

    steps: list[PlanStep] = []
    if route.apply_from is not None and today < route.apply_from:
        steps.append(
            step(
                today,
                StepKind.NOT_OPEN,
                _not_open_message(route),
            )
        )
    steps.append(_jet_apply_by(route, today))
    interviews = _resolve(cycle.interviews, route.apply_by_latest or route.apply_by)
    results = _resolve(cycle.results, interviews[0].first_day)
    placement = _resolve(cycle.placement_notice, results[0].first_day)
    upgrades = _resolve(cycle.alternate_upgrades, results[0].first_day)
    steps += [
        step(
            interviews[0],
            StepKind.INTERVIEWS,
            _months_message(
                N_("JET interviews, for those invited: {month}."),
                N_("JET interviews, for those invited: {first} to {last}."),
                *interviews,
            ),
        ),
        step(
            results[0],
            StepKind.RESULTS,
            _months_message(
                N_("JET results (short-listed, alternate or not selected): {month}."),
                N_("JET results (short-listed, alternate or not selected): {first} to {last}."),
                *results,
            ),
        ),
        step(
            placement[0],
            StepKind.PLACEMENT_NOTICE,
            _months_message(
                N_(
                    "Placement notice: {month}. Declining a placement after it bars you from "
                    "applying to JET the following year."
                ),
                N_(
                    "Placement notice: {first} to {last}. Declining a placement after it bars "
                    "you from applying to JET the following year."
                ),
                *placement,
            ),
        ),
        step(
            route.start,
            StepKind.START,
            Message(
                N_("If you accept a JET placement, you leave for Japan about {date}."),
                {"date": route.start},
            ),
        ),
        step(
            upgrades[1],
            StepKind.ALTERNATE_UPGRADES,
            Message(
                N_(
                    "If you are an alternate: an upgrade can still come until about {month}, "
                    "most of them before departure. Keep your other applications going."
                ),
                {"month": upgrades[1]},
            ),
            Branch.IF_ALTERNATE,
        ),
    ]
    steps.append(_if_not_selected(results[1], dispatch, today))
    return steps


def _not_open_message(route: NextStep) -> Message:
    latest = route.apply_by_latest
    ranged = route.apply_by is not None and latest is not None and latest > route.apply_by
    if ranged and not route.for_country:
        return Message(
            N_(
                "JET is not taking applications now: its next window opens about {opens}, "
                "and deadlines fall from about {closes} to about {latest} depending on "
                "your country."
            ),
            {"opens": route.apply_from, "closes": route.apply_by, "latest": latest},
        )
    return Message(
        N_(
            "JET is not taking applications now: its next window opens about {opens} and "
            "closes about {closes}."
        ),
        {"opens": route.apply_from, "closes": route.apply_by},
    )


def _jet_apply_by(route: NextStep, today: dt.date) -> PlanStep:
    """The JET deadline: the person's own country's when the rulebook has it; otherwise the
    range the countries' deadlines fall in, dated today once the earliest of them is past."""
    assert route.apply_by is not None
    latest = route.apply_by_latest
    if route.for_country or latest is None or latest <= route.apply_by:
        on = route.apply_by
        if route.for_country:
            message = Message(
                N_(
                    "Apply to JET by about {date}, the deadline for your country; check your "
                    "embassy's page for this year's date."
                ),
                {"date": route.apply_by},
            )
        else:
            message = Message(
                N_(
                    "Apply to JET by about {date}. Each country sets its own deadline: check "
                    "your embassy's page."
                ),
                {"date": route.apply_by},
            )
    elif today <= route.apply_by:
        on = route.apply_by
        message = Message(
            N_(
                "Apply to JET by about {date}. Each country sets its own deadline, from about "
                "{date} to about {latest}: check your embassy's page."
            ),
            {"date": route.apply_by, "latest": latest},
        )
    else:
        on = today
        message = Message(
            N_(
                "Apply to JET now if your country's deadline has not passed: the last ones "
                "fall about {latest}. Check your embassy's page."
            ),
            {"latest": latest},
        )
    return PlanStep(on, Precision.DAY, HiringPath.JET, StepKind.APPLY_BY, message)


def _if_not_selected(results_end: MonthOf, dispatch: PathAdvice | None, today: dt.date) -> PlanStep:
    """What to do once JET says no: the next dispatch start after the results, when dispatch is
    open to the person and that start is later than the one already in the plan; otherwise
    JET's next window."""
    if dispatch is not None and dispatch.next_step.start is not None:
        known = results_end.first_day
        later = next_step(
            dispatch.info.timeline, today=max(known, today), earliest_start=dispatch.next_step.start
        )
        if later.start is not None and later.start > dispatch.next_step.start:
            return PlanStep(
                known,
                Precision.MONTH,
                HiringPath.DISPATCH,
                StepKind.IF_NOT_SELECTED,
                Message(
                    N_(
                        "If JET does not select you and you have no dispatch post yet, apply "
                        "to a dispatch company straight away: the next start is about {date}."
                    ),
                    {"date": later.start},
                ),
                Branch.IF_NOT_SELECTED,
            )
    return PlanStep(
        results_end.first_day,
        Precision.MONTH,
        HiringPath.JET,
        StepKind.IF_NOT_SELECTED,
        Message(N_("If JET does not select you, you can apply again in its next autumn window.")),
        Branch.IF_NOT_SELECTED,
    )


def _apply_by(advised: PathAdvice, start: dt.date, today: dt.date) -> dt.date:
    """A fixed round's closing day, or for year-round hiring the usual lead time before the
    start (never before today)."""
    if advised.next_step.apply_by is not None:
        return advised.next_step.apply_by
    return max(today, add_months(start, -advised.info.timeline.lead_months))


def _dispatch_steps(dispatch: PathAdvice, today: dt.date, *, alongside_jet: bool) -> list[PlanStep]:
    start = dispatch.next_step.start
    if start is None:
        return []
    apply_by = _apply_by(dispatch, start, today)
    if alongside_jet:
        template = N_(
            "Apply to a dispatch company by about {date} for a start on {start}, as a fallback "
            "alongside JET."
        )
    else:
        template = N_("Apply to a dispatch company by about {date} for a start on {start}.")
    return [
        PlanStep(
            apply_by,
            Precision.DAY,
            HiringPath.DISPATCH,
            StepKind.APPLY_BY,
            Message(template, {"date": apply_by, "start": start}),
        ),
        PlanStep(
            start,
            Precision.DAY,
            HiringPath.DISPATCH,
            StepKind.START,
            Message(N_("Earliest start with a dispatch company: about {date}."), {"date": start}),
        ),
    ]


def _direct_hire_steps(direct: PathAdvice, today: dt.date) -> list[PlanStep]:
    start = direct.next_step.start
    if start is None:
        return []
    apply_by = _apply_by(direct, start, today)
    return [
        PlanStep(
            apply_by,
            Precision.DAY,
            HiringPath.DIRECT_HIRE,
            StepKind.APPLY_BY,
            Message(
                N_(
                    "Apply to Boards of Education's own postings by about {date} for a start "
                    "on {start}."
                ),
                {"date": apply_by, "start": start},
            ),
        ),
        PlanStep(
            start,
            Precision.DAY,
            HiringPath.DIRECT_HIRE,
            StepKind.START,
            Message(N_("Earliest start as a direct hire: about {date}."), {"date": start}),
        ),
    ]
