"""Preference lists for the engine: explicit ranks when given, otherwise derived from criteria.

A request's derived list holds the candidates who listed it and meet every hard requirement,
best fit first (`season.fit_points`); equal fits share a rank number (competition ranking:
1, 1, 3), and the engine's seeded lottery breaks the tie. A candidate's `tier` comes before the
fit: every request ranks tier 0 (say, the interview round's shortlisted) above tier 1 (its
first alternate) whatever their fits, and so on; equal fits tie only within a tier. Given
request ranks are reordered the same way, tier first, their rank numbers within it. Leaving
out candidates who did not list the request changes nothing: the engine only places a
candidate on a request both list.

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
from itertools import chain

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
_GRID = 1 << 17  # (candidate, request) pairs scored at a time for "anywhere" tails

_LEVEL_BIT = {level: 1 << i for i, level in enumerate(SchoolLevel)}
_POPCOUNT = np.array([bin(i).count("1") for i in range(1 << len(SchoolLevel))], dtype=np.int64)
REQUIREMENT_BITS = {  # how SeasonLists.unmet_bits names each requirement
    Requirement.DRIVING_LICENCE: 1,
    Requirement.MIN_JLPT: 2,
    Requirement.MIN_TEACHING_YEARS: 4,
}

Int64s = NDArray[np.int64]


Csr = tuple[Int64s, Int64s]  # (indptr, values): row i is values[indptr[i]:indptr[i + 1]]


@dataclass(frozen=True)
class SeasonLists:
    """Integer-indexed lists in the season's file order, as CSR arrays ready for
    `altmatch.engine` (no per-entry Python objects: the demo season has 1.7 million entries)."""

    candidate_prefs: Csr  # request indices, each candidate's most preferred first
    request_prefs: Csr  # candidate indices, each request's best first
    request_ranks: Int64s  # rank number per request_prefs entry (1 = best); ties equal
    # per candidate_prefs entry: the hard requirements the candidate fails there, as bits
    unmet_bits: Int64s
    candidate_lists_derived: bool
    request_lists_derived: bool
    # per candidate: how many entries of their list they asked for (their preferred
    # prefectures, or all of a given ranks file); the rest is the "accepts anywhere" tail
    stated: Int64s

    @property
    def n_candidates(self) -> int:
        return len(self.candidate_prefs[0]) - 1

    def candidate_list(self, c: int) -> Int64s:
        """Candidate c's requests, most preferred first."""
        indptr, indices = self.candidate_prefs
        return indices[indptr[c] : indptr[c + 1]]

    def request_list(self, r: int) -> tuple[Int64s, Int64s]:
        """Request r's candidates, best first, and the rank number of each."""
        indptr, indices = self.request_prefs
        return indices[indptr[r] : indptr[r + 1]], self.request_ranks[indptr[r] : indptr[r + 1]]

    def unmet(self, c: int, k: int) -> tuple[Requirement, ...]:
        """The hard requirements candidate c fails at the k-th (0-based) request of their list."""
        return requirements_of(int(self.unmet_bits[self.candidate_prefs[0][c] + k]))


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
    c_tier: Int64s
    r_min_jlpt: Int64s
    r_min_years: Int64s
    r_licence: Int64s
    r_levels: Int64s
    r_n_levels: Int64s
    r_weights: Int64s  # shape (4, n_requests): jlpt, teaching years, school levels, licence
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
            c_tier=col([c.tier for c in candidates]),
            r_min_jlpt=col([r.requirements.min_jlpt.rank for r in requests]),
            r_min_years=col([r.requirements.min_teaching_years for r in requests]),
            r_licence=col([int(r.requirements.driving_licence) for r in requests]),
            r_levels=col([_levels_mask(r.school_levels) for r in requests]),
            r_n_levels=col([len(r.school_levels) for r in requests]),
            r_weights=np.array([astuple(r.weights) for r in requests], dtype=np.int64)
            .reshape(len(requests), 4)
            .T.copy(),
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
        """Fit points and failed-requirement bits for the pairs (r[i], c[i]); as `fit_points`.
        `r` and `c` broadcast: a row of requests against a column of candidates scores the
        whole grid."""
        w = self.r_weights[:, r]
        n_levels = self.r_n_levels[r]
        overlap = _POPCOUNT[self.r_levels[r] & self.c_levels[c]]
        level_points = np.where(n_levels > 0, FIT_SCALE * overlap // np.maximum(n_levels, 1), 0)
        fit = (
            FIT_SCALE * self.c_interview[c]
            + w[0] * (FIT_SCALE // 5) * self.c_jlpt[c]
            + w[1]
            * (FIT_SCALE // TEACHING_YEARS_CAP)
            * np.minimum(self.c_years[c], TEACHING_YEARS_CAP)
            + w[2] * level_points
            + w[3] * FIT_SCALE * self.c_licence[c]
        )
        unmet = (
            REQUIREMENT_BITS[Requirement.DRIVING_LICENCE]
            * (self.r_licence[r] & (1 - self.c_licence[c]))
            + REQUIREMENT_BITS[Requirement.MIN_JLPT] * (self.c_jlpt[c] < self.r_min_jlpt[r])
            + REQUIREMENT_BITS[Requirement.MIN_TEACHING_YEARS]
            * (self.c_years[c] < self.r_min_years[r])
        )
        return fit.astype(np.int64), unmet.astype(np.int64)


def requirements_of(bits: int) -> tuple[Requirement, ...]:
    """The requirements named by `SeasonLists.unmet_bits` bits."""
    return tuple(req for req, bit in REQUIREMENT_BITS.items() if bits & bit)


def _csr(lengths: Int64s, values: Int64s) -> Csr:
    indptr = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    return indptr, values


def _segments(lengths: Int64s) -> tuple[Int64s, Int64s]:
    """For rows of these lengths laid end to end: each entry's row, and its place in the row."""
    row = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
    starts = np.cumsum(lengths) - lengths
    return row, np.arange(len(row), dtype=np.int64) - starts[row]


@dataclass(frozen=True)
class _Pairs:
    """(candidate, request) pairs in list order, with their fit and failed-requirement bits."""

    c: Int64s
    r: Int64s
    fit: Int64s
    unmet: Int64s


def _stated_pairs(season: Season, arrays: _Arrays, prefecture_ids: dict[str, int]) -> _Pairs:
    """(candidate, request) for every request in a candidate's preferred prefectures that
    agrees with their wishes, ordered by candidate, prefecture wish, best fit, then file order."""
    wish_c: list[int] = []
    wish_p: list[int] = []
    wish_order: list[int] = []
    for c, cand in enumerate(season.candidates):
        wished = (prefecture_ids.get(prefecture_key(name)) for name in cand.preferences.prefectures)
        for rank, p in enumerate(dict.fromkeys(p for p in wished if p is not None)):
            wish_c.append(c)
            wish_p.append(p)
            wish_order.append(rank)
    by_prefecture = np.argsort(arrays.r_pref, kind="stable")
    counts = np.bincount(arrays.r_pref, minlength=len(prefecture_ids))
    starts = np.cumsum(counts) - counts
    wish = np.asarray(wish_p, dtype=np.int64)
    slot, within = _segments(counts[wish])
    pair_c = np.asarray(wish_c, dtype=np.int64)[slot]
    order = np.asarray(wish_order, dtype=np.int64)[slot]
    pair_r = by_prefecture[starts[wish][slot] + within]
    keep = arrays.agrees(pair_r, pair_c)
    pair_c, pair_r, order = pair_c[keep], pair_r[keep], order[keep]
    fit, unmet = arrays.score(pair_r, pair_c)
    sort = np.lexsort((pair_r, -fit, order, pair_c))
    return _Pairs(pair_c[sort], pair_r[sort], fit[sort], unmet[sort])


def _anywhere_pairs(season: Season, arrays: _Arrays, stated: _Pairs) -> _Pairs:
    """(candidate, request) for each "accepts anywhere" candidate's tail: every other request
    they are eligible for, those agreeing with their wishes first, then by fit, then file
    order. Scored a block of such candidates at a time against every request: blocks of
    `_GRID` pairs keep the temporaries in cache and the peak memory low (the whole grid at
    once took 200 MB on the demo season); each row's order depends on that row alone."""
    n_r = len(arrays.r_pref)
    flags = [cand.preferences.anywhere for cand in season.candidates]
    who = np.flatnonzero(np.asarray(flags, dtype=np.bool_)).astype(np.int64)
    if len(who) * n_r > MAX_DERIVED_PAIRS:
        raise ValueError(
            f"{len(who)} candidates accept anywhere among {n_r} requests: too "
            "many pairs to derive lists; give candidate_ranks and request_ranks instead"
        )
    if not len(who) or not n_r:
        none = np.zeros(0, dtype=np.int64)
        return _Pairs(none, none, none, none)
    every = np.arange(n_r, dtype=np.int64)[None, :]
    step = max(1, _GRID // n_r)
    parts: list[tuple[Int64s, Int64s, Int64s]] = []
    for lo in range(0, len(who), step):
        rows = who[lo : lo + step]
        # the stated entries of these candidates (both sorted by candidate)
        first = int(np.searchsorted(stated.c, rows[0], side="left"))
        last = int(np.searchsorted(stated.c, rows[-1], side="right"))
        mine_c, mine_r = stated.c[first:last], stated.r[first:last]
        row_of = np.searchsorted(rows, mine_c)
        hit = rows[np.minimum(row_of, len(rows) - 1)] == mine_c
        listed = np.zeros((len(rows), n_r), dtype=np.bool_)
        listed[row_of[hit], mine_r[hit]] = True
        column = rows[:, None]
        fit, unmet = arrays.score(every, column)
        keep = (unmet == 0) & ~listed
        # one sort key per row: agreeing with the wishes first, then best fit, then file order
        high = int(fit.max())
        span = high - int(fit.min()) + 1
        kept = keep.sum(axis=1)
        take = every < kept[:, None]
        disagree = ~arrays.agrees(every, column)
        shifts = _bit_fields(2, span, n_r)
        if shifts is None:  # too wide for one key: sort the order, as in full
            key = (high - fit) * n_r + every
            key += np.where(disagree, span * n_r, 0)
            key[~keep] = np.iinfo(np.int64).max
            order = np.argsort(key, axis=1)
            tail = (order[take], np.take_along_axis(fit, order, axis=1)[take])
        else:
            # Bit fields (disagree, high - fit, request): sorting the keys themselves (several
            # times faster than an argsort; each row's kept keys are distinct and come first)
            # gives the request and the fit back by shifts and masks.
            to_dis, to_fit = shifts[0], shifts[1]
            key = disagree.astype(np.int64) << to_dis
            key |= (high - fit) << to_fit
            key |= every
            key[~keep] = np.iinfo(np.int64).max
            key.sort(axis=1)
            ordered = key[take]
            tail = (
                ordered & ((1 << to_fit) - 1),
                high - ((ordered >> to_fit) & ((1 << (to_dis - to_fit)) - 1)),
            )
        parts.append((np.repeat(rows, kept), *tail))
    pair_c, pair_r, fit = (np.concatenate(column) for column in zip(*parts, strict=True))
    return _Pairs(pair_c, pair_r, fit, np.zeros_like(fit))


def _given_candidate_pairs(season: Season, arrays: _Arrays) -> _Pairs:
    ranks = season.candidate_ranks or {}
    request_index = {q.id: i for i, q in enumerate(season.requests)}
    lists = [[request_index[rid] for rid in ranks.get(c.id, ())] for c in season.candidates]
    lengths = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    flat = np.fromiter(chain.from_iterable(lists), dtype=np.int64, count=int(lengths.sum()))
    who = np.repeat(np.arange(len(lists), dtype=np.int64), lengths)
    return _Pairs(who, flat, *arrays.score(flat, who))


def _candidate_prefs(
    season: Season, arrays: _Arrays, prefecture_ids: dict[str, int]
) -> tuple[_Pairs, Int64s]:
    """Every candidate's list as pairs in list order, and how much of each list they stated
    (see `SeasonLists`)."""
    n_c = len(season.candidates)
    if season.candidate_ranks is not None:
        given = _given_candidate_pairs(season, arrays)
        return given, np.bincount(given.c, minlength=n_c).astype(np.int64)
    stated = _stated_pairs(season, arrays, prefecture_ids)
    tail = _anywhere_pairs(season, arrays, stated)
    # Each candidate's stated entries, then its tail: both come sorted by candidate, so each
    # entry's place follows from the counts (a merge, where a stable sort took 0.1 s).
    n_stated = np.bincount(stated.c, minlength=n_c).astype(np.int64)
    n_tail = np.bincount(tail.c, minlength=n_c).astype(np.int64)
    start = np.cumsum(n_stated + n_tail) - (n_stated + n_tail)
    to_stated = start[stated.c] + _within(stated.c, n_stated)
    to_tail = start[tail.c] + n_stated[tail.c] + _within(tail.c, n_tail)
    merged = []
    for a, b in ((stated.c, tail.c), (stated.r, tail.r), (stated.fit, tail.fit)):
        out = np.empty(len(a) + len(b), dtype=np.int64)
        out[to_stated], out[to_tail] = a, b
        merged.append(out)
    unmet = np.zeros(len(stated.c) + len(tail.c), dtype=np.int64)
    unmet[to_stated] = stated.unmet  # the tail holds only requests they are eligible for
    return _Pairs(merged[0], merged[1], merged[2], unmet), n_stated


def _within(rows: Int64s, counts: Int64s) -> Int64s:
    """For entries sorted by row (rows[i]), each entry's place within its row."""
    starts = np.cumsum(counts) - counts
    return np.arange(len(rows), dtype=np.int64) - starts[rows]


def _competition_ranks(group: Int64s, value: Int64s) -> Int64s:
    """1-based ranks within each group (entries sorted by group, then value best first): equal
    values share a rank and the next rank skips (1, 1, 3)."""
    n = len(group)
    if not n:
        return np.zeros(0, dtype=np.int64)
    index = np.arange(n, dtype=np.int64)
    new_group = np.ones(n, dtype=np.bool_)
    new_group[1:] = group[1:] != group[:-1]
    new_value = new_group.copy()
    new_value[1:] |= value[1:] != value[:-1]
    group_start = np.maximum.accumulate(np.where(new_group, index, 0))
    value_start = np.maximum.accumulate(np.where(new_value, index, 0))
    return value_start - group_start + 1


def _given_request_prefs(season: Season) -> tuple[Csr, Int64s]:
    ranks = season.request_ranks or {}
    candidate_index = {cand.id: i for i, cand in enumerate(season.candidates)}
    tier = {cand.id: cand.tier for cand in season.candidates if cand.tier}
    lists = [sorted(ranks.get(q.id, ()), key=lambda e: e[1]) for q in season.requests]
    if tier:
        lists = [_tiered_ranks(entries, tier) for entries in lists]
    lengths = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    total = int(lengths.sum())
    flat = chain.from_iterable(lists)
    who = np.fromiter((candidate_index[cid] for cid, _ in flat), dtype=np.int64, count=total)
    rank = np.fromiter((r for _, r in chain.from_iterable(lists)), dtype=np.int64, count=total)
    return _csr(lengths, who), rank


def _tiered_ranks(
    entries: Sequence[tuple[str, int]], tier: Mapping[str, int]
) -> list[tuple[str, int]]:
    """One given request list (best first) with lower tiers first, then the given rank;
    competition rank numbers again, so equal given ranks tie only within a tier."""
    keys = sorted(((tier.get(cid, 0), rank), i, cid) for i, (cid, rank) in enumerate(entries))
    out: list[tuple[str, int]] = []
    for n, (key, _, cid) in enumerate(keys):
        tied = n > 0 and keys[n - 1][0] == key
        out.append((cid, out[-1][1] if tied else n + 1))
    return out


def _tiered_fit(fit: Int64s, tier: Int64s) -> Int64s:
    """One value per entry that orders as (lowest tier, then best fit): the fit less a whole
    span of fits per tier. The fit itself when every tier is 0 (the usual season)."""
    if not len(fit) or not tier.any():
        return fit
    span = int(fit.max()) - int(fit.min()) + 1
    return np.asarray(fit - tier * span, dtype=np.int64)


def _bit_fields(*sizes: int) -> list[int] | None:
    """Where each field starts (a left shift) when values below `sizes` are packed side by
    side, the first highest, into one non-negative int64; None when they do not fit. Sorting
    such keys sorts by the fields in order, and shifts and masks read each back."""
    widths = [max(size - 1, 1).bit_length() for size in sizes]
    if sum(widths) > 62:
        return None
    return [sum(widths[i + 1 :]) for i in range(len(widths))]


def _by_request_then_fit(
    r: Int64s, c: Int64s, fit: Int64s, n_c: int
) -> tuple[Int64s, Int64s, Int64s]:
    """(r, c, fit) ordered by request, best fit first, then file order. When one int64 key
    holds all three (`_bit_fields`), the keys are sorted (several times faster than an
    argsort and three gathers; the keys are distinct) and the three read back from them."""
    if not len(r):
        return r, c, fit
    low, high = int(fit.min()), int(fit.max())
    shifts = _bit_fields(int(r.max()) + 1, high - low + 1, max(n_c, 1))
    if shifts is None:
        order = np.lexsort((c, -fit, r))
        return r[order], c[order], fit[order]
    to_r, to_fit, _ = shifts
    key = r << to_r
    key |= (high - fit) << to_fit
    key |= c
    key.sort()
    fit_sorted = high - ((key >> to_fit) & ((1 << (to_r - to_fit)) - 1))
    c_sorted = key & ((1 << to_fit) - 1)
    key >>= to_r
    return key, c_sorted, fit_sorted


def derive_lists(season: Season) -> SeasonLists:
    """The engine's lists for `season` (see the module docstring for the derivation)."""
    prefecture_ids: dict[str, int] = {}
    for q in season.requests:
        prefecture_ids.setdefault(prefecture_key(q.prefecture), len(prefecture_ids))
    arrays = _Arrays.of(season.requests, season.candidates, prefecture_ids)
    pairs, stated = _candidate_prefs(season, arrays, prefecture_ids)
    n_c, n_r = len(season.candidates), len(season.requests)
    candidate_prefs = _csr(np.bincount(pairs.c, minlength=n_c).astype(np.int64), pairs.r)
    if season.request_ranks is not None:
        request_prefs, ranks = _given_request_prefs(season)
    else:
        eligible = pairs.unmet == 0
        e_r, e_c = pairs.r[eligible], pairs.c[eligible]
        e_fit = _tiered_fit(pairs.fit[eligible], arrays.c_tier[e_c])
        e_r, e_c, e_fit = _by_request_then_fit(e_r, e_c, e_fit, n_c)
        request_prefs = _csr(np.bincount(e_r, minlength=n_r).astype(np.int64), e_c)
        ranks = _competition_ranks(e_r, e_fit)
    return SeasonLists(
        candidate_prefs=candidate_prefs,
        request_prefs=request_prefs,
        request_ranks=ranks,
        unmet_bits=pairs.unmet.astype(np.int64, copy=False),
        candidate_lists_derived=season.candidate_ranks is None,
        request_lists_derived=season.request_ranks is None,
        stated=stated,
    )
