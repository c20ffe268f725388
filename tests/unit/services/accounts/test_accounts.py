"""Account services: organisations, users, sign-in, sessions, rate limits, consent, APPI rights."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from altmatch.config import Settings
from altmatch.db import Base, Sessions, make_engine, session_factory
from altmatch.db import accounts as repo
from altmatch.db.models import AuditEntry, LoginAttempt, User, UserSession
from altmatch.domain.access import OPERATOR, AccessDeniedError, Actor, OrgKind, Role
from altmatch.i18n import render
from altmatch.services.accounts import passwords
from altmatch.services.accounts.authentication import (
    RateLimitedError,
    SignInError,
    SignInPolicy,
    resolve_session,
    sign_in,
    sign_out,
    token_hash,
)
from altmatch.services.accounts.consent import CONSENT_VERSION, consent_text
from altmatch.services.accounts.my_account import (
    SIGN_UP_ANSWER,
    sign_up_candidate,
)
from altmatch.services.accounts.users import (
    OrganisationOut,
    create_organisation,
    create_user,
    get_me,
    reset_password,
    set_user_disabled,
)
from altmatch.services.kernel.errors import RuleError
from altmatch.services.personal_data import delete_my_account, export_my_data

pytestmark = pytest.mark.date_sensitive

PASSWORD = "correct horse battery"
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
ADMIN = Actor(user_id=999, role=Role.ADMIN)


@pytest.fixture
def sessions(tmp_path: Path) -> Iterator[Sessions]:
    engine = make_engine(Settings(data_dir=tmp_path, database_url=""))
    Base.metadata.create_all(engine)
    yield session_factory(engine)
    engine.dispose()


@pytest.fixture
def programme(sessions: Sessions) -> OrganisationOut:
    return create_organisation(
        sessions, actor=OPERATOR, kind=OrgKind.PROGRAMME, name_en="JET", name_ja="JETプログラム"
    )


@pytest.fixture
def boe(sessions: Sessions, programme: OrganisationOut) -> OrganisationOut:
    return create_organisation(
        sessions,
        actor=OPERATOR,
        kind=OrgKind.BOE,
        name_en="Kobe City BoE",
        name_ja="神戸市教育委員会",
        prefecture="Hyogo",
        municipality="Kobe",
        programme_id=programme.id,
    )


def candidate(sessions: Sessions, email: str = "Emily@Example.org") -> int:
    user = create_user(
        sessions,
        actor=OPERATOR,
        email=email,
        display_name="Emily",
        role=Role.CANDIDATE,
        password=PASSWORD,
    )
    return user.id


def audit(sessions: Sessions, action: str | None = None) -> list[AuditEntry]:
    with sessions() as session:
        query = select(AuditEntry).order_by(AuditEntry.id)
        if action:
            query = query.where(AuditEntry.action == action)
        return list(session.scalars(query))


def attempt(sessions: Sessions, password: str, *, ip: str = "10.0.0.1", **kw: Any) -> None:
    with pytest.raises(SignInError):
        sign_in(sessions, email="emily@example.org", password=password, ip=ip, **kw)


# Organisations and users


def test_a_boe_joins_a_programme_but_a_company_cannot(
    sessions: Sessions, programme: OrganisationOut, boe: OrganisationOut
) -> None:
    assert boe.programme_id == programme.id and boe.prefecture == "Hyogo"
    with pytest.raises(RuleError) as refused:
        create_organisation(
            sessions,
            actor=OPERATOR,
            kind=OrgKind.COMPANY,
            name_en="Sakura",
            name_ja="さくら",
            programme_id=programme.id,
        )
    assert refused.value.field == "programme_id"


def test_a_boe_can_only_join_an_organisation_that_is_a_programme(
    sessions: Sessions, boe: OrganisationOut
) -> None:
    with pytest.raises(RuleError, match="no programme"):
        create_organisation(
            sessions,
            actor=OPERATOR,
            kind=OrgKind.BOE,
            name_en="Nishinomiya",
            name_ja="西宮市",
            programme_id=boe.id,
        )


def test_a_users_role_must_match_the_kind_of_their_organisation(
    sessions: Sessions, programme: OrganisationOut, boe: OrganisationOut
) -> None:
    staff = create_user(
        sessions,
        actor=OPERATOR,
        email="tanaka@kobe.example.jp",
        display_name="田中",
        role=Role.BOE_STAFF,
        password=PASSWORD,
        organisation_id=boe.id,
    )
    assert staff.organisation and staff.organisation.name_ja == "神戸市教育委員会"
    cases: list[tuple[Role, int | None]] = [
        (Role.BOE_STAFF, programme.id),  # wrong kind
        (Role.COORDINATOR, None),  # needs one
        (Role.CANDIDATE, boe.id),  # may not have one
        (Role.COMPANY_STAFF, 12345),  # does not exist
    ]
    for role, organisation_id in cases:
        with pytest.raises(RuleError) as refused:
            create_user(
                sessions,
                actor=OPERATOR,
                email=f"{role.value}@example.org",
                display_name="X",
                role=role,
                password=PASSWORD,
                organisation_id=organisation_id,
            )
        assert refused.value.field == "organisation_id", role


def test_a_role_mismatch_is_explained_in_japanese_too(sessions: Sessions) -> None:
    with pytest.raises(RuleError) as refused:
        create_user(
            sessions,
            actor=OPERATOR,
            email="x@example.org",
            display_name="X",
            role=Role.BOE_STAFF,
            password=PASSWORD,
        )
    assert render(refused.value.message, "en").endswith("Board of Education.")
    assert "教育委員会" in render(refused.value.message, "ja")


def test_emails_are_stored_lower_cased_and_unique_whatever_the_case(sessions: Sessions) -> None:
    candidate(sessions, "Emily@Example.org")
    with sessions() as session:
        assert session.scalars(select(User.email)).one() == "emily@example.org"
    with pytest.raises(RuleError, match="already exists"):
        candidate(sessions, "  EMILY@example.ORG ")


def test_bad_emails_names_and_short_passwords_are_refused_by_field(sessions: Sessions) -> None:
    good = {"email": "a@example.org", "display_name": "A", "password": PASSWORD}
    for field, value in [("email", "not-an-email"), ("display_name", "  "), ("password", "short")]:
        with pytest.raises(RuleError) as refused:
            create_user(sessions, actor=OPERATOR, role=Role.CANDIDATE, **{**good, field: value})
        assert refused.value.field == field


def test_passwords_are_stored_as_argon2id_hashes(sessions: Sessions) -> None:
    candidate(sessions)
    with sessions() as session:
        stored = session.scalars(select(User.password_hash)).one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_only_administrators_manage_users_through_the_app(sessions: Sessions) -> None:
    coordinator = Actor(user_id=1, role=Role.COORDINATOR, organisation_id=1)
    with pytest.raises(AccessDeniedError):
        create_user(
            sessions,
            actor=coordinator,
            email="x@example.org",
            display_name="X",
            role=Role.ADMIN,
            password=PASSWORD,
        )
    created = create_user(
        sessions,
        actor=ADMIN,
        email="x@example.org",
        display_name="X",
        role=Role.ADMIN,
        password=PASSWORD,
    )
    entry = audit(sessions, "user.created")[0]
    assert entry.actor_user_id == ADMIN.user_id and entry.entity_id == str(created.id)
    assert entry.after == {"role": "admin", "organisation_id": None, "locale": "en"}


# Signing in


def test_signing_in_opens_a_session_stored_only_as_a_hash(sessions: Sessions) -> None:
    user_id = candidate(sessions)
    signed_in = sign_in(sessions, email="EMILY@example.org", password=PASSWORD, ip="10.0.0.1")
    assert signed_in.user.id == user_id
    with sessions() as session:
        row = session.scalars(select(UserSession)).one()
    assert row.token_hash == token_hash(signed_in.token) != signed_in.token
    assert signed_in.token not in repr(signed_in)
    assert [e.action for e in audit(sessions)] == ["user.created", "sign_in"]


def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(sessions: Sessions) -> None:
    candidate(sessions)
    messages = []
    for email, password in [("emily@example.org", "wrong password"), ("nobody@x.org", PASSWORD)]:
        with pytest.raises(SignInError) as refused:
            sign_in(sessions, email=email, password=password, ip="10.0.0.1")
        messages.append(refused.value.message)
    assert messages[0] == messages[1]
    assert audit(sessions, "sign_in.failed") == []  # the attempts are in login_attempts
    with sessions() as session:
        assert [a.success for a in session.scalars(select(LoginAttempt))] == [False, False]


def test_an_unknown_email_costs_a_password_verification_too(
    sessions: Sessions, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []

    class Counting(PasswordHasher):
        def verify(self, hash: str | bytes, password: str | bytes) -> bool:
            calls.append(str(hash)[:10])
            return super().verify(hash, password)

    monkeypatch.setattr(passwords, "HASHER", Counting(time_cost=1, memory_cost=8, parallelism=1))
    with pytest.raises(SignInError):
        sign_in(sessions, email="nobody@example.org", password=PASSWORD, ip="10.0.0.1")
    assert calls == ["$argon2id$"]


def test_a_disabled_user_cannot_sign_in_and_loses_their_sessions(sessions: Sessions) -> None:
    candidate(sessions)
    token = sign_in(sessions, email="emily@example.org", password=PASSWORD, ip="1.1.1.1").token
    set_user_disabled(sessions, actor=OPERATOR, email="emily@example.org", disabled=True)
    assert resolve_session(sessions, token) is None
    with pytest.raises(SignInError, match="disabled"):
        sign_in(sessions, email="emily@example.org", password=PASSWORD, ip="1.1.1.1")


def test_a_hash_made_with_older_parameters_is_upgraded_at_sign_in(
    sessions: Sessions, monkeypatch: pytest.MonkeyPatch
) -> None:
    candidate(sessions)
    stronger = PasswordHasher(time_cost=2, memory_cost=16, parallelism=1)
    monkeypatch.setattr(passwords, "HASHER", stronger)
    sign_in(sessions, email="emily@example.org", password=PASSWORD, ip="10.0.0.1")
    with sessions() as session:
        stored = session.scalars(select(User.password_hash)).one()
    assert "m=16,t=2,p=1" in stored and not stronger.check_needs_rehash(stored)


def test_a_sign_in_replaces_the_session_the_browser_already_had(sessions: Sessions) -> None:
    candidate(sessions)
    first = sign_in(sessions, email="emily@example.org", password=PASSWORD, ip="10.0.0.1")
    second = sign_in(
        sessions,
        email="emily@example.org",
        password=PASSWORD,
        ip="10.0.0.1",
        replacing_token=first.token,
    )
    assert second.token != first.token
    assert resolve_session(sessions, first.token) is None
    assert resolve_session(sessions, second.token) is not None


# Rate limits


def test_after_five_failures_an_email_waits_a_delay_that_doubles(sessions: Sessions) -> None:
    candidate(sessions)
    for _ in range(5):
        attempt(sessions, "wrong password", now=NOW)
    with pytest.raises(RateLimitedError) as limited:
        sign_in(
            sessions,
            email="emily@example.org",
            password=PASSWORD,
            ip="10.0.0.2",
            now=NOW + timedelta(seconds=10),
        )
    assert limited.value.retry_after_seconds == 20  # 30 s after the fifth failure
    assert "1 minutes" in render(limited.value.message, "en")
    attempt(sessions, "wrong password", now=NOW + timedelta(seconds=30))  # the sixth: 60 s
    with pytest.raises(RateLimitedError) as limited:
        sign_in(
            sessions,
            email="emily@example.org",
            password=PASSWORD,
            ip="10.0.0.2",
            now=NOW + timedelta(seconds=89),
        )
    assert limited.value.retry_after_seconds == 1
    later = NOW + timedelta(seconds=90)
    sign_in(sessions, email="emily@example.org", password=PASSWORD, ip="10.0.0.2", now=later)


def test_the_delay_is_capped_at_the_window() -> None:
    policy = SignInPolicy()
    assert [policy.address_delay(n).total_seconds() for n in (4, 5, 6, 7, 9, 10, 300)] == [
        0, 30, 60, 120, 480, 900, 900,
    ]  # fmt: skip


def test_a_refused_attempt_does_not_extend_the_delay(sessions: Sessions) -> None:
    candidate(sessions)
    for _ in range(5):
        attempt(sessions, "wrong password", now=NOW)
    for _ in range(3):
        attempt(sessions, "wrong password", now=NOW + timedelta(seconds=10))
    with sessions() as session:
        assert len(list(session.scalars(select(LoginAttempt)))) == 5
    assert audit(sessions, "sign_in.refused") == []  # refusals check nothing: no entries
    sign_in(
        sessions,
        email="emily@example.org",
        password=PASSWORD,
        ip="10.0.0.1",
        now=NOW + timedelta(seconds=30),
    )


def test_a_successful_sign_in_clears_the_emails_failures(sessions: Sessions) -> None:
    candidate(sessions)
    for _ in range(4):
        attempt(sessions, "wrong password", now=NOW)
    sign_in(sessions, email="emily@example.org", password=PASSWORD, ip="10.0.0.1", now=NOW)
    for _ in range(4):
        attempt(sessions, "wrong password", now=NOW + timedelta(seconds=1))
    sign_in(sessions, email="emily@example.org", password=PASSWORD, ip="10.0.0.1", now=NOW)


def test_twenty_failures_from_one_address_lock_that_address_for_every_email(
    sessions: Sessions,
) -> None:
    candidate(sessions)
    policy = SignInPolicy(max_failures_per_email=100)
    for n in range(20):
        with pytest.raises(SignInError):
            sign_in(
                sessions,
                email=f"guess{n}@x.org",
                password="x",
                ip="6.6.6.6",
                policy=policy,
                now=NOW,
            )
    with pytest.raises(RateLimitedError):
        sign_in(sessions, email="emily@example.org", password=PASSWORD, ip="6.6.6.6", now=NOW)
    sign_in(sessions, email="emily@example.org", password=PASSWORD, ip="10.0.0.1", now=NOW)


def test_the_policy_comes_from_settings() -> None:
    settings = Settings(login_max_failures_per_email=3, session_lifetime_hours=1)
    policy = SignInPolicy.from_settings(settings)
    assert policy.max_failures_per_email == 3
    assert policy.session_lifetime == timedelta(hours=1)


# Sessions


def test_a_session_resolves_to_its_actor_with_tenant_and_programme(
    sessions: Sessions, programme: OrganisationOut, boe: OrganisationOut
) -> None:
    create_user(
        sessions,
        actor=OPERATOR,
        email="tanaka@kobe.example.jp",
        display_name="田中",
        role=Role.BOE_STAFF,
        password=PASSWORD,
        organisation_id=boe.id,
    )
    token = sign_in(sessions, email="tanaka@kobe.example.jp", password=PASSWORD, ip="1.1.1.1").token
    actor = resolve_session(sessions, token)
    assert actor is not None
    assert (actor.role, actor.organisation_id, actor.programme_id) == (
        Role.BOE_STAFF,
        boe.id,
        programme.id,
    )


def test_expired_revoked_and_unknown_sessions_resolve_to_nobody(sessions: Sessions) -> None:
    candidate(sessions)
    policy = SignInPolicy(session_lifetime=timedelta(hours=1))
    token = sign_in(
        sessions, email="emily@example.org", password=PASSWORD, ip="1.1.1.1", policy=policy, now=NOW
    ).token
    assert resolve_session(sessions, token, now=NOW + timedelta(minutes=59)) is not None
    assert resolve_session(sessions, token, now=NOW + timedelta(hours=1)) is None
    assert resolve_session(sessions, "made-up-token") is None
    assert resolve_session(sessions, None) is None
    assert resolve_session(sessions, "x" * 10_000) is None
    sign_out(sessions, token, now=NOW)
    assert resolve_session(sessions, token, now=NOW + timedelta(minutes=1)) is None
    assert audit(sessions, "sign_out")


def test_last_seen_is_written_at_most_once_a_minute(sessions: Sessions) -> None:
    candidate(sessions)
    token = sign_in(
        sessions, email="emily@example.org", password=PASSWORD, ip="1.1.1.1", now=NOW
    ).token

    def last_seen() -> datetime:
        with sessions() as session:
            return session.scalars(select(UserSession.last_seen_at)).one()

    resolve_session(sessions, token, now=NOW + timedelta(seconds=59))
    assert last_seen() == NOW
    resolve_session(sessions, token, now=NOW + timedelta(seconds=61))
    assert last_seen() == NOW + timedelta(seconds=61)


def test_a_password_reset_signs_the_user_out_everywhere(sessions: Sessions) -> None:
    candidate(sessions)
    token = sign_in(sessions, email="emily@example.org", password=PASSWORD, ip="1.1.1.1").token
    reset_password(
        sessions, actor=OPERATOR, email="Emily@example.org", new_password="a new passphrase"
    )
    assert resolve_session(sessions, token) is None
    with pytest.raises(SignInError):
        sign_in(sessions, email="emily@example.org", password=PASSWORD, ip="1.1.1.1")
    sign_in(sessions, email="emily@example.org", password="a new passphrase", ip="1.1.1.1")
    assert audit(sessions, "user.password_reset")[0].after == {"sessions_revoked": 1}


# Sign-up, export, deletion


def test_sign_up_records_the_consent_version_then_the_candidate_signs_in(
    sessions: Sessions,
) -> None:
    answer = sign_up_candidate(
        sessions,
        email="liam@example.org",
        display_name="Liam",
        password=PASSWORD,
        locale="ja",
        consent_version=CONSENT_VERSION,
        ip="10.0.0.1",
        now=NOW,
    )
    assert answer == SIGN_UP_ANSWER
    signed_in = sign_in(sessions, email="liam@example.org", password=PASSWORD, ip="10.0.0.1")
    assert signed_in.user.role is Role.CANDIDATE
    assert (signed_in.user.consent_version, signed_in.user.consented_at) == (CONSENT_VERSION, NOW)
    assert signed_in.user.locale == "ja"
    assert audit(sessions, "user.consented")[0].after == {"consent_version": CONSENT_VERSION}
    with sessions() as session:  # the sign-up try does not count as a failed sign-in
        assert repo.sign_in_failures(
            session, since=NOW - timedelta(days=1), email="liam@example.org"
        ) == (0, None)


@pytest.mark.parametrize("version", [None, "", "2020-01-01"])
def test_sign_up_without_the_current_consent_is_refused(
    sessions: Sessions, version: str | None
) -> None:
    with pytest.raises(RuleError) as refused:
        sign_up_candidate(
            sessions,
            email="liam@example.org",
            display_name="Liam",
            password=PASSWORD,
            locale="en",
            consent_version=version,
            ip="10.0.0.1",
        )
    assert refused.value.field == "consent"
    assert audit(sessions) == []


def test_the_consent_text_is_in_both_languages_with_its_version() -> None:
    en, ja = consent_text("en"), consent_text("ja")
    assert en.version == ja.version == CONSENT_VERSION
    assert len(en.paragraphs) == len(ja.paragraphs) >= 4
    assert en.paragraphs != ja.paragraphs and "利用目的" in ja.paragraphs[0]


def _signed_up(sessions: Sessions) -> Actor:
    sign_up_candidate(
        sessions,
        email="liam@example.org",
        display_name="Liam",
        password=PASSWORD,
        locale="en",
        consent_version=CONSENT_VERSION,
        ip="10.0.0.1",
    )
    token = sign_in(sessions, email="liam@example.org", password=PASSWORD, ip="10.0.0.1").token
    actor = resolve_session(sessions, token)
    assert actor is not None
    return actor


def test_the_export_holds_everything_stored_about_the_user_but_no_secrets(
    sessions: Sessions,
) -> None:
    actor = _signed_up(sessions)
    with pytest.raises(SignInError):
        sign_in(sessions, email="liam@example.org", password="wrong password", ip="9.9.9.9")
    data = export_my_data(sessions, actor)
    assert data["account"]["email"] == "liam@example.org"
    assert data["account"]["consent_version"] == CONSENT_VERSION
    assert len(data["sessions"]) == 1
    assert [(a["ip"], a["success"]) for a in data["sign_in_attempts"]] == [
        ("sign-up:10.0.0.1", False),
        ("10.0.0.1", True),
        ("9.9.9.9", False),
    ]
    actions = [entry["action"] for entry in data["audit_log"]]
    assert actions == ["user.created", "user.consented", "sign_in"]
    text = repr(data)
    with sessions() as session:
        secrets = [s.token_hash for s in session.scalars(select(UserSession))]
        secrets += [u.password_hash for u in session.scalars(select(User))]
    assert secrets and not any(secret in text for secret in secrets)
    assert "argon2" not in text and "token_hash" not in text


def test_deleting_my_account_needs_my_email_and_removes_my_data(sessions: Sessions) -> None:
    actor = _signed_up(sessions)
    with pytest.raises(RuleError) as refused:
        delete_my_account(sessions, actor, confirm_email="someone@else.org")
    assert refused.value.field == "confirm_email"
    delete_my_account(sessions, actor, confirm_email="LIAM@example.org")
    with sessions() as session:
        assert session.scalars(select(User)).all() == []
        assert session.scalars(select(UserSession)).all() == []
        assert session.scalars(select(LoginAttempt)).all() == []
    deleted = audit(sessions, "user.deleted")[0]
    assert deleted.entity_id == str(actor.user_id)
    assert "liam" not in repr([(e.before, e.after) for e in audit(sessions)]).lower()


def test_staff_cannot_delete_their_own_account(sessions: Sessions, boe: OrganisationOut) -> None:
    staff = create_user(
        sessions,
        actor=OPERATOR,
        email="tanaka@kobe.example.jp",
        display_name="田中",
        role=Role.BOE_STAFF,
        password=PASSWORD,
        organisation_id=boe.id,
    )
    actor = Actor(user_id=staff.id, role=Role.BOE_STAFF, organisation_id=boe.id)
    with pytest.raises(AccessDeniedError):
        delete_my_account(sessions, actor, confirm_email="tanaka@kobe.example.jp")
    assert get_me(sessions, actor).email == "tanaka@kobe.example.jp"
