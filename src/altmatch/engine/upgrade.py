"""Upgrades after withdrawals: rerun the same market and lottery, report who moves and why.

Removing candidates never hurts anyone who stays in the candidate-optimal stable matching
(Gale & Sotomayor 1985; Crawford 1991): withdrawals only open doors, so the rerun is an upgrade
for every remaining candidate. The moves are grouped into vacancy chains (White 1970; Blum,
Roth & Rothblum 1997): a seat vacated by a withdrawal is taken by someone, whose old seat is
taken by someone else, and so on, until a previously unplaced candidate moves in or a seat is
left empty. A withdrawal can also release an exchange: candidates who each want another's
request, kept apart only by the withdrawn candidate's claim (even one who held no seat), swap
in a cycle. With couples the guarantee does not hold (couples break the lattice of stable
matchings), and a withdrawn member dissolves the couple: the partner stays in and applies
alone from their own list.
"""

from __future__ import annotations

import operator
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from altmatch.engine.market import MatchResult
from altmatch.engine.match import solve


@dataclass(frozen=True)
class Move:
    """A candidate whose request changed; -1 is unplaced (or, for `to_request`, gone)."""

    candidate: int
    from_request: int
    to_request: int


@dataclass(frozen=True)
class Upgrade:
    """The rerun, who withdrew in this step, every move (by candidate), and the moves grouped
    into vacancy chains (each in order: the vacancy, then who filled each vacated seat) or
    exchange cycles (see `vacancy_chains`)."""

    result: MatchResult
    withdrawn: tuple[int, ...]
    moves: tuple[Move, ...]
    chains: tuple[tuple[Move, ...], ...]


def _check_ids(withdrawn: Sequence[int], n_candidates: int, gone: set[int]) -> tuple[int, ...]:
    ids: list[int] = []
    problems: list[str] = []
    for raw in withdrawn:
        c = operator.index(raw)
        if not 0 <= c < n_candidates:
            problems.append(f"unknown candidate {c} (expected 0..{n_candidates - 1})")
        elif c in ids:
            problems.append(f"candidate {c} is listed twice")
        elif c in gone:
            problems.append(f"candidate {c} has already withdrawn")
        else:
            ids.append(c)
    if problems:
        raise ValueError("withdrawn: " + "; ".join(problems))
    return tuple(ids)


def withdraw(result: MatchResult, withdrawn: Sequence[int]) -> Upgrade:
    """Take `withdrawn` out of the market and rerun it with the same lists and lottery (so the
    result equals a fresh run without them under the same seed). A withdrawn candidate who was
    unplaced has no move of their own but is listed in `Upgrade.withdrawn`; others may still
    move (an exchange their claim held back)."""
    market = result.market
    ids = _check_ids(withdrawn, market.n_candidates, set(result.withdrawn))
    active = result.active
    active[list(ids)] = False
    after = solve(market, active)
    changed = np.flatnonzero(after.assignment != result.assignment)
    moves = tuple(
        Move(int(c), int(result.assignment[c]), int(after.assignment[c])) for c in changed
    )
    indptr = market.candidate_prefs[0]
    rank = [
        int(market.keys[indptr[m.candidate] + after.candidate_rank[m.candidate]])
        if m.to_request >= 0
        else -1
        for m in moves
    ]
    first = set(ids)
    roots = sorted(
        (i for i, m in enumerate(moves) if m.to_request < 0),
        key=lambda i: (moves[i].candidate not in first, moves[i].candidate),
    )
    chains = vacancy_chains(moves, rank, roots)
    return Upgrade(after, ids, moves, chains)


def vacancy_chains(
    moves: Sequence[Move], rank: Sequence[int], roots: Sequence[int]
) -> tuple[tuple[Move, ...], ...]:
    """Group `moves` into chains, each move exactly once.

    A chain starts at a root (a move out of the market: a withdrawal) and follows the vacancy:
    the seat it left is filled by the move into that request that the request ranks best
    (`rank[i]`: the key the destination gives moves[i]'s candidate), whose own old seat is
    filled next, and so on. Every move then left over is a closed exchange cycle: spliced into
    a chain at the request where it starts and ends, or, when no chain meets it, a chain of its
    own (first move into the request the last move leaves). With couples, moves into seats that
    were empty also start chains of their own.
    """
    fillers: dict[int, list[int]] = {}
    for i in sorted(range(len(moves)), key=lambda i: (rank[i], moves[i].candidate), reverse=True):
        if moves[i].to_request >= 0:
            fillers.setdefault(moves[i].to_request, []).append(i)  # popped best first
    vacated = Counter(m.from_request for m in moves if m.from_request >= 0)

    def walk(node: int) -> list[int]:
        path: list[int] = []
        while node >= 0 and fillers.get(node):
            i = fillers[node].pop()
            path.append(i)
            node = moves[i].from_request
            if node >= 0:
                vacated[node] -= 1
        return path

    def splice(chain: list[int]) -> list[int]:
        j = 0
        while j < len(chain):
            node = moves[chain[j]].from_request
            chain[j + 1 : j + 1] = walk(node)  # a closed cycle back to `node`, or nothing
            j += 1
        return chain

    chains: list[list[int]] = []
    for i in roots:
        vacated[moves[i].from_request] -= 1
        chains.append([i, *walk(moves[i].from_request)])
    while True:  # seats that were empty and are now taken (couples only)
        surplus = [r for r in sorted(fillers) if len(fillers[r]) > vacated[r]]
        if not surplus:
            break
        chains.append(walk(surplus[0]))
    chains = [splice(chain) for chain in chains]
    while any(fillers.values()):  # exchange cycles that no chain meets
        chains.append(splice(walk(min(r for r, left in fillers.items() if left))))
    return tuple(tuple(moves[i] for i in chain) for chain in chains)
