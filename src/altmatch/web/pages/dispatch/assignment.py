"""The company's roster assignment page: the roster with costs, a what-if form and commit.

JSON twin: /api/v1/dispatch/assignment (plans: POST /api/v1/dispatch/assignment/plan).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from starlette.datastructures import FormData

from altmatch.db import Sessions
from altmatch.domain.access import Actor
from altmatch.rulebook import load_rulebook
from altmatch.services.dispatch.assignment import (
    CommitRequest,
    PlanRequest,
    PlanResultOut,
    commit_assignment,
    current_assignment,
    plan_assignment,
)
from altmatch.services.kernel.errors import RuleError
from altmatch.web.auth import DispatchManagerDep
from altmatch.web.deps import SessionsDep
from altmatch.web.locale import LocaleDep
from altmatch.web.pages.forms import FormErrors, PostedForm
from altmatch.web.pages.templating import render_page

router = APIRouter()


def plan_request(form: dict[str, list[str]]) -> dict[str, Any]:
    """Form fields → a PlanRequest's data: pins as `alt:position` (plus one chosen pair),
    excluded ALT ids, a continuity bonus, a date, whether to weigh the surveys."""
    first = {k: (v[0].strip() if v else "") for k, v in form.items()}
    pins = [p for p in form.get("pin", []) if p]
    if first.get("pin_alt") and first.get("pin_position"):
        pins.append(f"{first['pin_alt']}:{first['pin_position']}")
    parsed = []
    for pin in pins:
        alt, _, position = pin.partition(":")
        parsed.append({"alt_id": alt, "position_id": position})
    weights = {}
    if first.get("continuity_bonus_minutes"):
        weights["continuity_bonus_minutes"] = first["continuity_bonus_minutes"]
    data: dict[str, Any] = {
        "pins": parsed,
        "excluded": [e for e in form.get("excluded", []) if e],
        "weights": weights,
    }
    if first.get("on"):
        data["on"] = first["on"]
    if first.get("fingerprint"):
        data["fingerprint"] = first["fingerprint"]
    if first.get("use_satisfaction"):
        data["use_satisfaction"] = True
    return data


def _page(
    request: Request,
    actor: Actor,
    sessions: Sessions,
    locale: str,
    *,
    result: PlanResultOut | None = None,
    errors: FormErrors | None = None,
    on: date | None = None,
) -> HTMLResponse:
    errors = errors or FormErrors()
    context = {
        "found": current_assignment(sessions, actor, on=on, locale=locale),
        "result": result,
        "errors": errors,
        "committed": request.query_params.get("committed") == "1",
        "satisfaction_weights": load_rulebook().dispatch_surveys.weights,
    }
    status = errors.status_code if errors else 200
    return render_page(request, "dispatch_assignment.html", locale, context, status_code=status)


def _form(form: FormData) -> dict[str, list[str]]:
    return {k: [str(v) for v in form.getlist(k)] for k in form}


@router.get("/dispatch/assignment", response_class=HTMLResponse)
def assignment_page(
    request: Request,
    actor: DispatchManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    on: date | None = None,
) -> HTMLResponse:
    return _page(request, actor, sessions, locale, on=on)


@router.post("/dispatch/assignment/plan", response_class=HTMLResponse)
def assignment_plan(
    request: Request,
    actor: DispatchManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    form: PostedForm,
) -> HTMLResponse:
    try:
        body = PlanRequest.model_validate(plan_request(_form(form)))
        result = plan_assignment(sessions, actor, body, locale=locale)
    except (ValidationError, RuleError) as exc:
        errors = FormErrors.from_error(exc, locale)
        return _page(request, actor, sessions, locale, errors=errors)
    return _page(request, actor, sessions, locale, result=result, on=result.request.on)


@router.post("/dispatch/assignment/commit", response_class=HTMLResponse)
def assignment_commit(
    request: Request,
    actor: DispatchManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    form: PostedForm,
) -> Response:
    try:
        body = CommitRequest.model_validate(plan_request(_form(form)))
        commit_assignment(sessions, actor, body, locale=locale)
    except (ValidationError, RuleError) as exc:
        errors = FormErrors.from_error(exc, locale)
        return _page(request, actor, sessions, locale, errors=errors)
    return RedirectResponse("/dispatch/assignment?committed=1", status_code=303)
