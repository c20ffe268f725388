"""Pure dispatch rules: contract value, schools covered, checklist progress, win rate, terms."""

from __future__ import annotations

import datetime as dt

import pytest

from altmatch.domain.dispatch import (
    checklist_progress,
    days_problem,
    meets_jlpt,
    monthly_value,
    price_problems,
    schools_covered,
    tender_record,
    term_problems,
)
from altmatch.rulebook.vocabulary import Jlpt

pytestmark = pytest.mark.date_sensitive

START, END = dt.date(2027, 4, 1), dt.date(2028, 3, 31)


def test_a_contract_is_worth_its_price_times_its_alts_a_month() -> None:
    assert monthly_value(352_000, 3) == 1_056_000
    assert monthly_value(352_000, 0) == 0


def test_schools_covered_add_up_positions_and_days_per_school_in_first_seen_order() -> None:
    covers = schools_covered([(7, 5), (3, 2), (7, 3)])
    assert [(c.school_id, c.positions, c.days_per_week) for c in covers] == [(7, 2, 8), (3, 1, 2)]
    assert schools_covered([]) == []


def test_checklist_progress_counts_dated_items_of_the_rulebook_only() -> None:
    progress = checklist_progress(
        ["signed", "card", "training"],
        {"signed": "2027-03-01", "card": "", "unknown": "2027-01-01"},
    )
    assert (progress.done, progress.total, progress.percent) == (1, 3, 33)
    assert not progress.complete
    assert checklist_progress(["a"], {"a": "2027-03-01"}).complete
    assert checklist_progress([], {}).percent == 0


def test_the_win_rate_counts_decided_tenders_only() -> None:
    record = tender_record(["won", "lost", "pending", "won"])
    assert (record.won, record.lost, record.pending) == (2, 1, 1)
    assert record.win_rate == pytest.approx(2 / 3)
    assert tender_record(["pending"]).win_rate is None


def test_jlpt_levels_meet_a_requirement_at_or_below_them() -> None:
    assert meets_jlpt(Jlpt.N2, Jlpt.N3)
    assert meets_jlpt(Jlpt.N3, Jlpt.N3)
    assert not meets_jlpt(Jlpt.N4, Jlpt.N3)
    assert meets_jlpt(Jlpt.NONE, Jlpt.NONE)


@pytest.mark.parametrize(
    ("start", "end", "renewal", "fields"),
    [
        (START, END, dt.date(2027, 12, 1), []),
        (START, END, None, []),
        (START, START, START, []),
        (END, START, None, ["end"]),
        (START, END, dt.date(2028, 4, 1), ["renewal_date"]),
        (START, END, dt.date(2027, 3, 1), ["renewal_date"]),
    ],
)
def test_a_contract_term_ends_after_it_starts_and_renews_within_it(
    start: dt.date, end: dt.date, renewal: dt.date | None, fields: list[str]
) -> None:
    assert [p.field for p in term_problems(start, end, renewal)] == fields


def test_prices_must_be_positive_and_positions_need_one_to_five_days() -> None:
    assert price_problems(1) == []
    assert [p.field for p in price_problems(0)] == ["price_per_alt_month"]
    assert days_problem(1) is None and days_problem(5) is None
    problem = days_problem(6)
    assert problem is not None and dict(problem.params) == {"low": 1, "high": 5}
