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

from altmatch.engine import _couple_kernels
from altmatch.engine.joint import Joints, active_couples, joint_lists
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
    """Check feasibility; return per candidate its outcome's position in its own list (list
    length when unplaced) and the key its request gives it, and per request how many it holds.
    One compiled pass over the lists (`_couple_kernels.outcomes`)."""
    indptr, indices = market.candidate_prefs
    n_c = market.n_candidates
    if len(assignment) != n_c:
        raise ValueError(f"assignment: expected {n_c} entries, got {len(assignment)}")
    held = np.zeros(market.n_requests, dtype=np.int64)
    np.add.at(held, assignment[assignment >= 0], 1)
    if np.any(held > market.capacities):
        over = int(np.flatnonzero(held > market.capacities)[0])
        raise ValueError(f"assignment: request {over} holds {held[over]} > capacity")
    outcome_pos, held_key, unranked, off_list = _couple_kernels.outcomes(
        indptr, indices, market.keys, assignment
    )
    if unranked >= 0:
        raise ValueError(f"assignment: candidate {unranked} is placed where it is not acceptable")
    if off_list >= 0:
        raise ValueError(f"assignment: candidate {off_list} is placed at a request not on its list")
    return outcome_pos, held_key, held


def find_blocks(
    market: Market,
    assignment: IntArray,
    active: NDArray[np.bool_] | None = None,
    joints: Joints | None = None,
) -> Blocks:
    """Every blocking single and couple option, by compiled passes (`_couple_kernels`): each
    single's entries above its outcome, each couple's options above its own."""
    assignment = np.ascontiguousarray(assignment, dtype=np.int64)
    mask = np.ones(market.n_candidates, dtype=np.bool_) if active is None else active
    if np.any(~mask & (assignment >= 0)):
        c = int(np.flatnonzero(~mask & (assignment >= 0))[0])
        raise ValueError(f"assignment: candidate {c} has withdrawn but is placed")
    outcome_pos, held_key, held = _outcomes(market, assignment)
    couples = active_couples(market, mask)
    single = np.array(mask, dtype=np.bool_)
    for a, b in couples:
        single[a] = single[b] = False
    indptr, indices = market.candidate_prefs
    worst = np.full(market.n_requests, -1, dtype=np.int64)
    placed = assignment >= 0
    np.maximum.at(worst, assignment[placed], held_key[placed])
    who, request, position = _couple_kernels.blocking_singles(
        indptr, indices, market.keys, outcome_pos, single, held, worst, market.capacities
    )
    singles = list(zip(who.tolist(), request.tolist(), position.tolist(), strict=True))
    rows = [(c, p, r) for c, r, p in singles]
    couple_blocks: list[tuple[int, int]] = []
    if couples:
        joints = joint_lists(market, couples) if joints is None else joints
        if len(joints) != len(couples):
            raise ValueError(f"joints: expected {len(couples)} joint lists, got {len(joints)}")
        bad, block_k, block_i = _couple_kernels.couple_blocks(
            joints.indptr,
            joints.request_a,
            joints.request_b,
            joints.key_a,
            joints.key_b,
            joints.members_a,
            joints.members_b,
            assignment,
            held_key,
            market.capacities,
        )
        if bad != _couple_kernels.OK:
            a, b = couples[bad]
            raise ValueError(
                f"assignment: couple ({a}, {b}) is at requests {int(assignment[a])} and "
                f"{int(assignment[b])}, not an option of its joint list (one group, two seats for "
                "one request)"
            )
        for k, i in zip(block_k.tolist(), block_i.tolist(), strict=True):
            a, b = couples[k]
            joint = joints[k]
            ra, rb = int(joint.request_a[i]), int(joint.request_b[i])
            couple_blocks.append((k, i))
            if ra != assignment[a]:
                rows.append((a, int(joint.entry_a[i] - indptr[a]), ra))
            if rb != assignment[b]:
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
