"""Queries of the interview round's planning and booking (issue 19): an office's panels and
their assessors, sessions and their slots, bookings, declared conflicts (read only) and
reminders. The services decide; the SQL lives here.

Every write a race could hit is one conditional UPDATE: a slot is booked only while
`candidate_id IS NULL`, released only by its holder at the version read, and a reminder is
recorded only at the version read, so two writers (two candidates, two sweeps) never both win.
The unique `candidate_id` of `interview_slots` keeps one slot per application whatever happens.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from altmatch.db.models import (
    InterviewConflict,
    InterviewPanel,
    InterviewSession,
    InterviewSlot,
    OnlineApplication,
    PanelAssessor,
    RecruitingOffice,
    SeasonCandidate,
    SeasonRow,
    User,
)

Member = tuple[int, int, str, str, str]  # panel id, user id, name, e-mail, background

# --- panels and assessors ---------------------------------------------------------------------


def panels_of(session: Session, season_id: int, office_id: int) -> list[InterviewPanel]:
    query = select(InterviewPanel).where(
        InterviewPanel.season_id == season_id, InterviewPanel.office_id == office_id
    )
    return list(session.scalars(query.order_by(InterviewPanel.code)))


def add_panel(session: Session, row: InterviewPanel) -> bool:
    """Insert the panel; False when its code is taken in the season (the unique constraint
    decides, inside a savepoint, so the caller's transaction goes on)."""
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        return False
    return True


def members_of(session: Session, panel_ids: Sequence[int]) -> list[Member]:
    if not panel_ids:
        return []
    query = (
        select(
            PanelAssessor.panel_id,
            User.id,
            User.display_name,
            User.email,
            PanelAssessor.background,
        )
        .join(User, User.id == PanelAssessor.user_id)
        .where(PanelAssessor.panel_id.in_(panel_ids))
        .order_by(PanelAssessor.panel_id, User.display_name)
    )
    return [(p, u, n, e, b) for p, u, n, e, b in session.execute(query)]


def add_member(session: Session, row: PanelAssessor) -> bool:
    """Seat the assessor on the panel; False when they already sit there (the primary key
    decides, inside a savepoint)."""
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        return False
    return True


def remove_member(session: Session, panel_id: int, user_id: int) -> bool:
    result = session.execute(
        delete(PanelAssessor)
        .where(PanelAssessor.panel_id == panel_id, PanelAssessor.user_id == user_id)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0) == 1


def panels_sharing(session: Session, panel_id: int) -> list[int]:
    """The panel and every panel (of any office) on which one of its assessors also sits."""
    mine = select(PanelAssessor.user_id).where(PanelAssessor.panel_id == panel_id)
    query = select(PanelAssessor.panel_id).where(PanelAssessor.user_id.in_(mine)).distinct()
    return sorted({panel_id, *session.scalars(query)})


def user_by_email(session: Session, email: str) -> User | None:
    query = select(User).where(func.lower(User.email) == email.strip().lower())
    return session.scalars(query).one_or_none()


# --- sessions and slots -----------------------------------------------------------------------


def sessions_of(session: Session, panel_ids: Sequence[int]) -> list[InterviewSession]:
    if not panel_ids:
        return []
    query = select(InterviewSession).where(InterviewSession.panel_id.in_(panel_ids))
    return list(session.scalars(query.order_by(InterviewSession.day, InterviewSession.starts)))


def slots_of(session: Session, panel_ids: Sequence[int]) -> list[InterviewSlot]:
    """The panels' slots in time order (then by panel)."""
    if not panel_ids:
        return []
    query = select(InterviewSlot).where(InterviewSlot.panel_id.in_(panel_ids))
    return list(
        session.scalars(
            query.order_by(InterviewSlot.starts_at, InterviewSlot.panel_id, InterviewSlot.id)
        )
    )


def slot_of_candidate(session: Session, candidate_id: int) -> InterviewSlot | None:
    query = select(InterviewSlot).where(InterviewSlot.candidate_id == candidate_id)
    return session.scalars(query).one_or_none()


def delete_unbooked_session(session: Session, session_id: int) -> bool:
    """Delete the session and its slots if none is booked: the free slots go first (a booking
    racing this waits for, then skips, them), and a booked one left behind refuses (False:
    the caller rolls back)."""
    session.execute(
        delete(InterviewSlot)
        .where(InterviewSlot.session_id == session_id, InterviewSlot.candidate_id.is_(None))
        .execution_options(synchronize_session=False)
    )
    left = session.scalar(
        select(func.count())
        .select_from(InterviewSlot)
        .where(InterviewSlot.session_id == session_id)
    )
    if left:
        return False
    session.execute(
        delete(InterviewSession)
        .where(InterviewSession.id == session_id)
        .execution_options(synchronize_session=False)
    )
    return True


class Booked(StrEnum):
    """What a conditional booking did."""

    BOOKED = "booked"
    TAKEN = "taken"  # someone holds the slot (or it is gone)
    HOLDS_ANOTHER = "holds_another"  # the application already holds a slot (unique index)


def book_slot(
    session: Session,
    slot_id: int,
    candidate_id: int,
    *,
    by: int | None,
    at: datetime,
    moves: int,
    reminders_sent: list[int],
) -> Booked:
    """Book the slot for the application in one conditional UPDATE (`candidate_id IS NULL`);
    the unique index on `candidate_id` refuses a second slot for one application. Inside a
    savepoint, so a refusal leaves the caller's transaction usable."""
    try:
        with session.begin_nested():
            result = session.execute(
                update(InterviewSlot)
                .where(InterviewSlot.id == slot_id, InterviewSlot.candidate_id.is_(None))
                .values(
                    candidate_id=candidate_id,
                    booked_at=at,
                    booked_by=by,
                    moves=moves,
                    reminders_sent=reminders_sent,
                    version=InterviewSlot.version + 1,
                )
                .execution_options(synchronize_session=False)
            )
    except IntegrityError:
        return Booked.HOLDS_ANOTHER
    return Booked.BOOKED if int(getattr(result, "rowcount", 0) or 0) == 1 else Booked.TAKEN


def release_slot(session: Session, slot_id: int, candidate_id: int, version: int) -> bool:
    """Free the application's slot if it still holds it at `version` (compare-and-swap)."""
    result = session.execute(
        update(InterviewSlot)
        .where(
            InterviewSlot.id == slot_id,
            InterviewSlot.candidate_id == candidate_id,
            InterviewSlot.version == version,
        )
        .values(
            candidate_id=None,
            booked_at=None,
            booked_by=None,
            moves=0,
            reminders_sent=[],
            version=InterviewSlot.version + 1,
        )
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0) == 1


# --- who may be heard -------------------------------------------------------------------------


def screened_in(
    session: Session, season_id: int, office_id: int, stages: Sequence[str]
) -> list[tuple[OnlineApplication, SeasonCandidate]]:
    """The office's submitted online applications whose season application is at one of
    `stages`, by reference number."""
    query = (
        select(OnlineApplication, SeasonCandidate)
        .join(SeasonCandidate, SeasonCandidate.id == OnlineApplication.candidate_id)
        .where(
            OnlineApplication.season_id == season_id,
            OnlineApplication.office_id == office_id,
            OnlineApplication.status == "submitted",
            SeasonCandidate.stage.in_(stages),
        )
        .order_by(OnlineApplication.reference_number, OnlineApplication.id)
    )
    return [(a, c) for a, c in session.execute(query)]


def application_of_candidate(session: Session, candidate_id: int) -> OnlineApplication | None:
    query = select(OnlineApplication).where(OnlineApplication.candidate_id == candidate_id)
    return session.scalars(query).first()


def conflicts_of(session: Session, candidate_ids: Sequence[int]) -> list[tuple[int, int]]:
    """Declared conflicts (assessor user id, candidate id) concerning these applications."""
    if not candidate_ids:
        return []
    query = select(InterviewConflict.assessor_id, InterviewConflict.candidate_id).where(
        InterviewConflict.candidate_id.in_(candidate_ids)
    )
    return [(a, c) for a, c in session.execute(query)]


# --- reminders --------------------------------------------------------------------------------


def booked_between(session: Session, start: datetime, end: datetime) -> list[InterviewSlot]:
    """Booked slots starting after `start` and by `end` (the reminders' horizon)."""
    query = select(InterviewSlot).where(
        InterviewSlot.candidate_id.is_not(None),
        InterviewSlot.starts_at > start,
        InterviewSlot.starts_at <= end,
    )
    return list(session.scalars(query.order_by(InterviewSlot.starts_at, InterviewSlot.id)))


def record_reminder(
    session: Session, slot_id: int, candidate_id: int, version: int, sent: list[int]
) -> bool:
    """Record the reminders sent if the slot is unchanged since it was read (same holder, same
    version): two sweeps reading it at once never both send."""
    result = session.execute(
        update(InterviewSlot)
        .where(
            InterviewSlot.id == slot_id,
            InterviewSlot.candidate_id == candidate_id,
            InterviewSlot.version == version,
        )
        .values(reminders_sent=sent, version=InterviewSlot.version + 1)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0) == 1


def office_of_panel(session: Session, panel_id: int) -> RecruitingOffice | None:
    query = (
        select(RecruitingOffice)
        .join(InterviewPanel, InterviewPanel.office_id == RecruitingOffice.id)
        .where(InterviewPanel.id == panel_id)
    )
    return session.scalars(query).one_or_none()


def open_seasons_of(session: Session, programme_id: int) -> list[SeasonRow]:
    query = select(SeasonRow).where(
        SeasonRow.programme_id == programme_id, SeasonRow.status == "open"
    )
    return list(session.scalars(query.order_by(SeasonRow.id)))


def candidate_names(session: Session, candidate_ids: Sequence[int]) -> dict[int, tuple[str, str]]:
    """Season application id -> (name, online reference number or external id)."""
    if not candidate_ids:
        return {}
    query = (
        select(
            SeasonCandidate.id,
            SeasonCandidate.name,
            SeasonCandidate.external_id,
            OnlineApplication.reference_number,
        )
        .outerjoin(OnlineApplication, OnlineApplication.candidate_id == SeasonCandidate.id)
        .where(SeasonCandidate.id.in_(candidate_ids))
    )
    return {i: (n, r or e) for i, n, e, r in session.execute(query)}
