"""Compiled Monte Carlo loop (Numba, parallel over seasons): one simulated season per iteration.

Every random draw comes from a counter-based generator keyed by (seed, season, stream, index),
so a season's draws do not depend on which thread runs it: results are identical for any
number of workers.
"""

# mypy: disable-error-code="misc"

from __future__ import annotations

import numpy as np
from numba import njit, prange

from altmatch.engine._kernels import deferred_acceptance

_STREAM_WITHDRAW = 1
_STREAM_DEMAND = 2
_STREAM_LOTTERY = 3
_MASK64 = (1 << 64) - 1


@njit(cache=True)
def _mix(x):  # type: ignore[no-untyped-def]
    """SplitMix64 finaliser (Steele, Lea & Flood 2014): a well-mixed 64-bit hash."""
    x = (x + np.uint64(0x9E3779B97F4A7C15)) & np.uint64(_MASK64)
    x = ((x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)) & np.uint64(_MASK64)
    x = ((x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)) & np.uint64(_MASK64)
    return x ^ (x >> np.uint64(31))


@njit(cache=True)
def _uniform(seed, season, stream, index):  # type: ignore[no-untyped-def]
    h = _mix(np.uint64(seed) ^ _mix(np.uint64(season) * np.uint64(4) + np.uint64(stream)))
    h = _mix(h ^ np.uint64(index))
    return (h >> np.uint64(11)) * (1.0 / 9007199254740992.0)


@njit(cache=True)
def _season(  # type: ignore[no-untyped-def]
    seed,
    season,
    c_indptr,
    c_indices,
    entry_values,
    has_ties,
    base_caps,
    withdrawal,
    request_drop,
    seat_gain,
    seat_loss,
    n_candidates,
):
    n_requests = len(base_caps)
    active = np.empty(n_candidates, dtype=np.bool_)
    for c in range(n_candidates):
        active[c] = _uniform(seed, season, _STREAM_WITHDRAW, c) >= withdrawal
    caps = base_caps.copy()
    for r in range(n_requests):
        u = _uniform(seed, season, _STREAM_DEMAND, r)
        if u < request_drop:
            caps[r] = 0
        elif u < request_drop + seat_gain:
            caps[r] += 1
        elif u < request_drop + seat_gain + seat_loss and caps[r] > 0:
            caps[r] -= 1
    keys = np.empty(len(entry_values), dtype=np.int64)
    if has_ties:
        draws = np.empty(n_candidates, dtype=np.float64)
        for c in range(n_candidates):
            draws[c] = _uniform(seed, season, _STREAM_LOTTERY, c)
        order = np.argsort(draws)
        lottery = np.empty(n_candidates, dtype=np.int64)
        for i in range(n_candidates):
            lottery[order[i]] = i
        for c in range(n_candidates):
            for k in range(c_indptr[c], c_indptr[c + 1]):
                v = entry_values[k]
                keys[k] = -1 if v < 0 else v * n_candidates + lottery[c]
    else:
        for k in range(len(entry_values)):
            v = entry_values[k]
            keys[k] = -1 if v < 0 else v * n_candidates
    assignment, position, _ = deferred_acceptance(c_indptr, c_indices, keys, caps, active)
    return active, caps, assignment, position


@njit(cache=True, parallel=True)
def simulate_batch(  # type: ignore[no-untyped-def]
    seed,
    first_season,
    n_seasons,
    n_chunks,
    c_indptr,
    c_indices,
    entry_values,
    has_ties,
    base_caps,
    withdrawal,
    request_drop,
    seat_gain,
    seat_loss,
):
    """Simulate seasons [first_season, first_season + n_seasons) in `n_chunks` parallel chunks.

    Returns per-chunk tallies (summed by the caller): per candidate seasons placed and seasons
    withdrawn; per candidate-list entry seasons placed there; per request seasons it existed,
    seasons it filled every seat, the sum of its cut-off values over filled seasons, and seats
    taken summed over seasons.
    """
    n_candidates = len(c_indptr) - 1
    n_requests = len(base_caps)
    placed = np.zeros((n_chunks, n_candidates), dtype=np.int64)
    withdrawn = np.zeros((n_chunks, n_candidates), dtype=np.int64)
    entry_hits = np.zeros((n_chunks, len(c_indices)), dtype=np.int64)
    existed = np.zeros((n_chunks, n_requests), dtype=np.int64)
    filled = np.zeros((n_chunks, n_requests), dtype=np.int64)
    cutoff_sum = np.zeros((n_chunks, n_requests), dtype=np.int64)
    taken = np.zeros((n_chunks, n_requests), dtype=np.int64)
    per_chunk = (n_seasons + n_chunks - 1) // n_chunks
    for chunk in prange(n_chunks):
        start = first_season + chunk * per_chunk
        stop = min(first_season + n_seasons, start + per_chunk)
        held = np.zeros(n_requests, dtype=np.int64)
        worst = np.zeros(n_requests, dtype=np.int64)
        for season in range(start, stop):
            active, caps, assignment, position = _season(
                seed,
                season,
                c_indptr,
                c_indices,
                entry_values,
                has_ties,
                base_caps,
                withdrawal,
                request_drop,
                seat_gain,
                seat_loss,
                n_candidates,
            )
            held[:] = 0
            worst[:] = -1
            for c in range(n_candidates):
                if not active[c]:
                    withdrawn[chunk, c] += 1
                    continue
                r = assignment[c]
                if r >= 0:
                    placed[chunk, c] += 1
                    k = c_indptr[c] + position[c]
                    entry_hits[chunk, k] += 1
                    held[r] += 1
                    if entry_values[k] > worst[r]:
                        worst[r] = entry_values[k]
            for r in range(n_requests):
                taken[chunk, r] += held[r]
                if caps[r] > 0:
                    existed[chunk, r] += 1
                    if held[r] >= caps[r]:
                        filled[chunk, r] += 1
                        cutoff_sum[chunk, r] += worst[r]
    return placed, withdrawn, entry_hits, existed, filled, cutoff_sum, taken
