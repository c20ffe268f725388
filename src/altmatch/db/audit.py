"""Repository for the audit log: append and read only, never update."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from altmatch.db.models import AuditEntry


def add_audit_entry(
    session: Session,
    *,
    actor_user_id: int | None,
    tenant_id: int | None,
    action: str,
    entity: str,
    entity_id: str | None,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> AuditEntry:
    """Append one entry in the caller's transaction, so it is kept exactly when the change is."""
    entry = AuditEntry(
        actor_user_id=actor_user_id,
        tenant_id=tenant_id,
        action=action,
        entity=entity,
        entity_id=entity_id,
        before=before,
        after=after,
    )
    session.add(entry)
    session.flush()
    return entry


def list_audit_entries(
    session: Session, *, tenant_ids: Collection[int] | None = None, limit: int = 200
) -> list[AuditEntry]:
    """The newest entries first; `tenant_ids` limits them to those tenants (None: all)."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if tenant_ids is not None:
        query = query.where(AuditEntry.tenant_id.in_(list(tenant_ids)))
    return list(session.scalars(query))


def audit_entries_about_user(session: Session, user_id: int) -> list[AuditEntry]:
    """Entries the user caused or that are about their account, oldest first."""
    query = (
        select(AuditEntry)
        .where(
            or_(
                AuditEntry.actor_user_id == user_id,
                (AuditEntry.entity == "user") & (AuditEntry.entity_id == str(user_id)),
            )
        )
        .order_by(AuditEntry.id)
    )
    return list(session.scalars(query))
