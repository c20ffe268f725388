"""When a candidate could next apply to a path and start work, given the rulebook's calendar."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from altmatch.rulebook.schema import Timeline


@dataclass(frozen=True)
class NextStep:
    """The soonest route into a path: an application window (if the path has fixed rounds)
    and the start date it leads to. `start` is None when the rulebook lists no window late
    enough.

    `for_country` is False when the window is the general one, whose deadline differs by
    country: applications then close between `apply_by` and `apply_by_latest`."""

    apply_from: dt.date | None
    apply_by: dt.date | None
    start: dt.date | None
    year_round: bool
    apply_by_latest: dt.date | None = None
    for_country: bool = False


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


def next_step(
    timeline: Timeline,
    *,
    today: dt.date,
    earliest_start: dt.date | None,
    country: str | None = None,
) -> NextStep:
    """The first window still open (or yet to open) that starts no earlier than the candidate
    can, in the rounds of the applicant's `country` when the rulebook lists them (otherwise
    the general rounds, open until their latest deadline); for year-round hiring, the first
    start month after the usual lead time."""
    wanted = max(today, earliest_start or today)
    windows, own = timeline.windows_for(country)
    if windows:
        for window in sorted(windows, key=lambda w: w.starts):
            if window.last_day >= today and window.starts >= wanted:
                return NextStep(
                    window.opens,
                    window.closes,
                    window.starts,
                    year_round=False,
                    apply_by_latest=window.closes_latest,
                    for_country=own,
                )
        return NextStep(None, None, None, year_round=False, for_country=own)
    ready = max(add_months(today, timeline.lead_months), wanted)
    for offset in range(13):
        first = add_months(dt.date(ready.year, ready.month, 1), offset)
        if first.month in timeline.start_months and first >= ready:
            return NextStep(None, None, first, year_round=True)
    raise AssertionError("start_months is non-empty by validation")  # pragma: no cover


def months_between(start: dt.date, end: dt.date) -> float:
    """Whole-and-fractional months from start to end (negative when end is earlier)."""
    return (end - start).days / 30.4375
