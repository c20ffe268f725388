"""Next application window and start date, for fixed rounds and for year-round hiring."""

from __future__ import annotations

import datetime as dt

import pytest

from altmatch.domain.timeline import add_months, next_step
from altmatch.rulebook.schema import ApplicationWindow, Text, Timeline

pytestmark = pytest.mark.date_sensitive

SUMMARY = Text(en="x", ja="x")


def rounds() -> Timeline:
    return Timeline(
        start_months=[8],
        windows=[
            ApplicationWindow(
                opens=dt.date(2026, 10, 1), closes=dt.date(2026, 11, 4), starts=dt.date(2027, 7, 25)
            ),
            ApplicationWindow(
                opens=dt.date(2027, 10, 1), closes=dt.date(2027, 11, 4), starts=dt.date(2028, 7, 25)
            ),
        ],
        lead_months=9,
        summary=SUMMARY,
        source="https://example.org/",  # type: ignore[arg-type]
        as_of=dt.date(2026, 1, 1),
    )


def year_round(lead: int, months: list[int]) -> Timeline:
    return Timeline(
        start_months=months,
        lead_months=lead,
        summary=SUMMARY,
        source="https://example.org/",  # type: ignore[arg-type]
        as_of=dt.date(2026, 1, 1),
    )


def test_a_window_that_has_closed_is_skipped_for_the_next_one() -> None:
    step = next_step(rounds(), today=dt.date(2026, 11, 25), earliest_start=None)
    assert (step.apply_from, step.apply_by, step.start) == (
        dt.date(2027, 10, 1),
        dt.date(2027, 11, 4),
        dt.date(2028, 7, 25),
    )


def test_an_open_window_is_offered_when_its_start_suits_the_candidate() -> None:
    step = next_step(rounds(), today=dt.date(2026, 10, 15), earliest_start=dt.date(2027, 7, 1))
    assert step.start == dt.date(2027, 7, 25)


def test_a_later_earliest_start_moves_to_a_later_window() -> None:
    step = next_step(rounds(), today=dt.date(2026, 10, 15), earliest_start=dt.date(2027, 9, 1))
    assert step.start == dt.date(2028, 7, 25)


def test_no_window_late_enough_gives_no_start() -> None:
    step = next_step(rounds(), today=dt.date(2026, 10, 15), earliest_start=dt.date(2029, 1, 1))
    assert step.start is None and not step.year_round


def test_year_round_hiring_starts_at_the_first_start_month_after_the_lead_time() -> None:
    step = next_step(year_round(4, [4, 8, 9]), today=dt.date(2026, 11, 25), earliest_start=None)
    assert step.start == dt.date(2027, 4, 1) and step.year_round


def test_year_round_hiring_waits_for_the_candidates_earliest_start() -> None:
    step = next_step(
        year_round(1, [4, 8, 9]), today=dt.date(2026, 11, 25), earliest_start=dt.date(2027, 8, 15)
    )
    assert step.start == dt.date(2027, 9, 1)


def test_adding_months_clamps_to_the_end_of_a_short_month() -> None:
    assert add_months(dt.date(2027, 1, 31), 1) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2027, 11, 30), 3) == dt.date(2028, 2, 29)


# --- issue 18, item 13: deadlines differ by country -------------------------------------------


def jet_timeline() -> Timeline:
    from altmatch.rulebook import load_rulebook
    from altmatch.rulebook.vocabulary import HiringPath

    return load_rulebook(2026).paths[HiringPath.JET].timeline


@pytest.mark.parametrize(
    ("country", "today", "apply_by", "start"),
    [
        # The US window closes 15 November: checking on 20 November means the next cycle.
        ("US", dt.date(2026, 11, 20), dt.date(2027, 11, 15), dt.date(2028, 7, 25)),
        # Trinidad and Tobago's runs to 5 December: still open on 20 November.
        ("TT", dt.date(2026, 11, 20), dt.date(2026, 12, 5), dt.date(2027, 7, 25)),
        # The UK closes on the last Friday of November (27 November 2026).
        ("GB", dt.date(2026, 11, 20), dt.date(2026, 11, 27), dt.date(2027, 7, 25)),
        # St Lucia applies January to March of the departure year itself.
        ("LC", dt.date(2026, 12, 6), dt.date(2027, 3, 12), dt.date(2027, 7, 25)),
    ],
)
def test_each_listed_country_applies_in_its_own_window(
    country: str, today: dt.date, apply_by: dt.date, start: dt.date
) -> None:
    step = next_step(jet_timeline(), today=today, earliest_start=None, country=country)
    assert (step.apply_by, step.start, step.for_country) == (apply_by, start, True)
    assert step.apply_by_latest is None


def test_an_unlisted_country_gets_the_range_of_deadlines_and_is_told_so() -> None:
    """Australia has no window of its own in the rulebook: on 20 November 2026 the general
    window (deadlines from 15 November to 5 December) may still be open, so the advisor gives
    the range instead of telling the applicant to wait a year."""
    step = next_step(jet_timeline(), today=dt.date(2026, 11, 20), earliest_start=None, country="AU")
    assert step.for_country is False
    assert (step.apply_by, step.apply_by_latest) == (dt.date(2026, 11, 15), dt.date(2026, 12, 5))
    assert step.start == dt.date(2027, 7, 25)
    after = next_step(jet_timeline(), today=dt.date(2026, 12, 6), earliest_start=None, country="AU")
    assert after.start == dt.date(2028, 7, 25)
