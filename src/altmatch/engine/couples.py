"""Couples: a Roth–Peranson procedure on top of deferred acceptance.

Roth & Peranson, "The Redesign of the Matching Market for American Physicians" (AER 1999):
singles are matched first by deferred acceptance; couples are then added one at a time, each
applying down its joint list (`joint.joint_list`), and the market is settled before the next.
A couple takes an option only if both requests admit their member (both seats won: it evicts
the worst holders only if it beats them at both). Evicted singles resume their lists; when a
couple member is evicted, its partner's seat is released and the couple resumes its joint list.
A released seat may let in someone the request once turned away, so every vacated request is
offered, best-ranked first, to whoever now blocks with it (a single, or a couple with an option
through it), who re-applies from the top of their list: the instability chaining of Roth &
Vande Vate (1990), and the vacancy chains of Blum, Roth & Rothblum (1997).

Couples are added in the order given. Stable matchings with couples need not exist (Roth
1984), so offers can cycle. The state at each offer is hashed (`seats.Seats.state`); when one
repeats, vacancies go to singles only from then on (couples then only move down their lists, so
the rest settles). A last check of the whole market lets any remaining blocker re-apply, for at
most `MAX_ROUNDS` rounds; whatever instability is left is reported, not hidden.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from altmatch.engine import _couple_kernels, _kernels
from altmatch.engine.joint import active_couples, evictions, joint_lists
from altmatch.engine.market import Couples, Market
from altmatch.engine.prefs import IntArray
from altmatch.engine.seats import Seats
from altmatch.engine.stability import find_blocks

MAX_ROUNDS = 20  # whole-market checks after the couples are in
MAX_OFFERS = 200_000  # vacancy offers in all, a backstop should cycles be very long


@dataclass(frozen=True)
class CouplesOutcome:
    assignment: IntArray
    position: IntArray
    proposals: int
    couples: Couples
    blocking_pairs: list[tuple[int, int]]


class _Procedure:
    def __init__(self, market: Market, active: NDArray[np.bool_]) -> None:
        self.market, self.active = market, active
        self.indptr, self.indices = market.candidate_prefs
        self.lengths = np.diff(self.indptr)
        self.couples = active_couples(market, active)
        self.all_joints = joint_lists(market, self.couples)
        self.joints = [self.all_joints[k] for k in range(len(self.couples))]
        self.couple_of = {c: k for k, pair in enumerate(self.couples) for c in pair}
        singles = active.copy()
        singles[list(self.couple_of)] = False
        assignment, position, proposals = _kernels.deferred_acceptance(
            self.indptr, self.indices, market.keys, market.capacities, singles
        )
        self.seats = Seats(market, assignment, position)
        self.proposals = int(proposals)
        self.pointer = np.where(position >= 0, position, self.lengths)  # singles: next to try
        self.option = [len(j) for j in self.joints]  # couples: held option, len when unplaced
        self.couple_pointer = [0] * len(self.couples)
        self.queue: deque[tuple[bool, int]] = deque()
        self.queued: set[tuple[bool, int]] = set()
        self.offers = 0
        self._by_request: tuple[IntArray, IntArray] | None = None
        self._applicants: dict[int, list[tuple[int, int, int]]] = {}

    def push(self, is_couple: bool, who: int, start: int) -> None:
        """Queue an agent to apply from `start` (or from earlier, if already queued so)."""
        if (is_couple, who) in self.queued:
            start = min(start, self.couple_pointer[who] if is_couple else int(self.pointer[who]))
        else:
            self.queue.append((is_couple, who))
            self.queued.add((is_couple, who))
        if is_couple:
            self.couple_pointer[who] = start
        else:
            self.pointer[who] = start

    def evict(self, losers: list[int]) -> None:
        for x in losers:
            if self.seats.assignment[x] < 0:
                continue  # already released with its partner
            if x in self.couple_of:
                k = self.couple_of[x]
                for member in self.couples[k]:
                    self.seats.leave(member, vacate=member != x)
                self.push(True, k, self.option[k] + 1)
                self.option[k] = len(self.joints[k])
            else:
                self.push(False, x, int(self.seats.position[x]) + 1)
                self.seats.leave(x, vacate=False)

    def apply_single(self, c: int) -> None:
        """c proposes down its list from its pointer to its current seat; the first request
        that would take it (found by a compiled scan) takes it, evicting its worst holder."""
        seats, keys, first = self.seats, self.market.keys, int(self.indptr[c])
        end = int(seats.position[c]) if seats.assignment[c] >= 0 else int(self.lengths[c])
        lo = int(self.pointer[c])
        if lo < end:
            k = int(
                _couple_kernels.first_taken(
                    self.indices,
                    keys,
                    first + lo,
                    first + end,
                    self.market.capacities,
                    seats.start,
                    seats.count,
                    seats.slot_who,
                    seats.slot_key,
                )
            )
            p = k - first
            self.proposals += min(p + 1, end) - lo
            if p < end:
                r = int(self.indices[k])
                cap = int(self.market.capacities[r])
                losers = evictions(cap, seats.holders(r), [int(keys[k])])
                if losers is None:
                    raise RuntimeError(f"request {r} was to take candidate {c} but refuses")
                seats.place(c, r, p)
                self.evict(losers)
        placed = seats.assignment[c] >= 0
        self.pointer[c] = seats.position[c] if placed else self.lengths[c]

    def admit_option(self, k: int, i: int) -> list[int] | None:
        """Whom option i of couple k would evict (its own seats count as released), or None
        when it is not won at both seats."""
        a, b = self.couples[k]
        joint, keys, caps = self.joints[k], self.market.keys, self.market.capacities
        ra, rb = int(joint.request_a[i]), int(joint.request_b[i])
        ka, kb = int(keys[joint.entry_a[i]]), int(keys[joint.entry_b[i]])
        if ra == rb:
            return evictions(int(caps[ra]), self.seats.holders(ra, a, b), [ka, kb])
        at_a = evictions(int(caps[ra]), self.seats.holders(ra, a, b), [ka])
        at_b = evictions(int(caps[rb]), self.seats.holders(rb, a, b), [kb])
        return None if at_a is None or at_b is None else at_a + at_b

    def first_admitted(self, k: int, lo: int, hi: int, via: IntArray | None, r: int) -> int:
        """The first option in [lo, hi) of couple k won at both seats (only those through
        request r on the `via` side, when r >= 0), or hi: a compiled scan (`admit_option`)."""
        a, b = self.couples[k]
        base = int(self.all_joints.indptr[k])
        joints, seats = self.all_joints, self.seats
        i = _couple_kernels.first_admitted(
            joints.request_a,
            joints.request_b,
            joints.key_a,
            joints.key_b,
            base + lo,
            base + hi,
            a,
            b,
            joints.request_a if via is None else via,
            r,
            self.market.capacities,
            seats.start,
            seats.count,
            seats.slot_who,
            seats.slot_key,
        )
        return int(i) - base

    def apply_couple(self, k: int) -> None:
        (a, b), joint = self.couples[k], self.joints[k]
        lo, hi = self.couple_pointer[k], self.option[k]
        if lo < hi:
            i = self.first_admitted(k, lo, hi, None, -1)
            self.proposals += min(i + 1, hi) - lo
            if i < hi:
                losers = self.admit_option(k, i)
                if losers is None:
                    raise RuntimeError(f"couple {k} was to win option {i} but loses it")
                self.seats.place(a, int(joint.request_a[i]), int(joint.entry_a[i] - self.indptr[a]))
                self.seats.place(b, int(joint.request_b[i]), int(joint.entry_b[i] - self.indptr[b]))
                self.option[k] = i
                self.evict(losers)
        self.couple_pointer[k] = self.option[k]

    def settle(self) -> None:
        while self.queue:
            is_couple, who = self.queue.popleft()
            self.queued.discard((is_couple, who))
            if is_couple:
                self.apply_couple(who)
            else:
                self.apply_single(who)

    def applicants(self, r: int) -> list[tuple[int, int, int]]:
        """(key, candidate, position) of everyone who lists r and whom r ranks, best first."""
        if r not in self._applicants:
            if self._by_request is None:
                self._by_request = _kernels.entries_by_request(self.indices, self.market.n_requests)
            offsets, by_request = self._by_request
            entries = by_request[offsets[r] : offsets[r + 1]]
            entries = entries[self.market.keys[entries] >= 0]
            owners = np.searchsorted(self.indptr, entries, side="right") - 1
            rows = zip(
                self.market.keys[entries].tolist(), owners.tolist(), entries.tolist(), strict=True
            )
            self._applicants[r] = sorted((key, c, k - int(self.indptr[c])) for key, c, k in rows)
        return self._applicants[r]

    def offer(self, r: int, *, to_couples: bool) -> None:
        """Offer vacated request r to its best-ranked blocker, who re-applies from the top."""
        seats = self.seats
        for key, c, p in self.applicants(r):
            if not seats.admits(r, key):
                break  # everyone further down ranks lower still
            if not self.active[c] or seats.assignment[c] == r:
                continue
            if c in self.couple_of:
                if not to_couples:
                    continue
                k = self.couple_of[c]
                joints = self.all_joints
                side = joints.request_a if c == self.couples[k][0] else joints.request_b
                if self.first_admitted(k, 0, self.option[k], side, r) >= self.option[k]:
                    continue
                self.push(True, k, 0)
            else:
                placed = seats.assignment[c] >= 0
                outcome = int(seats.position[c]) if placed else int(self.lengths[c])
                if p >= outcome:
                    continue
                self.push(False, c, 0)
            self.settle()
            seats.vacate(r)  # look again: another seat or another blocker may remain
            return

    def resolve(self) -> None:
        """Settle the queue and every vacancy. When a state repeats (a cycle, which only
        couples can cause), vacancies are offered to singles only from then on: couples then
        only move down their lists, so the rest settles; their blocking options are reported."""
        seen: set[tuple[bool, int]] = set()
        to_couples = True
        self.settle()
        while self.seats.has_vacancies():
            if (to_couples, self.seats.state) in seen:
                if not to_couples:
                    self.seats.forget_vacancies()
                    break
                to_couples = False
            if self.offers >= MAX_OFFERS:
                self.seats.forget_vacancies()
                break
            seen.add((to_couples, self.seats.state))
            self.offers += 1
            self.offer(self.seats.next_vacancy(), to_couples=to_couples)
            self.settle()

    def run(self) -> CouplesOutcome:
        for k in range(len(self.couples)):  # one couple at a time, settled before the next
            self.push(True, k, 0)
            self.resolve()
        checked: set[int] = set()
        while True:
            blocks = find_blocks(self.market, self.seats.assignment, self.active, self.all_joints)
            if not blocks.pairs or self.seats.state in checked or len(checked) >= MAX_ROUNDS:
                break
            checked.add(self.seats.state)
            for c, _, _ in blocks.singles:
                self.push(False, c, 0)
            for k, _ in blocks.couples:
                self.push(True, k, 0)
            self.resolve()
        seats = self.seats
        return CouplesOutcome(
            seats.assignment, seats.position, self.proposals, self.couples, blocks.pairs
        )


def solve_with_couples(market: Market, active: NDArray[np.bool_]) -> CouplesOutcome:
    """Run the procedure (module docstring) for the active candidates."""
    return _Procedure(market, active).run()
