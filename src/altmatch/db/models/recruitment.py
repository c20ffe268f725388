"""Recruiting offices and the online application (issue 19): offices and their screeners,
applications with their documents and references, and screening decisions.

An office belongs to a programme and serves a set of countries (ISO codes); later slices hang
interview days and panels on it. Office staff are programme coordinators who screen for it.
An online application is the applicant's own until submitted; submission creates or updates
the season's SeasonCandidate, which the match reads. Uploaded files are stored in the row
(deferred), like support attachments. A referee's link is stored only as its SHA-256.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from altmatch.clock import utc_now
from altmatch.db.base import Base

APPLICATION_STATUSES = ("draft", "submitted")
DOCUMENT_KINDS = ("degree", "transcript")
DECISIONS = ("screen_in", "screen_out")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class RecruitingOffice(Base):
    """An embassy or consulate recruiting for a programme: the countries it serves, its time
    zone (IANA) and the address applicants write to."""

    __tablename__ = "recruiting_offices"
    __table_args__ = (UniqueConstraint("programme_id", "code", name="uq_recruiting_offices_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(32))
    name_en: Mapped[str] = mapped_column(String(200))
    name_ja: Mapped[str] = mapped_column(String(200))
    countries: Mapped[list[str]] = mapped_column(JSON)
    time_zone: Mapped[str] = mapped_column(String(64))
    email: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)


class OfficeStaff(Base):
    """A programme coordinator who screens for an office."""

    __tablename__ = "office_staff"

    office_id: Mapped[int] = mapped_column(
        ForeignKey("recruiting_offices.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    added_at: Mapped[datetime] = mapped_column(default=utc_now)
    added_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class OnlineApplication(Base):
    """A candidate's online application in a season: a draft, then submitted. `version` is the
    optimistic lock for the applicant's saves and the screeners' decisions alike."""

    __tablename__ = "online_applications"
    __table_args__ = (
        UniqueConstraint("season_id", "user_id", name="uq_online_applications_user"),
        CheckConstraint(_in("status", APPLICATION_STATUSES), name="status"),
        Index("ix_online_applications_queue", "office_id", "status", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("seasons.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    office_id: Mapped[int | None] = mapped_column(
        ForeignKey("recruiting_offices.id", ondelete="SET NULL")
    )
    status: Mapped[str] = mapped_column(String(16), default="draft")
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    statement: Mapped[str] = mapped_column(Text, default="")
    reference_number: Mapped[str | None] = mapped_column(String(40), unique=True)
    submitted_at: Mapped[datetime | None]
    candidate_id: Mapped[int | None] = mapped_column(
        ForeignKey("season_candidates.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class ApplicationDocument(Base):
    """An uploaded degree certificate or transcript; a new upload of a kind replaces the old."""

    __tablename__ = "application_documents"
    __table_args__ = (
        UniqueConstraint("application_id", "kind", name="uq_application_documents_kind"),
        CheckConstraint(_in("kind", DOCUMENT_KINDS), name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("online_applications.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    uploaded_at: Mapped[datetime] = mapped_column(default=utc_now)


class ApplicationReference(Base):
    """A referee the applicant named (slot 1 or 2), their single-use upload link (its SHA-256
    and expiry) and, once received, their letter."""

    __tablename__ = "application_references"
    __table_args__ = (
        UniqueConstraint("application_id", "slot", name="uq_application_references_slot"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("online_applications.id", ondelete="CASCADE"), index=True
    )
    slot: Mapped[int]
    referee_name: Mapped[str] = mapped_column(String(200))
    referee_email: Mapped[str] = mapped_column(String(254))
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime | None]
    requested_at: Mapped[datetime] = mapped_column(default=utc_now)
    requests_sent: Mapped[int] = mapped_column(default=1)
    received_at: Mapped[datetime | None]
    filename: Mapped[str | None] = mapped_column(String(200))
    content_type: Mapped[str | None] = mapped_column(String(100))
    size: Mapped[int | None]
    data: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)


class ScreeningDecision(Base):
    """A screener's decision on a submitted application: in or out, the reason code from the
    rulebook and their own words. The newest is the application's decision."""

    __tablename__ = "screening_decisions"
    __table_args__ = (CheckConstraint(_in("decision", DECISIONS), name="decision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("online_applications.id", ondelete="CASCADE"), index=True
    )
    decision: Mapped[str] = mapped_column(String(16))
    reason_code: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(default=utc_now)
