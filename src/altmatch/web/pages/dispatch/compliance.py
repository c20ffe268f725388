"""The company's compliance watch page: alerts grouped by when they are due, each with what to
do and a form to acknowledge it; acknowledged ones say who did it and when. Its JSON twin is
/api/v1/dispatch/compliance."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from altmatch.db import Sessions
from altmatch.domain.access import Actor
from altmatch.domain.compliance import DueStatus
from altmatch.services.dispatch.compliance import (
    AcknowledgeIn,
    ComplianceAlertOut,
    acknowledge_alert,
    company_compliance,
)
from altmatch.services.kernel.errors import RuleError
from altmatch.web.auth import DispatchManagerDep
from altmatch.web.deps import SessionsDep
from altmatch.web.locale import LocaleDep
from altmatch.web.pages.forms import FormErrors, PostedForm
from altmatch.web.pages.templating import render_page

router = APIRouter()
GROUPS = ("overdue", "due_soon", "later", "acknowledged")


def _group(alert: ComplianceAlertOut) -> str:
    return "acknowledged" if alert.acknowledged else DueStatus(alert.status).value


def _page(
    request: Request,
    actor: Actor,
    sessions: Sessions,
    locale: str,
    *,
    today: dt.date | None = None,
    errors: FormErrors | None = None,
) -> HTMLResponse:
    found = company_compliance(sessions, actor, today=today, locale=locale)
    groups: dict[str, list[ComplianceAlertOut]] = {g: [] for g in GROUPS}
    for alert in found.alerts:
        groups[_group(alert)].append(alert)
    errors = errors or FormErrors()
    context = {
        "found": found,
        "groups": groups,
        "statuses": list(DueStatus),
        "errors": errors,
    }
    status = errors.status_code if errors else 200
    return render_page(request, "dispatch_compliance.html", locale, context, status_code=status)


@router.get("/dispatch/compliance", response_class=HTMLResponse)
def compliance_page(
    request: Request,
    actor: DispatchManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    today: dt.date | None = None,
) -> HTMLResponse:
    return _page(request, actor, sessions, locale, today=today)


@router.post("/dispatch/compliance/acknowledgements", response_class=HTMLResponse)
def compliance_acknowledge(
    request: Request,
    actor: DispatchManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    form: PostedForm,
) -> Response:
    """Acknowledge one alert (no confirmation step: it only records who saw it, and when)."""
    fields = {k: str(v).strip() for k, v in form.items()}
    try:
        acknowledge_alert(sessions, actor, AcknowledgeIn.model_validate(fields), locale=locale)
    except (ValidationError, RuleError) as exc:
        errors = FormErrors.from_error(exc, locale)
        return _page(request, actor, sessions, locale, errors=errors)
    return RedirectResponse("/dispatch/compliance#acknowledged", status_code=303)
