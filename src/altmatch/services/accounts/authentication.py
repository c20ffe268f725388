"""Signing in and out: server-side sessions, database-backed rate limits, a second factor for
staff who turned it on, and session lookup."""

from __future__ import annotations

import hashlib
import math
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from altmatch.clock import utc_now
from altmatch.config import Settings
from altmatch.db import Sessions
from altmatch.db import accounts as repo
from altmatch.db.models import User
from altmatch.domain.access import Actor, NotFoundError, OrgKind, Role, require_operator
from altmatch.i18n import N_, Message
from altmatch.services.accounts.passwords import check_password, spend_verification_time
from altmatch.services.accounts.two_factor import check_second_factor, has_two_factor
from altmatch.services.accounts.users import UserOut, normalise_email, user_out
from altmatch.services.kernel.audit import record_audit

_TOKEN_BYTES = 32  # 256 random bits: guessing a live session is hopeless
_MAX_TOKEN_LENGTH = 128
LAST_SEEN_RESOLUTION = timedelta(minutes=1)  # a write per request would be wasted work
CHALLENGE_LIFETIME = timedelta(minutes=5)
CHALLENGE_MAX_TRIES = 3  # then sign in again; wrong codes also count against the rate limits


@dataclass(frozen=True)
class SignInPolicy:
    """How long a session lasts and how many failed sign-ins are tolerated."""

    session_lifetime: timedelta = timedelta(hours=12)
    window: timedelta = timedelta(minutes=15)
    max_failures_per_email: int = 5
    max_failures_per_ip: int = 20

    @classmethod
    def from_settings(cls, settings: Settings) -> SignInPolicy:
        return cls(
            session_lifetime=timedelta(hours=settings.session_lifetime_hours),
            window=timedelta(minutes=settings.login_window_minutes),
            max_failures_per_email=settings.login_max_failures_per_email,
            max_failures_per_ip=settings.login_max_failures_per_ip,
        )


@dataclass(frozen=True)
class SignedIn:
    """A new session. The token goes into the cookie and nowhere else; only its hash is stored."""

    token: str = field(repr=False)
    user: UserOut
    expires_at: datetime


@dataclass(frozen=True)
class SecondFactorNeeded:
    """The password was right but the account has a second factor: no session yet. The
    challenge token (only its hash is stored) goes back with the code to `complete_sign_in`."""

    challenge: str = field(repr=False)
    expires_at: datetime


class SignInError(Exception):
    """Sign-in refused; the message never says whether the email has an account."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.template)
        self.message = message


class RateLimitedError(SignInError):
    """Too many failures lately: try again after `retry_after_seconds`."""

    def __init__(self, retry_after_seconds: int) -> None:
        minutes = max(1, math.ceil(retry_after_seconds / 60))
        super().__init__(
            Message(
                N_("Too many failed sign-ins. Try again in {minutes} minutes."),
                {"minutes": minutes},
            )
        )
        self.retry_after_seconds = retry_after_seconds


class ChallengeExpiredError(SignInError):
    """The challenge is unknown, used, out of tries or too old: start again with the password."""

    def __init__(self) -> None:
        super().__init__(Message(N_("This sign-in has expired. Enter your password again.")))


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def actor_for(session: Session, user: User) -> Actor:
    """The Actor a user's requests run as; coordinators' programme is their own organisation."""
    org = repo.get_organisation(session, user.organisation_id) if user.organisation_id else None
    programme_id = None
    if org is not None:
        programme_id = org.id if org.kind == OrgKind.PROGRAMME else org.programme_id
    return Actor(
        user_id=user.id,
        role=Role(user.role),
        organisation_id=user.organisation_id,
        programme_id=programme_id,
    )


def open_session(
    session: Session,
    user: User,
    *,
    policy: SignInPolicy,
    now: datetime,
    replacing_token: str | None = None,
) -> SignedIn:
    """Start a fresh session in the caller's transaction.

    A token the browser already held is revoked, never reused: someone who planted a cookie
    before the sign-in (session fixation) is left holding a dead one.
    """
    if replacing_token:
        old = repo.get_user_session(session, token_hash(replacing_token))
        if old is not None and old.revoked_at is None:
            old.revoked_at = now
    token = secrets.token_urlsafe(_TOKEN_BYTES)
    expires_at = now + policy.session_lifetime
    repo.add_user_session(
        session,
        token_hash=token_hash(token),
        user_id=user.id,
        created_at=now,
        expires_at=expires_at,
    )
    return SignedIn(token=token, user=user_out(session, user), expires_at=expires_at)


def _retry_after(session: Session, email: str, ip: str, policy: SignInPolicy, now: datetime) -> int:
    """Seconds until a sign-in may be tried again (0: now). A success clears an email's count."""
    since = now - policy.window
    last_success = repo.last_success_at(session, email)
    email_since = max(since, last_success) if last_success else since
    waits = []
    for times, limit in (
        (
            repo.failure_times(session, since=email_since, email=email),
            policy.max_failures_per_email,
        ),
        (repo.failure_times(session, since=since, ip=ip), policy.max_failures_per_ip),
    ):
        if len(times) >= limit:  # allowed again once enough of them leave the window
            waits.append(times[len(times) - limit] + policy.window - now)
    return max(1, math.ceil(max(waits).total_seconds())) if waits else 0


def sign_in(
    sessions: Sessions,
    *,
    email: str,
    password: str,
    ip: str,
    policy: SignInPolicy | None = None,
    replacing_token: str | None = None,
    now: datetime | None = None,
) -> SignedIn | SecondFactorNeeded:
    """Check the password (Argon2id) and open a new session; every attempt is recorded.

    An account with a second factor gets a SecondFactorNeeded instead of a session; the
    password step then counts as neither success nor failure until the code is checked.
    Raises RateLimitedError before any password check once the email or the address has too
    many recent failures, and SignInError for a wrong email, password or a disabled account.
    An unknown email costs the same hashing time as a wrong password.
    """
    policy = policy or SignInPolicy()
    now = now or utc_now()
    address = normalise_email(email)
    with sessions.begin() as session:
        wait = _retry_after(session, address, ip, policy, now)
        if wait:
            record_audit(session, None, "sign_in.refused", "user", None, None, {"reason": "rate"})
            refusal: SignInError = RateLimitedError(wait)
        else:
            user = repo.get_user_by_email(session, address)
            if user is None:
                spend_verification_time(password)
            check = check_password(user.password_hash, password) if user else None
            ok = user is not None and check is not None and check.ok and not user.disabled
            if user is not None and check is not None and ok:
                if check.new_hash:
                    user.password_hash = check.new_hash
                if has_two_factor(user):
                    return _challenge(session, user, now)
                repo.add_login_attempt(session, email=address, ip=ip, success=True, at=now)
                actor = actor_for(session, user)
                record_audit(session, actor, "sign_in", "user", user.id, None, None)
                return open_session(
                    session, user, policy=policy, now=now, replacing_token=replacing_token
                )
            repo.add_login_attempt(session, email=address, ip=ip, success=False, at=now)
            disabled = user is not None and check is not None and check.ok
            reason = "disabled" if disabled else "wrong_credentials"
            entity_id = user.id if user else None
            record_audit(
                session, None, "sign_in.failed", "user", entity_id, None, {"reason": reason}
            )
            refusal = SignInError(
                Message(N_("This account is disabled. Ask your administrator."))
                if disabled
                else Message(N_("Wrong email or password."))
            )
    raise refusal


def _challenge(session: Session, user: User, now: datetime) -> SecondFactorNeeded:
    token = secrets.token_urlsafe(_TOKEN_BYTES)
    expires_at = now + CHALLENGE_LIFETIME
    repo.add_sign_in_challenge(
        session,
        token_hash=token_hash(token),
        user_id=user.id,
        created_at=now,
        expires_at=expires_at,
    )
    record_audit(
        session, actor_for(session, user), "sign_in.challenged", "user", user.id, None, None
    )
    return SecondFactorNeeded(challenge=token, expires_at=expires_at)


def complete_sign_in(
    sessions: Sessions,
    *,
    challenge: str,
    code: str,
    ip: str,
    policy: SignInPolicy | None = None,
    replacing_token: str | None = None,
    now: datetime | None = None,
) -> SignedIn:
    """Check the second factor (a TOTP code or a recovery code) and open the session.

    A wrong code is a failed sign-in for the email and the address (the same rate limits as a
    wrong password) and uses up one of the challenge's few tries. Raises RateLimitedError,
    ChallengeExpiredError, or SignInError for a wrong code.
    """
    policy = policy or SignInPolicy()
    now = now or utc_now()
    if not challenge or len(challenge) > _MAX_TOKEN_LENGTH:
        raise ChallengeExpiredError
    with sessions.begin() as session:
        row = repo.get_sign_in_challenge(session, token_hash(challenge))
        user = repo.get_user(session, row.user_id) if row is not None else None
        if (
            row is None
            or user is None
            or row.used_at is not None
            or row.expires_at <= now
            or row.attempts >= CHALLENGE_MAX_TRIES
            or user.disabled
            or not has_two_factor(user)
        ):
            refusal: SignInError = ChallengeExpiredError()
        elif wait := _retry_after(session, user.email, ip, policy, now):
            record_audit(session, None, "sign_in.refused", "user", None, None, {"reason": "rate"})
            refusal = RateLimitedError(wait)
        else:
            factor = check_second_factor(session, user, code, now)
            if factor is not None and not repo.close_sign_in_challenge(session, row.id, at=now):
                factor = None  # a concurrent request answered this challenge first
            repo.add_login_attempt(
                session, email=user.email, ip=ip, success=factor is not None, at=now
            )
            if factor is not None:
                actor = actor_for(session, user)
                record_audit(session, actor, "sign_in", "user", user.id, None, {"factor": factor})
                return open_session(
                    session, user, policy=policy, now=now, replacing_token=replacing_token
                )
            repo.count_challenge_try(session, row.id)
            record_audit(
                session, None, "sign_in.failed", "user", user.id, None, {"reason": "wrong_code"}
            )
            refusal = SignInError(Message(N_("Wrong code. Try again.")))
    raise refusal


def sign_out(sessions: Sessions, token: str | None, *, now: datetime | None = None) -> None:
    """Revoke the session behind `token`; unknown or already revoked tokens are ignored."""
    if not token or len(token) > _MAX_TOKEN_LENGTH:
        return
    now = now or utc_now()
    with sessions.begin() as session:
        row = repo.get_user_session(session, token_hash(token))
        if row is None or row.revoked_at is not None:
            return
        row.revoked_at = now
        user = repo.get_user(session, row.user_id)
        actor = actor_for(session, user) if user else None
        record_audit(session, actor, "sign_out", "user_session", row.id, None, None)


def resolve_session(
    sessions: Sessions, token: str | None, *, now: datetime | None = None
) -> Actor | None:
    """The Actor behind a session token, or None if it is unknown, expired, revoked or its user
    is disabled. Notes the time it was last used, at most once a minute."""
    if not token or len(token) > _MAX_TOKEN_LENGTH:
        return None
    now = now or utc_now()
    with sessions.begin() as session:
        row = repo.get_user_session(session, token_hash(token))
        if row is None or row.revoked_at is not None or row.expires_at <= now:
            return None
        user = repo.get_user(session, row.user_id)
        if user is None or user.disabled:
            return None
        if now - row.last_seen_at >= LAST_SEEN_RESOLUTION:
            row.last_seen_at = now
        return actor_for(session, user)


def act_as(sessions: Sessions, operator: Actor, email: str) -> Actor:
    """The Actor of the account with `email`, for the operator at the command line (who could
    sign in as anyone from the database anyway): lets server-side tools such as the demo
    seeder go through the same permission checks as the web app."""
    require_operator(operator)
    with sessions() as session:
        user = repo.get_user_by_email(session, normalise_email(email))
        if user is None:
            raise NotFoundError("user")
        return actor_for(session, user)
