"""The couples procedure and the stability check as they were in pure Python (NumPy and
dicts), before their inner loops moved to compiled kernels: the oracle the kernels are tested
against (`test_couples_kernels`). Kept here, not in src, so nothing in a run depends on it."""

from __future__ import annotations

import bisect
import heapq
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from altmatch.engine import _kernels
from altmatch.engine.market import Couples, Market
from altmatch.engine.prefs import IntArray

MAX_ROUNDS = 20
MAX_OFFERS = 200_000


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


@dataclass(frozen=True)
class Blocks:
    """Blocking coalitions: singles as (candidate, request, position in its list), couples as
    (index into the run's couples, option index in its joint list); `pairs` the public form."""

    singles: list[tuple[int, int, int]]
    couples: list[tuple[int, int]]
    pairs: list[tuple[int, int]]


def _outcomes(market: Market, assignment: IntArray) -> tuple[IntArray, IntArray, IntArray]:
    """Check feasibility; return per entry its owner and position, per candidate its outcome's
    position in its own list (list length when unplaced) and the key its request gives it."""
    indptr, indices = market.candidate_prefs
    n_c = market.n_candidates
    if len(assignment) != n_c:
        raise ValueError(f"assignment: expected {n_c} entries, got {len(assignment)}")
    owner = np.repeat(np.arange(n_c, dtype=np.int64), np.diff(indptr))
    position = np.arange(len(indices), dtype=np.int64) - indptr[owner]
    outcome_pos = np.diff(indptr)
    placed_entries = indices == assignment[owner]
    outcome_pos[owner[placed_entries]] = position[placed_entries]
    held_key = np.full(n_c, -1, dtype=np.int64)
    held_key[owner[placed_entries]] = market.keys[placed_entries]
    held = np.zeros(market.n_requests, dtype=np.int64)
    np.add.at(held, assignment[assignment >= 0], 1)
    if np.any(held > market.capacities):
        over = int(np.flatnonzero(held > market.capacities)[0])
        raise ValueError(f"assignment: request {over} holds {held[over]} > capacity")
    if np.any(market.keys[placed_entries] < 0):
        c = int(owner[placed_entries][market.keys[placed_entries] < 0][0])
        raise ValueError(f"assignment: candidate {c} is placed where it is not acceptable")
    off_list = (assignment >= 0) & (outcome_pos == np.diff(indptr))
    if np.any(off_list):
        c = int(np.flatnonzero(off_list)[0])
        raise ValueError(f"assignment: candidate {c} is placed at a request not on its list")
    return outcome_pos, held_key, held


def find_blocks(
    market: Market,
    assignment: IntArray,
    active: NDArray[np.bool_] | None = None,
    joints: Sequence[JointList] | None = None,
) -> Blocks:
    """Every blocking single and couple option. Singles are vectorised over all list entries
    (O(entries)); couples are few, so each joint option is checked directly."""
    indptr, indices = market.candidate_prefs
    mask = np.ones(market.n_candidates, dtype=np.bool_) if active is None else active
    if np.any(~mask & (assignment >= 0)):
        c = int(np.flatnonzero(~mask & (assignment >= 0))[0])
        raise ValueError(f"assignment: candidate {c} has withdrawn but is placed")
    outcome_pos, held_key, held = _outcomes(market, assignment)
    couples = active_couples(market, mask)
    single = mask.copy()
    for a, b in couples:
        single[a] = single[b] = False
    owner = np.repeat(np.arange(market.n_candidates, dtype=np.int64), np.diff(indptr))
    position = np.arange(len(indices), dtype=np.int64) - indptr[owner]
    worst = np.full(market.n_requests, -1, dtype=np.int64)
    placed = assignment >= 0
    np.maximum.at(worst, assignment[placed], held_key[placed])
    room = held[indices] < market.capacities[indices]
    beats = market.keys < worst[indices]
    blocking = single[owner] & (position < outcome_pos[owner]) & (market.keys >= 0)
    blocking &= room | beats
    singles = [
        (int(c), int(r), int(p))
        for c, r, p in zip(owner[blocking], indices[blocking], position[blocking], strict=True)
    ]
    rows = [(c, p, r) for c, r, p in singles]
    couple_blocks: list[tuple[int, int]] = []
    if couples:
        joints = [joint_list(market, a, b) for a, b in couples] if joints is None else joints
        order = np.argsort(assignment, kind="stable")
        starts = np.searchsorted(assignment[order], np.arange(market.n_requests + 1))

        cache: dict[int, list[tuple[int, int]]] = {}

        def holders(r: int, a: int, b: int) -> list[tuple[int, int]]:
            if r not in cache:
                who = order[starts[r] : starts[r + 1]].tolist()
                cache[r] = [(int(held_key[x]), x) for x in who]
            return [pair for pair in cache[r] if pair[1] != a and pair[1] != b]

        for k, ((a, b), joint) in enumerate(zip(couples, joints, strict=True)):
            now_a, now_b = int(assignment[a]), int(assignment[b])
            current = joint.index_of(now_a, now_b)
            if current < 0:
                raise ValueError(
                    f"assignment: couple ({a}, {b}) is at requests {now_a} and {now_b}, "
                    "not an option of its joint list (one group, two seats for one request)"
                )
            for i in range(current):
                ra, rb = int(joint.request_a[i]), int(joint.request_b[i])
                ka, kb = int(market.keys[joint.entry_a[i]]), int(market.keys[joint.entry_b[i]])
                if ra == rb:
                    ok = evictions(int(market.capacities[ra]), holders(ra, a, b), [ka, kb])
                    admitted = ok is not None
                else:
                    ea = evictions(int(market.capacities[ra]), holders(ra, a, b), [ka])
                    eb = evictions(int(market.capacities[rb]), holders(rb, a, b), [kb])
                    admitted = ea is not None and eb is not None
                if not admitted:
                    continue
                couple_blocks.append((k, i))
                if ra != now_a:
                    rows.append((a, int(joint.entry_a[i] - indptr[a]), ra))
                if rb != now_b:
                    rows.append((b, int(joint.entry_b[i] - indptr[b]), rb))
    pairs = [(c, r) for c, _, r in sorted(set(rows))]
    return Blocks(singles, couple_blocks, pairs)


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
        self.joints = [joint_list(market, a, b) for a, b in self.couples]
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
        seats, keys, first = self.seats, self.market.keys, int(self.indptr[c])
        end = int(seats.position[c]) if seats.assignment[c] >= 0 else int(self.lengths[c])
        for p in range(int(self.pointer[c]), end):
            self.proposals += 1
            r = int(self.indices[first + p])
            cap = int(self.market.capacities[r])
            losers = evictions(cap, seats.holders(r), [int(keys[first + p])])
            if losers is not None:
                seats.place(c, r, p)
                self.evict(losers)
                break
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

    def apply_couple(self, k: int) -> None:
        (a, b), joint = self.couples[k], self.joints[k]
        for i in range(self.couple_pointer[k], self.option[k]):
            self.proposals += 1
            losers = self.admit_option(k, i)
            if losers is not None:
                self.seats.place(a, int(joint.request_a[i]), int(joint.entry_a[i] - self.indptr[a]))
                self.seats.place(b, int(joint.request_b[i]), int(joint.entry_b[i] - self.indptr[b]))
                self.option[k] = i
                self.evict(losers)
                break
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
                joint = self.joints[k]
                side = joint.request_a if c == self.couples[k][0] else joint.request_b
                through_r = np.flatnonzero(side[: self.option[k]] == r)
                if all(self.admit_option(k, int(i)) is None for i in through_r):
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
            blocks = find_blocks(self.market, self.seats.assignment, self.active, self.joints)
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
