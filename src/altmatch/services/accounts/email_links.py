"""Proving an e-mail address: single-use links mailed to it, and what following one does.

An account's address counts as confirmed (`users.email_verified_at`) once an administrator has
created the account (they vouch for it) or someone has followed a link mailed to the address.
Sign-up makes an unconfirmed account, and nothing imported for its address is linked to it or
shown in it until it is confirmed (services.identity, services.season.linking); so signing up
first with someone else's address wins nothing.

An unconfirmed account is provisional. Whoever proves the address owns it: signed in to the
account they confirm it, and without its password they may set it up afresh (new name, password
and consent; every session ends and a second factor is dropped), so whoever created it with
an address that was not theirs loses it. A confirmed account is never set up afresh this way.

A link is queued in the transaction that causes it (services.accounts.mail sends it after the
commit) and minted when it is sent; only the SHA-256 of its token is stored. It works once,
for `EmailLinkPolicy.link_lifetime` (an invitation: `invitation_lifetime`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from pydantic import BaseModel
from sqlalchemy.orm import Session

from altmatch.clock import utc_now
from altmatch.config import Settings
from altmatch.db import Sessions
from altmatch.db import accounts as repo
from altmatch.db.models import EmailToken, User
from altmatch.domain.access import Actor, NotFoundError, Role
from altmatch.i18n import N_, Message
from altmatch.services.accounts.authentication import RateLimitedError, actor_for, token_hash
from altmatch.services.accounts.consent import CONSENT_VERSION
from altmatch.services.accounts.passwords import hash_password
from altmatch.services.accounts.users import add_user_in, checked_profile
from altmatch.services.kernel.audit import record_audit
from altmatch.services.kernel.errors import RuleError

MAX_TOKEN_LENGTH = 128  # a minted token is 43 characters; anything longer is not one of ours

Purpose = Literal["verify", "invite", "taken"]
AccountState = Literal["none", "unconfirmed", "confirmed"]


@dataclass(frozen=True)
class EmailLinkPolicy:
    """How long links work (settings), and how often someone may ask for a new one."""

    link_lifetime: timedelta = timedelta(hours=48)
    invitation_lifetime: timedelta = timedelta(days=30)
    resend_window: timedelta = timedelta(hours=1)
    max_links_per_window: int = 3  # confirmation e-mails per account, sign-up's included
    claim_timeout: timedelta = timedelta(minutes=10)  # longer than any batch's SMTP timeouts

    def lifetime(self, purpose: str) -> timedelta:
        return self.invitation_lifetime if purpose == "invite" else self.link_lifetime

    @classmethod
    def from_settings(cls, settings: Settings) -> EmailLinkPolicy:
        return cls(
            link_lifetime=timedelta(hours=settings.email_link_hours),
            invitation_lifetime=timedelta(days=settings.invitation_days),
        )


class EmailLinkError(RuleError):
    """The link is unknown, used, expired or cut short; the reason is not told."""

    def __init__(self) -> None:
        super().__init__(
            Message(
                N_(
                    "This link does not work any more: it was used already, has expired, or "
                    "was cut short. Ask for a new one."
                )
            ),
            "token",
        )


class LinksLimitedError(RateLimitedError):
    """Too many confirmation e-mails for the account lately."""

    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__(retry_after_seconds)
        minutes = max(1, math.ceil(retry_after_seconds / 60))
        self.message = Message(
            N_("You asked for new links too often. Try again in {minutes} minutes."),
            {"minutes": minutes},
        )


# -- queueing, in the transaction that causes the e-mail -----------------------------------------


def queue_verification_in(session: Session, user: User, now: datetime) -> None:
    """A link for `user` to confirm their address, in their language."""
    repo.add_email_token(
        session,
        purpose="verify",
        email=user.email,
        locale=user.locale,
        created_at=now,
        user_id=user.id,
    )


def queue_taken_notice_in(session: Session, user: User, now: datetime) -> None:
    """Tell the address of `user` that someone tried to sign up with it (with a link, while
    the account is unconfirmed)."""
    repo.add_email_token(
        session,
        purpose="taken",
        email=user.email,
        locale=user.locale,
        created_at=now,
        user_id=user.id,
    )


def queue_invitation_in(
    session: Session, *, email: str, season_candidate_id: int, locale: str | None, now: datetime
) -> None:
    """Invite the address of an imported application that no confirmed account holds;
    `locale` None writes it in English and Japanese."""
    repo.add_email_token(
        session,
        purpose="invite",
        email=email,
        locale=locale,
        created_at=now,
        season_candidate_id=season_candidate_id,
    )


# -- reading a link: no change, since mail scanners open links too -------------------------------


class EmailLinkOut(BaseModel):
    """What following a link can do. `valid` False: nothing (it is used, expired or unknown).
    Otherwise `account` says whether the address has an account and whether it is confirmed,
    and `signed_in_as_owner` whether the visitor is signed in to it (then they confirm with
    POST /verify-email); without that they sign in to it, or, unless it is confirmed, set it
    up (POST /verify-email/account)."""

    valid: bool
    purpose: Purpose | None = None
    email: str | None = None
    account: AccountState | None = None
    signed_in_as_owner: bool = False
    expires_at: datetime | None = None


def read_email_link(
    sessions: Sessions, token: str, actor: Actor | None, *, now: datetime | None = None
) -> EmailLinkOut:
    now = now or utc_now()
    with sessions() as session:
        row = _live(session, token, now)
        if row is None:
            return EmailLinkOut(valid=False)
        user = repo.get_user_by_email(session, row.email)
        state: AccountState = (
            "none" if user is None else "confirmed" if user.email_verified_at else "unconfirmed"
        )
        return EmailLinkOut(
            valid=True,
            purpose=row.purpose,
            email=row.email,
            account=state,
            signed_in_as_owner=actor is not None and user is not None and actor.user_id == user.id,
            expires_at=row.expires_at,
        )


def _live(session: Session, token: str, now: datetime) -> EmailToken | None:
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    row = repo.email_token_by_hash(session, token_hash(token))
    if row is None or row.used_at is not None or row.expires_at is None or row.expires_at <= now:
        return None
    return row


def _spend(session: Session, token: str, now: datetime) -> EmailToken:
    """The live link, now used (one conditional update: two requests never both use it)."""
    row = _live(session, token, now)
    if row is None or not repo.spend_email_token(session, row.id, at=now):
        raise EmailLinkError
    return row


# -- following a link, in the caller's transaction (services.identity adds the season step) ------


def confirm_address_in(session: Session, actor: Actor, token: str, now: datetime) -> User:
    """The signed-in account holds the link's address: it is confirmed (again, harmlessly, if
    it was already) and the link is used up."""
    user = repo.get_user(session, actor.own_user_id())
    if user is None:
        raise NotFoundError("user")
    row = _spend(session, token, now)  # a refusal below rolls the spending back
    if row.email != user.email:
        raise RuleError(
            Message(
                N_(
                    "This link was sent to another address. Sign out, then sign in to the "
                    "account of the address it was sent to."
                )
            ),
            "token",
        )
    if user.email_verified_at is None:
        user.email_verified_at = now
        after = {"via": row.purpose}
        record_audit(session, actor, "user.email_verified", "user", user.id, None, after)
    return user


def set_up_account_in(
    session: Session,
    token: str,
    *,
    display_name: str,
    password: str,
    locale: str,
    consent_version: str | None,
    now: datetime,
) -> User:
    """Whoever followed the link holds the address: make a confirmed candidate account for it,
    or take over the unconfirmed one it has (see the module's docstring). Raises RuleError
    when the address's account is confirmed already (sign in to it instead)."""
    if consent_version != CONSENT_VERSION:
        raise RuleError(Message(N_("Please read and accept the consent text.")), "consent")
    name = checked_profile(display_name, password, locale)
    row = _spend(session, token, now)  # a refusal below rolls the spending back
    user = repo.get_user_by_email(session, row.email)
    if user is None:
        user = add_user_in(
            session,
            actor=None,
            email=row.email,
            display_name=name,
            role=Role.CANDIDATE,
            password=password,
            email_verified=True,
            locale=locale,
            consent_version=consent_version,
            now=now,
        )
        after: dict[str, object] = {"consent_version": consent_version, "via": row.purpose}
        record_audit(
            session, actor_for(session, user), "user.consented", "user", user.id, None, after
        )
        return user
    if user.email_verified_at is not None:
        raise RuleError(
            Message(N_("This address has a confirmed account already: sign in to it.")), "token"
        )
    if user.role != Role.CANDIDATE or user.disabled:  # never so made; refused all the same
        raise RuleError(Message(N_("This account is disabled. Ask your administrator.")), "token")
    _take_over(session, user, name, password, locale, consent_version, now)
    after = {"consent_version": consent_version, "via": row.purpose}
    record_audit(session, actor_for(session, user), "user.consented", "user", user.id, None, after)
    return user


def _take_over(
    session: Session,
    user: User,
    name: str,
    password: str,
    locale: str,
    consent_version: str,
    now: datetime,
) -> None:
    """The unconfirmed account becomes the address holder's: whatever its creator set that
    could let them in (password, sessions, second factor) is gone."""
    revoked = repo.revoke_user_sessions(session, user.id, at=now)
    repo.delete_recovery_codes(session, user.id)
    repo.delete_sign_in_challenges(session, user.id)
    user.display_name, user.locale = name, locale
    user.password_hash = hash_password(password)
    user.totp_secret = user.totp_enabled_at = user.totp_last_step = None
    user.consent_version, user.consented_at = consent_version, now
    user.email_verified_at = now
    after = {"sessions_revoked": revoked}
    record_audit(session, actor_for(session, user), "user.taken_over", "user", user.id, None, after)


# -- asking for a new link ------------------------------------------------------------------------


def request_verification(
    sessions: Sessions, actor: Actor, *, policy: EmailLinkPolicy, now: datetime | None = None
) -> str:
    """Queue a new confirmation link for the signed-in account (services.accounts.mail sends
    it); returns the address. At most `policy.max_links_per_window` within `resend_window`,
    the one sign-up sent included (LinksLimitedError)."""
    now = now or utc_now()
    with sessions.begin() as session:
        user = repo.get_user(session, actor.own_user_id())
        if user is None:
            raise NotFoundError("user")
        if user.email_verified_at is not None:
            raise RuleError(Message(N_("Your address is confirmed already.")))
        since = now - policy.resend_window
        times = repo.email_tokens_queued_since(
            session, user_id=user.id, purpose="verify", since=since
        )
        if len(times) >= policy.max_links_per_window:
            oldest = times[len(times) - policy.max_links_per_window]
            wait = oldest + policy.resend_window - now
            raise LinksLimitedError(max(1, math.ceil(wait.total_seconds())))
        queue_verification_in(session, user, now)
        record_audit(session, actor, "user.verification_requested", "user", user.id, None, None)
        return user.email
