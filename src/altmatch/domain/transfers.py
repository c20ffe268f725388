"""An ALT's request to move to another area: the optimiser's proposal that keeps coverage.

The requesting ALT is limited to positions in the requested prefecture (and municipality, when
given). They will move home to the new area, so their commute there is not measured from where
they live now: it is `relocation_minutes` (the commute model's fixed minutes, a local trip).
A transfer is not a reshuffle: everyone else stays where they are unless a move is needed to keep
coverage. So the plan considers only the positions filled today plus the one the ALT moves to,
and staying put is worth more to every other ALT than any commute saving could be (more than the
longest allowed commute), which makes the solver move as few of them as it can. Each reachable
position in the area is tried as a pin and the best plan kept (most positions filled, then
least cost). A proposal is offered only when it fills no fewer positions than the roster does
now; otherwise the answer says why (no position there, none open to the ALT, or how many would
go unfilled).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

import numpy as np

from altmatch.domain.roster_plan import (
    Grid,
    Move,
    RosterPlan,
    Solve,
    current_plan,
    plan_roster,
    requirement_failures,
)
from altmatch.i18n import N_, Message

VACANCY, SWAP, CHAIN = "vacancy", "swap", "chain"


@dataclass(frozen=True)
class TransferProposal:
    """`moves` (empty when not feasible) and why; `kind` is vacancy, swap or chain."""

    feasible: bool
    reasons: tuple[Message, ...]
    moves: tuple[Move, ...]
    kind: str
    filled_before: int
    filled_after: int
    target_position: int | None
    plan: RosterPlan | None


def area_label(prefecture: str, municipality: str | None) -> str:
    return f"{municipality}, {prefecture}" if municipality else prefecture


def in_area(grid: Grid, prefecture: str, municipality: str | None) -> list[int]:
    """Indices of the positions in the prefecture (and municipality, if given)."""
    want_pref = prefecture.strip().casefold()
    want_muni = (municipality or "").strip().casefold()
    return [
        j
        for j, p in enumerate(grid.positions)
        if p.prefecture.strip().casefold() == want_pref
        and (not want_muni or p.municipality.strip().casefold() == want_muni)
    ]


def move_kind(moves: tuple[Move, ...]) -> str:
    """Vacancy: one ALT moves into an empty post; swap: two exchange posts; else a chain."""
    if len(moves) == 1:
        return VACANCY
    if len(moves) == 2:
        a, b = moves
        if a.from_position == b.to_position and b.from_position == a.to_position:
            return SWAP
    return CHAIN


def _relocated(grid: Grid, i: int, targets: list[int], relocation_minutes: float) -> Grid:
    """The grid with ALT i living in the requested area: a local commute to its positions."""
    km, minutes, commute_ok = grid.km.copy(), grid.minutes.copy(), grid.commute_ok.copy()
    km[i, targets] = 0.0
    minutes[i, targets] = relocation_minutes
    commute_ok[i, targets] = grid.located[targets]
    return replace(grid, km=km, minutes=minutes, commute_ok=commute_ok)


def _transfer_only(grid: Grid, target: int) -> Grid:
    """The grid for one candidate move: only today's filled positions and `target` are open;
    everyone may keep today's post (even one a new plan would not give them, such as a long
    commute), and staying put outweighs any commute saving, so nobody moves without need."""
    index = {p.id: j for j, p in enumerate(grid.positions)}
    current = [
        (i, index[a.current_position])
        for i, a in enumerate(grid.alts)
        if a.current_position in index
    ]
    open_ = np.zeros(len(grid.positions), dtype=bool)
    open_[target] = True
    licence_ok, jlpt_ok = grid.licence_ok.copy(), grid.jlpt_ok.copy()
    commute_ok, continuity = grid.commute_ok.copy(), np.zeros_like(grid.continuity)
    stay = grid.weights.max_commute_minutes + grid.weights.continuity_bonus_minutes
    for i, j in current:
        open_[j] = True
        licence_ok[i, j] = jlpt_ok[i, j] = commute_ok[i, j] = True
        continuity[i, j] = stay
    return replace(
        grid,
        located=grid.located & open_,
        licence_ok=licence_ok,
        jlpt_ok=jlpt_ok,
        commute_ok=commute_ok,
        continuity=continuity,
    )


def propose_transfer(
    grid: Grid,
    solve: Solve,
    alt_id: int,
    prefecture: str,
    municipality: str | None,
    *,
    relocation_minutes: float = 0.0,
) -> TransferProposal:
    """The least disruptive plan that moves `alt_id` into the area without losing coverage."""
    now = current_plan(grid)
    area = area_label(prefecture, municipality)
    i = next((k for k, a in enumerate(grid.alts) if a.id == alt_id), None)

    def refuse(*reasons: Message, plan: RosterPlan | None = None) -> TransferProposal:
        after = plan.filled if plan else now.filled
        return TransferProposal(False, reasons, (), "", now.filled, after, None, plan)

    if i is None:
        return refuse(Message(N_("The ALT is not on the roster being planned.")))
    alt = grid.alts[i]
    targets = in_area(grid, prefecture, municipality)
    if not targets:
        return refuse(
            Message(N_("No position of a contract in force lies in {area}."), {"area": area})
        )
    current = next((j for j in targets if grid.positions[j].id == alt.current_position), None)
    if current is not None:
        return refuse(
            Message(
                N_("{alt} already works in {area} ({position})."),
                {"alt": alt.label, "area": area, "position": grid.positions[current].label},
            )
        )
    grid = _relocated(grid, i, targets, relocation_minutes)
    reachable = [j for j in targets if grid.allowed[i, j]]
    if not reachable:
        details = [
            Message(
                N_("{position}: {reason}"),
                {
                    "position": grid.positions[j].label,
                    "reason": requirement_failures(grid, i, j)[0],
                },
            )
            for j in targets
        ]
        headline = Message(
            N_("None of the positions in {area} ({count}) is open to {alt}."),
            {"count": len(targets), "area": area, "alt": alt.label},
        )
        return refuse(headline, *details)
    best: tuple[RosterPlan, int] | None = None
    for j in reachable:
        plan = plan_roster(_transfer_only(grid, j), solve, pins=[(alt_id, grid.positions[j].id)])
        if best is None or (-plan.filled, plan.total_cost) < (-best[0].filled, best[0].total_cost):
            best = (plan, j)
    assert best is not None
    plan, j = best
    if plan.filled < now.filled:
        return refuse(
            Message(
                N_("Moving {alt} to {area} would lower the number of filled positions by {count}."),
                {"alt": alt.label, "area": area, "count": now.filled - plan.filled},
            ),
            plan=plan,
        )
    return TransferProposal(
        True,
        (),
        plan.moves,
        move_kind(plan.moves),
        now.filled,
        plan.filled,
        grid.positions[j].id,
        plan,
    )


# --- when an approved transfer takes effect -----------------------------------------------

# How far ahead an approver may date a transfer: a school year and a term.
LONGEST_NOTICE_DAYS = 500


def default_effective_date(today: date) -> date:
    """The date an approval form suggests: the first day of next month, when schools and
    contracts usually change hands (pay and commuting allowances run by month)."""
    return date(today.year + 1, 1, 1) if today.month == 12 else date(today.year, today.month + 1, 1)


def effective_date_problem(effective_on: date, today: date) -> Message | None:
    """Why an approver cannot choose `effective_on`, or None: not in the past, not too far."""
    if effective_on < today:
        return Message(N_("The date a transfer takes effect cannot be in the past."))
    if effective_on > today + timedelta(days=LONGEST_NOTICE_DAYS):
        return Message(
            N_("Choose a date within {days} days from today."), {"days": LONGEST_NOTICE_DAYS}
        )
    return None


PlannedMove = tuple[int, int | None, int | None]  # (alt id, from position, to position)


def moves_still_fit(
    moves: Sequence[PlannedMove],
    held: Mapping[int, Collection[int]],
    occupants: Mapping[int, int],
    in_force: Collection[int],
) -> bool:
    """Whether approved moves can still be applied to today's roster: each moving ALT still
    holds exactly the post they move from (`held`: ALT -> positions held), every post moved to
    is under a contract in force, and is empty or held by an ALT who moves out in the same plan
    (`occupants`: position -> ALT holding it)."""
    movers = {alt for alt, _from, _to in moves}
    for alt, before, after in moves:
        if set(held.get(alt, ())) != ({before} if before is not None else set()):
            return False
        if after is None:
            continue
        if after not in in_force:
            return False
        holder = occupants.get(after)
        if holder is not None and holder not in movers:
            return False
    return True
