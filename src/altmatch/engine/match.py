"""`stable_match`: the candidate-optimal stable matching, with seeded single tie-breaking.

Candidate-proposing deferred acceptance (Gale & Shapley, "College Admissions and the Stability
of Marriage", 1962; Roth, 1984, for the many-to-one case). When requests rank candidates with
ties, one lottery number per candidate breaks every tie (single tie-breaking, as in Abdulkadiroğlu,
Pathak & Roth, 2009), drawn from a recorded seed so any run can be reproduced exactly.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from altmatch.engine import _kernels
from altmatch.engine.prefs import (
    CSR,
    IntArray,
    Prefs,
    as_capacities,
    as_csr,
    check_entries,
    check_values,
)

ENGINE_VERSION = "1.0.0"


@dataclass(frozen=True)
class Market:
    """Validated inputs in CSR form plus the tie-breaking lottery: everything a run depends on."""

    candidate_prefs: CSR
    request_prefs: CSR
    request_values: IntArray  # position in the request's list, or its rank number (ties)
    capacities: IntArray
    lottery: IntArray  # a permutation of 0..n-1: candidate c's tie-break number, lower wins
    seed: int
    has_ties: bool
    keys: IntArray = field(repr=False)  # per candidate-list entry: the request's key for c

    @property
    def n_candidates(self) -> int:
        return len(self.candidate_prefs[0]) - 1

    @property
    def n_requests(self) -> int:
        return len(self.capacities)


@dataclass(frozen=True)
class MatchResult:
    """The outcome of one run: `assignment[c]` is c's request, -1 when unplaced."""

    assignment: IntArray
    candidate_rank: IntArray  # 0-based position of the assigned request in c's list, -1 unplaced
    seed: int
    proposals: int
    market: Market = field(repr=False)
    blocking_pairs: list[tuple[int, int]] = field(default_factory=list)

    @property
    def placed(self) -> int:
        return int(np.count_nonzero(self.assignment >= 0))


def draw_lottery(n_candidates: int, seed: int) -> IntArray:
    """One distinct tie-break number per candidate (a seeded permutation, so never a tie)."""
    return np.random.default_rng(seed).permutation(n_candidates).astype(np.int64)


def build_market(
    candidate_prefs: Prefs,
    request_prefs: Prefs,
    capacities: Sequence[int] | NDArray[np.integer],
    *,
    request_ranks: Prefs | None = None,
    seed: int | None = None,
    break_ties: bool = True,
) -> Market:
    """Validate and pack the inputs; errors name the list and the position at fault.

    `break_ties=False` leaves ties unbroken (every lottery number 0): only for checking weak
    stability, where a tie never blocks.
    """
    caps = as_capacities(capacities, rows=len(capacities))
    n_requests = len(caps)
    c_csr = as_csr(candidate_prefs, rows=None, name="candidate_prefs")
    n_candidates = len(c_csr[0]) - 1
    r_csr = as_csr(request_prefs, rows=n_requests, name="request_prefs")
    check_entries(c_csr, upper=n_requests, name="candidate_prefs", what="request")
    check_entries(r_csr, upper=n_candidates, name="request_prefs", what="candidate")
    if request_ranks is not None:
        ranks_csr = as_csr(request_ranks, rows=n_requests, name="request_ranks")
        check_values(ranks_csr, r_csr, name="request_ranks")
        values = ranks_csr[1]
    else:
        values = np.arange(len(r_csr[1]), dtype=np.int64) - np.repeat(
            r_csr[0][:-1], np.diff(r_csr[0])
        )
    used_seed = seed if seed is not None else secrets.randbits(63)
    lottery = (
        draw_lottery(n_candidates, used_seed)
        if break_ties
        else np.zeros(n_candidates, dtype=np.int64)
    )
    has_ties = request_ranks is not None
    keys = _kernels.entry_keys(
        c_csr[0], c_csr[1], r_csr[0], r_csr[1], values, max(n_candidates, 1), lottery
    )
    return Market(c_csr, r_csr, values, caps, lottery, used_seed, has_ties, keys)


def solve(market: Market, active: NDArray[np.bool_] | None = None) -> MatchResult:
    """Run deferred acceptance on a built market (optionally with some candidates left out)."""
    mask = np.ones(market.n_candidates, dtype=np.bool_) if active is None else active
    assignment, position, proposals = _kernels.deferred_acceptance(
        market.candidate_prefs[0], market.candidate_prefs[1], market.keys, market.capacities, mask
    )
    return MatchResult(assignment, position, market.seed, int(proposals), market)


def stable_match(
    candidate_prefs: Prefs,
    request_prefs: Prefs | None = None,
    capacities: Sequence[int] | NDArray[np.integer] = (),
    *,
    request_ranks: Prefs | None = None,
    seed: int | None = None,
) -> MatchResult:
    """The candidate-optimal stable matching (see module docstring).

    `request_prefs[r]` lists the candidates r accepts, best first. With `request_ranks`, the
    same lists carry rank numbers (equal numbers are ties, lower is better) and ties are broken
    by a lottery seeded with `seed` (a fresh seed is drawn and recorded when None).
    """
    if request_prefs is None:
        raise ValueError("request_prefs: required (the candidates each request accepts)")
    return solve(
        build_market(
            candidate_prefs, request_prefs, capacities, request_ranks=request_ranks, seed=seed
        )
    )
