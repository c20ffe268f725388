"""The only module that reads the current time; everything else asks it or is handed `now`.

Support deadlines, sessions, two-factor steps, season and posting deadlines and contract dates
all turn on "now". Reading it in one place lets tests and the `altmatch` commands run at any
chosen moment, and a lint rule (ruff's banned-api, see pyproject.toml) keeps it the only place.
"""

from __future__ import annotations

import datetime as dt
import time
from zoneinfo import ZoneInfo

JAPAN = ZoneInfo("Asia/Tokyo")


def utc_now() -> dt.datetime:
    """The current moment, timezone-aware in UTC: what the database stores."""
    return dt.datetime.now(dt.UTC)  # noqa: TID251 (the one sanctioned read)


def japan_now() -> dt.datetime:
    """The current moment on Japan's clock (JST, no daylight saving)."""
    return utc_now().astimezone(JAPAN)


def today_in_japan() -> dt.date:
    """Today's date in Japan: deadlines, closing dates and contract terms are Japanese dates."""
    return japan_now().date()


def stopwatch() -> float:
    """A monotonic reading in seconds, for measuring how long something took (never a date)."""
    return time.perf_counter()  # noqa: TID251 (the one sanctioned read)
