"""A placement season: the requests BoEs file, the candidates, and the job-related criteria.

Only job-related criteria exist here: school levels, area (urban/rural), driving licence, JLPT
level, teaching experience, interview score and the candidate's own location preferences. There
is deliberately no field for sex, age, nationality (beyond programme eligibility, settled before
a candidate enters the season), religion, health, family status or anything similar, and the
file loader rejects unknown columns, so no such criterion can be slipped in through a file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from altmatch.rulebook.vocabulary import Area, Jlpt, SchoolLevel


class Requirement(StrEnum):
    """A hard requirement: a candidate who fails it is not on the request's derived list."""

    DRIVING_LICENCE = "driving_licence"
    MIN_JLPT = "min_jlpt"
    MIN_TEACHING_YEARS = "min_teaching_years"


@dataclass(frozen=True)
class HardRequirements:
    driving_licence: bool = False
    min_jlpt: Jlpt = Jlpt.NONE
    min_teaching_years: int = 0


@dataclass(frozen=True)
class SoftWeights:
    """How much each soft criterion adds to the fit score (whole numbers, 0-10 each)."""

    jlpt: int = 0
    teaching_years: int = 0
    school_levels: int = 0
    driving_licence: int = 0


@dataclass(frozen=True)
class Request:
    """One BoE request for `capacity` ALTs."""

    id: str
    boe: str
    prefecture: str
    capacity: int
    school_levels: frozenset[SchoolLevel] = frozenset()
    area: Area | None = None
    requirements: HardRequirements = HardRequirements()
    weights: SoftWeights = SoftWeights()


@dataclass(frozen=True)
class LocationPreferences:
    """Where a candidate wants to go; an unset preference matches every request."""

    prefectures: tuple[str, ...] = ()  # most preferred first
    area: Area | None = None
    school_levels: frozenset[SchoolLevel] = frozenset()
    anywhere: bool = False  # after the preferred requests, accept any other request


@dataclass(frozen=True)
class Candidate:
    id: str
    jlpt: Jlpt = Jlpt.NONE
    teaching_years: int = 0
    driving_licence: bool = False
    school_experience: frozenset[SchoolLevel] = frozenset()
    interview_score: int = 0  # 0-100
    preferences: LocationPreferences = LocationPreferences()
    # Every request list ranks lower tiers first, then by fit (domain.shortlist.match_tier:
    # the interview round's shortlisted 0, alternate number p p); 0 for everyone otherwise.
    tier: int = 0


@dataclass(frozen=True)
class Season:
    """Everything one match needs. Explicit ranks, when given, replace the derived lists."""

    requests: tuple[Request, ...]
    candidates: tuple[Candidate, ...]
    # candidate id -> request ids, most preferred first (no ties)
    candidate_ranks: Mapping[str, tuple[str, ...]] | None = None
    # request id -> (candidate id, rank number) best first; equal rank numbers are ties
    request_ranks: Mapping[str, tuple[tuple[str, int], ...]] | None = None
    couples: tuple[tuple[str, str], ...] = field(default=())


def unmet_requirements(request: Request, candidate: Candidate) -> tuple[Requirement, ...]:
    """The hard requirements of `request` that `candidate` fails, in a fixed order."""
    needs = request.requirements
    unmet: list[Requirement] = []
    if needs.driving_licence and not candidate.driving_licence:
        unmet.append(Requirement.DRIVING_LICENCE)
    if candidate.jlpt.rank < needs.min_jlpt.rank:
        unmet.append(Requirement.MIN_JLPT)
    if candidate.teaching_years < needs.min_teaching_years:
        unmet.append(Requirement.MIN_TEACHING_YEARS)
    return tuple(unmet)


# The fit score is computed in sixtieths so that it is an exact integer: every soft-fit part
# below is a multiple of 1/60 (JLPT in fifths, teaching years capped at 5, school levels as a
# share of at most 4 levels). Equal fits are then exactly equal, and so tied, never split by
# floating-point noise.
FIT_SCALE = 60
TEACHING_YEARS_CAP = 5


def fit_points(request: Request, candidate: Candidate) -> int:
    """The request's fit score for the candidate, times FIT_SCALE.

    fit = interview_score + Σ weight_k × fit_k, each fit_k between 0 and 1:
    JLPT level (none 0, N5 1/5 … N1 1), teaching years (capped at 5, over 5), the share of the
    request's school levels the candidate has taught (0 when the request names none), and
    driving licence (1 when held). Hard requirements are not part of it: they filter.
    """
    w = request.weights
    levels = len(request.school_levels)
    overlap = len(request.school_levels & candidate.school_experience)
    level_points = FIT_SCALE * overlap // levels if levels else 0
    return (
        FIT_SCALE * candidate.interview_score
        + w.jlpt * (FIT_SCALE // 5) * candidate.jlpt.rank
        + w.teaching_years
        * (FIT_SCALE // TEACHING_YEARS_CAP)
        * min(candidate.teaching_years, TEACHING_YEARS_CAP)
        + w.school_levels * level_points
        + w.driving_licence * FIT_SCALE * int(candidate.driving_licence)
    )


def matches_preferences(candidate: Candidate, request: Request) -> bool:
    """Area and school level agree with the candidate's wishes (unset on either side agrees)."""
    wish = candidate.preferences
    area_ok = wish.area is None or request.area is None or wish.area == request.area
    levels_ok = (
        not wish.school_levels
        or not request.school_levels
        or bool(wish.school_levels & request.school_levels)
    )
    return area_ok and levels_ok


def prefecture_key(name: str) -> str:
    """Prefecture names compare ignoring case and surrounding spaces ("Hyogo" = " hyogo ")."""
    return name.strip().casefold()
