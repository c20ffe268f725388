"""One actor type: the operator is an Actor with every permission and no account of its own."""

from __future__ import annotations

import pytest

from altmatch.domain.access import (
    OPERATOR,
    PERMISSIONS,
    AccessDeniedError,
    Actor,
    Permission,
    Role,
    require,
    require_operator,
    sees_organisation,
)

ADMIN = Actor(user_id=1, role=Role.ADMIN)
BOE_STAFF = Actor(user_id=2, role=Role.BOE_STAFF, organisation_id=10)


def test_the_operator_may_do_everything_and_see_every_organisation() -> None:
    assert all(OPERATOR.can(permission) for permission in Permission)
    assert sees_organisation(OPERATOR, 99, programme_id=None)
    assert require(OPERATOR, Permission.DISPATCH_MANAGE) is OPERATOR


def test_a_signed_in_users_rights_come_from_their_role_only() -> None:
    for permission in Permission:
        assert BOE_STAFF.can(permission) is (Role.BOE_STAFF in PERMISSIONS[permission])
    assert not sees_organisation(BOE_STAFF, 11, programme_id=None)
    assert sees_organisation(BOE_STAFF, 10, programme_id=None)


def test_only_the_operator_passes_for_the_operator() -> None:
    assert require_operator(OPERATOR) is OPERATOR
    for actor in (ADMIN, BOE_STAFF):
        assert not actor.is_operator
        with pytest.raises(AccessDeniedError):
            require_operator(actor)


def test_the_operator_has_no_records_of_their_own() -> None:
    assert OPERATOR.user_id is None
    with pytest.raises(AccessDeniedError):
        OPERATOR.own_user_id()
    assert ADMIN.own_user_id() == 1
