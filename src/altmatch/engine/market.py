"""`Market` and `MatchResult`: a run's validated inputs (lists, lottery, couples) and outcome."""

from __future__ import annotations

import operator
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

ENGINE_VERSION = "1.1.0"

Couples = tuple[tuple[int, int], ...]


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
    couples: Couples = ()  # pairs of candidates placed together (same group) or not at all
    request_groups: IntArray | None = None  # the group (BoE) of each request; None: its own

    @property
    def n_candidates(self) -> int:
        return len(self.candidate_prefs[0]) - 1

    @property
    def n_requests(self) -> int:
        return len(self.capacities)

    @property
    def groups(self) -> IntArray:
        """Each request's group; without `request_groups` every request is a group of its own."""
        if self.request_groups is None:
            return np.arange(self.n_requests, dtype=np.int64)
        return self.request_groups


@dataclass(frozen=True)
class MatchResult:
    """The outcome of one run: `assignment[c]` is c's request, -1 when unplaced.

    `blocking_pairs` lists the instability left (see `blocking_pairs`): always empty without
    couples; with couples, whatever the Roth–Peranson procedure could not resolve.
    """

    assignment: IntArray
    candidate_rank: IntArray  # 0-based position of the assigned request in c's list, -1 unplaced
    seed: int
    proposals: int
    market: Market = field(repr=False)
    blocking_pairs: list[tuple[int, int]] = field(default_factory=list)
    couples: Couples = ()  # the couples in this run (both members active)
    withdrawn: tuple[int, ...] = ()  # candidates left out of this run

    @property
    def placed(self) -> int:
        return int(np.count_nonzero(self.assignment >= 0))

    @property
    def active(self) -> NDArray[np.bool_]:
        """Who took part in this run (everyone but the withdrawn)."""
        mask = np.ones(len(self.assignment), dtype=np.bool_)
        mask[list(self.withdrawn)] = False
        return mask


def draw_lottery(n_candidates: int, seed: int) -> IntArray:
    """One distinct tie-break number per candidate (a seeded permutation, so never a tie)."""
    return np.random.default_rng(seed).permutation(n_candidates).astype(np.int64)


def as_couples(couples: Sequence[tuple[int, int]] | None, n_candidates: int) -> Couples:
    """Couples as int pairs: members in range, distinct, and nobody in two couples."""
    if couples is None:
        return ()
    out: list[tuple[int, int]] = []
    seen: dict[int, int] = {}
    for i, pair in enumerate(couples):
        if len(pair) != 2:
            raise ValueError(f"couples[{i}]: expected two candidates, got {len(pair)}")
        a, b = operator.index(pair[0]), operator.index(pair[1])
        for c in (a, b):
            if not 0 <= c < n_candidates:
                raise ValueError(
                    f"couples[{i}]: candidate {c} is out of range 0..{n_candidates - 1}"
                )
        if a == b:
            raise ValueError(f"couples[{i}]: candidate {a} cannot be coupled with itself")
        for c in (a, b):
            if c in seen:
                raise ValueError(f"couples[{i}]: candidate {c} is already in couples[{seen[c]}]")
            seen[c] = i
        out.append((a, b))
    return tuple(out)


def as_groups(
    groups: Sequence[int] | NDArray[np.integer] | None, n_requests: int
) -> IntArray | None:
    if groups is None:
        return None
    array = np.ascontiguousarray(groups, dtype=np.int64)
    if array.ndim != 1 or len(array) != n_requests:
        raise ValueError(f"request_groups: expected {n_requests} values, got shape {array.shape}")
    return array


def build_market(
    candidate_prefs: Prefs,
    request_prefs: Prefs,
    capacities: Sequence[int] | NDArray[np.integer],
    *,
    request_ranks: Prefs | None = None,
    seed: int | None = None,
    break_ties: bool = True,
    couples: Sequence[tuple[int, int]] | None = None,
    request_groups: Sequence[int] | NDArray[np.integer] | None = None,
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
    pairs = as_couples(couples, n_candidates)
    groups = as_groups(request_groups, n_requests)
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
    return Market(c_csr, r_csr, values, caps, lottery, used_seed, has_ties, keys, pairs, groups)
