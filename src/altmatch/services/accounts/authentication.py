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
    """How long a session lasts, how failed sign-ins slow down further tries, and how many
    sign-ups are allowed.

    A client (an IP address) has a hard limit: `max_failures_per_ip` failures within `window`.
    An email address is never locked: after `max_failures_per_email` failures (counted since
    its last success, over `failure_memory`), each further try must wait `first_delay`,
    doubling with every further failure up to `window`, after the last failure; a right
    password after the wait signs in. So nobody can lock an owner out for good, and a guesser
    gets about one try per `window` for the address.
    """

    session_lifetime: timedelta = timedelta(hours=12)
    window: timedelta = timedelta(minutes=15)
    max_failures_per_email: int = 5
    max_failures_per_ip: int = 20
    first_delay: timedelta = timedelta(seconds=30)
    failure_memory: timedelta = timedelta(hours=24)
    sign_up_window: timedelta = timedelta(hours=1)
    max_sign_ups_per_email: int = 3
    max_sign_ups_per_ip: int = 10

    def address_delay(self, failures: int) -> timedelta:
        """How long after its last failure an address with `failures` recent failures waits."""
        extra = failures - self.max_failures_per_email
        if extra < 0:
            return timedelta(0)
        return min(self.window, self.first_delay * (1 << min(extra, 32)))

    @classmethod
    def from_settings(cls, settings: Settings) -> SignInPolicy:
        return cls(
            session_lifetime=timedelta(hours=settings.session_lifetime_hours),
            window=timedelta(minutes=settings.login_window_minutes),
            max_failures_per_email=settings.login_max_failures_per_email,
            max_failures_per_ip=settings.login_max_failures_per_ip,
            sign_up_window=timedelta(minutes=settings.sign_up_window_minutes),
            max_sign_ups_per_email=settings.sign_up_max_per_email,
            max_sign_ups_per_ip=settings.sign_up_max_per_ip,
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


class SignUpLimitedError(RateLimitedError):
    """Too many sign-ups lately for this address or from this client."""

    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__(retry_after_seconds)
        minutes = max(1, math.ceil(retry_after_seconds / 60))
        self.message = Message(
            N_("Too many sign-ups. Try again in {minutes} minutes."), {"minutes": minutes}
        )


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


@dataclass(frozen=True)
class _Limits:
    """Where an address and a client stand against the limits before an attempt."""

    wait: int  # seconds until a try is allowed (0: now)
    email_failures: int
    ip_failures: int


def _seconds(waits: list[timedelta]) -> int:
    positive = [w for w in waits if w > timedelta(0)]
    return max(1, math.ceil(max(positive).total_seconds())) if positive else 0


def _limits(session: Session, email: str, ip: str, policy: SignInPolicy, now: datetime) -> _Limits:
    """The client's hard limit and the address's growing delay (a success clears the
    address's count; refused tries are not attempts and count for nothing)."""
    waits = []
    ip_times = repo.failure_times(session, since=now - policy.window, ip=ip)
    if len(ip_times) >= policy.max_failures_per_ip:  # allowed once enough leave the window
        oldest = ip_times[len(ip_times) - policy.max_failures_per_ip]
        waits.append(oldest + policy.window - now)
    since = now - policy.failure_memory
    last_success = repo.last_success_at(session, email)
    count, last_failure = repo.sign_in_failures(
        session, since=max(since, last_success) if last_success else since, email=email
    )
    if last_failure is not None and count >= policy.max_failures_per_email:
        waits.append(last_failure + policy.address_delay(count) - now)
    return _Limits(wait=_seconds(waits), email_failures=count, ip_failures=len(ip_times))


def _record_failure(
    session: Session,
    limits: _Limits,
    *,
    email: str,
    ip: str,
    user_id: int | None,
    policy: SignInPolicy,
    now: datetime,
) -> None:
    """Note a failed attempt for the limits. The audit log gets one entry when the address or
    the client reaches its threshold, not one per attempt: the attempts themselves are in
    login_attempts, and a flood of guesses must not flood the log."""
    repo.add_login_attempt(session, email=email, ip=ip, success=False, at=now)
    if limits.email_failures + 1 == policy.max_failures_per_email:
        after = {"scope": "email", "failures": policy.max_failures_per_email}
        record_audit(session, None, "sign_in.throttled", "user", user_id, None, after)
    if limits.ip_failures + 1 == policy.max_failures_per_ip:
        after = {"scope": "client", "failures": policy.max_failures_per_ip}
        record_audit(session, None, "sign_in.throttled", "user", None, None, after)


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
    Raises RateLimitedError before any password check while the client is over its limit or
    the email must still wait after its last failures (see SignInPolicy), and SignInError for
    a wrong email, password or a disabled account.
    An unknown email costs the same hashing time as a wrong password.
    """
    policy = policy or SignInPolicy()
    now = now or utc_now()
    address = normalise_email(email)
    with sessions.begin() as session:
        limits = _limits(session, address, ip, policy, now)
        if limits.wait:
            refusal: SignInError = RateLimitedError(limits.wait)
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
            entity_id = user.id if user else None
            _record_failure(
                session, limits, email=address, ip=ip, user_id=entity_id, policy=policy, now=now
            )
            disabled = user is not None and check is not None and check.ok
            if disabled:  # the right password: worth an entry (the delays bound how many)
                after = {"reason": "disabled"}
                record_audit(session, None, "sign_in.failed", "user", entity_id, None, after)
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
        elif (limits := _limits(session, user.email, ip, policy, now)).wait:
            refusal = RateLimitedError(limits.wait)
        else:
            factor = check_second_factor(session, user, code, now)
            if factor is not None and not repo.close_sign_in_challenge(session, row.id, at=now):
                factor = None  # a concurrent request answered this challenge first
            if factor is not None:
                repo.add_login_attempt(session, email=user.email, ip=ip, success=True, at=now)
                actor = actor_for(session, user)
                record_audit(session, actor, "sign_in", "user", user.id, None, {"factor": factor})
                return open_session(
                    session, user, policy=policy, now=now, replacing_token=replacing_token
                )
            repo.count_challenge_try(session, row.id)
            _record_failure(
                session, limits, email=user.email, ip=ip, user_id=user.id, policy=policy, now=now
            )
            record_audit(  # the password was right: worth an entry (the delays bound how many)
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


def end_other_sessions(
    session: Session, user_id: int, keep_token: str | None, *, now: datetime
) -> int:
    """Revoke every live session of the user but the one `keep_token` opened (the request's
    own), in the caller's transaction; returns how many ended."""
    keep = token_hash(keep_token) if keep_token and len(keep_token) <= _MAX_TOKEN_LENGTH else None
    return repo.revoke_user_sessions(session, user_id, at=now, keeping_token_hash=keep)


def sign_out_everywhere(sessions: Sessions, actor: Actor, *, now: datetime | None = None) -> int:
    """End every session of the actor's account, this one included; returns how many."""
    now = now or utc_now()
    with sessions.begin() as session:
        user = repo.get_user(session, actor.own_user_id())
        if user is None:
            raise NotFoundError("user")
        revoked = repo.revoke_user_sessions(session, user.id, at=now)
        after = {"sessions_revoked": revoked}
        record_audit(session, actor, "sign_out.everywhere", "user", user.id, None, after)
        return revoked


def limit_sign_ups(
    session: Session, *, email: str, ip: str, policy: SignInPolicy, now: datetime
) -> None:
    """Raise SignUpLimitedError when the address or the client has tried to sign up too often
    within `policy.sign_up_window`; otherwise count this try. Every try counts, whether or
    not the address has an account, so the limit reveals nothing."""
    since = now - policy.sign_up_window
    waits = []
    for times, limit in (
        (repo.sign_up_times(session, since=since, email=email), policy.max_sign_ups_per_email),
        (repo.sign_up_times(session, since=since, ip=ip), policy.max_sign_ups_per_ip),
    ):
        if len(times) >= limit:
            waits.append(times[len(times) - limit] + policy.sign_up_window - now)
    if wait := _seconds(waits):
        raise SignUpLimitedError(wait)
    repo.add_sign_up_attempt(session, email=email, ip=ip, at=now)


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
