"""The audit log page: filters (who, action, target, days in Japan time) and paging, newest
first. JSON twin: GET /api/v1/admin/audit with the same query parameters."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from altmatch.services.admin.audit import audit_log
from altmatch.services.admin.filters import parse_day, parse_id
from altmatch.web.auth import AuditViewerDep
from altmatch.web.deps import SessionsDep
from altmatch.web.locale import LocaleDep
from altmatch.web.pages.templating import render_page

router = APIRouter()


@router.get("/admin/audit", response_class=HTMLResponse)
def audit_page(
    request: Request,
    actor: AuditViewerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    actor_id: Annotated[str, Query(max_length=12, description="A user id")] = "",
    action: Annotated[str, Query(max_length=64)] = "",
    target_type: Annotated[str, Query(max_length=64)] = "",
    target_id: Annotated[str, Query(max_length=64)] = "",
    since: Annotated[str, Query(max_length=10, description="YYYY-MM-DD, Japan time")] = "",
    until: Annotated[str, Query(max_length=10, description="YYYY-MM-DD, Japan time")] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    log = audit_log(
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
    return render_page(request, "admin_audit.html", locale, {"log": log})
