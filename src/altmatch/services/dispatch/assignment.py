"""Roster assignment for a dispatch company: the current roster with its costs, what-if plans
(pins, exclusions, other weights; nothing written) and committing a plan in one transaction.

Plans are computed from the company's roster ALTs and the positions of its contracts in force on
a date. A plan carries a fingerprint of everything it was computed from; committing recomputes
the plan and refuses (409) when the fingerprint no longer matches, so nobody applies a plan made
against a roster that has since changed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from altmatch.clock import today_in_japan
from altmatch.db import Sessions
from altmatch.db.dispatch import lock_company
from altmatch.db.models import RosterAssignment
from altmatch.domain.access import Actor
from altmatch.domain.roster_plan import PlanError, RosterPlan, Weights, current_plan, plan_roster
from altmatch.i18n import N_, Message
from altmatch.services.dispatch.assignment_data import (
    AltBrief,
    BreakdownOut,
    MoveOut,
    PlanOut,
    RosterData,
    SlotOut,
    VacancyOut,
    WeightsIn,
    alt_brief,
    grid_for,
    load_roster,
    plan_out,
    resolve_company,
    solve_with_engine,
    stay_adjustments,
    weights_for,
)
from altmatch.services.dispatch.surveys import pair_satisfaction
from altmatch.services.kernel.audit import record_audit
from altmatch.services.kernel.bounds import RowId
from altmatch.services.kernel.errors import RuleError, stale_record

__all__ = [
    "AltBrief",
    "BreakdownOut",
    "CommitRequest",
    "CurrentAssignmentOut",
    "MoveOut",
    "PinIn",
    "PlanOut",
    "PlanRequest",
    "PlanResultOut",
    "RosterData",
    "Sessions",
    "SlotOut",
    "VacancyOut",
    "WeightsIn",
    "apply_moves",
    "commit_assignment",
    "current_assignment",
    "grid_for",
    "load_roster",
    "lock_company",
    "plan_assignment",
    "plan_out",
    "resolve_company",
    "solve_with_engine",
    "weights_for",
]


class PinIn(BaseModel):
    alt_id: RowId
    position_id: RowId


class PlanRequest(BaseModel):
    """A what-if: keep these pins, leave these ALTs out, use these weights, on this date."""

    on: date | None = None
    pins: list[PinIn] = []
    excluded: list[RowId] = []
    weights: WeightsIn = WeightsIn()
    use_satisfaction: bool = Field(
        default=False,
        description="Weigh the termly surveys: keep well-matched ALT × school pairs and move "
        "poorly matched ones (the rulebook's dispatch_surveys.weights).",
    )


class CommitRequest(PlanRequest):
    fingerprint: str = Field(min_length=1, max_length=128)


class CurrentAssignmentOut(BaseModel):
    """The roster as it stands; `alts` lists everyone for pin and exclusion choices."""

    company_id: int
    current: PlanOut
    alts: list[AltBrief]


class PlanResultOut(BaseModel):
    current: PlanOut
    proposed: PlanOut
    request: PlanRequest


def current_assignment(
    sessions: Sessions,
    actor: Actor,
    *,
    on: date | None = None,
    company_id: int | None = None,
    locale: str = "en",
) -> CurrentAssignmentOut:
    """The company's roster on `on` (default today) with costs and unfilled positions."""
    with sessions() as session:
        company = resolve_company(session, actor, company_id)
        data = load_roster(session, company, on or today_in_japan())
        weights = weights_for(WeightsIn())
        plan = current_plan(grid_for(data, weights))
        return CurrentAssignmentOut(
            company_id=company,
            current=plan_out(data, plan, weights, locale),
            alts=[alt_brief(a) for a in data.alt_rows.values()],
        )


def _stay(session: Session, data: RosterData, request: PlanRequest) -> dict[int, float] | None:
    """The satisfaction minutes of each ALT staying put, when the request asks for them."""
    if not request.use_satisfaction:
        return None
    return stay_adjustments(data, pair_satisfaction(session, data.company_id, on=data.on))


def _plan(
    data: RosterData, request: PlanRequest, stay: dict[int, float] | None = None
) -> tuple[RosterPlan, RosterPlan, Weights]:
    """The current roster and the proposed plan (RuleError for bad pins or exclusions);
    `stay`: the satisfaction minutes of each ALT keeping their position (None: not used)."""
    unknown = [a for a in request.excluded if a not in data.alt_rows]
    if unknown:
        message = Message(N_("Exclude: there is no ALT {alt} on this roster."), {"alt": unknown[0]})
        raise RuleError(message, "excluded")
    weights = weights_for(request.weights)
    grid = grid_for(data, weights, stay)
    try:
        proposed = plan_roster(
            grid,
            solve_with_engine,
            pins=[(p.alt_id, p.position_id) for p in request.pins],
            excluded=frozenset(request.excluded),
        )
    except PlanError as exc:
        raise RuleError(exc.message, exc.field) from exc
    return current_plan(grid_for(data, weights_for(WeightsIn()))), proposed, weights


def plan_assignment(
    sessions: Sessions,
    actor: Actor,
    request: PlanRequest,
    *,
    company_id: int | None = None,
    locale: str = "en",
) -> PlanResultOut:
    """A what-if plan against the current roster; nothing is written."""
    with sessions() as session:
        company = resolve_company(session, actor, company_id)
        data = load_roster(session, company, request.on or today_in_japan())
        stay = _stay(session, data, request)
        now, proposed, weights = _plan(data, request, stay)
        return PlanResultOut(
            current=plan_out(data, now, weights_for(WeightsIn()), locale),
            proposed=plan_out(
                data,
                proposed,
                weights,
                locale,
                satisfaction_used=request.use_satisfaction,
                stay=stay,
            ),
            request=request.model_copy(update={"on": data.on}),
        )


def apply_moves(
    session: Session,
    data: RosterData,
    moves: Sequence[tuple[int, int | None, int | None]],
    actor: Actor,
) -> None:
    """End each moving ALT's open assignments on the plan's date and start the new ones."""
    user = actor.user_id
    for alt_id, _before, after in moves:
        for row in data.open_rows.get(alt_id, []):
            row.end = data.on
        if after is not None:
            session.add(
                RosterAssignment(alt_id=alt_id, position_id=after, start=data.on, created_by=user)
            )
    session.flush()


def roster_map(plan: RosterPlan) -> Mapping[str, int | None]:
    return {str(s.position_id): s.alt_id for s in plan.slots}


def commit_assignment(
    sessions: Sessions,
    actor: Actor,
    request: CommitRequest,
    *,
    company_id: int | None = None,
    locale: str = "en",
) -> PlanOut:
    """Apply the plan `request` describes, if the roster is still the one it was computed on."""
    with sessions.begin() as session:
        company = resolve_company(session, actor, company_id)
        lock_company(session, company)
        data = load_roster(session, company, request.on or today_in_japan())
        stay = _stay(session, data, request)
        if data.fingerprint(stay) != request.fingerprint:
            raise stale_record()
        now, proposed, weights = _plan(data, request, stay)
        apply_moves(
            session,
            data,
            [(m.alt_id, m.from_position, m.to_position) for m in proposed.moves],
            actor,
        )
        record_audit(
            session,
            actor,
            "assignment.committed",
            "roster_assignment",
            company,
            {"roster": dict(roster_map(now))},
            {
                "roster": dict(roster_map(proposed)),
                "on": data.on.isoformat(),
                "use_satisfaction": request.use_satisfaction,
            },
            tenant_id=company,
        )
        return plan_out(
            data,
            proposed,
            weights,
            locale,
            satisfaction_used=request.use_satisfaction,
            stay=stay,
        )
