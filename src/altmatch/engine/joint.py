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


def joint_list(market: Market, a: int, b: int) -> JointList:
    """The derived joint list of couple (a, b) (see the module docstring for the order)."""
    indptr, indices = market.candidate_prefs
    groups = market.groups
    list_a = indices[indptr[a] : indptr[a + 1]]
    list_b = indices[indptr[b] : indptr[b + 1]]
    pos_a = np.repeat(np.arange(len(list_a), dtype=np.int64), len(list_b))
    pos_b = np.tile(np.arange(len(list_b), dtype=np.int64), len(list_a))
    ra, rb = list_a[pos_a], list_b[pos_b]
    same_group = groups[ra] == groups[rb]
    two_seats = (ra != rb) | (market.capacities[ra] >= 2)
    keep = same_group & two_seats
    pos_a, pos_b = pos_a[keep], pos_b[keep]
    order = np.lexsort((pos_a, np.maximum(pos_a, pos_b), pos_a + pos_b))
    pos_a, pos_b = pos_a[order], pos_b[order]
    return JointList(list_a[pos_a], list_b[pos_b], indptr[a] + pos_a, indptr[b] + pos_b)


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
