"""When a candidate could next apply to a path and start work, given the rulebook's calendar."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from altmatch.rulebook.schema import Timeline


@dataclass(frozen=True)
class NextStep:
    """The soonest route into a path: an application window (if the path has fixed rounds)
    and the start date it leads to. `start` is None when the rulebook lists no window late
    enough."""

    apply_from: dt.date | None
    apply_by: dt.date | None
    start: dt.date | None
    year_round: bool


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clamped to the month's end (Jan 31 + 1 → Feb 28/29)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def next_step(timeline: Timeline, *, today: dt.date, earliest_start: dt.date | None) -> NextStep:
    """The first window still open (or yet to open) that starts no earlier than the candidate
    can; for year-round hiring, the first start month after the usual lead time."""
    wanted = max(today, earliest_start or today)
    if timeline.windows:
        for window in sorted(timeline.windows, key=lambda w: w.starts):
            if window.closes >= today and window.starts >= wanted:
                return NextStep(window.opens, window.closes, window.starts, year_round=False)
        return NextStep(None, None, None, year_round=False)
    ready = max(add_months(today, timeline.lead_months), wanted)
    for offset in range(13):
        first = add_months(dt.date(ready.year, ready.month, 1), offset)
        if first.month in timeline.start_months and first >= ready:
            return NextStep(None, None, first, year_round=True)
    raise AssertionError("start_months is non-empty by validation")  # pragma: no cover


def months_between(start: dt.date, end: dt.date) -> float:
    """Whole-and-fractional months from start to end (negative when end is earlier)."""
    return (end - start).days / 30.4375
