"""Stability check: every blocking pair, computed independently of how the matching was made.

With couples, stability is that of Roth (1984) and Klaus & Klijn (2005): a single blocks with a
request it prefers that would take it (a free seat or a worse holder); a couple blocks with an
option above its own on its joint list when, their current seats released, each request would
admit its member (both, for one request with two seats) — see `joint.evictions`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from altmatch.engine.joint import JointList, active_couples, evictions, joint_list
from altmatch.engine.market import Market, build_market
from altmatch.engine.prefs import IntArray, Prefs


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


def blocking_pairs(
    market: Market, assignment: IntArray, *, active: NDArray[np.bool_] | None = None
) -> list[tuple[int, int]]:
    """Pairs (c, r) where c prefers r to its outcome and r would take c (a free seat, or a
    held candidate it ranks below c), ordered by candidate then by r's place in c's list.

    With couples (`market.couples`), a couple member never blocks alone; a blocking couple
    option contributes (member, request) for each member it would move. `active` False marks
    withdrawn candidates: they block nothing, and a partner of one counts as a single.
    """
    return find_blocks(market, np.asarray(assignment, dtype=np.int64), active).pairs


def check_stability(
    candidate_prefs: Prefs,
    request_prefs: Prefs,
    capacities: Sequence[int] | NDArray[np.integer],
    assignment: Sequence[int] | NDArray[np.integer],
    *,
    request_ranks: Prefs | None = None,
    seed: int | None = None,
    couples: Sequence[tuple[int, int]] | None = None,
    request_groups: Sequence[int] | NDArray[np.integer] | None = None,
) -> list[tuple[int, int]]:
    """Every blocking pair of `assignment` (empty when stable).

    With `request_ranks`, pass the run's `seed` to check against the same lottery; without a
    seed, ties are left unbroken, so a tie never blocks (weak stability).
    """
    market = build_market(
        candidate_prefs,
        request_prefs,
        capacities,
        request_ranks=request_ranks,
        seed=seed,
        break_ties=request_ranks is None or seed is not None,
        couples=couples,
        request_groups=request_groups,
    )
    return blocking_pairs(market, np.asarray(assignment, dtype=np.int64))
