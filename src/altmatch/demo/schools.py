"""Schools for every demo BoE: municipal elementary and junior high, prefectural high schools.

Names follow the usual forms: "Toyooka Minami Elementary School" / 豊岡市立豊岡南小学校 for a
municipal school, "Hyogo Prefectural Toyooka High School" / 兵庫県立豊岡高等学校 for a
prefectural one. A school stands near its municipality's town hall (prefectures.yaml), a few
kilometres away at most. Schools draw from a stream of their own, so adding them left the
demo's requests and candidates unchanged for every seed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from altmatch.demo.draw import Draw
from altmatch.demo.model import Boe, DemoSchool
from altmatch.demo.places import Municipality, Prefecture
from altmatch.rulebook.vocabulary import SchoolLevel

JITTER = 0.03  # degrees (about 3 km) between a town hall and its schools
# A school's distinguishing word after the place name, in English and Japanese ("" = none).
SUFFIXES: tuple[tuple[str, str], ...] = (
    ("", ""),
    ("Higashi", "東"),
    ("Nishi", "西"),
    ("Minami", "南"),
    ("Kita", "北"),
    ("Chuo", "中央"),
    ("Daiichi", "第一"),
    ("Daini", "第二"),
)
_LEVEL_WORDS: Mapping[SchoolLevel, tuple[str, str]] = {
    SchoolLevel.ELEMENTARY: ("Elementary School", "小学校"),
    SchoolLevel.JUNIOR_HIGH: ("Junior High School", "中学校"),
    SchoolLevel.SENIOR_HIGH: ("High School", "高等学校"),
    SchoolLevel.SPECIAL_NEEDS: ("Special Needs School", "特別支援学校"),
}
_PREFECTURAL_WORD = {"都": "Metropolitan", "道": "", "府": "Prefectural", "県": "Prefectural"}


def build_schools(
    prefectures: Iterable[Prefecture], boes: Iterable[Boe], seed: int
) -> tuple[DemoSchool, ...]:
    """Each municipal BoE gets one or two elementary schools and a junior high school; each
    prefectural BoE two to four high schools and a special-needs school in its towns."""
    draw = Draw(seed, "schools")
    by_code = {p.code: p for p in prefectures}
    schools: list[DemoSchool] = []
    for boe in boes:
        pref = by_code[boe.prefecture_code]
        if boe.municipality is None:
            plan = [SchoolLevel.SENIOR_HIGH] * draw.integer(2, 4) + [SchoolLevel.SPECIAL_NEEDS]
            places = [draw.one(pref.municipalities) for _ in plan]
        else:
            plan = [SchoolLevel.ELEMENTARY] * draw.integer(1, 2) + [SchoolLevel.JUNIOR_HIGH]
            place = next(m for m in pref.municipalities if m.name == boe.municipality)
            places = [place] * len(plan)
        used: set[tuple[str, SchoolLevel, str]] = set()
        for number, (level, place) in enumerate(zip(plan, places, strict=True), start=1):
            suffix = _suffix(draw, used, place, level)
            schools.append(_school(draw, boe, pref, place, level, suffix, number))
    return tuple(schools)


def _suffix(
    draw: Draw, used: set[tuple[str, SchoolLevel, str]], place: Municipality, level: SchoolLevel
) -> tuple[str, str]:
    """A suffix no other school of the same level in the same place of this BoE has."""
    free = [s for s in SUFFIXES if (place.name, level, s[0]) not in used]
    suffix = draw.one(free)
    used.add((place.name, level, suffix[0]))
    return suffix


def _school(
    draw: Draw,
    boe: Boe,
    pref: Prefecture,
    place: Municipality,
    level: SchoolLevel,
    suffix: tuple[str, str],
    number: int,
) -> DemoSchool:
    level_en, level_ja = _LEVEL_WORDS[level]
    stem_ja = place.name_ja[:-1]  # 豊岡市 -> 豊岡
    words = " ".join(w for w in (place.name, suffix[0], level_en) if w)
    if boe.municipality is None:
        owner = " ".join(w for w in (pref.name, _PREFECTURAL_WORD[pref.name_ja[-1]]) if w)
        owner_ja = pref.name_ja if pref.name_ja == "北海道" else f"{pref.name_ja}立"
    else:
        owner, owner_ja = "", f"{place.name_ja}立"
    return DemoSchool(
        boe_id=boe.id,
        external_id=f"{boe.id}-s{number:02d}",
        name=f"{owner} {words}".strip(),
        name_ja=f"{owner_ja}{stem_ja}{suffix[1]}{level_ja}",
        level=level,
        area=place.area,
        municipality=place.name,
        latitude=round(place.latitude + draw.uniform(-JITTER, JITTER), 4),
        longitude=round(place.longitude + draw.uniform(-JITTER, JITTER), 4),
    )
