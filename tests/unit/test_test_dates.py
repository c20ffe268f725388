"""The days `make test` moves the clock to are still ahead, whatever day the suite runs."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "test_at_dates.py"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("test_at_dates", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (dt.date(2026, 12, 4), ["2027-05-03", "2026-12-30", "2028-02-29", "2029-12-04"]),
        (dt.date(2027, 5, 3), ["2027-05-03", "2027-12-30", "2028-02-29", "2030-05-03"]),
        (dt.date(2027, 12, 31), ["2028-05-03", "2028-12-30", "2028-02-29", "2030-12-31"]),
        # On a leap day the leap day is today, and three years on has no 29 February.
        (dt.date(2028, 2, 29), ["2028-05-03", "2028-12-30", "2028-02-29", "2031-02-28"]),
        (dt.date(2028, 3, 1), ["2028-05-03", "2028-12-30", "2032-02-29", "2031-03-01"]),
    ],
)
def test_each_chosen_day_is_today_or_later(today: dt.date, expected: list[str]) -> None:
    days = _script().chosen_days(today)
    assert [day.isoformat() for _, day in days] == expected
    assert all(day >= today for _, day in days)
