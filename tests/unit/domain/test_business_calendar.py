"""Business-hours arithmetic on Japan time, worked by hand across weekends, holidays, New Year.

The day is 8:30-17:15: 8.75 hours of opening time (the calendar counts the whole window).
Worked example: Friday 16:00 + 4 h spends 1.25 h on Friday (to 17:15) and the remaining 2.75 h
from Monday 8:30, ending Monday 11:15.

pytestmark = pytest.mark.date_sensitive
"""

from __future__ import annotations

import datetime as dt
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from altmatch.domain.business_calendar import BusinessCalendar, japanese_holiday
from altmatch.rulebook import load_rulebook
from altmatch.rulebook.schema import BusinessHours

TOKYO = ZoneInfo("Asia/Tokyo")
DAY = 8.75


def jst(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=TOKYO)


def calendar(holiday: bool = True) -> BusinessCalendar:
    return BusinessCalendar(
        opens=time(8, 30),
        closes=time(17, 15),
        weekdays=frozenset({1, 2, 3, 4, 5}),
        closures=(("12-29", "01-03"),),
        holiday=japanese_holiday() if holiday else (lambda _day: False),
    )


CAL = calendar()


def test_a_business_day_lasts_eight_and_three_quarter_hours() -> None:
    assert CAL.hours_per_day == DAY


@pytest.mark.parametrize(
    ("start", "hours", "due"),
    [
        # Friday 16:00: 1.25 h Friday, 2.75 h Monday from 8:30.
        (jst(2026, 11, 27, 16), 4, jst(2026, 11, 30, 11, 15)),
        # Within one day.
        (jst(2026, 12, 1, 9), 2, jst(2026, 12, 1, 11)),
        # Using up the day exactly ends at closing, not the next morning.
        (jst(2026, 12, 1, 13, 15), 4, jst(2026, 12, 1, 17, 15)),
        # Starting at closing time counts from the next opening.
        (jst(2026, 12, 1, 17, 15), 1, jst(2026, 12, 2, 9, 30)),
        # Evening: next morning.
        (jst(2026, 12, 1, 20), 1, jst(2026, 12, 2, 9, 30)),
        # Early morning: that morning's opening.
        (jst(2026, 12, 2, 7), 1, jst(2026, 12, 2, 9, 30)),
        # Saturday: Monday.
        (jst(2026, 11, 28, 10), 1, jst(2026, 11, 30, 9, 30)),
        # Sunday night: Monday.
        (jst(2026, 11, 29, 23, 59), 8.75, jst(2026, 11, 30, 17, 15)),
        # 16 h from Tuesday 10:00: 7.25 Tue + the whole 8.75 of Wednesday, to its closing.
        (jst(2026, 12, 1, 10), 16, jst(2026, 12, 2, 17, 15)),
        # 17 h from Tuesday 10:00: 7.25 Tue + 8.75 Wed + 1 Thu.
        (jst(2026, 12, 1, 10), 17, jst(2026, 12, 3, 9, 30)),
        # Coming of Age Day, Monday 2027-01-11: Friday 16:00 + 4 h lands on Tuesday.
        (jst(2027, 1, 8, 16), 4, jst(2027, 1, 12, 11, 15)),
        # Vernal Equinox falls on Sunday 2027-03-21; Monday 22 is the substitute holiday.
        (jst(2027, 3, 19, 16), 4, jst(2027, 3, 23, 11, 15)),
        # Golden Week 2027: Monday 3 to Wednesday 5 May are holidays.
        (jst(2027, 4, 30, 16), 4, jst(2027, 5, 6, 11, 15)),
        # Showa Day, Thursday 2027-04-29: Wednesday 17:00 + 1 h ends Friday 9:15.
        (jst(2027, 4, 28, 17), 1, jst(2027, 4, 30, 9, 15)),
        # Year-end closure 29 Dec to 3 Jan: Monday 28 Dec 16:00 + 4 h is Monday 4 Jan.
        (jst(2026, 12, 28, 16), 4, jst(2027, 1, 4, 11, 15)),
        # Starting inside the closure.
        (jst(2026, 12, 30, 10), 1, jst(2027, 1, 4, 9, 30)),
    ],
)
def test_adding_business_hours_matches_the_hand_worked_deadline(
    start: datetime, hours: float, due: datetime
) -> None:
    result = CAL.add_business_hours(start, hours)
    assert result == due
    assert result.utcoffset() == timedelta(0)
    assert result.tzinfo is UTC


def test_the_answer_is_in_utc_whatever_zone_the_start_is_in() -> None:
    friday_16_jst_in_utc = datetime(2026, 11, 27, 7, 0, tzinfo=UTC)
    result = CAL.add_business_hours(friday_16_jst_in_utc, 4)
    assert result == datetime(2026, 11, 30, 2, 15, tzinfo=UTC)
    new_york = ZoneInfo("America/New_York")  # Thursday 02:00 there is Thursday 16:00 in Tokyo
    assert CAL.add_business_hours(datetime(2026, 11, 26, 2, tzinfo=new_york), 1) == jst(
        2026, 11, 26, 17, 0
    )


def test_zero_hours_is_the_start_itself_even_at_night_on_a_holiday() -> None:
    start = jst(2027, 1, 1, 3, 7)
    result = CAL.add_business_hours(start, 0)
    assert result == start
    assert result.tzinfo is UTC


def test_the_closure_alone_keeps_new_year_shut_without_any_holiday_list() -> None:
    plain = calendar(holiday=False)
    assert plain.add_business_hours(jst(2026, 12, 28, 16), 4) == jst(2027, 1, 4, 11, 15)
    assert not plain.is_business_day(date(2026, 12, 29))
    assert not plain.is_business_day(date(2026, 12, 31))
    assert not plain.is_business_day(date(2027, 1, 1))
    assert plain.is_business_day(date(2026, 12, 28))
    assert plain.is_business_day(date(2027, 1, 4))
    # Without holidays, Coming of Age Day is an ordinary Monday.
    assert plain.is_business_day(date(2027, 1, 11))


def test_a_closure_that_does_not_wrap_covers_both_ends() -> None:
    obon = BusinessCalendar(
        opens=time(9),
        closes=time(17),
        weekdays=frozenset({1, 2, 3, 4, 5}),
        closures=(("08-13", "08-16"),),
        holiday=lambda _day: False,
    )
    assert obon.is_business_day(date(2027, 8, 12))
    assert not obon.is_business_day(date(2027, 8, 13))
    assert not obon.is_business_day(date(2027, 8, 16))
    assert obon.is_business_day(date(2027, 8, 17))
    # Thursday 12 Aug 16:00 + 2 h: 1 h Thursday, then Tuesday 17 from 9:00.
    assert obon.add_business_hours(jst(2027, 8, 12, 16), 2) == jst(2027, 8, 17, 10)


@pytest.mark.parametrize(
    ("day", "open_"),
    [
        (date(2026, 12, 1), True),  # Tuesday
        (date(2026, 11, 28), False),  # Saturday
        (date(2026, 11, 29), False),  # Sunday
        (date(2026, 11, 23), False),  # Labour Thanksgiving Day
        (date(2027, 1, 11), False),  # Coming of Age Day
        (date(2027, 3, 22), False),  # substitute holiday
        (date(2027, 5, 4), False),  # Greenery Day
        (date(2027, 5, 6), True),
        (date(2026, 12, 29), False),  # closure
        (date(2027, 1, 3), False),  # closure, last day
    ],
)
def test_business_days_skip_weekends_holidays_and_closures(day: date, open_: bool) -> None:
    assert CAL.is_business_day(day) is open_


def test_a_six_day_week_counts_saturday() -> None:
    six = BusinessCalendar(
        opens=time(9),
        closes=time(17),
        weekdays=frozenset({1, 2, 3, 4, 5, 6}),
        closures=(),
        holiday=lambda _day: False,
    )
    assert six.add_business_hours(jst(2026, 11, 27, 16), 4) == jst(2026, 11, 28, 12)


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (jst(2026, 12, 1, 10), 1, jst(2026, 12, 2, 10)),
        # Ten business days from Monday 30 Nov 10:00: Monday 14 Dec 10:00.
        (jst(2026, 11, 30, 10), 10, jst(2026, 12, 14, 10)),
        # Friday 16:00 + 10 days: Friday two weeks later, 16:00.
        (jst(2026, 11, 27, 16), 10, jst(2026, 12, 11, 16)),
        # Half a day is 4 h 22.5 min.
        (jst(2026, 12, 1, 9), 0.5, datetime(2026, 12, 1, 13, 22, 30, tzinfo=TOKYO)),
        # Across New Year: Monday 28 Dec 10:00 + 2 days → Tuesday 5 Jan 10:00.
        (jst(2026, 12, 28, 10), 2, jst(2027, 1, 5, 10)),
        # From Saturday, a whole day ends at Monday's closing.
        (jst(2026, 11, 28, 12), 1, jst(2026, 11, 30, 17, 15)),
    ],
)
def test_a_business_day_is_one_full_working_day(
    start: datetime, days: float, due: datetime
) -> None:
    assert CAL.add_business_days(start, days) == due


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [
        (jst(2026, 11, 27, 16), jst(2026, 11, 30, 11, 15), 4.0),
        (jst(2026, 11, 27, 17, 15), jst(2026, 11, 30, 8, 30), 0.0),  # the weekend
        (jst(2026, 11, 30), jst(2026, 12, 7), 5 * DAY),  # a whole week
        (jst(2026, 12, 28), jst(2027, 1, 5), 2 * DAY),  # only 28 Dec and 4 Jan work
        (jst(2027, 5, 1), jst(2027, 5, 8), 2 * DAY),  # Golden Week: only 6 and 7 May
        (jst(2026, 12, 1, 12), jst(2026, 12, 1, 12), 0.0),
        (jst(2026, 12, 1, 12), jst(2026, 12, 1, 9), 0.0),  # end before start
        (jst(2026, 12, 1, 7), jst(2026, 12, 1, 8, 45), 0.25),
    ],
)
def test_hours_between_counts_only_working_time(
    start: datetime, end: datetime, hours: float
) -> None:
    assert CAL.business_hours_between(start, end) == pytest.approx(hours)


def test_naive_datetimes_are_refused() -> None:
    naive = datetime(2026, 12, 1, 10)
    with pytest.raises(ValueError, match="timezone-aware"):
        CAL.add_business_hours(naive, 1)
    with pytest.raises(ValueError, match="timezone-aware"):
        CAL.add_business_hours(naive, 0)
    with pytest.raises(ValueError, match="timezone-aware"):
        CAL.add_business_days(naive, 1)
    with pytest.raises(ValueError, match="timezone-aware"):
        CAL.business_hours_between(naive, jst(2026, 12, 2))
    with pytest.raises(ValueError, match="timezone-aware"):
        CAL.business_hours_between(jst(2026, 12, 2), naive)


def test_negative_amounts_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        CAL.add_business_hours(jst(2026, 12, 1, 10), -1)
    with pytest.raises(ValueError, match="negative"):
        CAL.add_business_days(jst(2026, 12, 1, 10), -1)


def test_a_calendar_must_open_before_it_closes_on_a_real_weekday() -> None:
    with pytest.raises(ValueError, match="before"):
        BusinessCalendar(time(17), time(9), frozenset({1}), (), lambda _day: False)
    with pytest.raises(ValueError, match="weekdays"):
        BusinessCalendar(time(9), time(17), frozenset({0}), (), lambda _day: False)


def test_a_calendar_that_never_opens_says_so_instead_of_looping() -> None:
    shut = BusinessCalendar(
        time(9), time(17), frozenset({1}), (("01-01", "12-31"),), lambda _: False
    )
    with pytest.raises(ValueError, match="no business day"):
        shut.add_business_hours(jst(2026, 12, 1), 1)


def test_the_rulebook_hours_build_the_calendar_with_japanese_holidays() -> None:
    hours = load_rulebook().support.business_hours
    built = BusinessCalendar.from_rules(hours)
    assert built.opens == hours.opens
    assert built.closes == hours.closes
    assert built.weekdays == frozenset(hours.weekdays)
    assert built.closures == tuple(tuple(c) for c in hours.closures)
    assert not built.is_business_day(date(2027, 3, 22))  # substitute holiday, from the library


def test_from_rules_reads_every_field() -> None:
    hours = BusinessHours(
        opens=time(9),
        closes=time(18),
        weekdays=[1, 2, 3, 4, 5, 6],
        closures=[("08-13", "08-15")],
        source="https://example.org/",
        as_of=dt.date(2026, 1, 1),
    )
    built = BusinessCalendar.from_rules(hours)
    assert built.hours_per_day == 9
    assert built.is_business_day(date(2026, 11, 28))  # a Saturday
    assert not built.is_business_day(date(2026, 8, 14))
    assert not built.is_business_day(date(2026, 11, 23))  # holiday


# --- properties ---------------------------------------------------------------------------------

STARTS = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(TOKYO)
)
HOURS = st.floats(min_value=0, max_value=120, allow_nan=False, allow_infinity=False)


@st.composite
def business_moments(draw: st.DrawFn) -> datetime:
    """A moment inside business time: a business day and a minute in [opens, closes)."""
    day = draw(st.dates(min_value=date(2026, 1, 1), max_value=date(2028, 12, 31)))
    while not CAL.is_business_day(day):
        day += timedelta(days=1)
    minute = draw(st.integers(min_value=0, max_value=464))
    return datetime.combine(day, time(8, 30), tzinfo=TOKYO) + timedelta(minutes=minute)


@settings(deadline=None, max_examples=150)
@given(start=business_moments(), hours=HOURS)
def test_hours_between_undoes_adding_from_business_time(start: datetime, hours: float) -> None:
    end = CAL.add_business_hours(start, hours)
    assert CAL.business_hours_between(start, end) == pytest.approx(hours, abs=1e-6)


@settings(deadline=None, max_examples=150)
@given(start=STARTS, hours=HOURS)
def test_hours_between_undoes_adding_from_any_moment(start: datetime, hours: float) -> None:
    end = CAL.add_business_hours(start, hours)
    assert end >= start
    assert CAL.business_hours_between(start, end) == pytest.approx(hours, abs=1e-6)


@settings(deadline=None, max_examples=100)
@given(start=STARTS, a=HOURS, b=HOURS)
def test_more_hours_never_give_an_earlier_deadline(start: datetime, a: float, b: float) -> None:
    low, high = sorted((a, b))
    assert CAL.add_business_hours(start, low) <= CAL.add_business_hours(start, high)


@settings(deadline=None, max_examples=100)
@given(start=STARTS, hours=st.floats(min_value=0.01, max_value=120))
def test_a_positive_deadline_falls_in_business_time(start: datetime, hours: float) -> None:
    end = CAL.add_business_hours(start, hours).astimezone(TOKYO)
    assert CAL.is_business_day(end.date())
    assert time(8, 30) < end.time() <= time(17, 15)
