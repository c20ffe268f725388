"""Support cases: an employed ALT's request for help, routed to whoever is responsible for them,
with its messages (internal notes never shown to the ALT), events (every view and change),
attachments, mediation records, each organisation's routing table, and in-app notifications.

Enum values (categories, urgencies, statuses, route roles) are plain strings guarded by CHECK
constraints, as elsewhere in the storage layer.
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

CATEGORIES = (
    "pay_contract",
    "housing",
    "visa_paperwork",
    "school_relations",
    "health",
    "harassment",
    "emergency",
)
URGENCIES = ("low", "normal", "high")
CASE_STATUSES = ("open", "answered", "resolved")
ROUTE_ROLES = ("supervisor", "section_chief", "programme_adviser", "support_desk", "area_manager")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class SupportRoute(Base):
    """One handler on an organisation's escalation route: level 1 answers first; a breached or
    emergency case reaches the next levels. `role` names the post (a BoE's supervisor, section
    chief or the prefecture's programme adviser; a company's support desk or area manager)."""

    __tablename__ = "support_routes"
    __table_args__ = (
        UniqueConstraint("organisation_id", "role", "user_id", name="uq_support_routes_handler"),
        CheckConstraint(_in("role", ROUTE_ROLES), name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    role: Mapped[str] = mapped_column(String(24))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)


class SupportCase(Base):
    """A case: who opened it, the employment it is about (path and employer), what it is about,
    how urgent, the language wanted, its deadlines on the business calendar, and how far up the
    route it has been escalated (`level`)."""

    __tablename__ = "support_cases"
    __table_args__ = (
        CheckConstraint(_in("category", CATEGORIES), name="category"),
        CheckConstraint(_in("urgency", URGENCIES), name="urgency"),
        CheckConstraint(_in("status", CASE_STATUSES), name="status"),
        CheckConstraint(_in("language", ("en", "ja")), name="language"),
        CheckConstraint(_in("path", ("jet", "dispatch", "direct_hire")), name="path"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # NULL once the ALT deleted their account: the case is then kept, without their words, for
    # the rulebook's retention period (services.personal_data), never cascaded away.
    alt_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    contract_id: Mapped[int | None] = mapped_column(
        ForeignKey("employment_contracts.id", ondelete="SET NULL")
    )
    path: Mapped[str] = mapped_column(String(16))
    employer_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    # For JET: the prefecture's office whose programme adviser is the last escalation level.
    adviser_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    category: Mapped[str] = mapped_column(String(24))
    urgency: Mapped[str] = mapped_column(String(8))
    language: Mapped[str] = mapped_column(String(2))
    subject: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="open")
    level: Mapped[int] = mapped_column(default=1)
    opened_at: Mapped[datetime] = mapped_column(default=utc_now, index=True)
    first_response_due: Mapped[datetime]
    resolution_due: Mapped[datetime]
    first_responded_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    reopened_count: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class SupportCaseHandler(Base):
    """A handler the case has reached: recorded when it opens (level 1, or every level for an
    emergency), escalates, or reaches a level that had nobody routed once the table is filled.
    Who may handle a case comes from these rows, never from today's routing table, so changing
    a route neither grants nor takes away access to a case that already exists."""

    __tablename__ = "support_case_handlers"
    __table_args__ = (
        UniqueConstraint("case_id", "level", "user_id", name="uq_support_case_handlers_handler"),
        CheckConstraint(_in("role", ROUTE_ROLES), name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("support_cases.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    level: Mapped[int]
    role: Mapped[str] = mapped_column(String(24))
    added_at: Mapped[datetime] = mapped_column(default=utc_now)


class CaseMessage(Base):
    """A message on a case; `internal` notes are for handlers only and never shown to the ALT."""

    __tablename__ = "case_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("support_cases.id", ondelete="CASCADE"), index=True
    )
    author_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    internal: Mapped[bool] = mapped_column(default=False)
    at: Mapped[datetime] = mapped_column(default=utc_now)


class CaseEvent(Base):
    """Everything that happened to a case, views included: opened, viewed, answered, escalated,
    status changed, mediation recorded, attachment added. `by_user_id` None: the system."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("support_cases.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(default=utc_now)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(24))
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class CaseAttachment(Base):
    """A file the ALT or a handler attached (size- and type-limited by the rulebook)."""

    __tablename__ = "case_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("support_cases.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(default=utc_now)


class CaseMediation(Base):
    """A dispute brought to a school: its contact, and what was agreed."""

    __tablename__ = "case_mediations"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("support_cases.id", ondelete="CASCADE"), index=True
    )
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id", ondelete="SET NULL"))
    contact_name: Mapped[str] = mapped_column(String(200))
    contact_role: Mapped[str] = mapped_column(String(200), default="")
    agreed: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(default=utc_now)


class Notification(Base):
    """An in-app notice to a user (also e-mailed when SMTP is configured). `message` holds a
    catalog msgid and its parameters, so it is shown in the reader's language."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_id_read_at", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("support_cases.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(24))
    message: Mapped[dict[str, Any]] = mapped_column(JSON)
    # The in-app path the notice points to (e.g. "/my/application"), or None.
    link: Mapped[str | None] = mapped_column(String(300))
    at: Mapped[datetime] = mapped_column(default=utc_now)
    read_at: Mapped[datetime | None]
    emailed_at: Mapped[datetime | None]
    # Set by the process about to send the e-mail, so two processes never send the same notice.
    email_claimed_at: Mapped[datetime | None]
    # Set instead of `emailed_at` when the reader's preferences say not to e-mail this kind.
    email_skipped_at: Mapped[datetime | None]


class NotificationPreference(Base):
    """Whether a user wants notices of one kind group e-mailed as well as shown in the app.
    No row means the default: e-mailed (`altmatch.services.notifications.GROUPS`)."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    kind_group: Mapped[str] = mapped_column(String(24), primary_key=True)
    email: Mapped[bool] = mapped_column(default=True)


class NoticeMarker(Base):
    """That a one-off notice was sent (e.g. "requests locked" to a BoE for a season), so a sweep
    that runs again sends it once: the primary key makes a second insert fail."""

    __tablename__ = "notice_markers"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utc_now)
