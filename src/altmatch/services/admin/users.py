"""Users for administrators: a searchable, filtered, paged list; one user's details with the
audit entries about them; and the two consequential actions, changing a role and resetting
the second factor, each guarded (compare-and-swap), audited with a reason and notified."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel
from sqlalchemy.orm import Session

from altmatch.db import Sessions
from altmatch.db import accounts as accounts_repo
from altmatch.db import admin_queries as repo
from altmatch.db.models import User
from altmatch.domain.access import (
    ROLE_ORG_KIND,
    Actor,
    NotFoundError,
    OrgKind,
    Permission,
    Role,
    require,
)
from altmatch.i18n import N_, Message
from altmatch.services.accounts.users import OrganisationOut, organisation_out
from altmatch.services.admin.filters import clamped_page
from altmatch.services.kernel.audit import AuditEntryOut, record_audit
from altmatch.services.kernel.errors import RuleError, StaleError
from altmatch.services.notifications import notify

PER_PAGE = 50
MAX_REASON = 500
TwoFactorFilter = Literal["", "on", "off"]
StatusFilter = Literal["", "active", "disabled"]

# What the person is told (notices keep plain parameters: one sentence per new role).
ROLE_NOTICES = {
    Role.ADMIN: N_("An administrator changed your role: you are now an administrator."),
    Role.COORDINATOR: N_(
        "An administrator changed your role: you are now a programme coordinator."
    ),
    Role.BOE_STAFF: N_("An administrator changed your role: you are now Board of Education staff."),
    Role.COMPANY_STAFF: N_(
        "An administrator changed your role: you are now dispatch company staff."
    ),
    Role.CANDIDATE: N_("An administrator changed your role: you are now a candidate."),
    Role.ALT: N_("An administrator changed your role: you are now an Assistant Language Teacher."),
    Role.ASSESSOR: N_(
        "An administrator changed your role: you are now an interview assessor. You see the "
        "candidates of the panels you sit on."
    ),
}
RESET_NOTICE = N_(
    "An administrator turned off two-factor sign-in on your account. Sign in with your "
    "password and set it up again. If you did not ask for this, contact your administrator."
)


class AdminUserRow(BaseModel):
    id: int
    email: str
    display_name: str
    role: Role
    organisation: OrganisationOut | None
    two_factor: bool
    disabled: bool
    created_at: datetime


class AdminUsersOut(BaseModel):
    q: str
    role: Role | None
    organisation_id: int | None
    two_factor: TwoFactorFilter
    status: StatusFilter
    page: int
    pages: int
    per_page: int
    total: int
    rows: list[AdminUserRow]
    organisations: list[OrganisationOut]  # the filter's choices


class AuditLineOut(AuditEntryOut):
    actor_name: str | None  # None: the operator, or an account since deleted


class AdminUserOut(BaseModel):
    user: AdminUserRow
    email_verified_at: datetime | None
    two_factor_since: datetime | None
    recovery_codes_left: int
    roles_allowed: list[Role]  # the roles valid for the user's organisation's kind
    is_self: bool
    audit: list[AuditLineOut]  # the newest entries by or about them


def roles_for(kind: OrgKind | None) -> list[Role]:
    """The roles a user of an organisation of `kind` (None: of no organisation) may hold."""
    return [role for role in Role if ROLE_ORG_KIND[role] == kind]


def _row(session: Session, user: User) -> AdminUserRow:
    org = (
        accounts_repo.get_organisation(session, user.organisation_id)
        if user.organisation_id
        else None
    )
    return AdminUserRow(
        id=user.id,
        email=user.email,
        display_name=user.display_name,
        role=Role(user.role),
        organisation=organisation_out(org) if org else None,
        two_factor=user.totp_enabled_at is not None,
        disabled=user.disabled,
        created_at=user.created_at,
    )


def audit_lines(session: Session, entries: list) -> list[AuditLineOut]:  # type: ignore[type-arg]
    """Entries with the display names of whoever made them."""
    names = accounts_repo.display_names(
        session, {e.actor_user_id for e in entries if e.actor_user_id is not None}
    )
    return [
        AuditLineOut.model_validate(
            {
                **AuditEntryOut.model_validate(e, from_attributes=True).model_dump(),
                "actor_name": names.get(e.actor_user_id) if e.actor_user_id else None,
            }
        )
        for e in entries
    ]


def admin_users(
    sessions: Sessions,
    actor: Actor,
    *,
    q: str = "",
    role: Role | None = None,
    organisation_id: int | None = None,
    two_factor: TwoFactorFilter = "",
    status: StatusFilter = "",
    page: int = 1,
    per_page: int = PER_PAGE,
) -> AdminUsersOut:
    """One page of users matching the filters (administrators only)."""
    require(actor, Permission.USERS_MANAGE)
    q = q.strip()[:100]
    with sessions() as session:
        found = clamped_page(
            lambda offset, limit: repo.users_page(
                session,
                search=q,
                role=role.value if role else None,
                organisation_id=organisation_id,
                two_factor={"on": True, "off": False}.get(two_factor),
                disabled={"active": False, "disabled": True}.get(status),
                offset=offset,
                limit=limit,
            ),
            page,
            per_page,
        )
        number, pages, rows, total = found.number, found.pages, found.rows, found.total
        return AdminUsersOut(
            q=q,
            role=role,
            organisation_id=organisation_id,
            two_factor=two_factor,
            status=status,
            page=number,
            pages=pages,
            per_page=per_page,
            total=total,
            rows=[_row(session, u) for u in rows],
            organisations=[organisation_out(o) for o in accounts_repo.list_organisations(session)],
        )


def _user(session: Session, user_id: int) -> User:
    user = accounts_repo.get_user(session, user_id)
    if user is None:
        raise NotFoundError("user")
    return user


def _kind(session: Session, user: User) -> OrgKind | None:
    if user.organisation_id is None:
        return None
    org = accounts_repo.get_organisation(session, user.organisation_id)
    return OrgKind(org.kind) if org else None


def admin_user(sessions: Sessions, actor: Actor, user_id: int) -> AdminUserOut:
    """One user's account, second factor and the newest audit entries by or about them."""
    require(actor, Permission.USERS_MANAGE)
    with sessions() as session:
        user = _user(session, user_id)
        return AdminUserOut(
            user=_row(session, user),
            email_verified_at=user.email_verified_at,
            two_factor_since=user.totp_enabled_at,
            recovery_codes_left=accounts_repo.count_unused_recovery_codes(session, user.id),
            roles_allowed=roles_for(_kind(session, user)),
            is_self=user.id == actor.user_id,
            audit=audit_lines(session, repo.recent_audit_about_user(session, user.id)),
        )


def checked_reason(reason: str) -> str:
    """A consequential action's reason: required, and short enough to keep in the log."""
    text = reason.strip()
    if not text:
        raise RuleError(Message(N_("Give a reason: it is kept in the audit log.")), "reason")
    if len(text) > MAX_REASON:
        raise RuleError(
            Message(N_("Use at most {count} characters."), {"count": MAX_REASON}), "reason"
        )
    return text


def change_role(
    sessions: Sessions,
    actor: Actor,
    user_id: int,
    role: Role,
    *,
    expected_role: Role,
    reason: str,
) -> AdminUserOut:
    """Give the user another role valid for their organisation's kind, if their role is still
    the one the administrator saw; audited with the reason, and the person is told."""
    who = require(actor, Permission.USERS_MANAGE)
    text = checked_reason(reason)
    with sessions.begin() as session:
        user = _user(session, user_id)
        if user.id == who.user_id:
            raise RuleError(
                Message(N_("You cannot change your own role; ask another administrator.")), "role"
            )
        if role not in roles_for(_kind(session, user)):
            raise RuleError(Message(N_("This role does not fit the user's organisation.")), "role")
        if role is expected_role:
            raise RuleError(Message(N_("The user already has this role.")), "role")
        if not repo.set_role_if(session, user.id, expected=expected_role.value, role=role.value):
            raise StaleError(
                Message(N_("Someone else changed this in the meantime. Reload it and try again.")),
                "version",
            )
        session.refresh(user)
        record_audit(
            session,
            who,
            "user.role_changed",
            "user",
            user.id,
            {"role": expected_role.value},
            {"role": role.value, "reason": text},
            tenant_id=user.organisation_id,
        )
        notify(
            session,
            [user.id],
            kind="security",
            message=Message(ROLE_NOTICES[role]),
            link="/account",
        )
    return admin_user(sessions, who, user_id)


def reset_two_factor(
    sessions: Sessions, actor: Actor, user_id: int, *, reason: str
) -> AdminUserOut:
    """Turn the user's second factor off (a lost phone, no recovery codes left): they sign in
    with their password and set it up again. Refused (409) if it is already off."""
    who = require(actor, Permission.USERS_MANAGE)
    text = checked_reason(reason)
    with sessions.begin() as session:
        user = _user(session, user_id)
        if not repo.clear_two_factor_if_enabled(session, user.id):
            raise StaleError(
                Message(N_("Two-factor sign-in is already off for this account.")), "two_factor"
            )
        session.refresh(user)
        record_audit(
            session,
            who,
            "two_factor.reset",
            "user",
            user.id,
            {"enabled": True},
            {"enabled": False, "reason": text},
            tenant_id=user.organisation_id,
        )
        notify(
            session,
            [user.id],
            kind="two_factor_reset",
            message=Message(RESET_NOTICE),
            link="/account/two-factor",
        )
    return admin_user(sessions, who, user_id)
