"""Boards of Education named after real places: one per prefecture and one per municipality.

Names follow the usual English and Japanese forms: "Toyooka City BoE" / 豊岡市教育委員会,
"Hyogo Prefectural BoE" / 兵庫県教育委員会, "Tokyo Metropolitan BoE" / 東京都教育委員会.
The ids depend on the names only, never on the seed, so personas can name them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from altmatch.demo.model import Boe
from altmatch.demo.places import Municipality, Prefecture
from altmatch.rulebook.vocabulary import Area

_KIND_WORD = {"city": "City", "town": "Town", "village": "Village", "ward": "Ward"}
_PREFECTURAL_WORD = {"都": "Metropolitan ", "道": "", "府": "Prefectural ", "県": "Prefectural "}


def slug(name: str) -> str:
    """ASCII id part: "Minami-Alps" -> "minami-alps"."""
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")


def build_boes(prefectures: Iterable[Prefecture]) -> tuple[Boe, ...]:
    """Each prefecture's own BoE, then one for each of its municipalities, in file order."""
    boes: list[Boe] = []
    for pref in prefectures:
        boes.append(_prefectural(pref))
        boes.extend(_municipal(pref, m) for m in pref.municipalities)
    return tuple(boes)


def _prefectural(pref: Prefecture) -> Boe:
    word = _PREFECTURAL_WORD[pref.name_ja[-1]]
    return Boe(
        id=f"boe-{pref.code}-pref",
        name=f"{pref.name} {word}BoE",
        name_ja=f"{pref.name_ja}教育委員会",
        prefecture=pref.name,
        prefecture_code=pref.code,
        municipality=None,
        municipality_ja=None,
        kind="prefecture",
        area=Area.URBAN if pref.municipalities[0].area is Area.URBAN else Area.RURAL,
    )


def _municipal(pref: Prefecture, place: Municipality) -> Boe:
    return Boe(
        id=f"boe-{pref.code}-{slug(place.name)}",
        name=f"{place.name} {_KIND_WORD[place.kind]} BoE",
        name_ja=f"{place.name_ja}教育委員会",
        prefecture=pref.name,
        prefecture_code=pref.code,
        municipality=place.name,
        municipality_ja=place.name_ja,
        kind=place.kind,
        area=place.area,
    )
