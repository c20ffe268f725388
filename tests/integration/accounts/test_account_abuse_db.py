"""Abuse of the account endpoints on both databases (issue 15, items 4-6): sign-up that does not
reveal which emails have accounts and is rate-limited, progressive sign-in delays instead of
lockouts with a bounded audit trail, and the sessions that end when the protection changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from sqlalchemy import func, select

from altmatch.db import Sessions
from altmatch.db.models import AuditEntry, LoginAttempt, User
from altmatch.domain.access import OPERATOR, Actor, OrgKind, Role
from altmatch.services.accounts.authentication import (
    RateLimitedError,
    SignedIn,
    SignInError,
    SignInPolicy,
    SignUpLimitedError,
    resolve_session,
    sign_in,
    sign_out_everywhere,
)
from altmatch.services.accounts.consent import CONSENT_VERSION
from altmatch.services.accounts.my_account import (
    SIGN_UP_ANSWER,
    change_password,
    sign_up_candidate,
)
from altmatch.services.accounts.two_factor import enable_two_factor, two_factor_status
from altmatch.services.accounts.users import create_organisation, create_user
from altmatch.services.kernel.errors import RuleError

pytestmark = pytest.mark.date_sensitive

PASSWORD = "correct horse battery"
EMAIL = "tanaka@kobe.example.jp"
NOW = datetime(2026, 11, 25, 9, 0, 10, tzinfo=UTC)


def staff(sessions: Sessions) -> Actor:
    boe = create_organisation(
        sessions, actor=OPERATOR, kind=OrgKind.BOE, name_en="Kobe", name_ja="神戸"
    )
    user = create_user(
        sessions,
        actor=OPERATOR,
        email=EMAIL,
        display_name="Tanaka Yuki",
        role=Role.BOE_STAFF,
        password=PASSWORD,
        organisation_id=boe.id,
    )
    return Actor(user_id=user.id, role=Role.BOE_STAFF, organisation_id=boe.id)


def signed_in(sessions: Sessions, password: str = PASSWORD, now: datetime = NOW) -> str:
    result = sign_in(sessions, email=EMAIL, password=password, ip="10.0.0.1", now=now)
    assert isinstance(result, SignedIn)
    return result.token


def live(sessions: Sessions, tokens: list[str]) -> list[bool]:
    return [resolve_session(sessions, t, now=NOW) is not None for t in tokens]


def count(sessions: Sessions, model: type[User] | type[AuditEntry] | type[LoginAttempt]) -> int:
    with sessions() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def actions(sessions: Sessions) -> list[str]:
    with sessions() as session:
        return list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def sign_up(sessions: Sessions, email: str, *, ip: str = "10.0.0.9", now: datetime = NOW) -> object:
    return sign_up_candidate(
        sessions,
        email=email,
        display_name="Someone",
        password="another passphrase",
        locale="en",
        consent_version=CONSENT_VERSION,
        ip=ip,
        now=now,
    )


# Sign-up (item 4)


def test_signing_up_with_a_taken_email_answers_alike_and_changes_nothing(
    sessions: Sessions,
) -> None:
    actor = staff(sessions)
    with sessions() as session:
        before = session.get(User, actor.user_id)
        assert before is not None
        old_hash = before.password_hash
    users = count(sessions, User)
    assert sign_up(sessions, EMAIL.upper()) == SIGN_UP_ANSWER
    assert count(sessions, User) == users
    with sessions() as session:
        after = session.get(User, actor.user_id)
        assert after is not None
        assert (after.password_hash, after.role, after.display_name) == (
            old_hash,
            "boe_staff",
            "Tanaka Yuki",
        )
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "user.sign_up_repeated")
        ).one()
    assert (entry.entity_id, entry.tenant_id) == (str(actor.user_id), actor.organisation_id)
    with pytest.raises(SignInError):  # the password the stranger chose opens nothing
        sign_in(sessions, email=EMAIL, password="another passphrase", ip="10.0.0.9", now=NOW)
    assert sign_up(sessions, "new@example.org") == SIGN_UP_ANSWER
    assert count(sessions, User) == users + 1


def test_sign_up_is_limited_per_address_and_per_client(sessions: Sessions) -> None:
    policy = SignInPolicy()
    for n in range(policy.max_sign_ups_per_email):
        sign_up(sessions, "liam@example.org", ip=f"10.0.1.{n}")
    with pytest.raises(SignUpLimitedError) as limited:
        sign_up(sessions, "liam@example.org", ip="10.0.2.1", now=NOW + timedelta(minutes=10))
    assert limited.value.retry_after_seconds == 50 * 60
    sign_up(sessions, "liam@example.org", ip="10.0.2.1", now=NOW + timedelta(hours=1, seconds=1))

    for n in range(policy.max_sign_ups_per_ip):
        sign_up(sessions, f"person{n}@example.org", ip="6.6.6.6")
    with pytest.raises(SignUpLimitedError):
        sign_up(sessions, "one.more@example.org", ip="6.6.6.6")
    assert count(sessions, User) == 1 + policy.max_sign_ups_per_ip
    # Sign-up tries are no failed sign-ins: neither the address nor the client is slowed down.
    sign_in(sessions, email="person0@example.org", password="another passphrase", ip="6.6.6.6")


# Sign-in delays instead of lockouts (item 5)


def test_300_wrong_passwords_leave_the_owner_a_way_in_and_few_audit_entries(
    sessions: Sessions,
) -> None:
    staff(sessions)
    policy = SignInPolicy()
    entries = count(sessions, AuditEntry)
    now, failed, refused = NOW, 0, 0
    for n in range(300):  # from ever-new addresses, so no client limit applies
        now += timedelta(seconds=20)
        try:
            sign_in(
                sessions,
                email=EMAIL,
                password=f"guess {n}",
                ip=f"10.9.{n // 250}.{n % 250}",
                now=now,
            )
        except RateLimitedError:
            refused += 1
        except SignInError:
            failed += 1
    # 5 free tries, then one per growing delay (30 s, 60 s, ... 480 s), then one per 15
    # minutes: over these 100 minutes, 5 + 5 + 6 (not 300, and not a lockout).
    assert failed <= 5 + 5 + (now - NOW) // policy.window + 1 and refused == 300 - failed
    assert count(sessions, AuditEntry) - entries == 1  # one sign_in.throttled, not 300 rows
    assert count(sessions, LoginAttempt) == failed
    with pytest.raises(RateLimitedError) as limited:
        signed_in(sessions, now=now)
    assert limited.value.retry_after_seconds <= policy.window.total_seconds()
    assert signed_in(sessions, now=now + timedelta(seconds=limited.value.retry_after_seconds))


def test_a_client_keeps_its_hard_limit(sessions: Sessions) -> None:
    staff(sessions)
    policy = SignInPolicy()
    for n in range(policy.max_failures_per_ip):
        with pytest.raises(SignInError):
            sign_in(sessions, email=f"guess{n}@x.org", password="x", ip="6.6.6.6", now=NOW)
    with pytest.raises(RateLimitedError) as limited:
        sign_in(sessions, email=EMAIL, password=PASSWORD, ip="6.6.6.6", now=NOW)
    assert limited.value.retry_after_seconds == policy.window.total_seconds()
    assert actions(sessions).count("sign_in.throttled") == 1
    assert signed_in(sessions)  # from elsewhere the owner signs in


# Sessions (item 6)


def test_turning_two_factor_on_ends_the_other_sessions(sessions: Sessions) -> None:
    actor = staff(sessions)
    tokens = [signed_in(sessions) for _ in range(3)]
    setup = two_factor_status(sessions, actor).setup
    assert setup is not None
    code = pyotp.TOTP(setup.secret).at(NOW)
    enable_two_factor(sessions, actor, code=code, keep_token=tokens[1], now=NOW)
    assert live(sessions, tokens) == [False, True, False]


def test_changing_the_password_needs_the_current_one_and_ends_the_other_sessions(
    sessions: Sessions,
) -> None:
    actor = staff(sessions)
    tokens = [signed_in(sessions) for _ in range(3)]
    with pytest.raises(RuleError) as refused:
        change_password(
            sessions, actor, current_password="wrong password", new_password="a new passphrase"
        )
    assert refused.value.field == "current_password"
    with pytest.raises(RuleError) as refused:
        change_password(sessions, actor, current_password=PASSWORD, new_password="short")
    assert refused.value.field == "new_password"
    assert live(sessions, tokens) == [True, True, True]
    ended = change_password(
        sessions,
        actor,
        current_password=PASSWORD,
        new_password="a new passphrase",
        keep_token=tokens[0],
        now=NOW,
    )
    assert ended == 2 and live(sessions, tokens) == [True, False, False]
    with pytest.raises(SignInError):
        signed_in(sessions)
    assert signed_in(sessions, "a new passphrase")
    assert "user.password_changed" in actions(sessions)


def test_signing_out_everywhere_ends_every_session(sessions: Sessions) -> None:
    actor = staff(sessions)
    tokens = [signed_in(sessions) for _ in range(3)]
    assert sign_out_everywhere(sessions, actor, now=NOW) == 3
    assert live(sessions, tokens) == [False, False, False]
    assert "sign_out.everywhere" in actions(sessions)
    assert signed_in(sessions)  # signing in again works
