"""Organisations (tenants), users, their sign-in sessions, sign-in attempts and the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from altmatch.clock import utc_now
from altmatch.db.base import Base


class Organisation(Base):
    """A tenant: the programme, a Board of Education or a dispatch company.

    `kind` and users' `role` hold the values of `altmatch.domain.access.OrgKind` and `Role`;
    the storage layer keeps plain strings (guarded by CHECK constraints) so it never imports
    the domain.
    """

    __tablename__ = "organisations"
    __table_args__ = (CheckConstraint("kind IN ('programme', 'boe', 'company')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    name_en: Mapped[str] = mapped_column(String(200))
    name_ja: Mapped[str] = mapped_column(String(200))
    prefecture: Mapped[str | None] = mapped_column(String(64))
    municipality: Mapped[str | None] = mapped_column(String(200))
    # The programme a BoE takes part in; its coordinators then see the BoE's data.
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)

    def __repr__(self) -> str:
        return f"Organisation(id={self.id!r}, kind={self.kind!r}, name_en={self.name_en!r})"


class User(Base):
    """Someone who signs in. The email is stored lower-cased, so it is unique whatever the case."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(
            "role IN ('admin', 'coordinator', 'boe_staff', 'company_staff', 'candidate', 'alt', "
            "'assessor')",
            name="role",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, index=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))  # Argon2id; "" = cannot sign in
    role: Mapped[str] = mapped_column(String(16))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    locale: Mapped[str] = mapped_column(String(5))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    disabled: Mapped[bool] = mapped_column(default=False)
    consent_version: Mapped[str | None] = mapped_column(String(32))
    consented_at: Mapped[datetime | None]
    # TOTP second factor (RFC 6238): the base32 secret, when it was confirmed, and the last
    # 30-second step accepted, so one code cannot be used twice.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[datetime | None]
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    # When its holder proved the address is theirs (followed a mailed link), or the account
    # was made by an administrator, who vouches for it. Until then nothing imported for the
    # address is linked to, or shown in, the account.
    email_verified_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"User(id={self.id!r}, role={self.role!r})"  # no email: reprs end up in logs


class UserSession(Base):
    """A server-side sign-in. Only the SHA-256 of the cookie's token is kept, so a copy of the
    database does not let anyone sign in as the users in it."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    last_seen_at: Mapped[datetime] = mapped_column(default=utc_now)


class AuditEntry(Base):
    """One change: who did it, in which tenant, to what, and the values before and after.

    No foreign keys on purpose: the record must outlive the user or organisation it mentions.
    """

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utc_now, index=True)
    actor_user_id: Mapped[int | None] = mapped_column(index=True)
    tenant_id: Mapped[int | None] = mapped_column(index=True)
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str | None] = mapped_column(String(64))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class LoginAttempt(Base):
    """A sign-in attempt, kept in the database so rate limits hold across worker processes."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_email_at", "email", "at"),
        Index("ix_login_attempts_ip_at", "ip", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utc_now)
    email: Mapped[str] = mapped_column(String(254))
    ip: Mapped[str] = mapped_column(String(64))
    success: Mapped[bool]


class RecoveryCode(Base):
    """A one-time code that stands in for the authenticator app; only its SHA-256 is kept."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    used_at: Mapped[datetime | None]


class SignInChallenge(Base):
    """A password accepted, a second factor still owed: the browser holds the token (only its
    hash is kept) for a few minutes and a limited number of tries."""

    __tablename__ = "sign_in_challenges"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    expires_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(default=0)
    used_at: Mapped[datetime | None]


EMAIL_TOKEN_PURPOSES = ("verify", "invite", "taken")


class EmailToken(Base):
    """An account e-mail and its single-use link: the outbox and the token in one row.

    A row is written in the transaction that causes the e-mail (a sign-up, a request for a new
    link, an import), so a rolled-back change sends nothing. Sending it later mints the token:
    only its SHA-256 is kept (`token_hash`), with `expires_at`; a send that fails is claimed
    again by the next run, which mints a new token. `purpose`: `verify` (confirm a new
    account's address), `invite` (an imported application's address that no confirmed account
    holds: `season_candidate_id`), `taken` (someone tried to sign up with the address of
    account `user_id`). `locale` None writes the e-mail in English and Japanese.
    """

    __tablename__ = "email_tokens"
    __table_args__ = (
        CheckConstraint(
            "purpose IN (" + ", ".join(f"'{p}'" for p in EMAIL_TOKEN_PURPOSES) + ")",
            name="purpose",
        ),
        Index("ix_email_tokens_sent_at_created_at", "sent_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[str] = mapped_column(String(8))
    email: Mapped[str] = mapped_column(String(254), index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    season_candidate_id: Mapped[int | None] = mapped_column(
        ForeignKey("season_candidates.id", ondelete="CASCADE"), index=True
    )
    locale: Mapped[str | None] = mapped_column(String(5))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    claimed_at: Mapped[datetime | None]  # a sending run took it (stale claims are taken over)
    sent_at: Mapped[datetime | None]
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime | None]
    used_at: Mapped[datetime | None]
