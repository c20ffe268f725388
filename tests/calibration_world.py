"""Interview scores for the season tests: a round whose calibration reverses two candidates'
raw order, and a tiny season in which that decides who gets the one place.

The round: two panels of three share assessor `s`. Panel `PL` (s, l1, l2) hears A and three
others; panel `PH` (s, h1, h2) hears B and three others. l1 and l2 give one point more than s
would, h1 and h2 one point less. A's true score is 3 and B's 4, so A's raw mean is
(3 + 4 + 4) / 3 = 3.67 and B's (4 + 3 + 3) / 3 = 3.33: raw means put A first. With l1, l2
at severity −1, h1, h2 at +1 and s at 0 (they sum to zero), calibration takes A back to 3.00
and B up to 4.00, which the season's 0-100 scale reads as 50 and 75
(100 × (3 − 1) / 4 and 100 × (4 − 1) / 4). Two others' scores are off by one on one
criterion, so the noise (and every standard error) can be estimated.
"""

from __future__ import annotations

from collections.abc import Sequence

from tests.season_world import CONTRACT_START, World, future_deadline

from altmatch.db import Sessions
from altmatch.rulebook import load_rulebook
from altmatch.services.season.imports import import_candidates, import_requests
from altmatch.services.season.setup import open_season

HEADER = "candidate_id,panel_id,assessor_id,criterion,score"
CRITERIA = tuple(c.id for c in load_rulebook().interview_rubric.criteria)
LENIENCY = {"s": 0, "l1": 1, "l2": 1, "h1": -1, "h2": -1}
PANELS = {"PL": ("s", "l1", "l2"), "PH": ("s", "h1", "h2")}
OTHER_ABILITIES = (2, 4, 3, 2, 3, 4)  # the six others, three a panel
NOISE = {(2, "s", CRITERIA[-1]): 1, (4, "h1", CRITERIA[0]): -1}  # (other, assessor, criterion)

# A one-request season: A01 (imported interview 70) and B01 (60) both want Kobe's only
# place; the six others want Hokkaido, where nothing is requested.
TINY_REQUESTS = (
    b"request_id,capacity,boe,prefecture,school_levels,area,requires_driving_licence,min_jlpt,"
    b"min_teaching_years,weight_jlpt,weight_teaching_years,weight_school_levels,"
    b"weight_driving_licence\n"
    b"KOB-1,1,Kobe City BoE,Hyogo,elementary,urban,no,none,0,0,0,0,0\n"
)
CANDIDATE_HEADER = (
    "candidate_id,jlpt,teaching_years,driving_licence,school_experience,interview_score,"
    "preferred_prefectures,preferred_area,preferred_school_levels,accepts_anywhere"
)
OTHERS = tuple(f"F0{i}" for i in range(1, 7))


def tiny_candidates() -> bytes:
    rows = [
        CANDIDATE_HEADER,
        "A01,none,0,no,,70,Hyogo,,,no",
        "B01,none,0,no,,60,Hyogo,,,no",
        *(f"{f},none,0,no,,50,Hokkaido,,,no" for f in OTHERS),
    ]
    return ("\n".join(rows) + "\n").encode()


def flip_rows(a: str = "A01", b: str = "B01", others: Sequence[str] = OTHERS) -> list[str]:
    """The round's score rows (no header): `a` before `b` by raw mean, after by calibration."""
    heard = {"PL": [(a, 3), *zip(others[:3], OTHER_ABILITIES[:3], strict=True)]}
    heard["PH"] = [(b, 4), *zip(others[3:], OTHER_ABILITIES[3:], strict=True)]
    lines = []
    for panel, people in heard.items():
        for who, ability in people:
            index = others.index(who) if who in others else -1
            for assessor in PANELS[panel]:
                for criterion in CRITERIA:
                    noise = NOISE.get((index, assessor, criterion), 0)
                    score = ability + LENIENCY[assessor] + noise
                    lines.append(f"{who},{panel},{assessor},{criterion},{score}")
    return lines


def scores_file(rows: Sequence[str]) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def tiny_season(sessions: Sessions, world: World, name: str = "tiny") -> int:
    """A season of the world's programme with the one request and the eight candidates."""
    season = open_season(
        sessions,
        world.coordinator,
        name=name,
        year=2027,
        request_deadline=future_deadline(),
        contract_start=CONTRACT_START,
    ).id
    import_requests(
        sessions, world.coordinator, season, content=TINY_REQUESTS, filename="r.csv", commit=True
    )
    import_candidates(
        sessions,
        world.coordinator,
        season,
        content=tiny_candidates(),
        filename="c.csv",
        commit=True,
    )
    return season
