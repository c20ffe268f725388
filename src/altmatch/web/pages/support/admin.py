"""Support pages around the cases: a user's in-app notices of every kind (/my/notifications), an
organisation's routing table (/organisations/{id}/support-routes, and /support/routes for one's
own) and support quality per employer (/support/metrics).

JSON twins: /api/v1/me/notifications, /api/v1/organisations/{id}/support-routes and
/api/v1/support/metrics; both call the same services.

The routing form names handlers by e-mail (one per line, per role): no service lists an
organisation's staff to its own staff, and `set_role_handlers` resolves e-mails.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from altmatch.db import Sessions
from altmatch.domain.access import Actor, NotFoundError
from altmatch.domain.support import RouteRole
from altmatch.rulebook import load_rulebook
from altmatch.services.kernel.bounds import MAX_DB_INT
from altmatch.services.kernel.errors import RuleError
from altmatch.services.notifications import (
    is_site_path,
    list_notices,
    mark_all_notices_read,
    mark_notice_read,
)
from altmatch.services.support.metrics import employer_support_metrics, share_text
from altmatch.services.support.routing import (
    RouteEntryIn,
    RoutesIn,
    list_routes,
    set_role_handlers,
    set_routes,
)
from altmatch.web.auth import ActorDep, RoutingManagerDep, SupportMetricsDep
from altmatch.web.deps import SessionsDep
from altmatch.web.locale import LocaleDep
from altmatch.web.pages.forms import FormErrors, PostedForm
from altmatch.web.pages.templating import render_page
from altmatch.web.params import Id, QueryId

router = APIRouter()


@router.get("/my/notifications", response_class=HTMLResponse)
def notifications_page(
    request: Request,
    actor: ActorDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    page: Annotated[int, Query(ge=1, le=MAX_DB_INT)] = 1,
) -> HTMLResponse:
    """Every notice of the signed-in user (any role), newest first, a page at a time."""
    found = list_notices(sessions, actor, locale=locale, page=page)
    return render_page(request, "support_notifications.html", locale, {"found": found})


def _back_to_list(page: int) -> str:
    return "/my/notifications" if page <= 1 else f"/my/notifications?page={page}"


@router.post("/my/notifications/read-all")
def notifications_read_all(actor: ActorDep, sessions: SessionsDep) -> Response:
    """Mark every one of your notices read, then back to the list."""
    mark_all_notices_read(sessions, actor)
    return RedirectResponse("/my/notifications", status_code=303)


@router.post("/my/notifications/{notification_id}/read")
def notification_read(
    notification_id: Id,
    actor: ActorDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    page: Annotated[int, Query(ge=1, le=MAX_DB_INT)] = 1,
) -> Response:
    """Mark one of your notices read, then back to the list (404 for anyone else's)."""
    mark_notice_read(sessions, actor, notification_id, locale=locale)
    return RedirectResponse(_back_to_list(page), status_code=303)


@router.post("/my/notifications/{notification_id}/open")
def notification_open(
    notification_id: Id, actor: ActorDep, sessions: SessionsDep, locale: LocaleDep
) -> Response:
    """Mark one of your notices read and go to the page it points to (404 for anyone else's)."""
    found = mark_notice_read(sessions, actor, notification_id, locale=locale)
    safe = found.link is not None and is_site_path(found.link)
    return RedirectResponse(found.link if safe and found.link else "/my/notifications", 303)


@router.get("/support/routes")
def own_routes(actor: RoutingManagerDep) -> Response:
    """Staff: their own organisation's routing table (404 for an actor without one)."""
    if actor.organisation_id is None:
        raise NotFoundError("organisation")
    return RedirectResponse(f"/organisations/{actor.organisation_id}/support-routes", 303)


def _routes_page(
    request: Request,
    actor: Actor,
    sessions: Sessions,
    org_id: int,
    locale: str,
    *,
    errors: FormErrors | None = None,
    values: Mapping[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    routes = list_routes(sessions, actor, org_id)
    current = {
        role.value: "\n".join(e.email for e in routes.entries if e.role is role)
        for role in routes.roles
    }
    context = {
        "routes": routes,
        "levels": list(enumerate(routes.roles, start=1)),
        "errors": errors or FormErrors(),
        "values": values if values is not None else current,
    }
    return render_page(request, "support_routes.html", locale, context, status_code=status_code)


@router.get("/organisations/{org_id}/support-routes", response_class=HTMLResponse)
def routes_page(
    request: Request,
    org_id: Id,
    actor: RoutingManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
) -> HTMLResponse:
    return _routes_page(request, actor, sessions, org_id, locale)


def _replace_routes(
    sessions: Sessions, actor: Actor, org_id: int, wanted: Mapping[RouteRole, list[str]]
) -> None:
    """Replace the whole table with the handlers named by e-mail for each role.

    `set_role_handlers` resolves the e-mails and replaces the roles it is given (a refusal
    changes nothing); a role left empty is then cleared with `set_routes`, whose entries have
    all just been checked.
    """
    named = [(role, email) for role, emails in wanted.items() for email in emails]
    routes = (
        set_role_handlers(sessions, actor, org_id, named)
        if named
        else list_routes(sessions, actor, org_id)
    )
    cleared = {role for role, emails in wanted.items() if not emails}
    if any(e.role in cleared for e in routes.entries):
        kept = [
            RouteEntryIn(role=e.role, user_id=e.user_id)
            for e in routes.entries
            if e.role not in cleared
        ]
        set_routes(sessions, actor, org_id, RoutesIn(entries=kept))


@router.post("/organisations/{org_id}/support-routes")
def routes_replace(
    request: Request,
    org_id: Id,
    actor: RoutingManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    form: PostedForm,
) -> Response:
    """Replace the table from the form (a textarea of e-mails per role); a refusal shows the
    reason and keeps the input (422)."""
    routes = list_routes(sessions, actor, org_id)
    values = {role.value: str(form.get(role.value) or "") for role in routes.roles}
    wanted = {
        role: [line.strip() for line in values[role.value].splitlines() if line.strip()]
        for role in routes.roles
    }
    try:
        _replace_routes(sessions, actor, org_id, wanted)
    except RuleError as exc:
        errors = FormErrors.from_rule(exc, locale)
    else:
        return RedirectResponse(f"/organisations/{org_id}/support-routes", status_code=303)
    return _routes_page(
        request, actor, sessions, org_id, locale, errors=errors, values=values, status_code=422
    )


@router.get("/support/metrics", response_class=HTMLResponse)
def metrics_page(
    request: Request,
    actor: SupportMetricsDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    org: QueryId = None,
) -> HTMLResponse:
    found = employer_support_metrics(sessions, actor, organisation_id=org, locale=locale)
    context = {
        "found": found,
        "org": org,
        "share": share_text,
        "hours": load_rulebook().support.business_hours,
    }
    return render_page(request, "support_metrics.html", locale, context)
