"""TOTP second factor for staff (RFC 6238): enrolment, recovery codes, checking codes, reset.

Staff accounts open every BoE's and company's records, so a stolen password alone must not be
enough. Codes are 6 digits over 30-second steps; one step of clock drift either way is
accepted, and a step once accepted is never accepted again (`users.totp_last_step`), so a code
read over someone's shoulder is useless. Recovery codes stand in for a lost phone; only their
SHA-256 is stored and each works once.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

import pyotp
import segno
from pydantic import BaseModel
from sqlalchemy.orm import Session

from altmatch.clock import utc_now
from altmatch.db import Sessions
from altmatch.db import accounts as repo
from altmatch.db.models import User
from altmatch.domain.access import AccessDeniedError, Actor, NotFoundError, Role, require_operator
from altmatch.i18n import N_, Message
from altmatch.services.accounts.users import normalise_email
from altmatch.services.kernel.audit import record_audit
from altmatch.services.kernel.errors import RuleError

STAFF_ROLES = frozenset({Role.ADMIN, Role.COORDINATOR, Role.BOE_STAFF, Role.COMPANY_STAFF})
# Who may (or under `staff_two_factor=required`, must) sign in with a second factor: staff, and
# assessors, who read applicants' statements of purpose and score them. Assessors are not staff
# otherwise (StaffGate keeps them out of staff pages).
TWO_FACTOR_ROLES = STAFF_ROLES | {Role.ASSESSOR}
STEP_SECONDS = 30
DRIFT_STEPS = 1  # a phone's clock a little fast or slow still works
RECOVERY_CODE_COUNT = 10
ISSUER = "altmatch"
_SECRET_LENGTH = 32  # base32 characters: 160 bits, the RFC 4226 recommendation
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
_MAX_CODE_LENGTH = 64
_MAX_SESSION_TOKEN_LENGTH = 128
# Proving the factor in an open session (turning it off, new recovery codes): at most this many
# wrong codes (and failed sign-ins) for the account per window.
PROOF_GUESS_LIMIT = 5
PROOF_GUESS_WINDOW = timedelta(minutes=15)
PROOF_MARK = "two-factor-off"  # the `ip` of its login_attempts rows: no client's address

Factor = Literal["totp", "recovery_code"]


class TwoFactorSetupOut(BaseModel):
    secret: str
    otpauth_uri: str


class TwoFactorOut(BaseModel):
    """A staff member's second factor; `setup` (a fresh secret) only while it is off."""

    enabled: bool
    enabled_at: datetime | None
    recovery_codes_left: int
    required: bool
    setup: TwoFactorSetupOut | None


class RecoveryCodesOut(BaseModel):
    """New recovery codes: shown this once, only their hashes are kept."""

    recovery_codes: list[str]


def is_staff(role: Role) -> bool:
    """Whether the role signs in with a second factor (TWO_FACTOR_ROLES)."""
    return role in TWO_FACTOR_ROLES


def step_at(now: datetime) -> int:
    return int(now.timestamp()) // STEP_SECONDS


def matching_step(secret: str, code: str, now: datetime, last_step: int | None) -> int | None:
    """The time step whose code `code` is (within the drift window, later than `last_step`),
    or None. Compared in constant time."""
    code = "".join(code.split())
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret, interval=STEP_SECONDS)
    current = step_at(now)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if last_step is not None and step <= last_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def new_recovery_codes() -> list[str]:
    """Ten codes like `k7m2p-xq9ha` (50 random bits each)."""
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    return codes


def recovery_code_hash(code: str) -> str:
    """SHA-256 of the code as typed, ignoring case, spaces and dashes."""
    normal = "".join(code.split()).replace("-", "").lower()
    return hashlib.sha256(normal.encode()).hexdigest()


def otpauth_uri(secret: str, email: str) -> str:
    return pyotp.TOTP(secret, interval=STEP_SECONDS).provisioning_uri(
        name=email, issuer_name=ISSUER
    )


def qr_svg(uri: str) -> str:
    """The otpauth URI as an inline SVG QR code (no style attributes: the CSP forbids them)."""
    qr = segno.make(uri, error="m")
    svg: str = qr.svg_inline(scale=4, svgclass="qr", lineclass=None, title="QR")
    return svg


def _staff_user(session: Session, actor: Actor) -> User:
    if not is_staff(actor.role):
        raise AccessDeniedError("two-factor sign-in is for staff")
    user = repo.get_user(session, actor.own_user_id())
    if user is None:
        raise NotFoundError("user")
    return user


def _invalid_code() -> RuleError:
    return RuleError(Message(N_("That code is not right. Check your phone's clock.")), "code")


def two_factor_status(sessions: Sessions, actor: Actor, *, required: bool = False) -> TwoFactorOut:
    """The actor's second factor. While it is off, a secret to set up is kept (made on first
    look), so reloading the page shows the same QR code as the phone scanned."""
    with sessions.begin() as session:
        user = _staff_user(session, actor)
        setup = None
        if user.totp_enabled_at is None:
            if not user.totp_secret:
                user.totp_secret = pyotp.random_base32(_SECRET_LENGTH)
            setup = TwoFactorSetupOut(
                secret=user.totp_secret, otpauth_uri=otpauth_uri(user.totp_secret, user.email)
            )
        left = repo.count_unused_recovery_codes(session, user.id) if setup is None else 0
        return TwoFactorOut(
            enabled=user.totp_enabled_at is not None,
            enabled_at=user.totp_enabled_at,
            recovery_codes_left=left,
            required=required,
            setup=setup,
        )


def _issue_recovery_codes(session: Session, user: User, now: datetime) -> RecoveryCodesOut:
    codes = new_recovery_codes()
    repo.replace_recovery_codes(session, user.id, [recovery_code_hash(c) for c in codes], at=now)
    return RecoveryCodesOut(recovery_codes=codes)


def enable_two_factor(
    sessions: Sessions,
    actor: Actor,
    *,
    code: str,
    keep_token: str | None = None,
    now: datetime | None = None,
) -> RecoveryCodesOut:
    """Switch the second factor on once a code from the phone proves it was set up right.

    Every other session of the account ends (one opened with a stolen password must not
    outlive the new protection); the one `keep_token` opened, the request's own, stays."""
    now = now or utc_now()
    with sessions.begin() as session:
        user = _staff_user(session, actor)
        if user.totp_enabled_at is not None:
            raise RuleError(Message(N_("Two-factor sign-in is already on.")), "code")
        if not user.totp_secret:
            raise RuleError(Message(N_("Open the set-up page first.")), "code")
        step = matching_step(user.totp_secret, code[:_MAX_CODE_LENGTH], now, None)
        if step is None:
            raise _invalid_code()
        user.totp_enabled_at = now
        repo.claim_totp_step(session, user.id, step)
        keep = _session_hash(keep_token)
        revoked = repo.revoke_user_sessions(session, user.id, at=now, keeping_token_hash=keep)
        after = {"sessions_revoked": revoked}
        record_audit(session, actor, "two_factor.enabled", "user", user.id, None, after)
        return _issue_recovery_codes(session, user, now)


def _session_hash(token: str | None) -> str | None:
    """How user_sessions stores a cookie's token (authentication.token_hash, which imports
    this module)."""
    if not token or len(token) > _MAX_SESSION_TOKEN_LENGTH:
        return None
    return hashlib.sha256(token.encode()).hexdigest()


def _enabled_user(session: Session, actor: Actor) -> User:
    user = _staff_user(session, actor)
    if user.totp_enabled_at is None:
        raise RuleError(Message(N_("Two-factor sign-in is off.")), "code")
    return user


def regenerate_recovery_codes(
    sessions: Sessions, actor: Actor, *, code: str = "", now: datetime | None = None
) -> RecoveryCodesOut:
    """A new set of recovery codes; the old ones stop working. Needs a current code from the
    phone or an unused recovery code, like turning the factor off: new codes made with the
    password alone would let whoever stole it switch the factor off with them."""
    now = now or utc_now()
    with sessions.begin() as session:
        user = _enabled_user(session, actor)
        refusal = _second_factor_refusal(session, user, code, now)
        if refusal is None:
            action = "two_factor.recovery_codes_renewed"
            record_audit(session, actor, action, "user", user.id, None, None)
            return _issue_recovery_codes(session, user, now)
    raise refusal


def _turn_off(session: Session, user: User) -> None:
    user.totp_secret = user.totp_enabled_at = user.totp_last_step = None
    repo.delete_recovery_codes(session, user.id)
    repo.delete_sign_in_challenges(session, user.id)


def _second_factor_refusal(
    session: Session, user: User, code: str, now: datetime
) -> RuleError | None:
    """Why `code` (a current code from the phone or an unused recovery code) does not prove
    the account's owner is here, or None if it does. A wrong code is counted like one at
    sign-in (and so against the sign-in delays too), and a session left open cannot guess its
    way through: the caller raises the refusal after the commit, so the count is kept."""
    if not code.strip():
        return RuleError(Message(N_("Enter a current code or a recovery code.")), "code")
    since = now - PROOF_GUESS_WINDOW
    last_success = repo.last_success_at(session, user.email)
    failures, _ = repo.sign_in_failures(
        session, since=max(since, last_success) if last_success else since, email=user.email
    )
    if failures >= PROOF_GUESS_LIMIT:
        return RuleError(Message(N_("Too many wrong codes. Try again later.")), "code")
    if check_second_factor(session, user, code, now) is None:
        repo.add_login_attempt(session, email=user.email, ip=PROOF_MARK, success=False, at=now)
        return _invalid_code()
    return None


def disable_two_factor(
    sessions: Sessions, actor: Actor, *, code: str = "", now: datetime | None = None
) -> None:
    """Turn the second factor off (recovery codes go too). Needs a current code from the phone
    or an unused recovery code: the password alone, perhaps the very thing that was stolen,
    is not enough."""
    now = now or utc_now()
    with sessions.begin() as session:
        user = _enabled_user(session, actor)
        refusal = _second_factor_refusal(session, user, code, now)
        if refusal is None:
            _turn_off(session, user)
            record_audit(session, actor, "two_factor.disabled", "user", user.id, None, None)
            return
    raise refusal


@dataclass(frozen=True)
class ResetOut:
    email: str
    was_enabled: bool


def reset_two_factor(sessions: Sessions, operator: Actor, email: str) -> ResetOut:
    """The operator turns a staff member's second factor off (a lost phone, no recovery codes
    left); they sign in with their password and set it up again."""
    require_operator(operator)
    with sessions.begin() as session:
        user = repo.get_user_by_email(session, normalise_email(email))
        if user is None:
            raise RuleError(Message(N_("There is no account with this email.")), "email")
        was_enabled = user.totp_enabled_at is not None
        _turn_off(session, user)
        before = {"enabled": was_enabled}
        record_audit(
            session,
            None,
            "two_factor.reset",
            "user",
            user.id,
            before,
            {"enabled": False},
            tenant_id=user.organisation_id,
        )
        return ResetOut(email=user.email, was_enabled=was_enabled)


def setup_owed(sessions: Sessions, actor: Actor) -> bool:
    """A staff member without a second factor (what `staff_two_factor=required` shuts out)."""
    if not is_staff(actor.role):
        return False
    with sessions() as session:
        user = repo.get_user(session, actor.own_user_id())
        return user is not None and user.totp_enabled_at is None


def has_two_factor(user: User) -> bool:
    return user.totp_enabled_at is not None and bool(user.totp_secret)


def check_second_factor(session: Session, user: User, code: str, now: datetime) -> Factor | None:
    """Accept a current TOTP code or an unused recovery code (spending it); None if neither."""
    code = code[:_MAX_CODE_LENGTH]
    if user.totp_secret:
        step = matching_step(user.totp_secret, code, now, user.totp_last_step)
        if step is not None:
            return "totp" if repo.claim_totp_step(session, user.id, step) else None
    row = repo.unused_recovery_code(session, user.id, recovery_code_hash(code))
    if row is None or not repo.spend_recovery_code(session, row.id, at=now):
        return None
    left = repo.count_unused_recovery_codes(session, user.id)
    actor = Actor(user_id=user.id, role=Role(user.role), organisation_id=user.organisation_id)
    action = "two_factor.recovery_code_used"
    record_audit(session, actor, action, "user", user.id, None, {"recovery_codes_left": left})
    return "recovery_code"
