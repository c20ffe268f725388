"""Termly satisfaction surveys of a dispatch company: the rounds it opens, and one invitation
per ALT × school and side (the school's survey of its ALT, the ALT's confidential survey of the
school), which is also the e-mail's outbox row and holds the answers."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from altmatch.clock import utc_now
from altmatch.db.base import Base

SURVEY_KINDS = ("school", "alt")


class SurveyRound(Base):
    """A company's survey round for one school term (`academic_year`, `term` 1-3): the days it
    can be answered (inclusive) and the day its reminders go out. One per company and term."""

    __tablename__ = "survey_rounds"
    __table_args__ = (
        UniqueConstraint("company_id", "academic_year", "term", name="uq_survey_rounds_term"),
        CheckConstraint("term BETWEEN 1 AND 3", name="term"),
        CheckConstraint("opens_on <= closes_on", name="window"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    academic_year: Mapped[int]
    term: Mapped[int]
    opens_on: Mapped[date]
    closes_on: Mapped[date]
    remind_on: Mapped[date]
    opened_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    opened_at: Mapped[datetime] = mapped_column(default=utc_now)


class SurveyInvitation(Base):
    """One survey to answer: `kind` `school` (the school's contact about ALT `alt_id`) or `alt`
    (the ALT about school `school_id`, never shown to the school or its BoE).

    The row is its e-mail's outbox: queued when the round opens, claimed and given a token when
    sent (only the token's SHA-256 is kept; a reminder mints a new one, which replaces it). The
    link works until `expires_at` and only until answered; `answers` maps the rulebook's item
    ids to 1-5, `comment` is free text."""

    __tablename__ = "survey_invitations"
    __table_args__ = (
        UniqueConstraint("round_id", "kind", "alt_id", "school_id", name="uq_survey_invitations"),
        CheckConstraint("kind IN ('school', 'alt')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("survey_rounds.id", ondelete="CASCADE"), index=True
    )
    company_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    alt_id: Mapped[int] = mapped_column(
        ForeignKey("roster_alts.id", ondelete="CASCADE"), index=True
    )
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    position_id: Mapped[int | None] = mapped_column(
        ForeignKey("contract_positions.id", ondelete="SET NULL")
    )
    email: Mapped[str] = mapped_column(String(254))
    recipient_name: Mapped[str] = mapped_column(String(200), default="")
    locale: Mapped[str] = mapped_column(String(5), default="ja")
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime]
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]
    answers: Mapped[dict[str, int] | None] = mapped_column(JSON)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
