"""Run the date-sensitive tests with the clock moved to the days most likely to break them.

`make test` runs this after the whole suite. The days are chosen from today, so every run tries
days still ahead: a Golden Week holiday, a day of the year-end closure, the next 29 February,
and the same day three years on. Each run is a separate pytest with ALTMATCH_TEST_DATE set
(tests/conftest.py starts the clock there), several at once on a machine with spare cores.

    python scripts/test_at_dates.py                       # the four days
    python scripts/test_at_dates.py 2027-05-03 2030-01-01 # chosen days
    python scripts/test_at_dates.py -- -x tests/api       # extra pytest arguments after --
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from altmatch.clock import stopwatch, today_in_japan
from altmatch.domain.timeline import add_months

ROOT = Path(__file__).resolve().parents[1]
# SQLite only: the date rules live in the services, which both backends share; the whole suite
# (PostgreSQL included) runs on the real day just before this.
SELECTION = ["-m", "date_sensitive and not postgres", "-q", "-p", "no:cacheprovider"]


def _on_or_after(today: dt.date, month: int, day: int) -> dt.date:
    this_year = dt.date(today.year, month, day)
    return this_year if this_year >= today else dt.date(today.year + 1, month, day)


def _next_leap_day(today: dt.date) -> dt.date:
    year = today.year
    while True:
        try:
            leap = dt.date(year, 2, 29)
        except ValueError:
            year += 1
            continue
        if leap >= today:
            return leap
        year += 1


def chosen_days(today: dt.date) -> list[tuple[str, dt.date]]:
    """The days to test at, each with why it was chosen."""
    return [
        ("Golden Week (Constitution Day)", _on_or_after(today, 5, 3)),
        ("year-end closure", _on_or_after(today, 12, 30)),
        ("29 February", _next_leap_day(today)),
        ("three years ahead", add_months(today, 36)),
    ]


def _run(day: dt.date, extra: list[str]) -> tuple[int, float, str]:
    started = stopwatch()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", *SELECTION, *extra],
        cwd=ROOT,
        env={**os.environ, "ALTMATCH_TEST_DATE": day.isoformat()},
        capture_output=True,
        text=True,
        check=False,
    )
    return done.returncode, stopwatch() - started, done.stdout + done.stderr


def main(argv: list[str]) -> int:
    extra = argv[argv.index("--") + 1 :] if "--" in argv else []
    named = argv[: argv.index("--")] if "--" in argv else argv
    if named:
        days = [("chosen", dt.date.fromisoformat(value)) for value in named]
    else:
        days = chosen_days(today_in_japan())
    with ThreadPoolExecutor(max_workers=max(1, min(len(days), os.cpu_count() or 1))) as pool:
        results = list(pool.map(lambda item: _run(item[1], extra), days))
    failed = False
    print(f"{'day':<12} {'why':<32} {'result':<8} {'seconds':>8}")
    for (why, day), (code, seconds, output) in zip(days, results, strict=True):
        summary = output.strip().splitlines()[-1] if output.strip() else ""
        result = "ok" if code == 0 else "FAILED"
        print(f"{day.isoformat():<12} {why:<32} {result:<8} {seconds:>8.1f}")
        print(f"{'':<12} {summary}")
        if code != 0:
            failed = True
            print(f"\n--- ALTMATCH_TEST_DATE={day.isoformat()} ---\n{output}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
