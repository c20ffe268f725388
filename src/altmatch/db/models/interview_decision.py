"""The interview round's decision for each application: shortlisted, alternate or not selected.

One row per application the round decided, from the season's current calibration at the time
(`calibration_id`): the figures it was decided on, the cuts, and the reason codes
(domain.shortlist.Reason), so the candidate's result can be told in their own language later.
Deciding again replaces the season's rows.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from altmatch.clock import utc_now
from altmatch.db.base import Base


class InterviewDecision(Base):
    """One application's interview decision; `position` is its place by calibrated score."""

    __tablename__ = "interview_decisions"
    __table_args__ = (
        CheckConstraint(
            "decision IN ('shortlisted', 'alternate', 'not_selected')", name="decision"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("seasons.id", ondelete="CASCADE"), index=True)
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("season_candidates.id", ondelete="CASCADE"), unique=True
    )
    calibration_id: Mapped[int] = mapped_column(
        ForeignKey("interview_calibrations.id", ondelete="CASCADE")
    )
    decision: Mapped[str] = mapped_column(String(16))
    position: Mapped[int]
    alternate_position: Mapped[int | None]
    raw_mean: Mapped[float]
    score: Mapped[float]
    se: Mapped[float | None]
    cut: Mapped[float | None]  # calibrated score of the last shortlisted
    alternate_cut: Mapped[float | None]  # calibrated score of the last alternate
    places: Mapped[int]
    alternates: Mapped[int]
    seed: Mapped[int] = mapped_column(BigInteger)  # of the lottery that broke exact ties
    reasons: Mapped[list[str]] = mapped_column(JSON)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime] = mapped_column(default=utc_now)
