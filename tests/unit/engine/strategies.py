"""Hypothesis strategies for random many-to-one markets (shared by the engine tests)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from hypothesis import strategies as st


@dataclass(frozen=True)
class MarketSpec:
    candidate_prefs: list[list[int]]
    request_prefs: list[list[int]]
    capacities: list[int]
    request_ranks: list[list[int]] | None = None
    couples: list[tuple[int, int]] | None = None
    request_groups: list[int] | None = None


@st.composite
def markets(
    draw: st.DrawFn,
    max_candidates: int = 12,
    max_requests: int = 6,
    ties: bool = False,
) -> MarketSpec:
    """Candidates list some requests; each request lists some of the candidates who listed it
    (and sometimes others), so unacceptable pairs in both directions occur."""
    n_c = draw(st.integers(1, max_candidates))
    n_r = draw(st.integers(1, max_requests))
    candidate_prefs = []
    for _ in range(n_c):
        order = draw(st.permutations(range(n_r)))
        candidate_prefs.append(list(order[: draw(st.integers(0, n_r))]))
    request_prefs: list[list[int]] = []
    for r in range(n_r):
        applicants = [c for c in range(n_c) if r in candidate_prefs[c]]
        others = [c for c in range(n_c) if c not in applicants]
        kept = draw(st.lists(st.sampled_from(applicants), unique=True)) if applicants else []
        extra = draw(st.lists(st.sampled_from(others), unique=True, max_size=2)) if others else []
        order = draw(st.permutations(kept + extra))
        request_prefs.append(list(order))
    capacities = [draw(st.integers(0, 3)) for _ in range(n_r)]
    ranks = None
    if ties:
        ranks = []
        for prefs in request_prefs:
            steps = draw(st.lists(st.integers(0, 1), min_size=len(prefs), max_size=len(prefs)))
            values, current = [], 0
            for i, step in enumerate(steps):
                current += step if i else 0
                values.append(current)
            ranks.append(values)
    return MarketSpec(candidate_prefs, request_prefs, capacities, ranks)


@st.composite
def couple_markets(
    draw: st.DrawFn, max_candidates: int = 7, max_requests: int = 4, ties: bool = False
) -> MarketSpec:
    """A market plus up to two disjoint couples and requests spread over a few groups (BoEs)."""
    spec = draw(markets(max_candidates=max_candidates, max_requests=max_requests, ties=ties))
    n_c, n_r = len(spec.candidate_prefs), len(spec.capacities)
    groups = [draw(st.integers(0, 1)) for _ in range(n_r)]
    people = draw(st.permutations(range(n_c)))
    n_couples = draw(st.integers(0 if n_c < 2 else 1, min(2, n_c // 2)))
    couples = [(people[2 * i], people[2 * i + 1]) for i in range(n_couples)]
    return MarketSpec(
        spec.candidate_prefs,
        spec.request_prefs,
        spec.capacities,
        spec.request_ranks,
        couples,
        groups,
    )


def random_market(rng: np.random.Generator) -> MarketSpec:
    """A season small enough to run often, crowded enough for couples to evict and cycle:
    lists of any length (empty too), requests ranking most of who listed them and some who
    did not, capacities 0 to 3, a few BoEs, many couples, and ties half the time."""
    n_c = int(rng.integers(0, 40))
    n_r = int(rng.integers(1, 12))
    candidate_prefs = [
        rng.permutation(n_r)[: int(rng.integers(0, n_r + 1))].tolist() for _ in range(n_c)
    ]
    request_prefs = []
    for r in range(n_r):
        listed = [c for c in range(n_c) if r in candidate_prefs[c] and rng.random() < 0.85]
        others = [c for c in range(n_c) if r not in candidate_prefs[c] and rng.random() < 0.1]
        request_prefs.append(rng.permutation(np.array(listed + others, dtype=np.int64)).tolist())
    ranks = None
    if rng.random() < 0.5:
        ranks = [np.cumsum(rng.integers(0, 2, size=len(p))).tolist() for p in request_prefs]
    people = rng.permutation(n_c).tolist()
    n_couples = int(rng.integers(0, n_c // 2 + 1))
    couples = [(people[2 * i], people[2 * i + 1]) for i in range(n_couples)]
    groups = rng.integers(0, int(rng.integers(1, 4)), size=n_r).tolist()
    capacities = rng.integers(0, 4, size=n_r).tolist()
    return MarketSpec(candidate_prefs, request_prefs, capacities, ranks, couples, groups)
