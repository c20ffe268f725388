"""The clock: the one reader of the current time, moved by the tests' clock fixture, and a lint
rule that keeps every other module in src/ from reading the time itself."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import CLOCK_OFFSET, CLOCK_TRAVEL, real_time
from time_machine import TimeMachineFixture

from altmatch.clock import JAPAN, japan_now, stopwatch, today_in_japan, utc_now

pytestmark = pytest.mark.date_sensitive

ROOT = Path(__file__).resolve().parents[2]


def test_now_is_timezone_aware_utc_and_follows_the_tests_clock(clock: TimeMachineFixture) -> None:
    clock.move_to(dt.datetime(2027, 5, 3, 1, 30, tzinfo=dt.UTC), tick=False)
    assert utc_now() == dt.datetime(2027, 5, 3, 1, 30, tzinfo=dt.UTC)
    assert japan_now() == dt.datetime(2027, 5, 3, 10, 30, tzinfo=JAPAN)


def test_today_is_the_date_in_japan_not_in_utc(clock: TimeMachineFixture) -> None:
    # 15:30 UTC on 28 February 2028 is already 00:30 on the leap day in Japan.
    clock.move_to(dt.datetime(2028, 2, 28, 15, 30, tzinfo=dt.UTC), tick=False)
    assert today_in_japan() == dt.date(2028, 2, 29)
    clock.shift(dt.timedelta(days=1))
    assert today_in_japan() == dt.date(2028, 3, 1)


def test_the_stopwatch_measures_durations_whatever_the_date(clock: TimeMachineFixture) -> None:
    started = stopwatch()
    clock.move_to(dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
    assert 0 <= stopwatch() - started < 60


def _lint(source: str, as_file: str) -> str:
    """ruff's verdict on `source` as if it were the file `as_file` of this project."""
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--stdin-filename", as_file, "-"],
        input=source,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    return done.stdout + done.stderr


@pytest.mark.parametrize(
    "call",
    [
        "datetime.datetime.now(datetime.UTC)",
        "datetime.date.today()",
        "datetime.datetime.utcnow()",
        "time.time()",
        "time.perf_counter()",
    ],
)
def test_reading_the_time_anywhere_else_in_src_fails_the_lint(call: str) -> None:
    source = f"import datetime\nimport time\n\nWHEN = {call}\n"
    assert "TID251" in _lint(source, "src/altmatch/services/probe.py")
    assert "TID251" not in _lint(source, "tests/unit/probe.py")  # tests set it with the fixture


def test_a_process_a_test_starts_reads_the_runs_clock() -> None:
    # What ALTMATCH_TEST_DATE does for servers and workers that tests launch.
    leap_day = dt.datetime(2032, 2, 29, 9, 0, tzinfo=JAPAN)
    env = {
        **os.environ,
        CLOCK_OFFSET: str(leap_day.timestamp() - real_time()),
        "PYTHONPATH": str(CLOCK_TRAVEL),
    }
    done = subprocess.run(
        [sys.executable, "-c", "from altmatch.clock import japan_now; print(japan_now())"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    seen = dt.datetime.fromisoformat(done.stdout.strip())
    assert dt.timedelta(0) <= seen - leap_day < dt.timedelta(minutes=1)
