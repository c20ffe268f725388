"""The administrator's services on SQLite and PostgreSQL: role changes and two-factor resets
(guarded, audited with the reason, notified, administrators only), organisation validation,
and the filtered, paged lists of users and audit entries."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from sqlalchemy import select, update
from tests.season_world import World, build_world

from altmatch.clock import JAPAN
from altmatch.db import Sessions
from altmatch.db import accounts as accounts_repo
from altmatch.db.models import AuditEntry, Notification, RecoveryCode, User
from altmatch.domain.access import OPERATOR, AccessDeniedError, Actor, OrgKind, Role
from altmatch.services.accounts.authentication import actor_for
from altmatch.services.accounts.users import create_user
from altmatch.services.admin.audit import audit_log
from altmatch.services.admin.organisations import (
    OrganisationFieldsIn,
    OrganisationProblemsError,
    create_organisation,
    update_organisation,
)
from altmatch.services.admin.users import admin_user, admin_users, change_role, reset_two_factor
from altmatch.services.kernel.errors import RuleError, StaleError


@pytest.fixture
def world(sessions: Sessions) -> World:
    return build_world(sessions)


@pytest.fixture
def admin(sessions: Sessions, world: World) -> Actor:
    create_user(
        sessions,
        actor=OPERATOR,
        email="admin@example.org",
        display_name="Admin",
        role=Role.ADMIN,
        password="correct horse battery",
    )
    with sessions() as session:
        row = accounts_repo.get_user_by_email(session, "admin@example.org")
        assert row is not None
        return actor_for(session, row)


def _user(sessions: Sessions, user_id: int) -> User:
    with sessions() as session:
        row = session.get(User, user_id)
        assert row is not None
        return row


def _enable_two_factor(sessions: Sessions, user_id: int) -> None:
    with sessions.begin() as session:
        session.execute(
            update(User)
            .where(User.id == user_id)
            .values(
                totp_secret="JBSWY3DPEHPK3PXP", totp_enabled_at=datetime(2026, 1, 1, tzinfo=JAPAN)
            )
        )
        session.add(
            RecoveryCode(
                user_id=user_id, code_hash="x" * 64, created_at=datetime(2026, 1, 1, tzinfo=JAPAN)
            )
        )


def test_a_role_change_is_guarded_audited_and_notified(
    sessions: Sessions, world: World, admin: Actor
) -> None:
    kobe = world.kobe.user_id
    assert kobe is not None
    detail = admin_user(sessions, admin, kobe)
    assert detail.roles_allowed == [Role.BOE_STAFF]  # a BoE's users can only be BoE staff
    with pytest.raises(RuleError) as unfit:
        change_role(
            sessions, admin, kobe, Role.COORDINATOR, expected_role=Role.BOE_STAFF, reason="x"
        )
    assert unfit.value.field == "role"
    emily = world.emily.user_id
    assert emily is not None
    assert admin_user(sessions, admin, emily).roles_allowed == [
        Role.ADMIN,
        Role.CANDIDATE,
        Role.ALT,
    ]
    with pytest.raises(RuleError) as no_reason:
        change_role(sessions, admin, emily, Role.ALT, expected_role=Role.CANDIDATE, reason="")
    assert no_reason.value.field == "reason"
    after = change_role(
        sessions, admin, emily, Role.ALT, expected_role=Role.CANDIDATE, reason="Hired in April"
    )
    assert after.user.role is Role.ALT
    # Another administrator who still saw "candidate" loses: nothing changes.
    with pytest.raises(StaleError):
        change_role(sessions, admin, emily, Role.ADMIN, expected_role=Role.CANDIDATE, reason="y")
    assert _user(sessions, emily).role == "alt"
    with sessions() as session:
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "user.role_changed")
        ).all()
        assert len(entries) == 1
        assert entries[0].before == {"role": "candidate"}
        assert entries[0].after == {"role": "alt", "reason": "Hired in April"}
        assert entries[0].actor_user_id == admin.user_id
        (notice,) = session.scalars(select(Notification).where(Notification.user_id == emily))
        assert "Assistant Language Teacher" in notice.message["msgid"]
    # Only administrators, and never on themselves.
    with pytest.raises(AccessDeniedError):
        change_role(
            sessions, world.coordinator, emily, Role.CANDIDATE, expected_role=Role.ALT, reason="x"
        )
    assert admin.user_id is not None
    with pytest.raises(RuleError):
        change_role(sessions, admin, admin.user_id, Role.ALT, expected_role=Role.ADMIN, reason="x")


def test_a_two_factor_reset_turns_it_off_once_audited_and_notified(
    sessions: Sessions, world: World, admin: Actor
) -> None:
    kobe = world.kobe.user_id
    assert kobe is not None
    _enable_two_factor(sessions, kobe)
    assert admin_user(sessions, admin, kobe).user.two_factor is True
    with pytest.raises(AccessDeniedError):
        reset_two_factor(sessions, world.coordinator, kobe, reason="lost phone")
    with pytest.raises(RuleError):
        reset_two_factor(sessions, admin, kobe, reason="  ")
    assert _user(sessions, kobe).totp_enabled_at is not None
    done = reset_two_factor(sessions, admin, kobe, reason="Lost phone, confirmed by call")
    assert done.user.two_factor is False
    assert done.recovery_codes_left == 0
    row = _user(sessions, kobe)
    assert (row.totp_secret, row.totp_enabled_at) == (None, None)
    with pytest.raises(StaleError):  # already off: a second reset changes nothing
        reset_two_factor(sessions, admin, kobe, reason="again")
    with sessions() as session:
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "two_factor.reset")
        ).all()
        assert [e.after for e in entries] == [
            {"enabled": False, "reason": "Lost phone, confirmed by call"}
        ]
        kinds = session.scalars(select(Notification.kind).where(Notification.user_id == kobe))
        assert list(kinds) == ["two_factor_reset"]
    recent = admin_user(sessions, admin, kobe).audit
    assert recent[0].action == "two_factor.reset"
    assert recent[0].actor_name == "Admin"


def test_organisations_are_validated_field_by_field(
    sessions: Sessions, world: World, admin: Actor
) -> None:
    with pytest.raises(OrganisationProblemsError) as refused:
        create_organisation(
            sessions, admin, OrganisationFieldsIn(kind="boe", name_en=" ", name_ja="x" * 201)
        )
    fields = [field for field, _ in refused.value.problems]
    assert fields == ["name_en", "name_ja", "programme_id"]
    with pytest.raises(OrganisationProblemsError) as wrong:
        create_organisation(
            sessions,
            admin,
            OrganisationFieldsIn(
                kind="company", name_en="A", name_ja="A", programme_id=world.programme_id
            ),
        )
    assert [f for f, _ in wrong.value.problems] == ["programme_id"]
    made = create_organisation(
        sessions,
        admin,
        OrganisationFieldsIn(
            kind="boe",
            name_en="Himeji City BoE",
            name_ja="姫路市教育委員会",
            prefecture="Hyogo",
            programme_id=world.programme_id,
        ),
    )
    assert made.organisation.kind is OrgKind.BOE
    edited = update_organisation(
        sessions,
        admin,
        made.organisation.id,
        OrganisationFieldsIn(
            kind="boe",
            name_en="Himeji BoE",
            name_ja="姫路市教育委員会",
            municipality="Himeji",
            programme_id=world.programme_id,
        ),
    )
    assert edited.organisation.name_en == "Himeji BoE"
    assert edited.organisation.prefecture is None
    # A BoE with users cannot become a company.
    kobe_boe = world.boe_ids["Kobe City BoE"]
    with pytest.raises(OrganisationProblemsError) as kind:
        update_organisation(
            sessions,
            admin,
            kobe_boe,
            OrganisationFieldsIn(kind="company", name_en="K", name_ja="K"),
        )
    assert [f for f, _ in kind.value.problems] == ["kind"]
    with pytest.raises(AccessDeniedError):
        create_organisation(
            sessions,
            world.coordinator,
            OrganisationFieldsIn(kind="company", name_en="A", name_ja="A"),
        )


def test_the_user_list_searches_filters_and_pages(
    sessions: Sessions, world: World, admin: Actor
) -> None:
    everyone = admin_users(sessions, admin, per_page=2)
    assert (everyone.total, everyone.pages, len(everyone.rows)) == (6, 3, 2)
    assert [u.email for u in admin_users(sessions, admin, q="KOBE").rows] == ["kobe@example.org"]
    assert [u.email for u in admin_users(sessions, admin, q="toyo").rows] == ["toyooka@example.org"]
    assert admin_users(sessions, admin, q="nobody here").rows == []
    staff = admin_users(sessions, admin, role=Role.BOE_STAFF)
    assert {u.email for u in staff.rows} == {"kobe@example.org", "toyooka@example.org"}
    toyooka = admin_users(sessions, admin, organisation_id=world.boe_ids["Toyooka City BoE"])
    assert [u.email for u in toyooka.rows] == ["toyooka@example.org"]
    assert world.kobe.user_id is not None
    _enable_two_factor(sessions, world.kobe.user_id)
    assert [u.email for u in admin_users(sessions, admin, two_factor="on").rows] == [
        "kobe@example.org"
    ]
    assert admin_users(sessions, admin, two_factor="off").total == 5
    assert admin_users(sessions, admin, status="disabled").total == 0
    with pytest.raises(AccessDeniedError):
        admin_users(sessions, world.coordinator)


def test_a_search_takes_like_wildcards_literally(
    sessions: Sessions, world: World, admin: Actor
) -> None:
    for email, name in (("a_b@example.org", "Under Score"), ("axb@example.org", "Ex Bee")):
        create_user(
            sessions,
            actor=OPERATOR,
            email=email,
            display_name=name,
            role=Role.CANDIDATE,
            password="correct horse battery",
        )
    assert [u.email for u in admin_users(sessions, admin, q="a_b").rows] == ["a_b@example.org"]
    assert admin_users(sessions, admin, q="%").rows == []  # no address holds a per cent sign


def test_the_audit_log_filters_by_day_in_japan_time(
    sessions: Sessions, world: World, admin: Actor, clock: time_machine.TimeMachineFixture
) -> None:
    emily = world.emily.user_id
    assert emily is not None
    # 08:30 on 3 March in Japan is still 2 March in UTC.
    clock.move_to(datetime(2027, 3, 3, 8, 30, tzinfo=JAPAN), tick=False)
    change_role(sessions, admin, emily, Role.ALT, expected_role=Role.CANDIDATE, reason="r")
    found = audit_log(sessions, admin, since=date(2027, 3, 3), until=date(2027, 3, 3))
    assert [e.action for e in found.rows] == ["user.role_changed"]
    assert audit_log(sessions, admin, until=date(2027, 3, 2)).rows[0].action != "user.role_changed"
    by_target = audit_log(sessions, admin, target_type="user", target_id=str(emily))
    assert by_target.rows[0].action == "user.role_changed"  # newest first
    assert audit_log(sessions, admin, actor_id=admin.user_id, action="user.").total == 1
    # A coordinator sees only their programme's tenants: not the administrator's change, nor
    # its action among the filter's choices.
    assert audit_log(sessions, world.coordinator, action="user.role").total == 0
    assert "user.role_changed" in audit_log(sessions, admin).actions
    assert "user.role_changed" not in audit_log(sessions, world.coordinator).actions
