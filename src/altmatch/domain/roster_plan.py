"""A dispatch company's roster plan: which ALT works which contract position, and why.

Hard requirements (driving licence, minimum JLPT, the longest acceptable commute) decide which
pairs are allowed at all; each allowed pair costs its estimated one-way commute in minutes, less
a continuity bonus when the ALT already works that position and a preference bonus when the
position lies in a prefecture the ALT asked for. Experience at the school's level is reported in
the breakdown but does not change the cost (the rulebook sets no figure for it). The solver
(`altmatch.engine.assign_roster`, passed in by the service) fills as many positions as
possible, then minimises the total. A position left unfilled is explained: how many ALTs each
requirement rules out, and whether the eligible ones are all needed elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from altmatch.domain.roster_grid import (
    AltInput,
    BoolMatrix,
    Breakdown,
    Grid,
    PositionInput,
    Vacancy,
    Weights,
    evaluate,
    explain_vacancy,
    requirement_failures,
)
from altmatch.i18n import N_, Message

__all__ = [
    "AltInput",
    "Breakdown",
    "Grid",
    "Move",
    "PlanError",
    "PositionInput",
    "RosterPlan",
    "Slot",
    "Solve",
    "Vacancy",
    "Weights",
    "current_plan",
    "evaluate",
    "plan_roster",
    "requirement_failures",
]

# The solver: (n ALTs, n positions, CSR indptr, CSR indices, costs, pins {ALT: position}) ->
# each position's ALT (-1: unfilled). Services pass `altmatch.engine.assign_roster` (the domain
# and the engine are independent layers), tests may pass a reference.
Solve = Callable[
    [int, int, NDArray[np.int64], NDArray[np.int64], NDArray[np.float64], dict[int, int]],
    Sequence[int],
]


class PlanError(ValueError):
    """Bad planning input (a pin naming an unknown ALT, a double booking...), with the field."""

    def __init__(self, message: Message, field: str) -> None:
        super().__init__(message.template)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Slot:
    position_id: int
    alt_id: int | None
    breakdown: Breakdown | None
    pinned: bool = False
    changed: bool = False  # someone else (or nobody) holds it now


@dataclass(frozen=True)
class Move:
    """An ALT changing position; None is "no position" (joining or leaving the roster plan)."""

    alt_id: int
    from_position: int | None
    to_position: int | None
    # The ALT leaves a pair the surveys showed poorly matched, and that weighed on the move.
    poor_fit: bool = False


@dataclass(frozen=True)
class RosterPlan:
    slots: tuple[Slot, ...]
    moves: tuple[Move, ...]
    unfilled: tuple[Vacancy, ...]
    unassigned_alts: tuple[int, ...]
    filled: int
    total_commute_minutes: float
    total_distance_km: float
    total_cost: float


def _check_pins(
    grid: Grid,
    pins: Sequence[tuple[int, int]],
    excluded: Collection[int],
    restrict: Mapping[int, Collection[int]],
) -> dict[int, int]:
    """Pins as {ALT index: position index}; PlanError naming the ALT and position if bad."""
    alt_index = {a.id: i for i, a in enumerate(grid.alts)}
    pos_index = {p.id: j for j, p in enumerate(grid.positions)}
    out: dict[int, int] = {}
    taken: dict[int, int] = {}
    for alt_id, pos_id in pins:
        if alt_id not in alt_index:
            raise PlanError(
                Message(N_("Pin: there is no ALT {alt} on this roster."), {"alt": alt_id}), "pins"
            )
        i = alt_index[alt_id]
        alt = grid.alts[i].label
        if pos_id not in pos_index:
            raise PlanError(
                Message(
                    N_("Pin of {alt}: there is no position {position} in a contract in force."),
                    {"alt": alt, "position": pos_id},
                ),
                "pins",
            )
        j = pos_index[pos_id]
        pos = grid.positions[j].label
        if i in out and out[i] != j:
            raise PlanError(
                Message(
                    N_("{alt} is pinned to both {first} and {second}: an ALT works one position."),
                    {"alt": alt, "first": grid.positions[out[i]].label, "second": pos},
                ),
                "pins",
            )
        if j in taken and taken[j] != i:
            raise PlanError(
                Message(
                    N_("Position {position} is pinned to both {first} and {second}."),
                    {"position": pos, "first": grid.alts[taken[j]].label, "second": alt},
                ),
                "pins",
            )
        if alt_id in excluded:
            raise PlanError(
                Message(
                    N_("{alt} is both pinned to {position} and excluded."),
                    {"alt": alt, "position": pos},
                ),
                "pins",
            )
        failures = requirement_failures(grid, i, j)
        if alt_id in restrict and pos_id not in restrict[alt_id]:
            failures.append(Message(N_("it lies outside the area the ALT asked to move to")))
        if failures:
            raise PlanError(
                Message(
                    N_("{alt} cannot be pinned to {position}: {reason}."),
                    {"alt": alt, "position": pos, "reason": failures[0]},
                ),
                "pins",
            )
        out[i], taken[j] = j, i
    return out


def _restricted(grid: Grid, restrict: Mapping[int, Collection[int]]) -> BoolMatrix:
    """restricted[i, j]: a transfer request keeps ALT i away from position j."""
    out = np.zeros(grid.allowed.shape, dtype=bool)
    for i, alt in enumerate(grid.alts):
        if alt.id in restrict:
            allowed = restrict[alt.id]
            out[i] = [p.id not in allowed for p in grid.positions]
    return out


def _assemble(
    grid: Grid,
    alt_of_position: Sequence[int],
    pool: NDArray[np.bool_],
    restricted: BoolMatrix,
    pinned: Collection[int] = (),
) -> RosterPlan:
    """A plan from each position's ALT index (-1: unfilled)."""
    current = {a.current_position: i for i, a in enumerate(grid.alts) if a.current_position}
    slots, unfilled = [], []
    for j, pos in enumerate(grid.positions):
        i = int(alt_of_position[j])
        was = current.get(pos.id)
        if i < 0:
            slots.append(Slot(pos.id, None, None, changed=was is not None))
            unfilled.append(explain_vacancy(grid, j, pool, restricted[:, j]))
        else:
            slots.append(Slot(pos.id, grid.alts[i].id, grid.breakdown(i, j), j in pinned, was != i))
    position_of = {int(i): grid.positions[j].id for j, i in enumerate(alt_of_position) if i >= 0}
    known = {p.id for p in grid.positions}
    pos_index = {p.id: j for j, p in enumerate(grid.positions)}
    moves = []
    for i, alt in enumerate(grid.alts):
        before = alt.current_position if alt.current_position in known else None
        after = position_of.get(i)
        if before != after:
            poor = before is not None and grid.satisfaction_at(i, pos_index[before]) < 0
            moves.append(Move(alt.id, before, after, poor))
    filled = [s.breakdown for s in slots if s.breakdown is not None]
    return RosterPlan(
        slots=tuple(slots),
        moves=tuple(moves),
        unfilled=tuple(unfilled),
        unassigned_alts=tuple(a.id for i, a in enumerate(grid.alts) if i not in position_of),
        filled=len(filled),
        total_commute_minutes=round(sum(b.commute_minutes for b in filled), 1),
        total_distance_km=round(sum(b.distance_km for b in filled), 2),
        total_cost=round(sum(b.total for b in filled), 1),
    )


def current_plan(grid: Grid) -> RosterPlan:
    """The roster as it stands, with the same breakdown and vacancy explanations as a plan."""
    index = {p.id: j for j, p in enumerate(grid.positions)}
    alt_of_position = [-1] * len(grid.positions)
    for i, alt in enumerate(grid.alts):
        if alt.current_position in index:
            alt_of_position[index[alt.current_position]] = i
    pool = np.ones(len(grid.alts), dtype=bool)
    return _assemble(grid, alt_of_position, pool, np.zeros(grid.allowed.shape, dtype=bool))


def plan_roster(
    grid: Grid,
    solve: Solve,
    *,
    pins: Sequence[tuple[int, int]] = (),
    excluded: Collection[int] = frozenset(),
    restrict: Mapping[int, Collection[int]] | None = None,
) -> RosterPlan:
    """The optimal roster by `solve`: most positions filled, then least total cost, keeping `pins`
    ((ALT id, position id) pairs), leaving `excluded` ALTs out, and keeping each ALT in
    `restrict` to the positions listed for them. PlanError for pins that cannot hold."""
    restrict = restrict or {}
    pinned = _check_pins(grid, pins, excluded, restrict)
    restricted = _restricted(grid, restrict)
    pool = np.array([a.id not in excluded for a in grid.alts], dtype=bool)
    allowed = grid.allowed & pool[:, None] & ~restricted
    cost = grid.cost
    n, m = allowed.shape
    rows, cols = np.nonzero(allowed)
    indptr = np.concatenate([[0], np.cumsum(allowed.sum(axis=1))]).astype(np.int64)
    alt_of_position = solve(n, m, indptr, cols.astype(np.int64), cost[rows, cols], pinned)
    return _assemble(grid, list(alt_of_position), pool, restricted, set(pinned.values()))
