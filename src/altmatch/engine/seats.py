"""The seat book of the couples procedure: who holds which seat, which seats fell vacant, and a
running hash of both so that a repeated state (cycling) is spotted in O(1) per change."""

from __future__ import annotations

import bisect
import heapq

import numpy as np

from altmatch.engine.market import Market
from altmatch.engine.prefs import IntArray

_MASK = (1 << 64) - 1


def _mix(x: int) -> int:
    """SplitMix64's finaliser (Steele, Lea & Flood 2014): a well-spread 64-bit hash of x."""
    x = (x + 0x9E3779B97F4A7C15) & _MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK
    return x ^ (x >> 31)


class Seats:
    """A mutable matching. `state` is a Zobrist-style hash (Zobrist 1970) of the assignment
    (relative to the starting one) and of the set of vacated requests not yet offered."""

    def __init__(self, market: Market, assignment: IntArray, position: IntArray) -> None:
        self.market = market
        self.assignment = assignment
        self.position = position
        self._order = np.argsort(assignment, kind="stable")
        self._starts = np.searchsorted(assignment[self._order], np.arange(market.n_requests + 1))
        self._held: dict[int, list[tuple[int, int]]] = {}
        self._pending: list[int] = []
        self._pending_set: set[int] = set()
        self._stride = market.n_requests + 1
        self._salt = market.n_candidates * self._stride + 1
        self.state = 0

    def held(self, r: int) -> list[tuple[int, int]]:
        """r's holders as (key, candidate), best first."""
        if r not in self._held:
            who = self._order[self._starts[r] : self._starts[r + 1]]
            self._held[r] = sorted((self.key(int(x)), int(x)) for x in who)
        return self._held[r]

    def key(self, c: int) -> int:
        """The key c's current request gives it (c must be placed)."""
        return int(self.market.keys[self.market.candidate_prefs[0][c] + self.position[c]])

    def holders(self, r: int, *leaving: int) -> list[tuple[int, int]]:
        """(key, candidate) of r's holders, leaving out `leaving` (whose seats count as free)."""
        return [pair for pair in self.held(r) if pair[1] not in leaving]

    def admits(self, r: int, key: int) -> bool:
        """Would r take a newcomer with `key` alone (a free seat, or a worse holder)?"""
        held = self.held(r)
        return len(held) < self.market.capacities[r] or (bool(held) and key < held[-1][0])

    def _move(self, c: int, r: int) -> None:
        old = int(self.assignment[c])
        self.state ^= _mix(c * self._stride + old + 1) ^ _mix(c * self._stride + r + 1)
        self.assignment[c] = r

    def leave(self, c: int, *, vacate: bool = True) -> None:
        """Release c's seat; `vacate` records it as vacant (False: a newcomer already took it)."""
        r = int(self.assignment[c])
        if r < 0:
            return
        self.held(r).remove((self.key(c), c))
        self._move(c, -1)
        self.position[c] = -1
        if vacate:
            self.vacate(r)

    def place(self, c: int, r: int, position: int) -> None:
        """Seat c at r (its `position` in c's list), vacating its old seat."""
        if int(self.assignment[c]) == r:
            self.position[c] = position
            return
        self.leave(c)
        self._move(c, r)
        self.position[c] = position
        bisect.insort(self.held(r), (self.key(c), c))

    def vacate(self, r: int) -> None:
        if r not in self._pending_set:
            heapq.heappush(self._pending, r)
            self._pending_set.add(r)
            self.state ^= _mix(self._salt + r)

    def next_vacancy(self) -> int:
        """The lowest-numbered vacated request (a canonical order, so the state is a set)."""
        r = heapq.heappop(self._pending)
        self._pending_set.remove(r)
        self.state ^= _mix(self._salt + r)
        return r

    def has_vacancies(self) -> bool:
        return bool(self._pending)

    def forget_vacancies(self) -> None:
        while self._pending:
            self.next_vacancy()
