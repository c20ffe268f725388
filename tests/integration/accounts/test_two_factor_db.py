"""Two-factor sign-in on the migrated schema of both databases, and a code raced twice."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from sqlalchemy import select

from altmatch.config import Settings
from altmatch.db import Sessions
from altmatch.db.models import RecoveryCode, SignInChallenge, User
from altmatch.domain.access import OPERATOR, Actor, OrgKind, Role
from altmatch.services.accounts.authentication import (
    SecondFactorNeeded,
    SignedIn,
    SignInError,
    complete_sign_in,
    sign_in,
)
from altmatch.services.accounts.two_factor import (
    enable_two_factor,
    reset_two_factor,
    two_factor_status,
)
from altmatch.services.accounts.users import create_organisation, create_user

pytestmark = pytest.mark.date_sensitive

PASSWORD = "correct horse battery"
EMAIL = "tanaka@kobe.example.jp"
NOW = datetime(2026, 11, 25, 9, 0, 10, tzinfo=UTC)


def enrolled(sessions: Sessions) -> tuple[str, list[str]]:
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
    actor = Actor(user_id=user.id, role=Role.BOE_STAFF, organisation_id=boe.id)
    setup = two_factor_status(sessions, actor).setup
    assert setup is not None
    code = pyotp.TOTP(setup.secret).at(NOW)
    return setup.secret, enable_two_factor(sessions, actor, code=code, now=NOW).recovery_codes


def challenge(sessions: Sessions, now: datetime) -> str:
    result = sign_in(sessions, email=EMAIL, password=PASSWORD, ip="10.0.0.1", now=now)
    assert isinstance(result, SecondFactorNeeded)
    return result.challenge


def test_enrolment_sign_in_and_reset_work_on_the_migrated_schema(sessions: Sessions) -> None:
    secret, codes = enrolled(sessions)
    later = NOW + timedelta(minutes=1)
    code = pyotp.TOTP(secret).at(later)
    signed_in = complete_sign_in(
        sessions, challenge=challenge(sessions, later), code=code, ip="10.0.0.1", now=later
    )
    assert isinstance(signed_in, SignedIn)
    complete_sign_in(
        sessions, challenge=challenge(sessions, later), code=codes[0], ip="10.0.0.1", now=later
    )
    with sessions() as session:
        user = session.scalars(select(User).where(User.email == EMAIL)).one()
        assert user.totp_last_step == int(later.timestamp()) // 30
        used = session.scalars(select(RecoveryCode).where(RecoveryCode.used_at.is_not(None)))
        assert len(list(used)) == 1
        assert all(c.used_at for c in session.scalars(select(SignInChallenge)))
    assert reset_two_factor(sessions, OPERATOR, EMAIL).was_enabled
    with sessions() as session:
        assert session.scalars(select(RecoveryCode)).all() == []
        assert session.scalars(select(SignInChallenge)).all() == []


def test_one_code_sent_twice_at_once_opens_one_session(
    sessions: Sessions, settings: Settings
) -> None:
    if settings.database_url.startswith("sqlite"):
        pytest.skip("SQLite runs one writer at a time: there is no race to lose")
    secret, _ = enrolled(sessions)
    later = NOW + timedelta(minutes=1)
    code = pyotp.TOTP(secret).at(later)
    tokens = [challenge(sessions, later), challenge(sessions, later)]
    barrier = threading.Barrier(len(tokens))
    outcomes: list[str] = []

    def answer(token: str) -> None:
        barrier.wait()
        try:
            complete_sign_in(sessions, challenge=token, code=code, ip="10.0.0.1", now=later)
            outcomes.append("signed in")
        except SignInError:
            outcomes.append("refused")

    threads = [threading.Thread(target=answer, args=(token,)) for token in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["refused", "signed in"]
