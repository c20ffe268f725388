"""The administrator's user screens: the list (search, filters, paging), one user's page, and
the two consequential actions, each behind a confirmation page that says what will happen.

JSON twins: GET /api/v1/admin/users (same query parameters), /api/v1/admin/users/{id}, and
POST /api/v1/admin/users/{id}/role and /api/v1/admin/users/{id}/two-factor/reset.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from altmatch.domain.access import Role
from altmatch.i18n import N_, Message
from altmatch.services.admin.filters import parse_id
from altmatch.services.admin.users import (
    StatusFilter,
    TwoFactorFilter,
    admin_user,
    admin_users,
    change_role,
    reset_two_factor,
)
from altmatch.services.kernel.errors import RuleError
from altmatch.web.auth import UsersManagerDep
from altmatch.web.deps import SessionsDep
from altmatch.web.locale import LocaleDep
from altmatch.web.pages.forms import FormErrors, PostedForm
from altmatch.web.pages.templating import render_page
from altmatch.web.params import Id

router = APIRouter()
_OTHER_ROLE = Message(N_("Choose a different role that fits the user's organisation."))


def parse_role(value: str) -> Role | None:
    try:
        return Role(value.strip()) if value.strip() else None
    except ValueError:
        return None


@router.get("/admin/users", response_class=HTMLResponse)
def users_page(
    request: Request,
    actor: UsersManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    q: Annotated[str, Query(max_length=100)] = "",
    role: Annotated[str, Query(max_length=32)] = "",
    organisation_id: Annotated[str, Query(max_length=12)] = "",
    two_factor: TwoFactorFilter = "",
    status: StatusFilter = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    listing = admin_users(
        sessions,
        actor,
        q=q,
        role=parse_role(role),
        organisation_id=parse_id(organisation_id),
        two_factor=two_factor,
        status=status,
        page=page,
    )
    return render_page(
        request, "admin_users.html", locale, {"listing": listing, "roles": list(Role)}
    )


def _user_page(
    request: Request,
    locale: str,
    detail: Any,
    *,
    confirm: str | None = None,
    new_role: Role | None = None,
    errors: FormErrors | None = None,
    reason: str = "",
    done: str | None = None,
) -> HTMLResponse:
    errors = errors or FormErrors()
    context = {
        "detail": detail,
        "confirm": confirm,
        "new_role": new_role,
        "errors": errors,
        "reason": reason,
        "done": done,
    }
    status = errors.status_code if errors else 200
    return render_page(request, "admin_user.html", locale, context, status_code=status)


@router.get("/admin/users/{user_id}", response_class=HTMLResponse)
def user_page(
    request: Request,
    user_id: Id,
    actor: UsersManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    done: Annotated[str, Query(max_length=16)] = "",
) -> HTMLResponse:
    detail = admin_user(sessions, actor, user_id)
    return _user_page(
        request, locale, detail, done=done if done in ("role", "two_factor") else None
    )


@router.get("/admin/users/{user_id}/role", response_class=HTMLResponse)
def role_confirm(
    request: Request,
    user_id: Id,
    actor: UsersManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    role: Annotated[str, Query(max_length=32)] = "",
) -> HTMLResponse:
    """The confirmation step: the role now, the role after, and what changes for the person."""
    detail = admin_user(sessions, actor, user_id)
    chosen = parse_role(role)
    if chosen is None or chosen not in detail.roles_allowed or chosen is detail.user.role:
        errors = FormErrors.of(_OTHER_ROLE, locale, "role")
        return _user_page(request, locale, detail, errors=errors)
    return _user_page(request, locale, detail, confirm="role", new_role=chosen)


@router.post("/admin/users/{user_id}/role", response_class=HTMLResponse)
def role_change(
    request: Request,
    user_id: Id,
    actor: UsersManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    form: PostedForm,
) -> Response:
    chosen = parse_role(str(form.get("role", "")))
    expected = parse_role(str(form.get("expected_role", "")))
    reason = str(form.get("reason", ""))
    try:
        if chosen is None or expected is None:
            raise RuleError(_OTHER_ROLE, "role")
        change_role(sessions, actor, user_id, chosen, expected_role=expected, reason=reason)
    except RuleError as exc:
        detail = admin_user(sessions, actor, user_id)
        errors = FormErrors.from_rule(exc, locale)
        return _user_page(
            request, locale, detail, confirm="role", new_role=chosen, errors=errors, reason=reason
        )
    return RedirectResponse(f"/admin/users/{user_id}?done=role", status_code=303)


@router.get("/admin/users/{user_id}/two-factor/reset", response_class=HTMLResponse)
def reset_confirm(
    request: Request, user_id: Id, actor: UsersManagerDep, sessions: SessionsDep, locale: LocaleDep
) -> HTMLResponse:
    """The confirmation step for turning the person's second factor off."""
    detail = admin_user(sessions, actor, user_id)
    return _user_page(request, locale, detail, confirm="two_factor")


@router.post("/admin/users/{user_id}/two-factor/reset", response_class=HTMLResponse)
def reset_post(
    request: Request,
    user_id: Id,
    actor: UsersManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    form: PostedForm,
) -> Response:
    reason = str(form.get("reason", ""))
    try:
        reset_two_factor(sessions, actor, user_id, reason=reason)
    except RuleError as exc:
        detail = admin_user(sessions, actor, user_id)
        errors = FormErrors.from_rule(exc, locale)
        return _user_page(
            request, locale, detail, confirm="two_factor", errors=errors, reason=reason
        )
    return RedirectResponse(f"/admin/users/{user_id}?done=two_factor", status_code=303)
