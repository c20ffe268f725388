"""The interview round (issue 19): panels, their sessions cut into slots, bookings, declared
conflicts of interest and the assessors' score sheets.

A recruiting office plans **panels** for a season (an office's panel code is unique in the
season, because calibration joins panels across offices by it), each with its **assessors**
(users; membership is the recorded fact that lets an assessor see a candidate). A **session**
is one panel's interviews on one day on the office's clock; its **slots** are materialised
when it is planned, so booking a slot is one conditional update (`candidate_id IS NULL`) and a
candidate holds at most one slot in a season (unique `candidate_id`). A **conflict** is an
assessor's declaration about one candidate: their panel never hears that candidate. A **score
sheet** is one assessor's rubric scores for one candidate, saved whole with a version check;
calibration reads the submitted sheets.

`candidate_id` everywhere is the season's application (`season_candidates.id`), the id the
calibration and the match use.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from altmatch.clock import utc_now
from altmatch.db.base import Base

PANEL_MODES = ("in_person", "remote")
ASSESSOR_BACKGROUNDS = ("officer", "former_participant", "educator", "other")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class InterviewPanel(Base):
    """A panel of an office in a season: where it sits and whether it hears by video."""

    __tablename__ = "interview_panels"
    __table_args__ = (
        UniqueConstraint("season_id", "code", name="uq_interview_panels_code"),
        CheckConstraint(_in("mode", PANEL_MODES), name="mode"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("seasons.id", ondelete="CASCADE"), index=True)
    office_id: Mapped[int] = mapped_column(
        ForeignKey("recruiting_offices.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(32))
    room: Mapped[str] = mapped_column(String(200), default="")
    mode: Mapped[str] = mapped_column(String(16), default="in_person")
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class PanelAssessor(Base):
    """An assessor sitting on a panel, with the background the programme asks panels to mix."""

    __tablename__ = "panel_assessors"
    __table_args__ = (CheckConstraint(_in("background", ASSESSOR_BACKGROUNDS), name="background"),)

    panel_id: Mapped[int] = mapped_column(
        ForeignKey("interview_panels.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    background: Mapped[str] = mapped_column(String(32), default="other")
    added_at: Mapped[datetime] = mapped_column(default=utc_now)
    added_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class InterviewSession(Base):
    """One panel's interviews on one day, on the office's wall clock (domain.interview_schedule)."""

    __tablename__ = "interview_sessions"
    __table_args__ = (
        CheckConstraint("minutes > 0 AND gap_minutes >= 0", name="lengths"),
        CheckConstraint("ends > starts", name="order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(
        ForeignKey("interview_panels.id", ondelete="CASCADE"), index=True
    )
    day: Mapped[date]
    starts: Mapped[time]
    ends: Mapped[time]
    minutes: Mapped[int]
    gap_minutes: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class InterviewSlot(Base):
    """One interview of a session, as instants; booked when `candidate_id` is set. `moves`
    counts the candidate's own reschedules; `reminders_sent` the hours-before already sent."""

    __tablename__ = "interview_slots"
    __table_args__ = (
        UniqueConstraint("candidate_id", name="uq_interview_slots_candidate"),
        Index("ix_interview_slots_panel_start", "panel_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("interview_sessions.id", ondelete="CASCADE"), index=True
    )
    panel_id: Mapped[int] = mapped_column(ForeignKey("interview_panels.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    candidate_id: Mapped[int | None] = mapped_column(
        ForeignKey("season_candidates.id", ondelete="SET NULL")
    )
    booked_at: Mapped[datetime | None]
    booked_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    moves: Mapped[int] = mapped_column(default=0)
    reminders_sent: Mapped[list[int]] = mapped_column(JSON, default=list)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class InterviewConflict(Base):
    """An assessor's declared conflict of interest with one candidate (a reason code from the
    rulebook and a note); it bars every panel the assessor sits on from hearing them."""

    __tablename__ = "interview_conflicts"
    __table_args__ = (
        UniqueConstraint("assessor_id", "candidate_id", name="uq_interview_conflicts_pair"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("season_candidates.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text, default="")
    declared_at: Mapped[datetime] = mapped_column(default=utc_now)


class ScoreSheet(Base):
    """One assessor's rubric scores for one candidate heard by their panel: `scores` maps each
    criterion of the rubric to its score; a sheet counts for calibration once submitted."""

    __tablename__ = "interview_score_sheets"
    __table_args__ = (
        UniqueConstraint("candidate_id", "assessor_id", name="uq_interview_score_sheets_pair"),
        Index("ix_interview_score_sheets_panel", "panel_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("season_candidates.id", ondelete="CASCADE"), index=True
    )
    panel_id: Mapped[int] = mapped_column(ForeignKey("interview_panels.id", ondelete="CASCADE"))
    assessor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    scores: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    note: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utc_now)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
