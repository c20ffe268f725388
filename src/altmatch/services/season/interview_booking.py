"""A candidate books their own interview (issue 19), and the sweep reminds them of it.

An applicant whose online application was screened in sees the free slots of their office's
panels, each on their own clock and the office's, books one and may move it: both close a set
number of hours before the slot, and a booking moves a limited number of times (rulebook
`interview_scheduling`, domain.interview_schedule). A slot whose panel has an assessor who
declared a conflict with them, or a remote slot in their night, is never offered. Only their
own application is reachable: anyone else's is not found.

Booking is one conditional UPDATE; a move releases the held slot at the version the candidate
read and books the new one in the same transaction, so a lost race changes nothing (409).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from altmatch.clock import utc_now
from altmatch.db import Sessions
from altmatch.db import interview_round as repo
from altmatch.db import recruitment as recruitment_repo
from altmatch.db.interview_round import Booked
from altmatch.db.models import InterviewSlot, OnlineApplication, RecruitingOffice, SeasonRow, User
from altmatch.domain.access import Actor, NotFoundError
from altmatch.domain.interview_schedule import (
    BookingRefusal,
    Slot,
    booking_refusal,
    candidate_zone,
    move_refusal,
    reminders_due,
    reminders_passed,
    within_local_hours,
)
from altmatch.i18n import N_, Message, label
from altmatch.services.kernel.audit import record_audit
from altmatch.services.kernel.errors import RuleError, StaleError, stale_record
from altmatch.services.kernel.locking import expect_version, stale_guard
from altmatch.services.notifications import notify
from altmatch.services.season.application_reads import (
    OfficeBriefOut,
    _office_brief,
    _own_required,
    _season,
    clock,
)
from altmatch.services.season.interview_planner import (
    Round,
    load_round,
    rules,
    tell_booking,
)
from altmatch.services.season.time_zones import (
    TimeZoneChoicesOut,
    checked_zone,
    time_zone_choices,
)


class BookIn(BaseModel):
    slot_id: int = Field(ge=1)


class MoveBookingIn(BaseModel):
    slot_id: int = Field(ge=1, description="The slot to move to.")
    version: int = Field(description="The version of the slot you hold, as read.")


class BookingSlotOut(BaseModel):
    id: int
    panel_code: str
    mode: str  # in_person or remote
    room: str
    starts_at: datetime
    ends_at: datetime
    your_time: str  # the start on the candidate's clock
    office_time: str  # and on the office's
    version: int


class MyInterviewOut(BaseModel):
    season_id: int
    season_name: str
    application_id: int
    reference_number: str
    office: OfficeBriefOut | None
    your_zone: str
    office_zone: str
    screened_in: bool  # False: nothing to book yet
    booking: BookingSlotOut | None
    moves_left: int
    move_refusal: BookingRefusal | None  # why the booking cannot move now, if it cannot
    closes_hours: int  # booking and moving close this many hours before a slot
    open_slots: list[BookingSlotOut]
    remote: bool  # heard by video from another zone than the office's: only in their hours
    outside_hours: bool  # the booking now falls outside their hours (they moved): move it
    application_version: int  # to change where they will be (TimeZoneIn)
    time_zones: TimeZoneChoicesOut


class TimeZoneIn(BaseModel):
    time_zone: str = Field(min_length=1, max_length=64, description="An IANA zone name.")
    version: int = Field(description="The version of the application, as read.")


def _mine(
    session: Session, actor: Actor, season_id: int
) -> tuple[SeasonRow, OnlineApplication, Round | None]:
    """The candidate's own submitted application in the season, and its office's round when
    it was screened in (None before)."""
    season = _season(session, actor, season_id)
    row = _own_required(session, actor, season)
    if row.status != "submitted" or row.office_id is None or row.candidate_id is None:
        raise NotFoundError("application")
    office = session.get(RecruitingOffice, row.office_id)
    if office is None:
        raise NotFoundError("application")
    r = load_round(session, office, season)
    heard = any(c.id == row.candidate_id for _, c in r.heard)
    return season, row, r if heard else None


def _slot_out(r: Round, row: InterviewSlot, zone: str) -> BookingSlotOut:
    panel = next(p for p in r.panels if p.id == row.panel_id)
    return BookingSlotOut(
        id=row.id,
        panel_code=panel.code,
        mode=panel.mode,
        room=panel.room,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        your_time=clock(row.starts_at, zone),
        office_time=clock(row.starts_at, r.office.time_zone),
        version=row.version,
    )


def _offered(r: Round, row: OnlineApplication, now: datetime) -> list[InterviewSlot]:
    """Free slots the candidate may book now: booking still open and open to them."""
    return [
        s
        for s in r.slots
        if s.candidate_id is None
        and booking_refusal(r.slot(s), now=now, rules=rules()) is None
        and r.open_to(row, s)
    ]


def _out(
    session: Session, season: SeasonRow, row: OnlineApplication, r: Round | None
) -> MyInterviewOut:
    office = session.get(RecruitingOffice, row.office_id) if row.office_id else None
    zone_office = office.time_zone if office else "Asia/Tokyo"
    zone = candidate_zone(row.answers.get("time_zone"), zone_office)
    book = rules()
    base = {
        "season_id": season.id,
        "season_name": season.name,
        "application_id": row.id,
        "reference_number": row.reference_number or "",
        "office": _office_brief(office) if office else None,
        "office_zone": zone_office,
        "closes_hours": book.booking_closes.hours,
        "your_zone": zone,
        "remote": zone != zone_office,
        "application_version": row.version,
        "time_zones": time_zone_choices(zone_office, list(office.countries) if office else []),
    }
    if r is None:
        return MyInterviewOut(
            **base,
            screened_in=False,
            booking=None,
            moves_left=0,
            move_refusal=None,
            open_slots=[],
            outside_hours=False,
        )
    now = utc_now()
    held = next((s for s in r.slots if s.candidate_id == row.candidate_id), None)
    offered = _offered(r, row, now)
    refusal = None
    if held is not None:  # why it cannot move now (to the first slot offered, if any)
        refusal = move_refusal(
            r.slot(held),
            r.slot(offered[0] if offered else held),
            moves_so_far=held.moves,
            now=now,
            rules=book,
        )
    return MyInterviewOut(
        **base,
        screened_in=True,
        outside_hours=_outside_hours(r, row, held),
        booking=_slot_out(r, held, zone) if held else None,
        moves_left=max(0, book.reschedules.count - held.moves) if held else book.reschedules.count,
        move_refusal=refusal,
        open_slots=[_slot_out(r, s, zone) for s in offered],
    )


def _outside_hours(r: Round, row: OnlineApplication, held: InterviewSlot | None) -> bool:
    """A remote candidate's booking outside their local hours (placed before they moved)."""
    me = r.candidate(row)
    return held is not None and me.remote and not within_local_hours(r.slot(held), me.zone, rules())


def my_interview(sessions: Sessions, actor: Actor, season_id: int) -> MyInterviewOut:
    """The candidate's interview: their booking, or the slots they may book, on their clock."""
    with sessions() as session:
        season, row, r = _mine(session, actor, season_id)
        return _out(session, season, row, r)


def _screened(r: Round | None) -> Round:
    if r is None:
        raise RuleError(
            Message(N_("Interviews are booked once your application has been screened in.")),
            "slot_id",
        )
    return r


def _target(r: Round, slot_id: int) -> InterviewSlot:
    target = next((s for s in r.slots if s.id == slot_id), None)
    if target is None:
        raise NotFoundError("slot")
    return target


def _refuse(refusal: BookingRefusal) -> RuleError:
    """The domain's own words for the refusal (its label), so page and API say the same."""
    return RuleError(Message(label(refusal)), "slot_id")


TAKEN = N_("Someone has just booked this slot: choose another one.")


def book_interview(
    sessions: Sessions, actor: Actor, season_id: int, body: BookIn
) -> MyInterviewOut:
    """Book a free slot of the candidate's office: one slot per application (a second is
    refused: move the booking instead)."""
    with sessions.begin() as session:
        season, row, found = _mine(session, actor, season_id)
        r = _screened(found)
        assert row.candidate_id is not None
        if any(s.candidate_id == row.candidate_id for s in r.slots):
            raise StaleError(
                Message(N_("You already hold an interview slot: move it instead.")), "slot_id"
            )
        target = _target(r, body.slot_id)
        now = utc_now()
        refusal = booking_refusal(
            r.slot(target), now=now, rules=rules(), open_to_candidate=r.open_to(row, target)
        )
        if refusal is not None:
            raise _refuse(refusal)
        passed = list(reminders_passed(r.slot(target), now=now, rules=rules()))
        done = repo.book_slot(
            session,
            target.id,
            row.candidate_id,
            by=actor.user_id,
            at=now,
            moves=0,
            reminders_sent=passed,
        )
        if done is Booked.HOLDS_ANOTHER:
            raise StaleError(
                Message(N_("You already hold an interview slot: move it instead.")), "slot_id"
            )
        if done is Booked.TAKEN:
            raise StaleError(Message(TAKEN), "slot_id")
        record_audit(
            session,
            actor,
            "interview.booked",
            "interview_slot",
            target.id,
            None,
            {"candidate_id": row.candidate_id, "starts_at": target.starts_at.isoformat()},
            tenant_id=season.programme_id,
        )
        tell_booking(session, r, row, target, kind="interview_booked")
        session.expire_all()
        season, row, found = _mine(session, actor, season_id)
        return _out(session, season, row, found)


def move_interview(
    sessions: Sessions, actor: Actor, season_id: int, body: MoveBookingIn
) -> MyInterviewOut:
    """Move the candidate's booking to another free slot: the held slot is released at the
    version read and the new one booked, in one transaction; it counts as one of their moves."""
    with sessions.begin() as session:
        season, row, found = _mine(session, actor, season_id)
        r = _screened(found)
        assert row.candidate_id is not None
        held = next((s for s in r.slots if s.candidate_id == row.candidate_id), None)
        if held is None:
            raise NotFoundError("booking")
        target = _target(r, body.slot_id)
        if target.id == held.id:
            raise RuleError(Message(N_("This is the slot you hold already.")), "slot_id")
        now = utc_now()
        refusal = move_refusal(
            r.slot(held),
            r.slot(target),
            moves_so_far=held.moves,
            now=now,
            rules=rules(),
            open_to_candidate=r.open_to(row, target),
        )
        if refusal is not None:
            raise _refuse(refusal)
        if not repo.release_slot(session, held.id, row.candidate_id, body.version):
            raise stale_record()
        done = repo.book_slot(
            session,
            target.id,
            row.candidate_id,
            by=actor.user_id,
            at=now,
            moves=held.moves + 1,
            reminders_sent=list(reminders_passed(r.slot(target), now=now, rules=rules())),
        )
        if done is not Booked.BOOKED:
            raise StaleError(Message(TAKEN), "slot_id")
        record_audit(
            session,
            actor,
            "interview.moved",
            "interview_slot",
            target.id,
            {"slot_id": held.id, "starts_at": held.starts_at.isoformat()},
            {"slot_id": target.id, "starts_at": target.starts_at.isoformat()},
            tenant_id=season.programme_id,
        )
        tell_booking(session, r, row, target, kind="interview_moved")
        session.expire_all()
        season, row, found = _mine(session, actor, season_id)
        return _out(session, season, row, found)


@stale_guard()
def change_time_zone(
    sessions: Sessions, actor: Actor, season_id: int, body: TimeZoneIn
) -> MyInterviewOut:
    """Say where the candidate will now be for the interview (people move): a compare-and-swap
    on their submitted application's version, audited. A booking stays where it is; when it
    now falls outside their hours the page says so, and the office's staff are told."""
    zone = checked_zone(body.time_zone) or ""
    if not zone:
        raise RuleError(Message(N_("Choose where you will be.")), "time_zone")
    with sessions.begin() as session:
        season, row, found = _mine(session, actor, season_id)
        expect_version(row, body.version)
        office = session.get(RecruitingOffice, row.office_id)
        assert office is not None  # _mine found it
        before = candidate_zone(row.answers.get("time_zone"), office.time_zone)
        row.answers = {**row.answers, "time_zone": zone}
        row.updated_at = utc_now()
        session.flush()
        record_audit(
            session,
            actor,
            "application.time_zone_changed",
            "online_application",
            row.id,
            {"time_zone": before},
            {"time_zone": zone},
            tenant_id=season.programme_id,
        )
        held = (
            next((s for s in found.slots if s.candidate_id == row.candidate_id), None)
            if found
            else None
        )
        if found is not None and held is not None and zone != before:
            _tell_office_of_zone(session, found, row, held, zone)
        session.expire_all()
        season, row, found = _mine(session, actor, season_id)
        return _out(session, season, row, found)


def _tell_office_of_zone(
    session: Session, r: Round, row: OnlineApplication, held: InterviewSlot, zone: str
) -> None:
    """The office's staff hear that a booked candidate is now elsewhere, and whether their
    booking now falls in their night (then someone should move it)."""
    staff = [uid for uid, _, _ in recruitment_repo.office_screeners(session, r.office.id)]
    outside = _outside_hours(r, row, held)
    notify(
        session,
        staff,
        kind="interview_zone_changed",
        message=Message(
            N_(
                "Candidate {reference} will now be in {zone} for their interview at {office_time}"
                " ({when} their time); this is outside their hours: move it."
            )
            if outside
            else N_(
                "Candidate {reference} will now be in {zone} for their interview at {office_time}"
                " ({when} their time)."
            ),
            {
                "reference": row.reference_number or str(row.id),
                "zone": zone,
                "office_time": f"{clock(held.starts_at, r.office.time_zone)}",
                "when": clock(held.starts_at, zone),
            },
        ),
        link=f"/offices/{r.office.id}/interviews?season={r.season.id}",
    )


# -- reminders (the periodic sweep) ---------------------------------------------------------------


def remind_interviews(sessions: Sessions, *, now: datetime | None = None) -> int:
    """Send each booked candidate the reminder now due (domain.reminders_due): recorded in
    `reminders_sent` by a conditional update at the version read, so a reminder goes once even
    when two sweeps run at once. The number sent."""
    at = now or utc_now()
    book = rules()
    horizon = timedelta(hours=max(book.reminders.hours_before, default=0))
    sent = 0
    with sessions.begin() as session:
        for slot in repo.booked_between(session, at, at + horizon):
            assert slot.candidate_id is not None
            due = reminders_due(
                _plain(slot), sent=list(slot.reminders_sent or []), now=at, rules=book
            )
            if not due:
                continue
            done = sorted({*(slot.reminders_sent or []), *due}, reverse=True)
            if not repo.record_reminder(session, slot.id, slot.candidate_id, slot.version, done):
                continue
            application = repo.application_of_candidate(session, slot.candidate_id)
            office = repo.office_of_panel(session, slot.panel_id)
            if application is None or office is None:
                continue
            _remind(session, application, office, slot, due[0])
            sent += 1
    return sent


def _plain(slot: InterviewSlot) -> Slot:
    return Slot(str(slot.panel_id), slot.starts_at, slot.ends_at)


def _remind(
    session: Session,
    application: OnlineApplication,
    office: RecruitingOffice,
    slot: InterviewSlot,
    hours: int,
) -> None:
    zone = candidate_zone(application.answers.get("time_zone"), office.time_zone)
    user = session.get(User, application.user_id)
    notify(
        session,
        [application.user_id],
        kind="interview_reminder",
        message=Message(
            N_(
                "Reminder: your interview with {office} is in {hours} hours, at {when}; at the "
                "office {office_time}."
            ),
            {
                "office": office.name_ja
                if user is not None and user.locale == "ja"
                else office.name_en,
                "hours": hours,
                "when": f"{clock(slot.starts_at, zone)} ({zone})",
                "office_time": f"{clock(slot.starts_at, office.time_zone)} ({office.time_zone})",
            },
        ),
        link=f"/seasons/{application.season_id}/apply/interview",
    )
