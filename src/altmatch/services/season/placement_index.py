"""Index a validated season for the engine: domain objects, integer ids, BoE groups, couples."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from altmatch.domain.season import (
    Candidate,
    HardRequirements,
    LocationPreferences,
    Request,
    Season,
    SoftWeights,
)
from altmatch.domain.season_lists import SeasonLists, derive_lists
from altmatch.engine import MatchResult, stable_match
from altmatch.io.season_files import SeasonFiles
from altmatch.rulebook.vocabulary import Area, SchoolLevel


def to_season(files: SeasonFiles) -> Season:
    """The domain's view of validated season files."""

    known: dict[tuple[str, ...], frozenset[SchoolLevel]] = {}

    def levels(names: Sequence[str]) -> frozenset[SchoolLevel]:
        """The set of levels, built once per distinct list of names (a season repeats a few
        dozen combinations across thousands of rows) and shared, being immutable."""
        key = tuple(names)
        found = known.get(key)
        if found is None:
            found = known[key] = frozenset(SchoolLevel(n) for n in key)
        return found

    requests = tuple(
        Request(
            id=r.id,
            boe=r.boe,
            prefecture=r.prefecture,
            capacity=r.capacity,
            school_levels=levels(r.school_levels),
            area=Area(r.area) if r.area else None,
            requirements=HardRequirements(
                r.requires_driving_licence, r.min_jlpt, r.min_teaching_years
            ),
            weights=SoftWeights(
                r.weight_jlpt,
                r.weight_teaching_years,
                r.weight_school_levels,
                r.weight_driving_licence,
            ),
        )
        for r in files.requests
    )
    candidates = tuple(
        Candidate(
            id=c.id,
            jlpt=c.jlpt,
            teaching_years=c.teaching_years,
            driving_licence=c.driving_licence,
            school_experience=levels(c.school_experience),
            interview_score=c.interview_score,
            preferences=LocationPreferences(
                prefectures=c.preferred_prefectures,
                area=Area(c.preferred_area) if c.preferred_area else None,
                school_levels=levels(c.preferred_school_levels),
                anywhere=c.accepts_anywhere,
            ),
            tier=files.tiers.get(c.id, 0),
        )
        for c in files.candidates
    )
    return Season(requests, candidates, files.candidate_ranks, files.request_ranks, files.couples)


@dataclass(frozen=True)
class IndexedSeason:
    """A season with integer indices in file order, as the engine sees it."""

    files: SeasonFiles
    season: Season
    lists: SeasonLists
    candidate_index: dict[str, int]
    boe_of_request: tuple[int, ...]
    couples: tuple[tuple[int, int], ...]
    partner: dict[int, int]

    @classmethod
    def of(cls, files: SeasonFiles) -> IndexedSeason:
        season = to_season(files)
        candidate_index = {c.id: i for i, c in enumerate(season.candidates)}
        boes: dict[str, int] = {}
        groups = tuple(boes.setdefault(r.boe, len(boes)) for r in season.requests)
        couples = tuple((candidate_index[a], candidate_index[b]) for a, b in season.couples)
        partner = {a: b for a, b in couples} | {b: a for a, b in couples}
        return cls(files, season, derive_lists(season), candidate_index, groups, couples, partner)

    def match(self, seed: int | None) -> MatchResult:
        return stable_match(
            self.lists.candidate_prefs,
            self.lists.request_prefs,
            [r.capacity for r in self.season.requests],
            request_ranks=(self.lists.request_prefs[0], self.lists.request_ranks),
            seed=seed,
            couples=list(self.couples) or None,
            request_groups=list(self.boe_of_request),
        )


def held_per_request(result: MatchResult, n_requests: int) -> NDArray[np.int64]:
    """How many candidates each request holds."""
    placed = result.assignment[result.assignment >= 0]
    return np.bincount(placed, minlength=n_requests)
