"""Organisations and user accounts: create, list, reset passwords, disable; the shared read models.

The administrative functions take the signed-in Actor (who must hold USERS_MANAGE) or OPERATOR,
the person at the server's command line.
"""

from __future__ import annotations

import re
from datetime import datetime

from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from altmatch.clock import utc_now
from altmatch.db import Sessions
from altmatch.db import accounts as repo
from altmatch.db.models import Organisation, User
from altmatch.domain.access import (
    ROLE_ORG_KIND,
    Actor,
    NotFoundError,
    OrgKind,
    Permission,
    Role,
    require,
)
from altmatch.i18n import LOCALES, N_, Message, label
from altmatch.services.accounts.passwords import hash_password, password_problem
from altmatch.services.kernel.audit import record_audit
from altmatch.services.kernel.errors import RuleError

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class OrganisationOut(BaseModel):
    id: int
    kind: OrgKind
    name_en: str
    name_ja: str
    prefecture: str | None
    municipality: str | None
    programme_id: int | None


class UserOut(BaseModel):
    id: int
    email: str
    display_name: str
    role: Role
    organisation: OrganisationOut | None
    locale: str
    created_at: datetime
    disabled: bool
    consent_version: str | None
    consented_at: datetime | None
    email_verified_at: datetime | None  # None: the address is not proven yet (see email_links)


class DuplicateEmailError(RuleError):
    """The email already has an account (sign-up answers as if it had not: no enumeration)."""

    def __init__(self) -> None:
        super().__init__(Message(N_("An account with this email already exists.")), "email")


def organisation_out(row: Organisation) -> OrganisationOut:
    return OrganisationOut.model_validate(row, from_attributes=True)


def user_out(session: Session, row: User) -> UserOut:
    org = repo.get_organisation(session, row.organisation_id) if row.organisation_id else None
    return UserOut(
        id=row.id,
        email=row.email,
        display_name=row.display_name,
        role=Role(row.role),
        organisation=organisation_out(org) if org else None,
        locale=row.locale,
        created_at=row.created_at,
        disabled=row.disabled,
        consent_version=row.consent_version,
        consented_at=row.consented_at,
        email_verified_at=row.email_verified_at,
    )


def normalise_email(email: str) -> str:
    """Emails are compared lower-cased: people do not remember how they capitalised theirs."""
    return email.strip().lower()


def _text(value: str, field: str, *, limit: int = 200) -> str:
    value = value.strip()
    if not value:
        raise RuleError(Message(N_("This field is required.")), field)
    if len(value) > limit:
        raise RuleError(Message(N_("Use at most {count} characters."), {"count": limit}), field)
    return value


def create_organisation(
    sessions: Sessions,
    *,
    actor: Actor,
    kind: OrgKind,
    name_en: str,
    name_ja: str,
    prefecture: str | None = None,
    municipality: str | None = None,
    programme_id: int | None = None,
) -> OrganisationOut:
    """Add a tenant. Only a BoE takes part in a programme, and it must name a real programme."""
    who = require(actor, Permission.USERS_MANAGE)
    names = {"name_en": _text(name_en, "name_en"), "name_ja": _text(name_ja, "name_ja")}
    with sessions.begin() as session:
        if programme_id is not None:
            programme = repo.get_organisation(session, programme_id)
            if kind is not OrgKind.BOE:
                raise RuleError(
                    Message(N_("Only a Board of Education takes part in a programme.")),
                    "programme_id",
                )
            if programme is None or programme.kind != OrgKind.PROGRAMME:
                raise RuleError(Message(N_("There is no programme with that id.")), "programme_id")
        row = repo.add_organisation(
            session,
            kind=kind.value,
            **names,
            prefecture=(prefecture or "").strip() or None,
            municipality=(municipality or "").strip() or None,
            programme_id=programme_id,
        )
        out = organisation_out(row)
        after = out.model_dump(mode="json", exclude={"id"})
        record_audit(
            session,
            who,
            "organisation.created",
            "organisation",
            row.id,
            None,
            after,
            tenant_id=row.id,
        )
    return out


def list_organisations(sessions: Sessions, *, actor: Actor) -> list[OrganisationOut]:
    require(actor, Permission.USERS_MANAGE)
    with sessions() as session:
        return [organisation_out(row) for row in repo.list_organisations(session)]


def _check_organisation(session: Session, role: Role, organisation_id: int | None) -> None:
    expected = ROLE_ORG_KIND[role]
    if expected is None:
        if organisation_id is not None:
            raise RuleError(
                Message(N_("This role does not belong to an organisation.")), "organisation_id"
            )
        return
    org = repo.get_organisation(session, organisation_id) if organisation_id else None
    if org is None or org.kind != expected.value:
        raise RuleError(
            Message(
                N_("This role belongs to an organisation of this kind: {kind}."),
                {"kind": Message(label(expected))},
            ),
            "organisation_id",
        )


def checked_profile(display_name: str, password: str | None, locale: str) -> str:
    """The display name, trimmed, once it, the password (if any) and the language pass the
    rules; RuleError names the field at fault."""
    name = _text(display_name, "display_name")
    if password is not None and (problem := password_problem(password)):
        raise RuleError(problem, "password")
    if locale not in LOCALES:
        raise RuleError(Message(N_("Choose English or Japanese.")), "locale")
    return name


def add_user_in(
    session: Session,
    *,
    actor: Actor | None,
    email: str,
    display_name: str,
    role: Role,
    password: str | None,
    email_verified: bool,
    organisation_id: int | None = None,
    locale: str = "en",
    consent_version: str | None = None,
    now: datetime | None = None,
) -> User:
    """Validate and add a user inside the caller's transaction (shared by creation and sign-up).

    `password=None` makes an account that cannot sign in until a password is reset.
    `email_verified`: whoever creates the account vouches for its address (an administrator);
    a sign-up's address is proven later, by a mailed link (services.accounts.email_links).
    """
    now = now or utc_now()
    address = normalise_email(email)
    if not _EMAIL.fullmatch(address) or len(address) > 254:
        raise RuleError(Message(N_("Enter a valid email address.")), "email")
    name = checked_profile(display_name, password, locale)
    _check_organisation(session, role, organisation_id)
    if repo.get_user_by_email(session, address) is not None:
        raise DuplicateEmailError
    try:
        row = repo.add_user(
            session,
            email=address,
            display_name=name,
            password_hash=hash_password(password) if password is not None else "",
            role=role.value,
            organisation_id=organisation_id,
            locale=locale,
            consent_version=consent_version,
            consented_at=now if consent_version else None,
            created_at=now,
            email_verified_at=now if email_verified else None,
        )
    except IntegrityError as exc:  # the same email, created by a concurrent request
        raise DuplicateEmailError from exc
    after = {"role": role.value, "organisation_id": organisation_id, "locale": locale}
    record_audit(
        session, actor, "user.created", "user", row.id, None, after, tenant_id=organisation_id
    )
    return row


def create_user(
    sessions: Sessions,
    *,
    actor: Actor,
    email: str,
    display_name: str,
    role: Role,
    password: str | None,
    organisation_id: int | None = None,
    locale: str = "en",
) -> UserOut:
    """Add a user whose role matches their organisation's kind (ROLE_ORG_KIND). The
    administrator vouches for the address: it counts as confirmed."""
    who = require(actor, Permission.USERS_MANAGE)
    with sessions.begin() as session:
        row = add_user_in(
            session,
            actor=who,
            email=email,
            display_name=display_name,
            role=role,
            password=password,
            email_verified=True,
            organisation_id=organisation_id,
            locale=locale,
        )
        return user_out(session, row)


def list_users(sessions: Sessions, *, actor: Actor) -> list[UserOut]:
    require(actor, Permission.USERS_MANAGE)
    with sessions() as session:
        return [user_out(session, row) for row in repo.list_users(session)]


def _user_by_email(session: Session, email: str) -> User:
    row = repo.get_user_by_email(session, normalise_email(email))
    if row is None:
        raise RuleError(Message(N_("There is no account with this email.")), "email")
    return row


def reset_password(sessions: Sessions, *, actor: Actor, email: str, new_password: str) -> UserOut:
    """Set a new password and sign the user out everywhere (whoever knew the old one too)."""
    who = require(actor, Permission.USERS_MANAGE)
    if problem := password_problem(new_password):
        raise RuleError(problem, "password")
    now = utc_now()
    with sessions.begin() as session:
        row = _user_by_email(session, email)
        row.password_hash = hash_password(new_password)
        revoked = repo.revoke_user_sessions(session, row.id, at=now)
        after = {"sessions_revoked": revoked}
        tenant = row.organisation_id
        record_audit(
            session, who, "user.password_reset", "user", row.id, None, after, tenant_id=tenant
        )
        return user_out(session, row)


def set_user_disabled(sessions: Sessions, *, actor: Actor, email: str, disabled: bool) -> UserOut:
    """Disable (or re-enable) an account; a disabled user's sessions stop working at once."""
    who = require(actor, Permission.USERS_MANAGE)
    with sessions.begin() as session:
        row = _user_by_email(session, email)
        before, row.disabled = {"disabled": row.disabled}, disabled
        if disabled:
            repo.revoke_user_sessions(session, row.id, at=utc_now())
        action = "user.disabled" if disabled else "user.enabled"
        record_audit(
            session,
            who,
            action,
            "user",
            row.id,
            before,
            {"disabled": disabled},
            tenant_id=row.organisation_id,
        )
        return user_out(session, row)


def get_me(sessions: Sessions, actor: Actor) -> UserOut:
    """The signed-in user's own account."""
    with sessions() as session:
        row = repo.get_user(session, actor.own_user_id())
        if row is None:
            raise NotFoundError("user")
        return user_out(session, row)
