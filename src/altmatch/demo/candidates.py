"""Candidates with varied, plausible profiles, and the couples among them.

Most applicants speak little Japanese (no JLPT, N5 or N4) and have taught for a year or less;
a few hold N2 or N1 or are experienced teachers. Their preferred prefectures lean towards the
big cities (Tokyo, Osaka, Kyoto, ...) while most places are elsewhere, and about half accept a
placement anywhere: the tension a real season has. Only job-related criteria are generated.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from altmatch.demo.draw import Draw
from altmatch.demo.model import DemoCandidate
from altmatch.demo.personas import PERSONA_CANDIDATES, PERSONA_COUPLES, PERSONA_NAMES
from altmatch.demo.places import Prefecture
from altmatch.io.season_files import CandidateRecord
from altmatch.rulebook.vocabulary import Area, Jlpt, SchoolLevel

JLPT_WEIGHTS: Mapping[Jlpt, float] = {
    Jlpt.NONE: 0.38,
    Jlpt.N5: 0.22,
    Jlpt.N4: 0.18,
    Jlpt.N3: 0.11,
    Jlpt.N2: 0.08,
    Jlpt.N1: 0.03,
}
TEACHING_YEARS = (0, 1, 2, 3, 4, 5, 6, 8, 10)
TEACHING_YEAR_WEIGHTS = (0.50, 0.17, 0.10, 0.07, 0.05, 0.04, 0.03, 0.02, 0.02)
LEVELS = tuple(level.value for level in SchoolLevel)
LEVEL_WEIGHTS = (3.0, 3.0, 2.0, 0.5)  # elementary, junior high, senior high, special needs
# How much more often a prefecture is preferred than the rest (a demo assumption, not data).
POPULARITY: Mapping[str, float] = {
    "Tokyo": 14, "Osaka": 9, "Kyoto": 8, "Kanagawa": 6, "Hyogo": 5, "Fukuoka": 5,
    "Okinawa": 5, "Hokkaido": 5, "Aichi": 4, "Hiroshima": 3, "Nagano": 3, "Miyagi": 2,
    "Chiba": 2, "Saitama": 2, "Nara": 2, "Ishikawa": 2,
}  # fmt: skip
ACCEPTS_ANYWHERE = 0.5
COUPLE_SHARE = 0.005  # couples per candidate (60 people in a couple among 6,000)
GIVEN = (
    "Olivia", "Noah", "Amelia", "Jack", "Chloe", "Ethan", "Grace", "Oliver", "Hannah", "Lucas",
    "Ava", "Daniel", "Zoe", "Samuel", "Isla", "Kwame", "Priya", "Marcus", "Aroha", "Tane",
    "Siobhan", "Connor", "Thandiwe", "Sipho", "Ana", "Rafael", "Mei", "Jordan", "Fatima", "Owen",
    "Leilani", "Nikhil", "Claire", "Ryan", "Maya", "Tyler", "Erin", "Dylan", "Imani", "Callum",
)  # fmt: skip
FAMILY = (
    "Smith", "Johnson", "Brown", "Taylor", "Wilson", "Martin", "Thompson", "White", "Walker",
    "Young", "King", "Wright", "Scott", "Green", "Baker", "Nguyen", "Patel", "Kim", "Murphy",
    "Kelly", "Byrne", "Campbell", "Stewart", "Mensah", "Dlamini", "Ngata", "Parata", "Tremblay",
    "Roy", "Santos", "Reyes", "Cruz", "Chen", "Lee", "Evans", "Hughes", "Davies", "Morgan",
    "Price", "Singh",
)  # fmt: skip


def candidate_id(n: int) -> str:
    """The n-th candidate's id, from C00001."""
    return f"C{n:05d}"


def build_candidates(
    prefectures: Sequence[Prefecture], count: int, seed: int
) -> tuple[tuple[DemoCandidate, ...], tuple[tuple[str, str], ...]]:
    """`count` candidates (the personas first) and the couples among them."""
    if count < len(PERSONA_CANDIDATES):
        raise ValueError(f"a demo season needs at least {len(PERSONA_CANDIDATES)} candidates")
    draw = Draw(seed, "candidates")
    names = [p.name for p in prefectures]
    weights = [POPULARITY.get(name, 1.0) for name in names]
    records = list(PERSONA_CANDIDATES)
    for n in range(len(records) + 1, count + 1):
        records.append(_candidate(draw, candidate_id(n), names, weights))
    couples = _couples(Draw(seed, "couples"), records)
    for a, b in couples:  # partners apply together, so they share where they would go
        first = next(r for r in records if r.id == a)
        i = next(i for i, r in enumerate(records) if r.id == b)
        records[i] = replace(
            records[i],
            preferred_prefectures=first.preferred_prefectures,
            accepts_anywhere=first.accepts_anywhere,
        )
    name_draw = Draw(seed, "names")
    candidates = tuple(
        DemoCandidate(r, PERSONA_NAMES.get(r.id) or _name(name_draw)) for r in records
    )
    return candidates, PERSONA_COUPLES + couples


def _candidate(draw: Draw, cid: str, names: list[str], weights: list[float]) -> CandidateRecord:
    years = draw.weighted(TEACHING_YEARS, TEACHING_YEAR_WEIGHTS)
    if years or draw.chance(0.25):  # a practicum or volunteering counts as experience
        taught = draw.several(LEVELS, LEVEL_WEIGHTS, draw.weighted((1, 2, 3), (0.6, 0.3, 0.1)))
    else:
        taught = []
    wanted = draw.weighted((0, 1, 2, 3), (0.04, 0.20, 0.30, 0.46))
    preferred = draw.several(names, weights, wanted)
    wished_levels = draw.several(LEVELS, LEVEL_WEIGHTS, draw.integer(1, 2))
    score = round(draw.normal(72 + 2 * min(years, 3), 9))
    return CandidateRecord(
        id=cid,
        jlpt=draw.weighted(list(JLPT_WEIGHTS), list(JLPT_WEIGHTS.values())),
        teaching_years=years,
        driving_licence=draw.chance(0.7),
        school_experience=_in_level_order(taught),
        interview_score=max(40, min(100, score)),
        preferred_prefectures=tuple(preferred),
        preferred_area=draw.weighted((None, Area.URBAN.value, Area.RURAL.value), (0.6, 0.28, 0.12)),
        preferred_school_levels=_in_level_order(wished_levels) if draw.chance(0.3) else (),
        accepts_anywhere=not preferred or draw.chance(ACCEPTS_ANYWHERE),
    )


def _in_level_order(levels: list[str]) -> tuple[str, ...]:
    return tuple(level for level in LEVELS if level in levels)


def _couples(draw: Draw, records: list[CandidateRecord]) -> tuple[tuple[str, str], ...]:
    """Random pairs among the generated (non-persona) candidates, in the order drawn."""
    pool = [r.id for r in records[len(PERSONA_CANDIDATES) :]]
    wanted = min(round(len(records) * COUPLE_SHARE), len(pool) // 2)
    chosen = draw.several(pool, [1.0] * len(pool), 2 * wanted)
    return tuple((chosen[i], chosen[i + 1]) for i in range(0, len(chosen), 2))


def _name(draw: Draw) -> str:
    return f"{draw.one(GIVEN)} {draw.one(FAMILY)}"
