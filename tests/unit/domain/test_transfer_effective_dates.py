"""When an approved transfer takes effect: the suggested date, the dates refused, and whether
approved moves still fit the roster on the day."""

from __future__ import annotations

from datetime import date, timedelta

from altmatch.domain.transfers import (
    LONGEST_NOTICE_DAYS,
    default_effective_date,
    effective_date_problem,
    moves_still_fit,
)


def test_the_suggested_date_is_the_first_of_next_month() -> None:
    assert default_effective_date(date(2027, 3, 15)) == date(2027, 4, 1)
    assert default_effective_date(date(2026, 12, 31)) == date(2027, 1, 1)
    assert default_effective_date(date(2027, 4, 1)) == date(2027, 5, 1)


def test_past_and_far_dates_are_refused_today_and_later_are_not() -> None:
    today = date(2027, 1, 10)
    assert effective_date_problem(today, today) is None
    assert effective_date_problem(today + timedelta(days=30), today) is None
    assert effective_date_problem(today - timedelta(days=1), today) is not None
    far = today + timedelta(days=LONGEST_NOTICE_DAYS + 1)
    assert effective_date_problem(far, today) is not None


def test_moves_fit_while_the_roster_is_as_it_was() -> None:
    chain = [(1, 10, 20), (2, None, 10)]  # ALT 1 leaves post 10 for 20; ALT 2 takes post 10
    held = {1: [10]}
    assert moves_still_fit(chain, held, {10: 1}, {10, 20})
    assert not moves_still_fit(chain, {1: [11]}, {11: 1}, {10, 20}), "ALT 1 moved meanwhile"
    assert not moves_still_fit(chain, held, {10: 1, 20: 3}, {10, 20}), "post 20 was filled"
    assert not moves_still_fit(chain, held, {10: 1}, {10}), "post 20's contract ended"
    assert not moves_still_fit(chain, {**held, 2: [30]}, {10: 1, 30: 2}, {10, 20, 30})
