"""Administration as JSON: users, organisations and the audit log (role-restricted)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from altmatch.domain.access import OrgKind, Role
from altmatch.services.accounts.users import (
    OrganisationOut,
    UserOut,
    create_organisation,
    create_user,
    list_organisations,
    list_users,
)
from altmatch.services.kernel.audit import AuditEntryOut, list_audit_log
from altmatch.web.api.params import BodyId
from altmatch.web.auth import AuditViewerDep, UsersManagerDep
from altmatch.web.deps import SessionsDep

router = APIRouter(tags=["administration"])


class UserIn(BaseModel):
    email: str = Field(max_length=254)
    display_name: str = Field(max_length=200)
    role: Role
    organisation_id: BodyId | None = None
    password: str | None = Field(
        default=None, max_length=1024, description="Empty: the user cannot sign in until reset."
    )
    locale: str = "en"


class OrganisationIn(BaseModel):
    kind: OrgKind
    name_en: str = Field(max_length=200)
    name_ja: str = Field(max_length=200)
    prefecture: str | None = None
    municipality: str | None = None
    programme_id: BodyId | None = None


@router.get("/users", response_model=list[UserOut])
def get_users(actor: UsersManagerDep, sessions: SessionsDep) -> list[UserOut]:
    return list_users(sessions, actor=actor)


@router.post("/users", response_model=UserOut, status_code=201)
def post_user(body: UserIn, actor: UsersManagerDep, sessions: SessionsDep) -> UserOut:
    """Create a user; the role must match the organisation's kind."""
    return create_user(sessions, actor=actor, **body.model_dump())


@router.get("/organisations", response_model=list[OrganisationOut])
def get_organisations(actor: UsersManagerDep, sessions: SessionsDep) -> list[OrganisationOut]:
    return list_organisations(sessions, actor=actor)


@router.post("/organisations", response_model=OrganisationOut, status_code=201)
def post_organisation(
    body: OrganisationIn, actor: UsersManagerDep, sessions: SessionsDep
) -> OrganisationOut:
    return create_organisation(sessions, actor=actor, **body.model_dump())


@router.get("/audit", response_model=list[AuditEntryOut])
def get_audit(actor: AuditViewerDep, sessions: SessionsDep) -> list[AuditEntryOut]:
    """Newest first; coordinators see their programme's tenants only."""
    return list_audit_log(sessions, actor)
