"""The recruiting offices' pages (issue 19): /offices with their screeners (add and remove),
an office's screening queue, and one application with the decision form.

Each renders the read model of its JSON twin (web.api.season.recruitment). Changing an office's
screeners and deciding are consequential: both ask to confirm, and the people affected are told.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from altmatch.db import Sessions
from altmatch.db.listing import ListQuery
from altmatch.domain.access import Actor, Permission
from altmatch.domain.recruitment import DocumentKind
from altmatch.i18n import N_
from altmatch.rulebook.recruitment import Decision
from altmatch.services.kernel.errors import RuleError
from altmatch.services.season.application_reads import (
    recruitment_rules,
)
from altmatch.services.season.recruiting_offices import list_offices, set_office_staff
from altmatch.services.season.screening import (
    QUEUE_SPEC,
    ScreeningIn,
    decide_screening,
    screening_detail,
    screening_queue,
)
from altmatch.web.auth import PermissionGate, SeasonManagerDep
from altmatch.web.deps import SessionsDep
from altmatch.web.listing import list_query
from altmatch.web.locale import LocaleDep
from altmatch.web.pages.forms import FormErrors, PostedForm
from altmatch.web.pages.templating import render_page
from altmatch.web.params import Id

OfficesManagerDep = Annotated[Actor, Depends(PermissionGate(Permission.OFFICES_MANAGE))]
router = APIRouter()
QueueQuery = Annotated[ListQuery, Depends(list_query(QUEUE_SPEC))]


def _version(value: object) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() else None


# -- offices and screening ----------------------------------------------------------------------


def _offices(
    request: Request,
    sessions: Sessions,
    actor: Actor,
    locale: str,
    *,
    errors: FormErrors | None = None,
    done: bool = False,
) -> HTMLResponse:
    context = {
        "offices": list_offices(sessions, actor),
        "errors": errors or FormErrors(),
        "done": done,
    }
    status = errors.status_code if errors else 200
    return render_page(request, "offices.html", locale, context, status_code=status)


@router.get("/offices", response_class=HTMLResponse)
def offices_page(
    request: Request,
    actor: OfficesManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    done: int = 0,
) -> HTMLResponse:
    return _offices(request, sessions, actor, locale, done=bool(done))


@router.post("/offices/{office_id}/staff", response_class=HTMLResponse)
def offices_staff(
    request: Request,
    office_id: Id,
    form: PostedForm,
    actor: OfficesManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
) -> Response:
    """Add a coordinator to an office's screeners, or remove one (`member=no`)."""
    user_id = _version(form.get("user_id"))
    if user_id is None:
        errors = FormErrors.of(N_("Choose a coordinator."), locale, "user_id")
        return _offices(request, sessions, actor, locale, errors=errors)
    try:
        set_office_staff(sessions, actor, office_id, user_id, member=form.get("member") != "no")
    except RuleError as exc:
        return _offices(request, sessions, actor, locale, errors=FormErrors.from_rule(exc, locale))
    return RedirectResponse("/offices?done=1", status_code=303)


@router.get("/offices/{office_id}/queue", response_class=HTMLResponse)
def queue_page(
    request: Request,
    office_id: Id,
    actor: SeasonManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    lq: QueueQuery,
) -> HTMLResponse:
    found = screening_queue(sessions, actor, office_id, lq)
    context = {"queue": found, "lq": lq, "listing": found.meta}
    return render_page(request, "office_queue.html", locale, context)


def _detail(
    request: Request,
    sessions: Sessions,
    actor: Actor,
    locale: str,
    office_id: int,
    application_id: int,
    *,
    errors: FormErrors | None = None,
    values: dict[str, str] | None = None,
    done: bool = False,
) -> HTMLResponse:
    found = screening_detail(sessions, actor, office_id, application_id)
    context = {
        "me": found,
        "office_id": office_id,
        "errors": errors or FormErrors(),
        "values": values or {},
        "done": done,
        "reasons": recruitment_rules().reasons,
        "decisions": list(Decision),
        "rules": recruitment_rules(),
        "DocumentKind": DocumentKind,
    }
    status = errors.status_code if errors else 200
    return render_page(request, "office_application.html", locale, context, status_code=status)


@router.get("/offices/{office_id}/applications/{application_id}", response_class=HTMLResponse)
def queued_application_page(
    request: Request,
    office_id: Id,
    application_id: Id,
    actor: SeasonManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    done: int = 0,
) -> HTMLResponse:
    return _detail(request, sessions, actor, locale, office_id, application_id, done=bool(done))


@router.post(
    "/offices/{office_id}/applications/{application_id}/decision", response_class=HTMLResponse
)
def queued_application_decide(
    request: Request,
    office_id: Id,
    application_id: Id,
    form: PostedForm,
    actor: SeasonManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
) -> Response:
    """Screen in or out with a reason, once the screener has ticked the confirmation."""
    values = {k: str(form.get(k) or "") for k in ("decision", "reason_code", "note")}
    if form.get("confirm") != "yes":
        errors = FormErrors.of(
            N_("Tick the box to confirm the decision: the applicant is told at once."),
            locale,
            "confirm",
        )
        return _detail(
            request,
            sessions,
            actor,
            locale,
            office_id,
            application_id,
            errors=errors,
            values=values,
        )
    try:
        body = ScreeningIn.model_validate(values)
        decide_screening(
            sessions,
            actor,
            office_id,
            application_id,
            body,
            version=_version(form.get("version")) or 0,
        )
    except (ValidationError, RuleError) as exc:
        errors = FormErrors.from_error(exc, locale)
        return _detail(
            request,
            sessions,
            actor,
            locale,
            office_id,
            application_id,
            errors=errors,
            values=values,
        )
    return RedirectResponse(
        f"/offices/{office_id}/applications/{application_id}?done=1", status_code=303
    )
