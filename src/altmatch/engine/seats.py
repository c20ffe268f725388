"""The seat book of the couples procedure: who holds which seat, which seats fell vacant, and a
running hash of both so that a repeated state (cycling) is spotted in O(1) per change."""

from __future__ import annotations

import heapq

import numpy as np

from altmatch.engine import _couple_kernels
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
    (relative to the starting one) and of the set of vacated requests not yet offered.

    Who holds each request is kept in a slot book of arrays (`_couple_kernels`), so the
    compiled scans read it directly; `held(r)` sorts r's few holders on demand."""

    def __init__(self, market: Market, assignment: IntArray, position: IntArray) -> None:
        self.market = market
        self.assignment = assignment
        self.position = position
        indptr = market.candidate_prefs[0]
        held_key = np.full(len(assignment), -1, dtype=np.int64)
        placed = assignment >= 0
        held_key[placed] = market.keys[indptr[:-1][placed] + position[placed]]
        self.start, self.count, self.slot_who, self.slot_key = _couple_kernels.slot_book(
            assignment, held_key, market.capacities
        )
        self._pending: list[int] = []
        self._pending_set: set[int] = set()
        self._stride = market.n_requests + 1
        self._salt = market.n_candidates * self._stride + 1
        self.state = 0

    def held(self, r: int) -> list[tuple[int, int]]:
        """r's holders as (key, candidate), best first."""
        lo = int(self.start[r])
        hi = lo + int(self.count[r])
        return sorted(
            zip(self.slot_key[lo:hi].tolist(), self.slot_who[lo:hi].tolist(), strict=True)
        )

    def key(self, c: int) -> int:
        """The key c's current request gives it (c must be placed)."""
        return int(self.market.keys[self.market.candidate_prefs[0][c] + self.position[c]])

    def holders(self, r: int, *leaving: int) -> list[tuple[int, int]]:
        """(key, candidate) of r's holders, leaving out `leaving` (whose seats count as free)."""
        return [pair for pair in self.held(r) if pair[1] not in leaving]

    def admits(self, r: int, key: int) -> bool:
        """Would r take a newcomer with `key` alone (a free seat, or a worse holder)?"""
        n = int(self.count[r])
        if n < self.market.capacities[r]:
            return True
        lo = int(self.start[r])
        return n > 0 and key < int(self.slot_key[lo : lo + n].max())

    def _hold(self, c: int, r: int) -> None:
        s = int(self.start[r] + self.count[r])
        if s >= self.start[r + 1]:
            raise RuntimeError(f"request {r} holds more than two over its capacity")
        self.slot_who[s] = c
        self.slot_key[s] = self.key(c)
        self.count[r] += 1

    def _release(self, c: int, r: int) -> None:
        lo = int(self.start[r])
        last = lo + int(self.count[r]) - 1
        s = lo + int(np.flatnonzero(self.slot_who[lo : last + 1] == c)[0])
        self.slot_who[s], self.slot_key[s] = self.slot_who[last], self.slot_key[last]
        self.slot_who[last] = self.slot_key[last] = -1
        self.count[r] -= 1

    def _move(self, c: int, r: int) -> None:
        old = int(self.assignment[c])
        self.state ^= _mix(c * self._stride + old + 1) ^ _mix(c * self._stride + r + 1)
        self.assignment[c] = r

    def leave(self, c: int, *, vacate: bool = True) -> None:
        """Release c's seat; `vacate` records it as vacant (False: a newcomer already took it)."""
        r = int(self.assignment[c])
        if r < 0:
            return
        self._release(c, r)
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
        self._hold(c, r)

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
