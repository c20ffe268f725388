"""Couples' joint lists and the admission rule shared by the couples procedure and its check.

A couple ranks *pairs* of requests (Roth 1984; Roth & Peranson 1999). Candidates here give
individual lists only, so the joint list is derived: every pair (r_a, r_b) with r_a on a's list
and r_b on b's list in the same group (BoE), the same request only when it has two seats or more,
ordered by the sum of the two positions, then by the larger of them (a balanced pair first), then
by a's position. Both members unplaced is the couple's last resort.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from altmatch.engine import _couple_kernels
from altmatch.engine.market import Couples, Market
from altmatch.engine.prefs import IntArray


@dataclass(frozen=True)
class JointList:
    """One couple's options, best first: requests (r_a, r_b) and their flat list entries."""

    request_a: IntArray
    request_b: IntArray
    entry_a: IntArray  # flat index into candidate_prefs of r_a in a's list
    entry_b: IntArray

    def __len__(self) -> int:
        return len(self.request_a)

    def index_of(self, ra: int, rb: int) -> int:
        """Position of the option (ra, rb); len(self) for (-1, -1); -1 when not on the list."""
        if ra < 0 and rb < 0:
            return len(self)
        hits = np.flatnonzero((self.request_a == ra) & (self.request_b == rb))
        return int(hits[0]) if len(hits) else -1


@dataclass(frozen=True)
class Joints:
    """Every couple's joint list in one CSR (couple k's options are rows `indptr[k]:indptr[k +
    1]`), with the key each option's request gives each member (-1: not ranked), so compiled
    loops can walk them all; `joints[k]` is couple k's `JointList` (views, no copies)."""

    indptr: IntArray
    request_a: IntArray
    request_b: IntArray
    entry_a: IntArray
    entry_b: IntArray
    key_a: IntArray
    key_b: IntArray
    members_a: IntArray
    members_b: IntArray

    def __len__(self) -> int:
        return len(self.indptr) - 1

    def __getitem__(self, k: int) -> JointList:
        lo, hi = int(self.indptr[k]), int(self.indptr[k + 1])
        return JointList(
            self.request_a[lo:hi], self.request_b[lo:hi], self.entry_a[lo:hi], self.entry_b[lo:hi]
        )


def joint_lists(market: Market, couples: Couples) -> Joints:
    """The derived joint lists of these couples (see the module docstring for the order),
    built by one compiled pass that visits only the pairs within one group."""
    indptr, indices = market.candidate_prefs
    members_a = np.array([a for a, _ in couples], dtype=np.int64)
    members_b = np.array([b for _, b in couples], dtype=np.int64)
    lengths = np.diff(indptr)
    longest = int(max(lengths[members_a].max(initial=0), lengths[members_b].max(initial=0)))
    if 2 * (longest + 1) ** 3 >= 2**63:  # the kernel's sort key (sum, larger, pa) must fit
        raise ValueError(f"couples: lists of {longest} requests are too long to pair")
    # groups numbered 0, 1, ... (a request's group may be any integer)
    names, groups = np.unique(market.groups, return_inverse=True)
    joint_indptr, request_a, request_b, entry_a, entry_b = _couple_kernels.joint_options(
        indptr,
        indices,
        groups.astype(np.int64, copy=False),
        len(names),
        market.capacities,
        members_a,
        members_b,
    )
    return Joints(
        joint_indptr,
        request_a,
        request_b,
        entry_a,
        entry_b,
        market.keys[entry_a],
        market.keys[entry_b],
        members_a,
        members_b,
    )


def joint_list(market: Market, a: int, b: int) -> JointList:
    """The derived joint list of couple (a, b) (see the module docstring for the order)."""
    return joint_lists(market, ((a, b),))[0]


def active_couples(market: Market, active: NDArray[np.bool_]) -> Couples:
    """Couples with both members in the run; a member whose partner withdrew applies alone."""
    return tuple((a, b) for a, b in market.couples if active[a] and active[b])


def evictions(
    capacity: int, held: Iterable[tuple[int, int]], new_keys: Iterable[int]
) -> list[int] | None:
    """Whom a request must let go to admit newcomers with `new_keys` (lower is better), given
    its `held` (key, candidate) pairs; None when it would not admit them all.

    The request admits the newcomers when they are all among its `capacity` best of held plus
    newcomers (responsive preferences): each evicted holder must rank below every newcomer.
    """
    keys = list(new_keys)
    if any(key < 0 for key in keys):
        return None
    holders = list(held)
    excess = len(holders) + len(keys) - capacity
    if excess <= 0:
        return []
    cut = max(keys)
    worse = sorted((pair for pair in holders if pair[0] > cut), reverse=True)
    if len(worse) < excess:
        return None
    return [candidate for _, candidate in worse[:excess]]
