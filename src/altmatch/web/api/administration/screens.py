"""The administrator's screens as JSON, each the twin of a page under /admin with the same query
parameters: users (role changes, two-factor resets), organisations and the audit log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from altmatch.domain.access import OrgKind, Role
from altmatch.i18n import render
from altmatch.services.admin.audit import AuditLogOut, audit_log
from altmatch.services.admin.filters import parse_day, parse_id
from altmatch.services.admin.organisations import (
    AdminOrganisationOut,
    AdminOrganisationsOut,
    OrganisationFieldsIn,
    OrganisationProblemsError,
    admin_organisation,
    admin_organisations,
    create_organisation,
    update_organisation,
)
from altmatch.services.admin.users import (
    AdminUserOut,
    AdminUsersOut,
    StatusFilter,
    TwoFactorFilter,
    admin_user,
    admin_users,
    change_role,
    reset_two_factor,
)
from altmatch.web.api.params import Id
from altmatch.web.auth import AuditViewerDep, UsersManagerDep
from altmatch.web.deps import SessionsDep
from altmatch.web.locale import LocaleDep

router = APIRouter(prefix="/admin", tags=["administration"])
Search = Annotated[str, Query(max_length=100, description="Part of a name or e-mail address")]
PageNo = Annotated[int, Query(ge=1, le=100_000)]


def parse_role(value: str) -> Role | None:
    try:
        return Role(value) if value else None
    except ValueError:
        return None


def parse_kind(value: str) -> OrgKind | None:
    try:
        return OrgKind(value) if value else None
    except ValueError:
        return None


class RoleChangeIn(BaseModel):
    role: Role
    expected_role: Role = Field(description="The role you saw: a changed one is refused (409).")
    reason: str = Field(max_length=500)


class ResetIn(BaseModel):
    reason: str = Field(max_length=500)


@router.get("/users", response_model=AdminUsersOut)
def get_admin_users(
    actor: UsersManagerDep,
    sessions: SessionsDep,
    q: Search = "",
    role: Annotated[str, Query(max_length=32)] = "",
    organisation_id: Annotated[str, Query(max_length=12)] = "",
    two_factor: TwoFactorFilter = "",
    status: StatusFilter = "",
    page: PageNo = 1,
) -> AdminUsersOut:
    """Users, searched by name or e-mail and filtered, a page at a time."""
    return admin_users(
        sessions,
        actor,
        q=q,
        role=parse_role(role),
        organisation_id=parse_id(organisation_id),
        two_factor=two_factor,
        status=status,
        page=page,
    )


@router.get("/users/{user_id}", response_model=AdminUserOut)
def get_admin_user(user_id: Id, actor: UsersManagerDep, sessions: SessionsDep) -> AdminUserOut:
    """One user: organisation, role, second factor and the audit entries about them."""
    return admin_user(sessions, actor, user_id)


@router.post("/users/{user_id}/role", response_model=AdminUserOut)
def post_user_role(
    user_id: Id, body: RoleChangeIn, actor: UsersManagerDep, sessions: SessionsDep
) -> AdminUserOut:
    """Change the user's role (one valid for their organisation); audited, and they are told."""
    return change_role(
        sessions, actor, user_id, body.role, expected_role=body.expected_role, reason=body.reason
    )


@router.post("/users/{user_id}/two-factor/reset", response_model=AdminUserOut)
def post_user_two_factor_reset(
    user_id: Id, body: ResetIn, actor: UsersManagerDep, sessions: SessionsDep
) -> AdminUserOut:
    """Turn the user's second factor off (409 if it is off already); audited, and they are told."""
    return reset_two_factor(sessions, actor, user_id, reason=body.reason)


@router.get("/organisations", response_model=AdminOrganisationsOut)
def get_admin_organisations(
    actor: UsersManagerDep,
    sessions: SessionsDep,
    q: Annotated[str, Query(max_length=100, description="Part of a name")] = "",
    kind: Annotated[str, Query(max_length=16)] = "",
    page: PageNo = 1,
) -> AdminOrganisationsOut:
    return admin_organisations(sessions, actor, q=q, kind=parse_kind(kind), page=page)


@router.post("/organisations", response_model=AdminOrganisationOut, status_code=201)
def post_admin_organisation(
    body: OrganisationFieldsIn, actor: UsersManagerDep, sessions: SessionsDep, locale: LocaleDep
) -> AdminOrganisationOut | JSONResponse:
    """Add an organisation; 422 lists every field at fault."""
    try:
        return create_organisation(sessions, actor, body)
    except OrganisationProblemsError as exc:
        return _problems(exc, locale)


def _problems(exc: OrganisationProblemsError, locale: str) -> JSONResponse:
    detail = [
        {"loc": ["body", field], "msg": render(message, locale), "type": "value_error"}
        for field, message in exc.problems
    ]
    return JSONResponse({"detail": detail}, status_code=422)


@router.get("/organisations/{organisation_id}", response_model=AdminOrganisationOut)
def get_admin_organisation(
    organisation_id: Id, actor: UsersManagerDep, sessions: SessionsDep
) -> AdminOrganisationOut:
    return admin_organisation(sessions, actor, organisation_id)


@router.put("/organisations/{organisation_id}", response_model=AdminOrganisationOut)
def put_admin_organisation(
    organisation_id: Id,
    body: OrganisationFieldsIn,
    actor: UsersManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
) -> AdminOrganisationOut | JSONResponse:
    """Edit an organisation; 422 lists every field at fault."""
    try:
        return update_organisation(sessions, actor, organisation_id, body)
    except OrganisationProblemsError as exc:
        return _problems(exc, locale)


@router.get("/audit", response_model=AuditLogOut)
def get_admin_audit(
    actor: AuditViewerDep,
    sessions: SessionsDep,
    actor_id: Annotated[str, Query(max_length=12, description="A user id")] = "",
    action: Annotated[str, Query(max_length=64)] = "",
    target_type: Annotated[str, Query(max_length=64)] = "",
    target_id: Annotated[str, Query(max_length=64)] = "",
    since: Annotated[str, Query(max_length=10, description="YYYY-MM-DD, Japan time")] = "",
    until: Annotated[str, Query(max_length=10, description="YYYY-MM-DD, Japan time")] = "",
    page: PageNo = 1,
) -> AuditLogOut:
    """The audit log, newest first; `since`/`until` are days in Japan time."""
    return audit_log(
        sessions,
        actor,
        actor_id=parse_id(actor_id),
        action=action,
        target_type=target_type,
        target_id=target_id,
        since=parse_day(since),
        until=parse_day(until),
        page=page,
    )
