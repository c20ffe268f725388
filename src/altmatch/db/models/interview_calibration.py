"""A season's interview calibrations: each upload's summary, its candidates and its assessors.

Every upload of a season's rubric scores adds one `InterviewCalibration` with a row per
application it scored and per assessor; the newest of a season is its current calibration (the
one the match reads), the older ones stay as its history. Warnings are kept as message templates
and parameters, so each reader sees them in their own language.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from altmatch.clock import utc_now
from altmatch.db.base import Base


class InterviewCalibration(Base):
    """One calibration of a season's interview scores: the model's figures and the file's
    fingerprint. `low`..`high` is the rubric's scale the scores were on, which the season maps
    onto its 0-100 interview score (domain.calibrated_scores)."""

    __tablename__ = "interview_calibrations"
    # the current calibration of a season is its newest: looked up by (season, id)
    __table_args__ = (Index("ix_interview_calibrations_season", "season_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("seasons.id", ondelete="CASCADE"))
    model: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))  # of the uploaded file's bytes
    low: Mapped[int]
    high: Mapped[int]
    scores: Mapped[int]
    candidates: Mapped[int]
    assessors: Mapped[int]
    criteria: Mapped[int]
    panels: Mapped[int]
    reliability: Mapped[float | None]
    icc: Mapped[float | None]
    residual_sd: Mapped[float | None]
    connected: Mapped[bool]
    # [{"component", "candidates", "assessors", "panels": [...]}], largest first
    components: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    # [{"assessor_id", "panel_id", "from_component", "to_component"}]
    swaps: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    # [{"template", "params"}]: the model's warnings, rendered when read
    warnings: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    offsets: Mapped[dict[str, float]] = mapped_column(JSON)  # criterion -> offset
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)


class CalibratedCandidate(Base):
    """One application's calibrated interview score in a calibration: on the rubric's scale,
    with its standard error, and mapped onto the season's 0-100 (`match_score`), which the
    match reads. `rank` orders the calibration's candidates by calibrated score, `raw_rank` by
    raw mean (1 = best; equal scores share a rank)."""

    __tablename__ = "calibrated_candidates"

    calibration_id: Mapped[int] = mapped_column(
        ForeignKey("interview_calibrations.id", ondelete="CASCADE"), primary_key=True
    )
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("season_candidates.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    raw_mean: Mapped[float]
    score: Mapped[float]
    se: Mapped[float | None]
    assessors: Mapped[int]
    component: Mapped[int]
    match_score: Mapped[int]
    rank: Mapped[int]
    raw_rank: Mapped[int]


class AssessorSeverityRow(Base):
    """One assessor's severity in a calibration: rubric points below the average assessor of
    their group (negative: lenient), with its standard error."""

    __tablename__ = "assessor_severities"

    calibration_id: Mapped[int] = mapped_column(
        ForeignKey("interview_calibrations.id", ondelete="CASCADE"), primary_key=True
    )
    assessor_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    severity: Mapped[float]
    se: Mapped[float | None]
    candidates: Mapped[int]
    component: Mapped[int]
