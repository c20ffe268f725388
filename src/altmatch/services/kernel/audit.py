"""The audit log: every change records who made it, in which tenant, and what it changed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy.orm import Session

from altmatch.db import Sessions
from altmatch.db.accounts import programme_member_ids
from altmatch.db.audit import add_audit_entry, list_audit_entries
from altmatch.domain.access import Actor, Permission, Role, require


def record_audit(
    session: Session,
    actor: Actor | None,
    action: str,
    entity: str,
    entity_id: str | int | None,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    *,
    tenant_id: int | None = None,
) -> None:
    """Append an audit entry in the caller's transaction: it is kept exactly when the change is.

    `actor` None means the operator at the command line (or an anonymous visitor, for sign-in
    and sign-up). The tenant defaults to the actor's organisation; pass `tenant_id` when the
    change belongs to another tenant (an administrator creating a BoE's user). Keep personal
    details (emails, names) out of `before`/`after`: entries outlive deleted accounts.
    """
    add_audit_entry(
        session,
        actor_user_id=actor.user_id if actor else None,
        tenant_id=tenant_id
        if tenant_id is not None
        else (actor.organisation_id if actor else None),
        action=action,
        entity=entity,
        entity_id=None if entity_id is None else str(entity_id),
        before=before,
        after=after,
    )


class AuditEntryOut(BaseModel):
    id: int
    at: datetime
    actor_user_id: int | None
    tenant_id: int | None
    action: str
    entity: str
    entity_id: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def list_audit_log(sessions: Sessions, actor: Actor, *, limit: int = 200) -> list[AuditEntryOut]:
    """Newest first. Administrators see everything; coordinators their programme's tenants."""
    require(actor, Permission.AUDIT_VIEW)
    with sessions() as session:
        tenants: set[int] | None = None
        if actor.role is not Role.ADMIN:
            programme = actor.programme_id
            tenants = programme_member_ids(session, programme) if programme else set()
        rows = list_audit_entries(session, tenant_ids=tenants, limit=limit)
        return [AuditEntryOut.model_validate(row, from_attributes=True) for row in rows]
