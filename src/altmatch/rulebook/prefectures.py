"""The 47 prefectures (prefectures.yaml): code, English and Japanese name.

Data files and the database store a prefecture by its English name ("Hyogo"); a Japanese reader
should read 兵庫県. This module loads the reference list once and answers "what is this place
called in that language", leaving anything it does not know (a free-text entry, a typo) as given.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any

import yaml

DATA_FILE = "prefectures.yaml"
COUNT = 47


class PrefectureDataError(ValueError):
    """prefectures.yaml is malformed; the message names the entry."""


@dataclass(frozen=True)
class Prefecture:
    code: str  # JIS X 0401, "01" (Hokkaido) to "47" (Okinawa)
    en: str
    ja: str

    def name(self, locale: str) -> str:
        return self.ja if locale == "ja" else self.en


@dataclass(frozen=True)
class PrefectureList:
    """The reference list with where it was read and when it was checked."""

    source: str
    as_of: date
    prefectures: tuple[Prefecture, ...]

    @functools.cached_property
    def _index(self) -> Mapping[str, Prefecture]:
        index: dict[str, Prefecture] = {}
        for p in self.prefectures:
            short = p.ja[:-1] if p.ja[-1] in "都府県" else p.ja  # 東京都 → 東京, 兵庫県 → 兵庫
            for key in (p.code, p.en, p.ja, short):
                index.setdefault(key.casefold(), p)
        return index

    def find(self, value: str) -> Prefecture | None:
        """The prefecture `value` names (its code, English or Japanese name, any case; "Hyogo
        Prefecture" and "Hyogo-ken" too), or None."""
        key = " ".join(value.split()).casefold()
        for suffix in (" prefecture", "-ken", "-fu", "-to", " ken"):
            if key.endswith(suffix) and key[: -len(suffix)] in self._index:
                key = key[: -len(suffix)]
                break
        return self._index.get(key)


def parse_prefectures(data: Any) -> PrefectureList:
    """Check and build the list; refuses a missing field, a duplicate, or not exactly 47."""
    if not isinstance(data, dict):
        raise PrefectureDataError(f"{DATA_FILE}: expected a mapping at the top")
    source, as_of, entries = data.get("source"), data.get("as_of"), data.get("prefectures")
    if not isinstance(source, str) or not source.strip():
        raise PrefectureDataError(f"{DATA_FILE}: `source` is missing")
    if not isinstance(as_of, date):
        raise PrefectureDataError(f"{DATA_FILE}: `as_of` must be a date (YYYY-MM-DD)")
    if not isinstance(entries, list):
        raise PrefectureDataError(f"{DATA_FILE}: `prefectures` must be a list")
    out: list[Prefecture] = []
    seen: set[str] = set()
    for i, entry in enumerate(entries, start=1):
        where = f"{DATA_FILE}: prefecture #{i}"
        if not isinstance(entry, dict):
            raise PrefectureDataError(f"{where}: expected a mapping")
        values = [entry.get(key) for key in ("code", "en", "ja")]
        if not all(isinstance(v, str) and v.strip() for v in values):
            raise PrefectureDataError(f"{where}: needs code, en and ja as text")
        code, en, ja = (str(v).strip() for v in values)
        if not (len(code) == 2 and code.isdigit()):
            raise PrefectureDataError(f"{where}: code {code!r} is not two digits")
        for key in (code, en.casefold(), ja):
            if key in seen:
                raise PrefectureDataError(f"{where}: {key!r} appears twice")
            seen.add(key)
        out.append(Prefecture(code, en, ja))
    if len(out) != COUNT:
        raise PrefectureDataError(f"{DATA_FILE}: {len(out)} prefectures, expected {COUNT}")
    return PrefectureList(source.strip(), as_of, tuple(out))


@functools.cache
def load_prefectures() -> PrefectureList:
    """The packaged list, read once."""
    text = (resources.files("altmatch.rulebook") / DATA_FILE).read_text(encoding="utf-8")
    return parse_prefectures(yaml.safe_load(text))


def prefecture_name(value: str | None, locale: str) -> str:
    """`value` (a prefecture's code or name) as called in `locale`; unknown text unchanged."""
    if not value:
        return ""
    found = load_prefectures().find(value)
    return found.name(locale) if found is not None else value
