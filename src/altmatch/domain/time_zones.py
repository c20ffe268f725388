"""Where an applicant will be for their interview (issue 19): the time zones a form offers, in
the order an applicant most likely wants them.

Pure: the caller reads the tz database's `zone.tab` (which zones each country uses) and the
zones the system knows, and passes their text and names in.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

# The tz database's regions of "Area/Location" names for places; the rest are aliases kept for
# old software ("GB", "US/Pacific", "Etc/GMT+5" whose sign reads backwards), still accepted as
# answers but not offered.
PLACE_AREAS = frozenset(
    {
        "Africa",
        "America",
        "Antarctica",
        "Arctic",
        "Asia",
        "Atlantic",
        "Australia",
        "Europe",
        "Indian",
        "Pacific",
    }
)
UTC = "UTC"


@dataclass(frozen=True)
class ZoneOptions:
    """A form's choices: `first` the office's zone and those of the countries it serves, then
    `rest`, every other place's zone (and UTC), alphabetically."""

    first: tuple[str, ...]
    rest: tuple[str, ...]


def zones_by_country(zone_tab: str) -> dict[str, list[str]]:
    """Each ISO country code's zones, as `zone.tab` lists them (tab-separated: country,
    coordinates, zone, comment; `#` starts a comment line). `zone1970.tab`'s comma-separated
    country lists are read too, each country getting the zone."""
    found: dict[str, list[str]] = {}
    for line in zone_tab.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        columns = line.split("\t")
        if len(columns) < 3:
            continue
        for country in columns[0].split(","):
            zones = found.setdefault(country.strip().upper(), [])
            if columns[2].strip() not in zones:
                zones.append(columns[2].strip())
    return found


def is_place(zone: str) -> bool:
    """A zone named for a place ("Europe/London"), or UTC: what a form offers."""
    return zone == UTC or (zone.split("/", 1)[0] in PLACE_AREAS and "/" in zone)


def zone_options(
    office_zone: str | None,
    countries: Iterable[str],
    by_country: dict[str, list[str]],
    available: Collection[str],
) -> ZoneOptions:
    """The office's own zone first, then its countries' other zones alphabetically, then every
    other place's zone alphabetically; only zones the system knows, each once."""
    first: list[str] = []
    if office_zone and office_zone in available:
        first.append(office_zone)
    near = {z for c in countries for z in by_country.get(c.strip().upper(), [])}
    first += sorted(z for z in near if z in available and z not in first)
    taken = set(first)
    rest = sorted(z for z in available if is_place(z) and z not in taken)
    return ZoneOptions(tuple(first), tuple(rest))


def known_zone(answer: str, available: Collection[str]) -> str | None:
    """The answer as a zone name the system knows (trimmed), "" for no answer, None when it
    names no zone."""
    zone = answer.strip()
    if not zone:
        return ""
    return zone if zone in available else None
