"""The interview planner and booking as JSON: the twins of /offices/{id}/interviews (and its
assignment and move steps) and /seasons/{id}/apply/interview."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from altmatch.services.season.interview_assignment import (
    AssignmentOut,
    RescheduleIn,
    confirm_assignment,
    preview_assignment,
    reschedule,
)
from altmatch.services.season.interview_booking import (
    BookIn,
    MoveBookingIn,
    MyInterviewOut,
    TimeZoneIn,
    book_interview,
    change_time_zone,
    move_interview,
    my_interview,
)
from altmatch.services.season.interview_planner import (
    MemberIn,
    PanelIn,
    PlannerOut,
    SessionIn,
    add_panel,
    delete_session,
    plan_session,
    planner,
    set_member,
)
from altmatch.web.api.params import Id
from altmatch.web.auth import InterviewsPlanDep, OwnApplicationDep
from altmatch.web.deps import SessionsDep

router = APIRouter(tags=["interviews"])
SeasonQuery = Annotated[
    int | None, Query(ge=1, description="The season (default: the newest open one).")
]
SeasonRequired = Annotated[int, Query(ge=1, description="The season.")]


class AssignmentConfirmIn(BaseModel):
    plan: str = Field(min_length=1, max_length=64, description="`plan` of the preview you read.")


# -- the office's planner -------------------------------------------------------------------------


@router.get("/offices/{office_id}/interviews", response_model=PlannerOut)
def get_planner(
    office_id: Id, actor: InterviewsPlanDep, sessions: SessionsDep, season: SeasonQuery = None
) -> PlannerOut:
    """The office's interview round: panels with assessors and sessions, the slot grid with
    who is booked, and the screened-in applicants still without a slot."""
    return planner(sessions, actor, office_id, season)


@router.post("/offices/{office_id}/interviews/panels", response_model=PlannerOut)
def post_panel(
    office_id: Id,
    body: PanelIn,
    actor: InterviewsPlanDep,
    sessions: SessionsDep,
    season: SeasonRequired,
) -> PlannerOut:
    return add_panel(sessions, actor, office_id, season, body)


@router.post("/offices/{office_id}/interviews/panels/{panel_id}/members", response_model=PlannerOut)
def post_member(
    office_id: Id,
    panel_id: Id,
    body: MemberIn,
    actor: InterviewsPlanDep,
    sessions: SessionsDep,
    season: SeasonRequired,
) -> PlannerOut:
    """Seat an assessor (by e-mail) on the panel; they are told."""
    return set_member(sessions, actor, office_id, season, panel_id, body)


@router.post(
    "/offices/{office_id}/interviews/panels/{panel_id}/members/remove", response_model=PlannerOut
)
def post_member_removal(
    office_id: Id,
    panel_id: Id,
    body: MemberIn,
    actor: InterviewsPlanDep,
    sessions: SessionsDep,
    season: SeasonRequired,
) -> PlannerOut:
    """Unseat an assessor from the panel; they are told."""
    return set_member(sessions, actor, office_id, season, panel_id, body, member=False)


@router.post("/offices/{office_id}/interviews/sessions", response_model=PlannerOut)
def post_session(
    office_id: Id,
    body: SessionIn,
    actor: InterviewsPlanDep,
    sessions: SessionsDep,
    season: SeasonRequired,
) -> PlannerOut:
    """Plan a session on the office's clock; its slots are created at once."""
    return plan_session(sessions, actor, office_id, season, body)


@router.delete("/offices/{office_id}/interviews/sessions/{session_id}", response_model=PlannerOut)
def delete_planned_session(
    office_id: Id,
    session_id: Id,
    actor: InterviewsPlanDep,
    sessions: SessionsDep,
    season: SeasonRequired,
) -> PlannerOut:
    """Delete a session none of whose slots is booked (409 otherwise)."""
    return delete_session(sessions, actor, office_id, season, session_id)


@router.get("/offices/{office_id}/interviews/assignment", response_model=AssignmentOut)
def get_assignment(
    office_id: Id, actor: InterviewsPlanDep, sessions: SessionsDep, season: SeasonQuery = None
) -> AssignmentOut:
    """What assigning would do now (nothing is written): who gets which slot, who waits, why."""
    return preview_assignment(sessions, actor, office_id, season)


@router.post("/offices/{office_id}/interviews/assignment", response_model=AssignmentOut)
def post_assignment(
    office_id: Id,
    body: AssignmentConfirmIn,
    actor: InterviewsPlanDep,
    sessions: SessionsDep,
    season: SeasonRequired,
) -> AssignmentOut:
    """Book the previewed plan, all or nothing (409 if it changed meanwhile)."""
    return confirm_assignment(sessions, actor, office_id, season, body.plan)


@router.post("/offices/{office_id}/interviews/moves", response_model=PlannerOut)
def post_reschedule(
    office_id: Id,
    body: RescheduleIn,
    actor: InterviewsPlanDep,
    sessions: SessionsDep,
    season: SeasonRequired,
) -> PlannerOut:
    """Move a candidate's booking to another free slot, with a reason; they are told."""
    return reschedule(sessions, actor, office_id, season, body)


# -- the candidate --------------------------------------------------------------------------------


@router.get("/seasons/{season_id}/online-application/interview", response_model=MyInterviewOut)
def get_my_interview(
    season_id: Id, actor: OwnApplicationDep, sessions: SessionsDep
) -> MyInterviewOut:
    """Your interview: your booking, or the slots you may book, on your clock and the office's."""
    return my_interview(sessions, actor, season_id)


@router.post("/seasons/{season_id}/online-application/interview", response_model=MyInterviewOut)
def post_booking(
    season_id: Id, body: BookIn, actor: OwnApplicationDep, sessions: SessionsDep
) -> MyInterviewOut:
    """Book a slot (one per application; 409 if someone took it first)."""
    return book_interview(sessions, actor, season_id, body)


@router.post(
    "/seasons/{season_id}/online-application/interview/move", response_model=MyInterviewOut
)
def post_booking_move(
    season_id: Id, body: MoveBookingIn, actor: OwnApplicationDep, sessions: SessionsDep
) -> MyInterviewOut:
    """Move your booking to another free slot (counts as one of your moves)."""
    return move_interview(sessions, actor, season_id, body)


@router.put(
    "/seasons/{season_id}/online-application/interview/time-zone", response_model=MyInterviewOut
)
def put_time_zone(
    season_id: Id, body: TimeZoneIn, actor: OwnApplicationDep, sessions: SessionsDep
) -> MyInterviewOut:
    """Say where you will now be for your interview (the application's `version`, as read)."""
    return change_time_zone(sessions, actor, season_id, body)
