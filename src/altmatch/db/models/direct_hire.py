"""Direct hire: a BoE's postings, the applications to them with their stage history, and the
employment contract a hire becomes (an `EmploymentContract` with path "direct_hire")."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from altmatch.clock import utc_now
from altmatch.db.base import Base

POSTING_STATUSES = ("open", "closed")
HIRING_STAGES = ("applied", "screening", "interview", "offered", "hired", "rejected", "withdrawn")
JLPT_LEVELS = ("none", "N5", "N4", "N3", "N2", "N1")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Posting(Base):
    """A BoE's opening for a directly hired ALT: requirements, pay (within the rulebook's range
    when posted), benefits, start date and closing date."""

    __tablename__ = "postings"
    __table_args__ = (
        CheckConstraint(_in("status", POSTING_STATUSES), name="status"),
        CheckConstraint(_in("min_jlpt", JLPT_LEVELS), name="min_jlpt"),
        CheckConstraint("openings >= 1", name="openings"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    boe_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    title_en: Mapped[str] = mapped_column(String(200))
    title_ja: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    school_levels: Mapped[list[str]] = mapped_column(JSON)
    openings: Mapped[int] = mapped_column(default=1)
    min_alt_years: Mapped[int] = mapped_column(default=0)
    min_jlpt: Mapped[str] = mapped_column(String(4), default="none")
    requires_residence_in_japan: Mapped[bool] = mapped_column(default=True)
    allowed_statuses: Mapped[list[str]] = mapped_column(JSON, default=list)  # empty: any
    requires_driving_licence: Mapped[bool] = mapped_column(default=False)
    monthly_pay: Mapped[int]  # yen
    benefits: Mapped[list[str]] = mapped_column(JSON, default=list)  # rulebook benefit ids
    start: Mapped[date]
    closes_on: Mapped[date]
    status: Mapped[str] = mapped_column(String(8), default="open")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class PostingApplication(Base):
    """Someone's application to a posting: the facts they declared when applying (checked
    against the requirements then, verified by the BoE at screening) and the current stage."""

    __tablename__ = "posting_applications"
    __table_args__ = (
        UniqueConstraint("posting_id", "user_id", name="uq_posting_applications_applicant"),
        CheckConstraint(_in("stage", HIRING_STAGES), name="stage"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    posting_id: Mapped[int] = mapped_column(
        ForeignKey("postings.id", ondelete="CASCADE"), index=True
    )
    # NULL once the applicant deleted their account (a hire's application is kept, unlinked).
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    declared: Mapped[dict[str, Any]] = mapped_column(JSON)
    cover_note: Mapped[str] = mapped_column(Text, default="")
    stage: Mapped[str] = mapped_column(String(16), default="applied")
    contract_id: Mapped[int | None] = mapped_column(
        ForeignKey("employment_contracts.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class PostingStageChange(Base):
    """One move of an application from stage to stage, by whom, with an optional note."""

    __tablename__ = "posting_stage_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("posting_applications.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(default=utc_now)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    from_stage: Mapped[str | None] = mapped_column(String(16))
    to_stage: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
