"""Roster assignment as JSON: the current roster (twin of /dispatch/assignment), what-if plans
and committing a plan."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter

from altmatch.services.dispatch.assignment import (
    CommitRequest,
    CurrentAssignmentOut,
    PlanOut,
    PlanRequest,
    PlanResultOut,
    commit_assignment,
    current_assignment,
    plan_assignment,
)
from altmatch.web.auth import DispatchManagerDep
from altmatch.web.deps import SessionsDep
from altmatch.web.locale import LocaleDep

router = APIRouter(prefix="/dispatch/assignment", tags=["dispatch"])


@router.get("", response_model=CurrentAssignmentOut)
def get_assignment(
    actor: DispatchManagerDep, sessions: SessionsDep, locale: LocaleDep, on: date | None = None
) -> CurrentAssignmentOut:
    """The company's current roster with each position's cost breakdown and unfilled reasons."""
    return current_assignment(sessions, actor, on=on, locale=locale)


@router.post("/plan", response_model=PlanResultOut)
def post_plan(
    body: PlanRequest, actor: DispatchManagerDep, sessions: SessionsDep, locale: LocaleDep
) -> PlanResultOut:
    """A what-if plan (pins, exclusions, weights) with its moves; nothing is written."""
    return plan_assignment(sessions, actor, body, locale=locale)


@router.post("/commit", response_model=PlanOut)
def post_commit(
    body: CommitRequest, actor: DispatchManagerDep, sessions: SessionsDep, locale: LocaleDep
) -> PlanOut:
    """Apply the plan the request describes; 409 if the roster changed since its fingerprint."""
    return commit_assignment(sessions, actor, body, locale=locale)
