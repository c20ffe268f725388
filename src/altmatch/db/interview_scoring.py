"""Queries of the assessors' side of the interview round: the panels a user sits on, their
booked candidates, score sheets, declared conflicts, and a season's submitted sheets for
calibration. Membership of a panel (`panel_assessors`) is what every read here starts from;
the services decide, the SQL lives here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import Session

from altmatch.db.models import (
    InterviewConflict,
    InterviewPanel,
    InterviewSlot,
    OnlineApplication,
    PanelAssessor,
    RecruitingOffice,
    ScoreSheet,
    SeasonCandidate,
    SeasonRow,
)


@dataclass(frozen=True)
class SeatedPanel:
    """A panel the user sits on, with its office and season."""

    panel: InterviewPanel
    office: RecruitingOffice
    season: SeasonRow


@dataclass(frozen=True)
class BookedCandidate:
    """A booked slot of a panel with its candidate, their online application (None for an
    imported application) and the reader's own sheet for them (None: not started)."""

    slot: InterviewSlot
    candidate: SeasonCandidate
    application: OnlineApplication | None
    sheet: ScoreSheet | None


def _not_conflicted(user_id: int):  # type: ignore[no-untyped-def]
    """Slots whose candidate the user has declared no conflict with."""
    return ~exists().where(
        InterviewConflict.assessor_id == user_id,
        InterviewConflict.candidate_id == InterviewSlot.candidate_id,
    )


def seated_panels(session: Session, user_id: int) -> list[SeatedPanel]:
    """Every panel the user sits on, newest season first, then by code."""
    query = (
        select(InterviewPanel, RecruitingOffice, SeasonRow)
        .join(PanelAssessor, PanelAssessor.panel_id == InterviewPanel.id)
        .join(RecruitingOffice, RecruitingOffice.id == InterviewPanel.office_id)
        .join(SeasonRow, SeasonRow.id == InterviewPanel.season_id)
        .where(PanelAssessor.user_id == user_id)
        .order_by(SeasonRow.id.desc(), InterviewPanel.code)
    )
    return [SeatedPanel(p, o, s) for p, o, s in session.execute(query)]


def booked_candidates(
    session: Session, user_id: int, panel_ids: Sequence[int]
) -> list[BookedCandidate]:
    """The booked slots of `panel_ids` in time order, but for candidates the user declared a
    conflict with, each with the user's own sheet."""
    if not panel_ids:
        return []
    query = (
        select(InterviewSlot, SeasonCandidate, OnlineApplication, ScoreSheet)
        .join(SeasonCandidate, SeasonCandidate.id == InterviewSlot.candidate_id)
        .outerjoin(OnlineApplication, OnlineApplication.candidate_id == SeasonCandidate.id)
        .outerjoin(
            ScoreSheet,
            and_(
                ScoreSheet.candidate_id == SeasonCandidate.id,
                ScoreSheet.assessor_id == user_id,
            ),
        )
        .where(InterviewSlot.panel_id.in_(panel_ids), _not_conflicted(user_id))
        .order_by(InterviewSlot.starts_at, InterviewSlot.id)
    )
    return [BookedCandidate(*row) for row in session.execute(query)]


def seat_for_candidate(
    session: Session, user_id: int, candidate_id: int
) -> tuple[SeatedPanel, BookedCandidate] | None:
    """The candidate's booked slot, if it is on a panel the user sits on and the user has
    declared no conflict with them; None otherwise (the caller answers 404)."""
    query = (
        select(InterviewPanel, RecruitingOffice, SeasonRow, InterviewSlot, SeasonCandidate)
        .join(PanelAssessor, PanelAssessor.panel_id == InterviewPanel.id)
        .join(RecruitingOffice, RecruitingOffice.id == InterviewPanel.office_id)
        .join(SeasonRow, SeasonRow.id == InterviewPanel.season_id)
        .join(InterviewSlot, InterviewSlot.panel_id == InterviewPanel.id)
        .join(SeasonCandidate, SeasonCandidate.id == InterviewSlot.candidate_id)
        .where(
            PanelAssessor.user_id == user_id,
            InterviewSlot.candidate_id == candidate_id,
            _not_conflicted(user_id),
        )
    )
    row = session.execute(query).first()
    if row is None:
        return None
    panel, office, season, slot, candidate = row
    return (
        SeatedPanel(panel, office, season),
        BookedCandidate(
            slot,
            candidate,
            online_application_of(session, candidate.id),
            sheet_of(session, candidate.id, user_id),
        ),
    )


def online_application_of(session: Session, candidate_id: int) -> OnlineApplication | None:
    query = select(OnlineApplication).where(OnlineApplication.candidate_id == candidate_id)
    return session.scalars(query.limit(1)).first()


def sheet_of(session: Session, candidate_id: int, user_id: int) -> ScoreSheet | None:
    query = select(ScoreSheet).where(
        ScoreSheet.candidate_id == candidate_id, ScoreSheet.assessor_id == user_id
    )
    return session.scalars(query).first()


def conflicts_of(session: Session, user_id: int) -> int:
    """How many conflicts the user has declared."""
    query = select(func.count()).where(InterviewConflict.assessor_id == user_id)
    return int(session.scalar(query.select_from(InterviewConflict)) or 0)


@dataclass(frozen=True)
class SheetScores:
    """One sheet's scores as calibration reads them."""

    candidate: str  # the application's id in the season (its external id)
    panel: str  # the panel's code
    assessor_id: int
    scores: dict[str, int]
    submitted_at: datetime | None


def season_sheets(session: Session, season_id: int) -> list[SheetScores]:
    """Every sheet of the season's panels (submitted or not), but those of an assessor who has
    since declared a conflict with the candidate: calibration never reads those."""
    conflicted = exists().where(
        InterviewConflict.assessor_id == ScoreSheet.assessor_id,
        InterviewConflict.candidate_id == ScoreSheet.candidate_id,
    )
    query = (
        select(
            SeasonCandidate.external_id,
            InterviewPanel.code,
            ScoreSheet.assessor_id,
            ScoreSheet.scores,
            ScoreSheet.submitted_at,
        )
        .join(SeasonCandidate, SeasonCandidate.id == ScoreSheet.candidate_id)
        .join(InterviewPanel, InterviewPanel.id == ScoreSheet.panel_id)
        .where(InterviewPanel.season_id == season_id, ~conflicted)
        .order_by(ScoreSheet.id)
    )
    return [
        SheetScores(external, code, assessor, dict(scores or {}), submitted)
        for external, code, assessor, scores, submitted in session.execute(query)
    ]


def conflicted_sheets(session: Session, season_id: int) -> int:
    """Sheets of the season left out of calibration because their assessor declared a
    conflict with the candidate."""
    query = (
        select(func.count())
        .select_from(ScoreSheet)
        .join(InterviewPanel, InterviewPanel.id == ScoreSheet.panel_id)
        .join(
            InterviewConflict,
            and_(
                InterviewConflict.assessor_id == ScoreSheet.assessor_id,
                InterviewConflict.candidate_id == ScoreSheet.candidate_id,
            ),
        )
        .where(InterviewPanel.season_id == season_id)
    )
    return int(session.scalar(query) or 0)


# -- the demo's interview round (altmatch.demo.interview_sheets) ----------------------------------


Booking = tuple[InterviewSlot, SeasonCandidate]
Pairs = set[tuple[int, int]]  # (assessor's user id, candidate id)


def season_bookings(session: Session, season_id: int) -> list[Booking]:
    """The season's booked slots with their candidates, in time order."""
    query = (
        select(InterviewSlot, SeasonCandidate)
        .join(InterviewPanel, InterviewPanel.id == InterviewSlot.panel_id)
        .join(SeasonCandidate, SeasonCandidate.id == InterviewSlot.candidate_id)
        .where(InterviewPanel.season_id == season_id)
        .order_by(InterviewSlot.starts_at, InterviewSlot.id)
    )
    return [(slot, candidate) for slot, candidate in session.execute(query)]


def panel_members(session: Session, season_id: int) -> dict[int, list[int]]:
    """Panel id -> the user ids of its assessors (ascending), for the season's panels."""
    query = (
        select(PanelAssessor.panel_id, PanelAssessor.user_id)
        .join(InterviewPanel, InterviewPanel.id == PanelAssessor.panel_id)
        .where(InterviewPanel.season_id == season_id)
        .order_by(PanelAssessor.panel_id, PanelAssessor.user_id)
    )
    members: dict[int, list[int]] = {}
    for panel_id, user_id in session.execute(query):
        members.setdefault(panel_id, []).append(user_id)
    return members


def season_pairs(session: Session, season_id: int) -> tuple[Pairs, Pairs]:
    """(assessor, candidate) pairs of the season with a sheet, and with a declared conflict."""
    candidates = select(SeasonCandidate.id).where(SeasonCandidate.season_id == season_id)
    sheets = select(ScoreSheet.assessor_id, ScoreSheet.candidate_id).where(
        ScoreSheet.candidate_id.in_(candidates)
    )
    conflicts = select(InterviewConflict.assessor_id, InterviewConflict.candidate_id).where(
        InterviewConflict.candidate_id.in_(candidates)
    )
    return (
        {(a, c) for a, c in session.execute(sheets)},
        {(a, c) for a, c in session.execute(conflicts)},
    )
