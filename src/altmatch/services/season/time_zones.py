"""The time zones an applicant may give for their interview (issue 19), read once from the tz
database the system has: the zones Python's `zoneinfo` knows, and which countries use which
(`zone.tab`, from the system's zoneinfo directory or the `tzdata` package when installed).

Without a `zone.tab` the office's zone still comes first and every other zone follows.
"""

from __future__ import annotations

import zoneinfo
from functools import cache
from importlib import resources
from pathlib import Path

from pydantic import BaseModel

from altmatch.domain.time_zones import known_zone, zone_options, zones_by_country
from altmatch.i18n import N_, Message
from altmatch.rulebook import load_rulebook
from altmatch.services.kernel.errors import RuleError

TABLES = ("zone.tab", "zone1970.tab")


class TimeZoneChoicesOut(BaseModel):
    """The form's choices for `time_zone`: `first` the office's zone and its countries', then
    `rest`; `default` the office's zone (what a blank answer becomes at submission)."""

    default: str
    first: list[str]
    rest: list[str]
    earliest: str  # remote interviews only from this hour of the candidate's own day…
    latest: str  # …to this one (rulebook interview_scheduling.remote_local_hours)


@cache
def available() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


@cache
def _zone_tab() -> str:
    for folder in zoneinfo.TZPATH:
        for name in TABLES:
            path = Path(folder) / name
            if path.is_file():
                return path.read_text(encoding="utf-8")
    for name in TABLES:
        try:
            return resources.files("tzdata.zoneinfo").joinpath(name).read_text(encoding="utf-8")
        except (ModuleNotFoundError, FileNotFoundError):
            continue
    return ""


@cache
def _by_country() -> dict[str, list[str]]:
    return zones_by_country(_zone_tab())


def time_zone_choices(office_zone: str | None, countries: list[str]) -> TimeZoneChoicesOut:
    """The choices for an applicant of an office in `office_zone` serving `countries` (none
    known yet: every zone, alphabetically)."""
    options = zone_options(office_zone, countries, _by_country(), available())
    hours = load_rulebook().interview_scheduling.remote_local_hours
    return TimeZoneChoicesOut(
        default=office_zone or "",
        first=list(options.first),
        rest=list(options.rest),
        earliest=f"{hours.earliest:02d}:00",
        latest=f"{hours.latest:02d}:00",
    )


def checked_zone(answer: str) -> str:
    """The answer as a zone the system knows ("" when blank), or a refusal naming it."""
    zone = known_zone(answer, available())
    if zone is None:
        raise RuleError(
            Message(
                N_("{zone} is not a time zone we know: choose one from the list."),
                {"zone": answer.strip()[:64]},
            ),
            "time_zone",
        )
    return zone
