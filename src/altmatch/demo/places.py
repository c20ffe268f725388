"""The 47 prefectures and the real municipalities the demo names its BoEs after (prefectures.yaml).

Only public facts live in the data file: JIS X 0401 codes, names in English and Japanese,
regions, and a handful of municipalities per prefecture with the approximate position of their
town hall. The loader checks every entry, so a
typo in the file fails loudly instead of producing a strange demo.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from altmatch.rulebook.vocabulary import Area

DATA_FILE = "prefectures.yaml"
KINDS: Mapping[str, str] = {"市": "city", "町": "town", "村": "village", "区": "ward"}


class PlacesError(ValueError):
    """prefectures.yaml is malformed; the message names the entry."""


@dataclass(frozen=True)
class Municipality:
    """A real city, town, village or Tokyo ward; `kind` follows its Japanese suffix."""

    name: str
    name_ja: str
    kind: str  # city, town, village or ward
    area: Area
    latitude: float  # of its town hall, decimal degrees (about 0.01°)
    longitude: float


@dataclass(frozen=True)
class Prefecture:
    """One of the 47 prefectures, with its JIS code and region."""

    code: str  # JIS X 0401, "01" (Hokkaido) to "47" (Okinawa)
    name: str
    name_ja: str
    region: str
    region_name: str
    region_name_ja: str
    municipalities: tuple[Municipality, ...]


@cache
def load_prefectures() -> tuple[Prefecture, ...]:
    """The packaged prefectures in JIS order, checked."""
    text = resources.files("altmatch.demo").joinpath(DATA_FILE).read_text(encoding="utf-8")
    return parse_prefectures(yaml.safe_load(text))


def parse_prefectures(data: Any) -> tuple[Prefecture, ...]:
    """Check and convert the loaded YAML; raise PlacesError naming the first bad entry."""
    if not isinstance(data, dict) or set(data) != {"regions", "prefectures"}:
        raise PlacesError(f"{DATA_FILE}: expected the keys 'regions' and 'prefectures'")
    regions = {key: _names(value, f"regions.{key}") for key, value in data["regions"].items()}
    prefectures = tuple(
        _prefecture(entry, regions, f"prefectures[{i}]")
        for i, entry in enumerate(data["prefectures"])
    )
    codes = [p.code for p in prefectures]
    if codes != [f"{n:02d}" for n in range(1, 48)]:
        raise PlacesError(f"{DATA_FILE}: expected the codes 01 to 47 in order, got {codes}")
    return prefectures


def _names(value: Any, where: str) -> tuple[str, str]:
    if not isinstance(value, dict) or set(value) != {"en", "ja"}:
        raise PlacesError(f"{DATA_FILE}: {where}: expected 'en' and 'ja'")
    return _text(value["en"], f"{where}.en"), _text(value["ja"], f"{where}.ja")


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise PlacesError(f"{DATA_FILE}: {where}: expected a non-empty text")
    return value


def _prefecture(entry: Any, regions: Mapping[str, tuple[str, str]], where: str) -> Prefecture:
    keys = {"code", "en", "ja", "region", "municipalities"}
    if not isinstance(entry, dict) or set(entry) != keys:
        raise PlacesError(f"{DATA_FILE}: {where}: expected the keys {sorted(keys)}")
    region = entry["region"]
    if region not in regions:
        raise PlacesError(f"{DATA_FILE}: {where}: unknown region {region!r}")
    places = tuple(
        _municipality(m, f"{where}.municipalities[{i}]")
        for i, m in enumerate(entry["municipalities"])
    )
    if len({m.name_ja for m in places}) != len(places) or not places:
        raise PlacesError(f"{DATA_FILE}: {where}: municipalities must be present and distinct")
    return Prefecture(
        code=_text(entry["code"], f"{where}.code"),
        name=_text(entry["en"], f"{where}.en"),
        name_ja=_text(entry["ja"], f"{where}.ja"),
        region=region,
        region_name=regions[region][0],
        region_name_ja=regions[region][1],
        municipalities=places,
    )


def _municipality(entry: Any, where: str) -> Municipality:
    if not isinstance(entry, dict) or set(entry) != {"en", "ja", "area", "lat", "lon"}:
        raise PlacesError(f"{DATA_FILE}: {where}: expected 'en', 'ja', 'area', 'lat' and 'lon'")
    name, name_ja = _names({"en": entry["en"], "ja": entry["ja"]}, where)
    kind = KINDS.get(name_ja[-1])
    if kind is None:
        raise PlacesError(f"{DATA_FILE}: {where}: {name_ja} does not end in 市, 町, 村 or 区")
    try:
        area = Area(entry["area"])
    except ValueError as exc:
        raise PlacesError(f"{DATA_FILE}: {where}: area must be urban or rural") from exc
    latitude, longitude = entry["lat"], entry["lon"]
    if not (_number(latitude) and _number(longitude)) or not (
        20 <= latitude <= 46 and 122 <= longitude <= 154
    ):
        raise PlacesError(f"{DATA_FILE}: {where}: lat/lon must be a position in Japan")
    return Municipality(name, name_ja, kind, area, float(latitude), float(longitude))


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
