"""Accounts in the database on SQLite and PostgreSQL: constraints, cascades, audit, sign-in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from altmatch.db import Sessions, alembic_config
from altmatch.db import accounts as repo
from altmatch.db.audit import add_audit_entry, audit_entries_about_user, list_audit_entries
from altmatch.db.models import LoginAttempt, User, UserSession
from altmatch.domain.access import OPERATOR, AccessDeniedError, Actor, OrgKind, Role
from altmatch.services.accounts.authentication import (
    RateLimitedError,
    SignInError,
    act_as,
    resolve_session,
)
from altmatch.services.accounts.authentication import sign_in as service_sign_in
from altmatch.services.accounts.users import create_organisation, create_user

pytestmark = pytest.mark.date_sensitive

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def _user(session: Session, email: str = "emily@example.org", **kw: object) -> User:
    fields: dict[str, object] = {
        "email": email,
        "display_name": "Emily",
        "password_hash": "",
        "role": "candidate",
        "organisation_id": None,
        "locale": "en",
        **kw,
    }
    return repo.add_user(session, **fields)  # type: ignore[arg-type]


def test_organisations_and_users_round_trip_with_japanese_names(sessions: Sessions) -> None:
    with sessions.begin() as session:
        programme = repo.add_organisation(
            session, kind="programme", name_en="JET", name_ja="JETプログラム"
        )
        boe = repo.add_organisation(
            session,
            kind="boe",
            name_en="Kobe City BoE",
            name_ja="神戸市教育委員会",
            prefecture="兵庫県",
            municipality="神戸市",
            programme_id=programme.id,
        )
        user_id = _user(
            session, "tanaka@kobe.example.jp", role="boe_staff", organisation_id=boe.id
        ).id
        ids = (programme.id, boe.id)
    with sessions() as session:
        user = repo.get_user_by_email(session, "tanaka@kobe.example.jp")
        assert user is not None and user.id == user_id and user.organisation_id == ids[1]
        assert user.created_at.tzinfo is UTC and user.disabled is False
        assert repo.programme_member_ids(session, ids[0]) == set(ids)
        assert repo.get_organisation(session, ids[1]).name_ja == "神戸市教育委員会"  # type: ignore[union-attr]


def test_emails_are_unique(sessions: Sessions) -> None:
    with sessions.begin() as session:
        _user(session)
    with pytest.raises(IntegrityError), sessions.begin() as session:
        _user(session)


@pytest.mark.parametrize(
    ("table", "values"),
    [("organisations", {"kind": "school"}), ("users", {"role": "superuser"})],
)
def test_unknown_kinds_and_roles_are_refused_by_the_database(
    sessions: Sessions, table: str, values: dict[str, str]
) -> None:
    with pytest.raises(IntegrityError), sessions.begin() as session:
        if table == "organisations":
            repo.add_organisation(session, kind=values["kind"], name_en="X", name_ja="X")
        else:
            _user(session, role=values["role"])


def test_a_user_must_belong_to_an_existing_organisation(sessions: Sessions) -> None:
    with pytest.raises(IntegrityError), sessions.begin() as session:
        _user(session, role="boe_staff", organisation_id=4242)


def test_deleting_a_user_removes_their_sessions_and_sign_in_attempts(sessions: Sessions) -> None:
    with sessions.begin() as session:
        user = _user(session)
        repo.add_user_session(
            session,
            token_hash="a" * 64,
            user_id=user.id,
            created_at=NOW,
            expires_at=NOW + timedelta(hours=1),
        )
        repo.add_login_attempt(session, email=user.email, ip="1.2.3.4", success=True, at=NOW)
        repo.add_login_attempt(session, email="other@x.org", ip="1.2.3.4", success=False, at=NOW)
    with sessions.begin() as session:
        user = repo.get_user_by_email(session, "emily@example.org")
        assert user is not None
        repo.delete_user(session, user)
    with sessions() as session:
        assert session.scalars(select(UserSession)).all() == []
        assert session.scalars(select(LoginAttempt.email)).all() == ["other@x.org"]


def test_session_token_hashes_are_unique(sessions: Sessions) -> None:
    with sessions.begin() as session:
        user = _user(session)
        user_id = user.id
        repo.add_user_session(
            session, token_hash="b" * 64, user_id=user_id, created_at=NOW, expires_at=NOW
        )
    with pytest.raises(IntegrityError), sessions.begin() as session:
        repo.add_user_session(
            session, token_hash="b" * 64, user_id=user_id, created_at=NOW, expires_at=NOW
        )


def test_revoking_a_users_sessions_counts_only_live_ones(sessions: Sessions) -> None:
    with sessions.begin() as session:
        user_id = _user(session).id
        for n in range(3):
            repo.add_user_session(
                session, token_hash=str(n) * 64, user_id=user_id, created_at=NOW, expires_at=NOW
            )
    with sessions.begin() as session:
        assert repo.revoke_user_sessions(session, user_id, at=NOW) == 3
    with sessions.begin() as session:
        assert repo.revoke_user_sessions(session, user_id, at=NOW) == 0


def test_failure_times_are_counted_per_email_and_per_address_oldest_first(
    sessions: Sessions,
) -> None:
    with sessions.begin() as session:
        for minutes, email, ip, ok in [
            (3, "a@x.org", "1.1.1.1", False),
            (1, "a@x.org", "2.2.2.2", False),
            (2, "b@x.org", "1.1.1.1", False),
            (4, "a@x.org", "1.1.1.1", True),
            (-30, "a@x.org", "1.1.1.1", False),
        ]:
            at = NOW + timedelta(minutes=minutes)
            repo.add_login_attempt(session, email=email, ip=ip, success=ok, at=at)
    with sessions() as session:
        by_email = repo.failure_times(session, since=NOW, email="a@x.org")
        by_ip = repo.failure_times(session, since=NOW, ip="1.1.1.1")
        assert by_email == [NOW + timedelta(minutes=1), NOW + timedelta(minutes=3)]
        assert by_ip == [NOW + timedelta(minutes=2), NOW + timedelta(minutes=3)]
        assert repo.last_success_at(session, "a@x.org") == NOW + timedelta(minutes=4)
        assert repo.last_success_at(session, "b@x.org") is None


def test_audit_entries_keep_json_before_and_after_and_filter_by_tenant(
    sessions: Sessions,
) -> None:
    with sessions.begin() as session:
        for tenant in (1, 2, None):
            add_audit_entry(
                session,
                actor_user_id=7,
                tenant_id=tenant,
                action="request.edited",
                entity="request",
                entity_id="R1",
                before={"positions": 1, "note": "小学校"},
                after={"positions": 2, "note": "中学校"},
            )
        add_audit_entry(
            session,
            actor_user_id=None,
            tenant_id=None,
            action="user.created",
            entity="user",
            entity_id="7",
            before=None,
            after={"role": "candidate"},
        )
    with sessions() as session:
        tenant_one = list_audit_entries(session, tenant_ids={1})
        assert [e.tenant_id for e in tenant_one] == [1]
        assert tenant_one[0].after == {"positions": 2, "note": "中学校"}
        assert tenant_one[0].at.tzinfo is UTC
        assert len(list_audit_entries(session)) == 4
        about = audit_entries_about_user(session, 7)
        assert [e.action for e in about] == ["request.edited"] * 3 + ["user.created"]


def test_sign_in_and_rate_limits_work_on_this_database(sessions: Sessions) -> None:
    create_organisation(
        sessions, actor=OPERATOR, kind=OrgKind.PROGRAMME, name_en="JET", name_ja="JET"
    )
    create_user(
        sessions,
        actor=OPERATOR,
        email="emily@example.org",
        display_name="Emily",
        role=Role.CANDIDATE,
        password="correct horse battery",
    )
    token = service_sign_in(
        sessions, email="emily@example.org", password="correct horse battery", ip="1.1.1.1"
    ).token
    actor = resolve_session(sessions, token)
    assert actor is not None and actor.role is Role.CANDIDATE
    for _ in range(5):
        with pytest.raises(SignInError):
            service_sign_in(sessions, email="emily@example.org", password="nope", ip="1.1.1.1")
    with pytest.raises(RateLimitedError):
        service_sign_in(
            sessions, email="emily@example.org", password="correct horse battery", ip="1.1.1.1"
        )


def test_the_accounts_migration_follows_saved_advice_and_creates_its_tables(
    engine: Engine,
) -> None:
    script = ScriptDirectory.from_config(alembic_config())
    revision = script.get_revision("a1_accounts")
    assert revision is not None and revision.down_revision == "fcec5ea6c9fa"
    tables = set(inspect(engine).get_table_names())
    assert {"organisations", "users", "user_sessions", "audit_log", "login_attempts"} <= tables


def test_only_the_operator_may_act_as_someone_else(sessions: Sessions) -> None:
    """An administrator signed in on the web is an Actor too, but never passes for the operator:
    acting as another account is the server's command line's alone."""
    admin = create_user(
        sessions,
        actor=OPERATOR,
        email="admin@example.org",
        display_name="Admin",
        role=Role.ADMIN,
        password="correct horse battery",
    )
    create_user(
        sessions,
        actor=OPERATOR,
        email="emily@example.org",
        display_name="Emily",
        role=Role.CANDIDATE,
        password="correct horse battery",
    )
    as_admin = Actor(user_id=admin.id, role=Role.ADMIN)
    with pytest.raises(AccessDeniedError):
        act_as(sessions, as_admin, "emily@example.org")
    assert act_as(sessions, OPERATOR, "emily@example.org").role is Role.CANDIDATE
