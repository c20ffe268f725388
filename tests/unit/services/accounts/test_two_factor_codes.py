"""TOTP second factor: codes at fixed times, the drift window, replay, recovery codes, reset."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyotp
import pytest
from sqlalchemy import select

from altmatch.config import Settings
from altmatch.db import Base, Sessions, make_engine, session_factory
from altmatch.db.models import AuditEntry, LoginAttempt, RecoveryCode, SignInChallenge, User
from altmatch.domain.access import OPERATOR, AccessDeniedError, Actor, OrgKind, Role
from altmatch.services.accounts.authentication import (
    CHALLENGE_LIFETIME,
    CHALLENGE_MAX_TRIES,
    ChallengeExpiredError,
    RateLimitedError,
    SecondFactorNeeded,
    SignedIn,
    SignInError,
    SignInPolicy,
    complete_sign_in,
    resolve_session,
    sign_in,
    token_hash,
)
from altmatch.services.accounts.two_factor import (
    disable_two_factor,
    enable_two_factor,
    matching_step,
    recovery_code_hash,
    regenerate_recovery_codes,
    reset_two_factor,
    setup_owed,
    two_factor_status,
)
from altmatch.services.accounts.users import create_organisation, create_user
from altmatch.services.kernel.errors import RuleError

pytestmark = pytest.mark.date_sensitive

PASSWORD = "correct horse battery"
NOW = datetime(2026, 11, 25, 9, 0, 10, tzinfo=UTC)  # 10 s into a 30 s step
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def code_at(secret: str, when: datetime) -> str:
    return pyotp.TOTP(secret).at(when)


@pytest.fixture
def sessions(tmp_path: Path) -> Iterator[Sessions]:
    engine = make_engine(Settings(data_dir=tmp_path, database_url=""))
    Base.metadata.create_all(engine)
    yield session_factory(engine)
    engine.dispose()


def make_user(sessions: Sessions, role: Role = Role.BOE_STAFF) -> Actor:
    org = None
    if role == Role.BOE_STAFF:
        org = create_organisation(
            sessions, actor=OPERATOR, kind=OrgKind.BOE, name_en="Kobe", name_ja="神戸"
        ).id
    user = create_user(
        sessions,
        actor=OPERATOR,
        email=f"{role.value}@example.org",
        display_name="Tanaka Yuki",
        role=role,
        password=PASSWORD,
        organisation_id=org,
    )
    return Actor(user_id=user.id, role=role, organisation_id=org)


def enrolled(sessions: Sessions, at: datetime = NOW) -> tuple[Actor, str, list[str]]:
    """A BoE staff member with two-factor sign-in on; the secret and recovery codes."""
    actor = make_user(sessions)
    setup = two_factor_status(sessions, actor).setup
    assert setup is not None
    codes = enable_two_factor(sessions, actor, code=code_at(setup.secret, at), now=at)
    return actor, setup.secret, codes.recovery_codes


def challenge(sessions: Sessions, now: datetime = NOW) -> str:
    result = sign_in(sessions, email="boe_staff@example.org", password=PASSWORD, ip="ip", now=now)
    assert isinstance(result, SecondFactorNeeded)
    return result.challenge


def actions(sessions: Sessions) -> list[str]:
    with sessions() as session:
        return list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


# Codes and the drift window


def test_the_rfc_6238_code_of_a_fixed_time_is_accepted_in_its_own_step() -> None:
    step = int(NOW.timestamp()) // 30
    assert matching_step(SECRET, code_at(SECRET, NOW), NOW, None) == step
    assert (
        matching_step(SECRET, code_at(SECRET, NOW)[:3] + " " + code_at(SECRET, NOW)[3:], NOW, None)
        == step
    )


@pytest.mark.parametrize("offset", [-30, 30])
def test_a_clock_one_step_off_either_way_still_works(offset: int) -> None:
    phone_time = NOW + timedelta(seconds=offset)
    expected = int(phone_time.timestamp()) // 30
    assert matching_step(SECRET, code_at(SECRET, phone_time), NOW, None) == expected


@pytest.mark.parametrize("offset", [-60, 60, 3600])
def test_a_code_two_steps_away_is_refused(offset: int) -> None:
    phone_time = NOW + timedelta(seconds=offset)
    assert matching_step(SECRET, code_at(SECRET, phone_time), NOW, None) is None


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "12 34 5x"])
def test_anything_but_six_digits_is_refused(code: str) -> None:
    assert matching_step(SECRET, code, NOW, None) is None


def test_a_step_already_used_is_not_accepted_again() -> None:
    code = code_at(SECRET, NOW)
    step = matching_step(SECRET, code, NOW, None)
    assert step is not None
    assert matching_step(SECRET, code, NOW, step) is None
    assert matching_step(SECRET, code_at(SECRET, NOW - timedelta(seconds=30)), NOW, step) is None


# Enrolment


def test_enrolment_shows_the_same_secret_until_a_code_switches_it_on(sessions: Sessions) -> None:
    actor = make_user(sessions)
    first = two_factor_status(sessions, actor)
    again = two_factor_status(sessions, actor)
    assert first.setup is not None and again.setup == first.setup
    assert not first.enabled
    assert first.setup.otpauth_uri.startswith("otpauth://totp/altmatch:")
    assert len(first.setup.secret) == 32
    with pytest.raises(RuleError):
        enable_two_factor(sessions, actor, code="000000", now=NOW)
    assert setup_owed(sessions, actor)  # nothing switched on yet
    codes = enable_two_factor(sessions, actor, code=code_at(first.setup.secret, NOW), now=NOW)
    assert len(codes.recovery_codes) == len(set(codes.recovery_codes)) == 10
    status = two_factor_status(sessions, actor)
    assert status.enabled and status.setup is None and status.recovery_codes_left == 10
    assert not setup_owed(sessions, actor)
    assert "two_factor.enabled" in actions(sessions)


def test_only_hashes_of_recovery_codes_are_stored(sessions: Sessions) -> None:
    _, _, codes = enrolled(sessions)
    with sessions() as session:
        stored = set(session.scalars(select(RecoveryCode.code_hash)))
    assert stored == {recovery_code_hash(c) for c in codes}
    assert not stored & set(codes)


@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.ALT])
def test_candidates_and_alts_have_no_two_factor_page(sessions: Sessions, role: Role) -> None:
    actor = make_user(sessions, role)
    with pytest.raises(AccessDeniedError):
        two_factor_status(sessions, actor)
    assert not setup_owed(sessions, actor)


# Signing in


def test_a_password_alone_opens_no_session_once_two_factor_is_on(sessions: Sessions) -> None:
    enrolled(sessions)
    result = sign_in(sessions, email="boe_staff@example.org", password=PASSWORD, ip="ip", now=NOW)
    assert isinstance(result, SecondFactorNeeded)
    assert result.expires_at == NOW + CHALLENGE_LIFETIME
    with sessions() as session:
        row = session.scalars(select(SignInChallenge)).one()
        assert row.token_hash == token_hash(result.challenge)  # the token itself is not stored


def test_the_code_completes_the_sign_in_and_cannot_be_used_twice(sessions: Sessions) -> None:
    _, secret, _ = enrolled(sessions)
    later = NOW + timedelta(minutes=2)
    code = code_at(secret, later)
    signed_in = complete_sign_in(
        sessions, challenge=challenge(sessions, later), code=code, ip="ip", now=later
    )
    assert isinstance(signed_in, SignedIn)
    assert resolve_session(sessions, signed_in.token, now=later) is not None
    with pytest.raises(SignInError, match="Wrong code"):
        complete_sign_in(
            sessions,
            challenge=challenge(sessions, later),
            code=code,
            ip="ip",
            now=later + timedelta(seconds=5),
        )


def test_a_recovery_code_works_once(sessions: Sessions) -> None:
    actor, _, codes = enrolled(sessions)
    later = NOW + timedelta(minutes=2)
    typed = codes[0].upper().replace("-", " ")
    complete_sign_in(sessions, challenge=challenge(sessions, later), code=typed, ip="ip", now=later)
    assert two_factor_status(sessions, actor).recovery_codes_left == 9
    with pytest.raises(SignInError, match="Wrong code"):
        complete_sign_in(
            sessions, challenge=challenge(sessions, later), code=codes[0], ip="ip", now=later
        )
    assert "two_factor.recovery_code_used" in actions(sessions)


def test_a_challenge_expires_after_five_minutes(sessions: Sessions) -> None:
    _, secret, _ = enrolled(sessions)
    token = challenge(sessions, NOW + timedelta(minutes=1))
    late = NOW + timedelta(minutes=6, seconds=1)
    with pytest.raises(ChallengeExpiredError):
        complete_sign_in(sessions, challenge=token, code=code_at(secret, late), ip="ip", now=late)


def test_a_challenge_allows_only_a_few_tries(sessions: Sessions) -> None:
    _, secret, _ = enrolled(sessions)
    later = NOW + timedelta(minutes=1)
    token = challenge(sessions, later)
    policy = SignInPolicy(max_failures_per_email=100)
    for _ in range(CHALLENGE_MAX_TRIES):
        with pytest.raises(SignInError, match="Wrong code"):
            complete_sign_in(
                sessions, challenge=token, code="000000", ip="ip", policy=policy, now=later
            )
    with pytest.raises(ChallengeExpiredError):
        complete_sign_in(
            sessions,
            challenge=token,
            code=code_at(secret, later),
            ip="ip",
            policy=policy,
            now=later,
        )


def test_wrong_codes_count_as_failed_sign_ins_for_the_email(sessions: Sessions) -> None:
    enrolled(sessions)
    later = NOW + timedelta(minutes=1)
    policy = SignInPolicy(max_failures_per_email=2)
    for _ in range(2):
        with pytest.raises(SignInError):
            complete_sign_in(
                sessions,
                challenge=challenge(sessions, later),
                code="000000",
                ip="ip",
                policy=policy,
                now=later,
            )
    with sessions() as session:
        failures = session.scalars(select(LoginAttempt).where(LoginAttempt.success.is_(False)))
        assert len(list(failures)) == 2
    with pytest.raises(RateLimitedError):
        sign_in(
            sessions,
            email="boe_staff@example.org",
            password=PASSWORD,
            ip="ip",
            policy=policy,
            now=later,
        )


# Turning it off, new codes, the operator's reset


def test_turning_off_needs_a_current_code_not_the_password(sessions: Sessions) -> None:
    actor, secret, _ = enrolled(sessions)
    later = NOW + timedelta(minutes=1)
    for code in ("", "  ", "000000", PASSWORD):  # the password is no code
        with pytest.raises(RuleError) as refused:
            disable_two_factor(sessions, actor, code=code, now=later)
        assert refused.value.field == "code"
    assert two_factor_status(sessions, actor).enabled
    disable_two_factor(sessions, actor, code=code_at(secret, later), now=later)
    status = two_factor_status(sessions, actor)
    assert not status.enabled and status.setup is not None and status.setup.secret != secret
    with sessions() as session:
        assert list(session.scalars(select(RecoveryCode))) == []
    assert "two_factor.disabled" in actions(sessions)


def test_guessing_codes_to_turn_it_off_stops_after_a_few(sessions: Sessions) -> None:
    actor, secret, codes = enrolled(sessions)
    later = NOW + timedelta(minutes=1)
    for _ in range(5):
        with pytest.raises(RuleError, match="not right"):
            disable_two_factor(sessions, actor, code="000000", now=later)
    with pytest.raises(RuleError, match="Too many wrong codes"):
        disable_two_factor(sessions, actor, code=code_at(secret, later), now=later)
    with pytest.raises(RateLimitedError):  # the wrong codes slow down sign-in as well
        sign_in(sessions, email="boe_staff@example.org", password=PASSWORD, ip="ip", now=later)
    disable_two_factor(sessions, actor, code=codes[0], now=later + timedelta(minutes=16))
    assert not two_factor_status(sessions, actor).enabled


def test_a_recovery_code_turns_it_off_too(sessions: Sessions) -> None:
    actor, _, codes = enrolled(sessions)
    disable_two_factor(sessions, actor, code=codes[0].upper(), now=NOW + timedelta(minutes=1))
    assert not two_factor_status(sessions, actor).enabled


def test_turning_it_on_ends_the_other_sessions_but_this_one(sessions: Sessions) -> None:
    actor = make_user(sessions)
    tokens = []
    for _ in range(3):
        result = sign_in(sessions, email="boe_staff@example.org", password=PASSWORD, ip="ip")
        assert isinstance(result, SignedIn)
        tokens.append(result.token)
    setup = two_factor_status(sessions, actor).setup
    assert setup is not None
    enable_two_factor(
        sessions, actor, code=code_at(setup.secret, NOW), keep_token=tokens[0], now=NOW
    )
    assert resolve_session(sessions, tokens[0], now=NOW) is not None
    assert [resolve_session(sessions, t, now=NOW) for t in tokens[1:]] == [None, None]
    with sessions() as session:
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "two_factor.enabled")
        ).one()
    assert entry.after == {"sessions_revoked": 2}


def test_new_recovery_codes_replace_the_old_ones(sessions: Sessions) -> None:
    actor, _, old = enrolled(sessions)
    with pytest.raises(RuleError):  # the password alone would let a thief make codes
        regenerate_recovery_codes(sessions, actor, code=PASSWORD, now=NOW)
    new = regenerate_recovery_codes(sessions, actor, code=old[1], now=NOW).recovery_codes
    assert not set(old) & set(new)
    later = NOW + timedelta(minutes=1)
    with pytest.raises(SignInError):
        complete_sign_in(
            sessions, challenge=challenge(sessions, later), code=old[0], ip="ip", now=later
        )
    complete_sign_in(
        sessions, challenge=challenge(sessions, later), code=new[0], ip="ip", now=later
    )


def test_the_operators_reset_turns_it_off_and_is_audited(sessions: Sessions) -> None:
    actor, _, _ = enrolled(sessions)
    result = reset_two_factor(sessions, OPERATOR, "BOE_STAFF@example.org")
    assert result.was_enabled
    with sessions() as session:
        user = session.get(User, actor.user_id)
        assert user is not None and user.totp_secret is None and user.totp_enabled_at is None
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "two_factor.reset")
        ).one()
        assert entry.entity_id == str(actor.user_id) and entry.actor_user_id is None
    signed_in = sign_in(sessions, email="boe_staff@example.org", password=PASSWORD, ip="ip")
    assert isinstance(signed_in, SignedIn)
    with pytest.raises(RuleError):
        reset_two_factor(sessions, OPERATOR, "nobody@example.org")
