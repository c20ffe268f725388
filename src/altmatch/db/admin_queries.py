"""Queries behind the administrator's screens: paged, filtered lists of users, organisations
and audit entries, and the guarded writes of a role change and a two-factor reset."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import Select, delete, func, or_, select, update
from sqlalchemy.orm import Session

from altmatch.db.listing import search_clause
from altmatch.db.models import AuditEntry, Organisation, RecoveryCode, SignInChallenge, User


def _count(session: Session, query: Select[tuple[object]]) -> int:
    return int(session.scalar(select(func.count()).select_from(query.subquery())) or 0)


def users_page(
    session: Session,
    *,
    search: str = "",
    role: str | None = None,
    organisation_id: int | None = None,
    two_factor: bool | None = None,
    disabled: bool | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[User], int]:
    """One page of users (by id) matching the filters, and how many match in all. `search`
    is part of a name or e-mail address, case-insensitively."""
    query = select(User)
    if search.strip():
        query = query.where(search_clause(search, [User.display_name, User.email]))
    if role:
        query = query.where(User.role == role)
    if organisation_id is not None:
        query = query.where(User.organisation_id == organisation_id)
    if two_factor is not None:
        enabled = User.totp_enabled_at.is_not(None)
        query = query.where(enabled if two_factor else ~enabled)
    if disabled is not None:
        query = query.where(User.disabled.is_(disabled))
    total = _count(session, query)  # type: ignore[arg-type]
    rows = session.scalars(query.order_by(User.id).offset(offset).limit(limit))
    return list(rows), total


def organisations_page(
    session: Session, *, search: str = "", kind: str | None = None, offset: int = 0, limit: int = 50
) -> tuple[list[Organisation], int]:
    """One page of organisations (by id) whose English or Japanese name contains `search`."""
    query = select(Organisation)
    if search.strip():
        query = query.where(search_clause(search, [Organisation.name_en, Organisation.name_ja]))
    if kind:
        query = query.where(Organisation.kind == kind)
    total = _count(session, query)  # type: ignore[arg-type]
    rows = session.scalars(query.order_by(Organisation.id).offset(offset).limit(limit))
    return list(rows), total


def organisation_user_count(session: Session, organisation_id: int) -> int:
    query = select(func.count(User.id)).where(User.organisation_id == organisation_id)
    return int(session.scalar(query) or 0)


def organisation_member_count(session: Session, programme_id: int) -> int:
    """How many organisations take part in this programme."""
    query = select(func.count(Organisation.id)).where(Organisation.programme_id == programme_id)
    return int(session.scalar(query) or 0)


def audit_page(
    session: Session,
    *,
    actor_user_id: int | None = None,
    action: str = "",
    entity: str = "",
    entity_id: str = "",
    since: datetime | None = None,
    before: datetime | None = None,
    tenant_ids: Collection[int] | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[AuditEntry], int]:
    """One page of audit entries, newest first; `action` matches a prefix (`user.` finds every
    user action), the others exactly; `since` inclusive, `before` exclusive."""
    query = select(AuditEntry)
    if actor_user_id is not None:
        query = query.where(AuditEntry.actor_user_id == actor_user_id)
    if action:
        query = query.where(AuditEntry.action.startswith(action, autoescape=True))
    if entity:
        query = query.where(AuditEntry.entity == entity)
    if entity_id:
        query = query.where(AuditEntry.entity_id == entity_id)
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    if before is not None:
        query = query.where(AuditEntry.at < before)
    if tenant_ids is not None:
        query = query.where(AuditEntry.tenant_id.in_(list(tenant_ids)))
    total = _count(session, query)  # type: ignore[arg-type]
    rows = session.scalars(query.order_by(AuditEntry.id.desc()).offset(offset).limit(limit))
    return list(rows), total


def recent_audit_about_user(session: Session, user_id: int, *, limit: int = 20) -> list[AuditEntry]:
    """The newest entries the user caused or that are about their account."""
    query = (
        select(AuditEntry)
        .where(
            or_(
                AuditEntry.actor_user_id == user_id,
                (AuditEntry.entity == "user") & (AuditEntry.entity_id == str(user_id)),
            )
        )
        .order_by(AuditEntry.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def audit_actions(session: Session, tenant_ids: Collection[int] | None = None) -> list[str]:
    """Every action the log holds (within `tenant_ids` when given: a coordinator's part), for
    the filter's choices."""
    query = select(AuditEntry.action).distinct().order_by(AuditEntry.action)
    if tenant_ids is not None:
        query = query.where(AuditEntry.tenant_id.in_(list(tenant_ids)))
    return list(session.scalars(query))


def set_role_if(session: Session, user_id: int, *, expected: str, role: str) -> bool:
    """Change the user's role only if it is still `expected` (one conditional UPDATE: two
    administrators acting at once cannot both win)."""
    result = session.execute(
        update(User).where(User.id == user_id, User.role == expected).values(role=role)
    )
    return int(getattr(result, "rowcount", 0) or 0) == 1


def clear_two_factor_if_enabled(session: Session, user_id: int) -> bool:
    """Turn the user's second factor off if it is on (a conditional UPDATE), with their recovery
    codes and open sign-in challenges; False if it was already off."""
    result = session.execute(
        update(User)
        .where(User.id == user_id, User.totp_enabled_at.is_not(None))
        .values(totp_secret=None, totp_enabled_at=None, totp_last_step=None)
    )
    if int(getattr(result, "rowcount", 0) or 0) != 1:
        return False
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
    session.execute(delete(SignInChallenge).where(SignInChallenge.user_id == user_id))
    return True
