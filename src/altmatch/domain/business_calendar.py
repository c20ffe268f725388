"""Business-hours arithmetic on Japan time: weekdays, opening hours, public holidays, closures.

Support deadlines count only the time an office works. A moment is business time when, on
Japan time (Asia/Tokyo, no daylight saving), its day is one of the rulebook's weekdays, is not
a Japanese public holiday (from the maintained `holidays` library, substitute holidays
included), is not inside a closure range ('12-29'..'01-03' wraps over New Year; both ends
inclusive), and its clock time lies in [opens, closes).

`add_business_hours` starts counting at `start` or, when `start` is outside business time, at
the next opening, and spends the hours day by day; a deadline that uses up a day exactly falls
at that day's closing time, not the next morning. Zero hours returns `start` itself: an
emergency target is "at once, round the clock". A business day is one full working day's
hours (the whole opening window: 8.75 h for 8:30-17:15; a lunch break is not modelled), so one
business day from Tuesday 10:00 is Wednesday 10:00 and half a day can be expressed.
`business_hours_between(a, b)` counts the working hours in [a, b) and is the inverse of adding.
Every input must be timezone-aware (ValueError otherwise); every output is UTC.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import holidays

from altmatch.clock import JAPAN
from altmatch.rulebook.schema import BusinessHours

# A calendar with no business day in this many days in a row can never meet a deadline.
_MAX_IDLE_DAYS = 800


@functools.cache
def japanese_holiday() -> Callable[[date], bool]:
    """True on Japanese national holidays (substitute and citizens' holidays included).

    One shared table: the library fills in each year the first time it is asked about it."""
    calendar = holidays.country_holidays("JP")

    def is_holiday(day: date) -> bool:
        return day in calendar

    return is_holiday


def _require_aware(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {value!r}")


def _in_closure(day: date, closures: tuple[tuple[str, str], ...]) -> bool:
    month_day = f"{day.month:02d}-{day.day:02d}"  # 'MM-DD' compares like the date itself
    for first, last in closures:
        if first <= last:
            if first <= month_day <= last:
                return True
        elif month_day >= first or month_day <= last:  # wraps over New Year
            return True
    return False


@dataclass(frozen=True)
class BusinessCalendar:
    """When an office works, on Japan time. `weekdays` uses 1 = Monday ... 7 = Sunday."""

    opens: time
    closes: time
    weekdays: frozenset[int]
    closures: tuple[tuple[str, str], ...]
    holiday: Callable[[date], bool]

    def __post_init__(self) -> None:
        if not self.opens < self.closes:
            raise ValueError("opens must be before closes")
        if not self.weekdays or any(d < 1 or d > 7 for d in self.weekdays):
            raise ValueError("weekdays are 1 (Monday) to 7 (Sunday), at least one")

    @classmethod
    def from_rules(cls, hours: BusinessHours) -> BusinessCalendar:
        """The rulebook's business hours with Japanese public holidays."""
        return cls(
            opens=hours.opens,
            closes=hours.closes,
            weekdays=frozenset(hours.weekdays),
            closures=tuple((first, last) for first, last in hours.closures),
            holiday=japanese_holiday(),
        )

    @property
    def day_length(self) -> timedelta:
        """The working time of one full business day."""
        today = date(2000, 1, 1)
        return datetime.combine(today, self.closes) - datetime.combine(today, self.opens)

    @property
    def hours_per_day(self) -> float:
        return self.day_length / timedelta(hours=1)

    def is_business_day(self, day: date) -> bool:
        return (
            day.isoweekday() in self.weekdays
            and not _in_closure(day, self.closures)
            and not self.holiday(day)
        )

    def _windows(self, day: date) -> Iterator[tuple[datetime, datetime]]:
        """Working windows (opening, closing) on Japan time from `day` on, forever."""
        idle = 0
        while True:
            if self.is_business_day(day):
                idle = 0
                yield (
                    datetime.combine(day, self.opens, tzinfo=JAPAN),
                    datetime.combine(day, self.closes, tzinfo=JAPAN),
                )
            else:
                idle += 1
                if idle > _MAX_IDLE_DAYS:
                    raise ValueError("the calendar has no business day in over two years")
            day += timedelta(days=1)

    def add_business_hours(self, start: datetime, hours: float) -> datetime:
        """The moment `hours` of working time after `start` (UTC). 0 hours → `start`."""
        _require_aware(start, "start")
        if hours < 0:
            raise ValueError("hours must not be negative")
        remaining = timedelta(hours=hours)
        if not remaining:
            return start.astimezone(UTC)
        cursor = start.astimezone(JAPAN)
        for opening, closing in self._windows(cursor.date()):
            begin = max(cursor, opening)
            if begin >= closing:
                continue
            available = closing - begin
            if remaining <= available:
                return (begin + remaining).astimezone(UTC)
            remaining -= available
        raise AssertionError("unreachable: _windows never ends")  # pragma: no cover

    def add_business_days(self, start: datetime, days: float) -> datetime:
        """`days` full working days after `start` (UTC): days × the working hours of a day."""
        if days < 0:
            raise ValueError("days must not be negative")
        return self.add_business_hours(start, days * self.hours_per_day)

    def business_hours_between(self, start: datetime, end: datetime) -> float:
        """Working hours in [start, end); 0 when `end` is not after `start`."""
        _require_aware(start, "start")
        _require_aware(end, "end")
        if end <= start:
            return 0.0
        first = start.astimezone(JAPAN)
        last = end.astimezone(JAPAN)
        total = timedelta()
        for opening, closing in self._windows(first.date()):
            if opening >= last:
                break
            begin, finish = max(first, opening), min(last, closing)
            if finish > begin:
                total += finish - begin
        return total / timedelta(hours=1)
