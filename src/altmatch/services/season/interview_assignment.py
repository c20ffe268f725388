"""Assigning an office's screened-in applicants to interview slots, and moving a booking
(issue 19): the office's two ways of placing people, on top of the planner's round
(services.season.interview_planner).

Assigning is a preview, then a confirmation of exactly that plan: the plan's fingerprint (who
gets which slot, at which version) must still be what the office saw, or nothing is booked
(409). It seats as many as any assignment can (domain.interview_schedule.assign), only in slots
whose booking is still open, so people get notice. An office's move needs a reason, is audited
and told to the candidate, and does not spend the candidate's own moves.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, Field

from altmatch.clock import utc_now
from altmatch.db import Sessions
from altmatch.db import interview_round as repo
from altmatch.db.interview_round import Booked
from altmatch.db.models import InterviewSlot, OnlineApplication, SeasonCandidate
from altmatch.domain.access import Actor, NotFoundError
from altmatch.domain.interview_schedule import (
    Unseated,
    assign,
    booking_refusal,
    reminders_passed,
    why_unseated,
)
from altmatch.i18n import N_, Message
from altmatch.services.kernel.audit import record_audit
from altmatch.services.kernel.errors import RuleError, StaleError, stale_record
from altmatch.services.season.application_reads import clock
from altmatch.services.season.interview_planner import (
    PlannerOut,
    Round,
    load_round,
    office_season,
    planner_out,
    refuse_unless_open,
    rules,
    tell_booking,
)


class RescheduleIn(BaseModel):
    candidate_id: int = Field(ge=1, description="The season application (season_candidates.id).")
    slot_id: int = Field(ge=1, description="The slot to move the booking to.")
    version: int = Field(description="The version of the slot held now, as read.")
    reason: str = Field(min_length=1, max_length=1000)


class SeatOut(BaseModel):
    candidate_id: int
    name: str
    reference_number: str
    slot_id: int
    panel_code: str
    office_time: str
    candidate_time: str
    candidate_zone: str


class UnseatedOut(BaseModel):
    candidate_id: int
    name: str
    reference_number: str
    reason: Unseated


class AssignmentOut(BaseModel):
    """What assigning would do now; confirm with `plan` (a different plan by then: 409)."""

    office_id: int
    office_code: str
    season_id: int
    time_zone: str
    seats: list[SeatOut]
    unseated: list[UnseatedOut]
    plan: str


# -- assignment -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Plan:
    seats: list[tuple[OnlineApplication, SeasonCandidate, InterviewSlot]]
    unseated: list[tuple[OnlineApplication, SeasonCandidate, Unseated]]

    @property
    def fingerprint(self) -> str:
        pairs = ",".join(f"{c.id}:{s.id}:{s.version}" for _, c, s in self.seats)
        return hashlib.sha256(pairs.encode()).hexdigest()[:16]


def _plan(r: Round, now: datetime) -> _Plan:
    held = {s.candidate_id for s in r.slots if s.candidate_id}
    waiting = [(a, c) for a, c in r.heard if c.id not in held]
    book = rules()
    free = [
        s
        for s in r.slots
        if s.candidate_id is None and booking_refusal(r.slot(s), now=now, rules=book) is None
    ]
    people = [r.candidate(a) for a, _ in waiting]
    spots = [r.slot(s) for s in free]
    result = assign(people, spots, r.assessors, r.conflicts, book)
    seats = [(a, c, free[result.seats[c.id]]) for a, c in waiting if c.id in result.seats]
    seats.sort(key=lambda t: (t[2].starts_at, t[2].panel_id))
    unseated = [
        (a, c, why_unseated(r.candidate(a), spots, r.assessors, r.conflicts, book))
        for a, c in waiting
        if c.id not in result.seats
    ]
    return _Plan(seats, unseated)


def _assignment_out(r: Round, plan: _Plan) -> AssignmentOut:
    codes = {p.id: p.code for p in r.panels}
    return AssignmentOut(
        office_id=r.office.id,
        office_code=r.office.code,
        season_id=r.season.id,
        time_zone=r.office.time_zone,
        seats=[
            SeatOut(
                candidate_id=c.id,
                name=c.name,
                reference_number=a.reference_number or "",
                slot_id=s.id,
                panel_code=codes[s.panel_id],
                office_time=clock(s.starts_at, r.office.time_zone),
                candidate_time=clock(s.starts_at, r.candidate(a).zone),
                candidate_zone=r.candidate(a).zone,
            )
            for a, c, s in plan.seats
        ],
        unseated=[
            UnseatedOut(
                candidate_id=c.id,
                name=c.name,
                reference_number=a.reference_number or "",
                reason=why,
            )
            for a, c, why in plan.unseated
        ],
        plan=plan.fingerprint,
    )


def preview_assignment(
    sessions: Sessions, actor: Actor, office_id: int, season_id: int | None = None
) -> AssignmentOut:
    """Who would get which free slot (booking still open, no conflicted assessor, a remote
    candidate's waking hours), and who would stay without one and why. Nothing is written."""
    with sessions() as session:
        office, season = office_season(session, actor, office_id, season_id)
        r = load_round(session, office, season)
        return _assignment_out(r, _plan(r, utc_now()))


def confirm_assignment(
    sessions: Sessions, actor: Actor, office_id: int, season_id: int, plan: str
) -> AssignmentOut:
    """Book the previewed plan, all or nothing: if the plan is no longer what was shown (a
    candidate booked, a slot went), 409 and the office previews again. Each candidate is told."""
    with sessions.begin() as session:
        office, season = office_season(session, actor, office_id, season_id)
        refuse_unless_open(season)
        r = load_round(session, office, season)
        now = utc_now()
        found = _plan(r, now)
        if found.fingerprint != plan:
            raise StaleError(
                Message(N_("The plan changed since you previewed it: look at it again.")), "plan"
            )
        for application, candidate, slot in found.seats:
            passed = list(reminders_passed(r.slot(slot), now=now, rules=rules()))
            done = repo.book_slot(
                session,
                slot.id,
                candidate.id,
                by=actor.user_id,
                at=now,
                moves=0,
                reminders_sent=passed,
            )
            if done is not Booked.BOOKED:
                raise StaleError(
                    Message(N_("The plan changed since you previewed it: look at it again.")),
                    "plan",
                )
            record_audit(
                session,
                actor,
                "interview.assigned",
                "interview_slot",
                slot.id,
                None,
                {"candidate_id": candidate.id, "starts_at": slot.starts_at.isoformat()},
                tenant_id=office.programme_id,
            )
            tell_booking(session, r, application, slot, kind="interview_booked")
        return _assignment_out(r, found)


# -- the office moves a booking -------------------------------------------------------------------


def reschedule(
    sessions: Sessions, actor: Actor, office_id: int, season_id: int, body: RescheduleIn
) -> PlannerOut:
    """Move a candidate's booking to another free slot of the office (a clash, a panel
    change): with a reason, audited, the candidate told. It does not count as one of the
    candidate's own moves; a conflicted panel or a remote candidate's night is still refused."""
    reason = body.reason.strip()
    if not reason:
        raise RuleError(Message(N_("Say why the interview moves.")), "reason")
    with sessions.begin() as session:
        office, season = office_season(session, actor, office_id, season_id)
        refuse_unless_open(season)
        r = load_round(session, office, season)
        application = next((a for a, c in r.heard if c.id == body.candidate_id), None)
        held = next((s for s in r.slots if s.candidate_id == body.candidate_id), None)
        target = next((s for s in r.slots if s.id == body.slot_id), None)
        if application is None or held is None or target is None:
            raise NotFoundError("booking")
        now = utc_now()
        if target.candidate_id is not None or target.starts_at <= now:
            raise StaleError(
                Message(N_("This slot is no longer free: choose another one.")), "slot_id"
            )
        if not r.open_to(application, target):
            raise RuleError(
                Message(N_("This slot is not open to this candidate: choose another one.")),
                "slot_id",
            )
        if not repo.release_slot(session, held.id, body.candidate_id, body.version):
            raise stale_record()
        passed = list(reminders_passed(r.slot(target), now=now, rules=rules()))
        done = repo.book_slot(
            session,
            target.id,
            body.candidate_id,
            by=actor.user_id,
            at=now,
            moves=held.moves,  # only the candidate's own moves count
            reminders_sent=passed,
        )
        if done is not Booked.BOOKED:
            raise StaleError(
                Message(N_("This slot is no longer free: choose another one.")), "slot_id"
            )
        record_audit(
            session,
            actor,
            "interview.rescheduled",
            "interview_slot",
            target.id,
            {"slot_id": held.id, "starts_at": held.starts_at.isoformat()},
            {"slot_id": target.id, "starts_at": target.starts_at.isoformat(), "reason": reason},
            tenant_id=office.programme_id,
        )
        tell_booking(session, r, application, target, kind="interview_moved", reason=reason)
        session.expire_all()
        return planner_out(session, load_round(session, office, season))
