"""The audit log for administrators (and coordinators, for their programme's tenants): filtered
by who, what, which object and when (Japan's calendar days), newest first, a page at a time."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from pydantic import BaseModel

from altmatch.clock import JAPAN
from altmatch.db import Sessions
from altmatch.db import admin_queries as repo
from altmatch.db.accounts import programme_member_ids
from altmatch.domain.access import Actor, Permission, Role, require
from altmatch.services.admin.filters import clamped_page
from altmatch.services.admin.users import AuditLineOut, audit_lines

PER_PAGE = 50


class AuditLogOut(BaseModel):
    actor_id: int | None
    action: str
    target_type: str
    target_id: str
    since: date | None
    until: date | None
    page: int
    pages: int
    per_page: int
    total: int
    rows: list[AuditLineOut]
    actions: list[str]  # every action the log holds, for the filter's choices


def _start_of(day: date) -> datetime:
    """Midnight in Japan at the start of `day`, as the database's UTC time."""
    return datetime.combine(day, time(0, 0), tzinfo=JAPAN)


def audit_log(
    sessions: Sessions,
    actor: Actor,
    *,
    actor_id: int | None = None,
    action: str = "",
    target_type: str = "",
    target_id: str = "",
    since: date | None = None,
    until: date | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> AuditLogOut:
    """Entries matching every filter given; `since`/`until` are whole days in Japan time."""
    require(actor, Permission.AUDIT_VIEW)
    action, target_type, target_id = (
        action.strip()[:64],
        target_type.strip()[:64],
        target_id.strip()[:64],
    )
    with sessions() as session:
        tenants: set[int] | None = None
        if actor.role is not Role.ADMIN and not actor.is_operator:
            programme = actor.programme_id
            tenants = programme_member_ids(session, programme) if programme else set()

        found = clamped_page(
            lambda offset, limit: repo.audit_page(
                session,
                actor_user_id=actor_id,
                action=action,
                entity=target_type,
                entity_id=target_id,
                since=_start_of(since) if since else None,
                before=_start_of(until + timedelta(days=1)) if until else None,
                tenant_ids=tenants,
                offset=offset,
                limit=limit,
            ),
            page,
            per_page,
        )
        number, pages, rows, total = found.number, found.pages, found.rows, found.total
        return AuditLogOut(
            actor_id=actor_id,
            action=action,
            target_type=target_type,
            target_id=target_id,
            since=since,
            until=until,
            page=number,
            pages=pages,
            per_page=per_page,
            total=total,
            rows=audit_lines(session, rows),
            actions=repo.audit_actions(session, tenants),
        )
