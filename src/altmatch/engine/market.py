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
    capacities: IntArray
    lottery: IntArray  # a permutation of 0..n-1: candidate c's tie-break number, lower wins
    seed: int
    has_ties: bool
    keys: IntArray = field(repr=False)  # per candidate-list entry: the request's key for c
    couples: Couples = ()  # pairs of candidates placed together (same group) or not at all
    request_groups: IntArray | None = None  # the group (BoE) of each request; None: its own
    request_ranks: IntArray | None = field(default=None, repr=False)  # per request_prefs entry

    @property
    def request_values(self) -> IntArray:
        """Per request-list entry: its rank number (ties), or else its position in the list.
        Derived on demand: the keys already hold it, and matching never needs it."""
        if self.request_ranks is not None:
            return self.request_ranks
        indptr = self.request_prefs[0]
        return np.arange(indptr[-1], dtype=np.int64) - np.repeat(indptr[:-1], np.diff(indptr))

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
    return np.random.default_rng(seed).permutation(n_candidates).astype(np.int64, copy=False)


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

    The entries are checked and the keys computed by one compiled pass (`market_keys`); only
    when it finds a fault do the slower checks run, to name the first faulty entry.
    """
    caps = as_capacities(capacities, rows=len(capacities))
    n_requests = len(caps)
    c_csr = as_csr(candidate_prefs, rows=None, name="candidate_prefs")
    n_candidates = len(c_csr[0]) - 1
    r_csr = as_csr(request_prefs, rows=n_requests, name="request_prefs")
    ranks: IntArray | None = None
    ranks_fault: ValueError | None = None  # reported after the entries, as it always was
    if request_ranks is not None:
        try:
            ranks = _ranks(request_ranks, r_csr)
        except ValueError as exc:
            ranks_fault = exc
    used_seed = seed if seed is not None else secrets.randbits(63)
    lottery = (
        draw_lottery(n_candidates, used_seed)
        if break_ties
        else np.zeros(n_candidates, dtype=np.int64)
    )
    status, keys = _kernels.market_keys(
        c_csr[0],
        c_csr[1],
        r_csr[0],
        r_csr[1],
        r_csr[1] if ranks is None else ranks,
        ranks is not None,
        max(n_candidates, 1),
        lottery,
    )
    if status != _kernels.OK:
        check_entries(c_csr, upper=n_requests, name="candidate_prefs", what="request")
        check_entries(r_csr, upper=n_candidates, name="request_prefs", what="candidate")
    pairs = as_couples(couples, n_candidates)
    groups = as_groups(request_groups, n_requests)
    if ranks_fault is not None:
        raise ranks_fault
    if status != _kernels.OK:
        if ranks is not None:
            check_values((r_csr[0], ranks), r_csr, name="request_ranks")
        raise RuntimeError(f"market_keys reported fault {status}, which no check names")
    return Market(
        c_csr,
        r_csr,
        caps,
        lottery,
        used_seed,
        request_ranks is not None,
        keys,
        pairs,
        groups,
        ranks,
    )


def _ranks(request_ranks: Prefs, r_csr: CSR) -> IntArray:
    """The rank numbers, one per request-list entry (their sign is checked with the keys)."""
    ranks_csr = as_csr(request_ranks, rows=len(r_csr[0]) - 1, name="request_ranks")
    if ranks_csr[0] is not r_csr[0] and not np.array_equal(ranks_csr[0], r_csr[0]):
        raise ValueError("request_ranks: must have exactly one rank per entry of request_prefs")
    return ranks_csr[1]
