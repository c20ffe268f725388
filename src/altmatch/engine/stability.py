"""Stability check: every blocking pair, computed independently of how the matching was made."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from altmatch.engine.match import Market, build_market
from altmatch.engine.prefs import IntArray, Prefs


def blocking_pairs(market: Market, assignment: IntArray) -> list[tuple[int, int]]:
    """Pairs (c, r) where c prefers r to its outcome and r would take c (a free seat, or a
    held candidate it ranks below c). Vectorised over all list entries: O(entries)."""
    indptr, indices = market.candidate_prefs
    n_c = market.n_candidates
    if len(assignment) != n_c:
        raise ValueError(f"assignment: expected {n_c} entries, got {len(assignment)}")
    owner = np.repeat(np.arange(n_c, dtype=np.int64), np.diff(indptr))
    position = np.arange(len(indices), dtype=np.int64) - indptr[owner]
    # Position of each candidate's outcome in its own list (list length when unplaced).
    lengths = np.diff(indptr)
    outcome_pos = lengths.copy()
    placed_entries = indices == assignment[owner]
    outcome_pos[owner[placed_entries]] = position[placed_entries]
    held = np.zeros(market.n_requests, dtype=np.int64)
    np.add.at(held, assignment[assignment >= 0], 1)
    if np.any(held > market.capacities):
        over = int(np.flatnonzero(held > market.capacities)[0])
        raise ValueError(f"assignment: request {over} holds {held[over]} > capacity")
    worst = np.full(market.n_requests, -1, dtype=np.int64)
    placed_keys = market.keys[placed_entries]
    np.maximum.at(worst, indices[placed_entries], placed_keys)
    if np.any(market.keys[placed_entries] < 0):
        c = int(owner[placed_entries][market.keys[placed_entries] < 0][0])
        raise ValueError(f"assignment: candidate {c} is placed where it is not acceptable")
    unplaced_on_list = (assignment >= 0) & (outcome_pos == lengths)
    if np.any(unplaced_on_list):
        c = int(np.flatnonzero(unplaced_on_list)[0])
        raise ValueError(f"assignment: candidate {c} is placed at a request not on its list")
    better = position < outcome_pos[owner]
    acceptable = market.keys >= 0
    r = indices
    room = held[r] < market.capacities[r]
    beats = market.keys < worst[r]
    blocking = better & acceptable & (room | beats)
    return [(int(c), int(q)) for c, q in zip(owner[blocking], r[blocking], strict=True)]


def check_stability(
    candidate_prefs: Prefs,
    request_prefs: Prefs,
    capacities: Sequence[int] | NDArray[np.integer],
    assignment: Sequence[int] | NDArray[np.integer],
    *,
    request_ranks: Prefs | None = None,
    seed: int | None = None,
) -> list[tuple[int, int]]:
    """Every blocking pair of `assignment` (empty when stable).

    With `request_ranks`, pass the run's `seed` to check against the same lottery; without a
    seed, ties are left unbroken, so a tie never blocks (weak stability).
    """
    market = build_market(
        candidate_prefs,
        request_prefs,
        capacities,
        request_ranks=request_ranks,
        seed=seed,
        break_ties=request_ranks is None or seed is not None,
    )
    return blocking_pairs(market, np.asarray(assignment, dtype=np.int64))
