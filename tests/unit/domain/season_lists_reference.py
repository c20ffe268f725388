"""The list derivation as it was before it was vectorised (one candidate at a time, tuples of
tuples): the reference the CSR version in altmatch.domain.season_lists must agree with.

Original docstring: preference lists for the engine, explicit ranks when given, otherwise derived
from criteria.

A request's derived list holds the candidates who listed it and meet every hard requirement,
best fit first (`season.fit_points`); equal fits share a rank number (competition ranking:
1, 1, 3), and the engine's seeded lottery breaks the tie. Leaving out candidates who did not
list the request changes nothing: the engine only places a candidate on a request both list.

A candidate's derived list holds the requests in their preferred prefectures, in the order they
named the prefectures, that agree with their area and school-level wishes (within one
prefecture, best fit first, then file order). Requests they asked for stay on the list even
when a hard requirement fails, so the explanation can name it. If they accept anywhere, every
other request they are eligible for follows: those agreeing with their wishes first, then by
fit, then file order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import astuple, dataclass

import numpy as np
from numpy.typing import NDArray

from altmatch.domain.season import (
    FIT_SCALE,
    TEACHING_YEARS_CAP,
    Candidate,
    Request,
    Requirement,
    Season,
    prefecture_key,
)
from altmatch.rulebook.vocabulary import Area, SchoolLevel

# Deriving "anywhere" lists scores every request for every such candidate; past this many
# pairs a season should bring explicit rank files instead of exhausting memory.
MAX_DERIVED_PAIRS = 50_000_000

_LEVEL_BIT = {level: 1 << i for i, level in enumerate(SchoolLevel)}
_POPCOUNT = np.array([bin(i).count("1") for i in range(1 << len(SchoolLevel))], dtype=np.int64)
_REQUIREMENT_BIT = {
    Requirement.DRIVING_LICENCE: 1,
    Requirement.MIN_JLPT: 2,
    Requirement.MIN_TEACHING_YEARS: 4,
}

Int64s = NDArray[np.int64]


@dataclass(frozen=True)
class SeasonLists:
    """Integer-indexed lists in the season's file order, ready for `altmatch.engine`."""

    candidate_lists: tuple[tuple[int, ...], ...]  # request indices, most preferred first
    request_lists: tuple[tuple[int, ...], ...]  # candidate indices, best first
    request_ranks: tuple[tuple[int, ...], ...]  # rank number per request_lists entry; ties equal
    # (candidate, request) -> hard requirements failed, for every pair on a candidate's list
    unmet: Mapping[tuple[int, int], tuple[Requirement, ...]]
    candidate_lists_derived: bool
    request_lists_derived: bool
    # per candidate: how many entries of their list they asked for (their preferred
    # prefectures, or all of a given ranks file); the rest is the "accepts anywhere" tail
    stated_lengths: tuple[int, ...] = ()


def _levels_mask(levels: frozenset[SchoolLevel]) -> int:
    mask = 0
    for level in levels:
        mask |= _LEVEL_BIT[level]
    return mask


@dataclass(frozen=True)
class _Arrays:
    """Column arrays of the criteria, so pairs can be scored in bulk."""

    c_jlpt: Int64s
    c_years: Int64s
    c_licence: Int64s
    c_levels: Int64s
    c_interview: Int64s
    r_min_jlpt: Int64s
    r_min_years: Int64s
    r_licence: Int64s
    r_levels: Int64s
    r_n_levels: Int64s
    r_weights: Int64s  # shape (n_requests, 4): jlpt, teaching years, school levels, licence
    r_area: Int64s  # 0 unset, else 1 + index in Area
    r_pref: Int64s  # prefecture id
    c_wish_area: Int64s
    c_wish_levels: Int64s

    @classmethod
    def of(
        cls,
        requests: Sequence[Request],
        candidates: Sequence[Candidate],
        prefecture_ids: dict[str, int],
    ) -> _Arrays:
        def col(values: list[int]) -> Int64s:
            return np.array(values, dtype=np.int64)

        def area(value: Area | None) -> int:
            return 0 if value is None else 1 + list(Area).index(value)

        return cls(
            c_jlpt=col([c.jlpt.rank for c in candidates]),
            c_years=col([c.teaching_years for c in candidates]),
            c_licence=col([int(c.driving_licence) for c in candidates]),
            c_levels=col([_levels_mask(c.school_experience) for c in candidates]),
            c_interview=col([c.interview_score for c in candidates]),
            r_min_jlpt=col([r.requirements.min_jlpt.rank for r in requests]),
            r_min_years=col([r.requirements.min_teaching_years for r in requests]),
            r_licence=col([int(r.requirements.driving_licence) for r in requests]),
            r_levels=col([_levels_mask(r.school_levels) for r in requests]),
            r_n_levels=col([len(r.school_levels) for r in requests]),
            r_weights=np.array([astuple(r.weights) for r in requests], dtype=np.int64).reshape(
                len(requests), 4
            ),
            r_area=col([area(r.area) for r in requests]),
            r_pref=col([prefecture_ids[prefecture_key(r.prefecture)] for r in requests]),
            c_wish_area=col([area(c.preferences.area) for c in candidates]),
            c_wish_levels=col([_levels_mask(c.preferences.school_levels) for c in candidates]),
        )

    def agrees(self, r: Int64s, c: Int64s) -> NDArray[np.bool_]:
        """Area and school levels agree with the candidate's wishes; as `matches_preferences`."""
        wish_area, area = self.c_wish_area[c], self.r_area[r]
        wish_levels, levels = self.c_wish_levels[c], self.r_levels[r]
        area_ok = (wish_area == 0) | (area == 0) | (wish_area == area)
        levels_ok = (wish_levels == 0) | (levels == 0) | ((wish_levels & levels) != 0)
        return np.asarray(area_ok & levels_ok, dtype=np.bool_)

    def score(self, r: Int64s, c: Int64s) -> tuple[Int64s, Int64s]:
        """Fit points and failed-requirement bits for the pairs (r[i], c[i]); as `fit_points`."""
        w = self.r_weights[r]
        n_levels = self.r_n_levels[r]
        overlap = _POPCOUNT[self.r_levels[r] & self.c_levels[c]]
        level_points = np.where(n_levels > 0, FIT_SCALE * overlap // np.maximum(n_levels, 1), 0)
        fit = (
            FIT_SCALE * self.c_interview[c]
            + w[:, 0] * (FIT_SCALE // 5) * self.c_jlpt[c]
            + w[:, 1]
            * (FIT_SCALE // TEACHING_YEARS_CAP)
            * np.minimum(self.c_years[c], TEACHING_YEARS_CAP)
            + w[:, 2] * level_points
            + w[:, 3] * FIT_SCALE * self.c_licence[c]
        )
        unmet = (
            _REQUIREMENT_BIT[Requirement.DRIVING_LICENCE]
            * (self.r_licence[r] & (1 - self.c_licence[c]))
            + _REQUIREMENT_BIT[Requirement.MIN_JLPT] * (self.c_jlpt[c] < self.r_min_jlpt[r])
            + _REQUIREMENT_BIT[Requirement.MIN_TEACHING_YEARS]
            * (self.c_years[c] < self.r_min_years[r])
        )
        return fit.astype(np.int64), unmet.astype(np.int64)


def _requirements(bits: int) -> tuple[Requirement, ...]:
    return tuple(req for req, bit in _REQUIREMENT_BIT.items() if bits & bit)


def _candidate_list(
    arrays: _Arrays, c: int, prefectures: list[int], by_prefecture: list[Int64s], anywhere: bool
) -> tuple[list[int], int]:
    """One candidate's derived list (see the module docstring), scored in bulk, and how many of
    its entries come from their stated preferences (the rest is the anywhere tail)."""
    chosen = np.zeros(0, dtype=np.int64)
    if prefectures:
        idx = np.concatenate([by_prefecture[p] for p in prefectures])
        wish_order = np.repeat(
            np.arange(len(prefectures)), [len(by_prefecture[p]) for p in prefectures]
        )
        who = np.full(len(idx), c, dtype=np.int64)
        keep = arrays.agrees(idx, who)
        idx, wish_order = idx[keep], wish_order[keep]
        fit, _ = arrays.score(idx, who[keep])
        chosen = idx[np.lexsort((idx, -fit, wish_order))]
    stated = len(chosen)
    if anywhere:
        n_r = len(arrays.r_pref)
        every = np.arange(n_r, dtype=np.int64)
        who = np.full(n_r, c, dtype=np.int64)
        fit, unmet = arrays.score(every, who)
        agrees = arrays.agrees(every, who)
        rest = unmet == 0
        rest[chosen] = False
        idx = np.flatnonzero(rest)
        chosen = np.concatenate([chosen, idx[np.lexsort((idx, -fit[idx], ~agrees[idx]))]])
    return [int(r) for r in chosen], stated


def _candidate_lists(
    season: Season, arrays: _Arrays, prefecture_ids: dict[str, int]
) -> tuple[list[list[int]], list[int]]:
    """Every candidate's list, and how much of each they stated (see `SeasonLists`)."""
    requests, candidates = season.requests, season.candidates
    if season.candidate_ranks is not None:
        request_index = {q.id: i for i, q in enumerate(requests)}
        given = [
            [request_index[rid] for rid in season.candidate_ranks.get(c.id, ())] for c in candidates
        ]
        return given, [len(lst) for lst in given]
    anywhere = [c for c, cand in enumerate(candidates) if cand.preferences.anywhere]
    if len(anywhere) * len(requests) > MAX_DERIVED_PAIRS:
        raise ValueError(
            f"{len(anywhere)} candidates accept anywhere among {len(requests)} requests: too "
            "many pairs to derive lists; give candidate_ranks and request_ranks instead"
        )
    by_prefecture = [
        np.flatnonzero(arrays.r_pref == p).astype(np.int64) for p in range(len(prefecture_ids))
    ]
    lists, stated = [], []
    for c, cand in enumerate(candidates):
        wished = (prefecture_ids.get(prefecture_key(name)) for name in cand.preferences.prefectures)
        prefectures = list(dict.fromkeys(p for p in wished if p is not None))
        one, asked = _candidate_list(
            arrays, c, prefectures, by_prefecture, cand.preferences.anywhere
        )
        lists.append(one)
        stated.append(asked)
    return lists, stated


def _competition_ranks(sorted_fits: Sequence[int]) -> tuple[int, ...]:
    """1-based ranks where equal fits share a rank and the next rank skips (1, 1, 3)."""
    ranks: list[int] = []
    for i, value in enumerate(sorted_fits):
        ranks.append(ranks[-1] if i and value == sorted_fits[i - 1] else i + 1)
    return tuple(ranks)


def derive_lists(season: Season) -> SeasonLists:
    """The engine's lists for `season` (see the module docstring for the derivation)."""
    prefecture_ids: dict[str, int] = {}
    for q in season.requests:
        prefecture_ids.setdefault(prefecture_key(q.prefecture), len(prefecture_ids))
    arrays = _Arrays.of(season.requests, season.candidates, prefecture_ids)
    c_lists, stated = _candidate_lists(season, arrays, prefecture_ids)
    pair_c = np.array([c for c, lst in enumerate(c_lists) for _ in lst], dtype=np.int64)
    pair_r = np.array([r for lst in c_lists for r in lst], dtype=np.int64)
    fit, unmet_bits = arrays.score(pair_r, pair_c)
    unmet = {
        (int(c), int(r)): _requirements(int(bits))
        for c, r, bits in zip(pair_c, pair_r, unmet_bits, strict=True)
        if bits
    }
    n_r = len(season.requests)
    r_lists: list[tuple[int, ...]] = []
    r_ranks: list[tuple[int, ...]] = []
    if season.request_ranks is not None:
        candidate_index = {cand.id: i for i, cand in enumerate(season.candidates)}
        for q in season.requests:
            entries = sorted(season.request_ranks.get(q.id, ()), key=lambda e: e[1])
            r_lists.append(tuple(candidate_index[cid] for cid, _ in entries))
            r_ranks.append(tuple(rank for _, rank in entries))
    else:
        eligible = unmet_bits == 0
        e_r, e_c, e_fit = pair_r[eligible], pair_c[eligible], fit[eligible]
        order = np.lexsort((e_c, -e_fit, e_r))  # by request, best fit first, then file order
        e_r, e_c, e_fit = e_r[order], e_c[order], e_fit[order]
        bounds = np.searchsorted(e_r, np.arange(n_r + 1))
        for r in range(n_r):
            lo, hi = int(bounds[r]), int(bounds[r + 1])
            r_lists.append(tuple(int(c) for c in e_c[lo:hi]))
            r_ranks.append(_competition_ranks([int(f) for f in e_fit[lo:hi]]))
    return SeasonLists(
        candidate_lists=tuple(tuple(lst) for lst in c_lists),
        request_lists=tuple(r_lists),
        request_ranks=tuple(r_ranks),
        unmet=unmet,
        candidate_lists_derived=season.candidate_ranks is None,
        request_lists_derived=season.request_ranks is None,
        stated_lengths=tuple(stated),
    )
