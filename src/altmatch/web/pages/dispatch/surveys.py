"""The company's surveys page: this term's round (what opening it sends, then confirm), each
round's response rates, the chosen round's scores and comments per ALT × school (the ALT's
confidential answers included: company staff only), and the school contacts the surveys go to.
Its JSON twin is /api/v1/dispatch/surveys."""

from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from altmatch.db import Sessions
from altmatch.domain.access import Actor
from altmatch.rulebook import load_rulebook
from altmatch.services.dispatch.surveys import (
    ContactIn,
    OpenRoundIn,
    company_surveys,
    open_round,
    set_school_contact,
)
from altmatch.services.kernel.errors import RuleError
from altmatch.web.auth import DispatchManagerDep
from altmatch.web.deps import SessionsDep
from altmatch.web.locale import LocaleDep
from altmatch.web.mail import send_survey_mail_after
from altmatch.web.pages.forms import FormErrors, PostedForm
from altmatch.web.pages.templating import render_page

router = APIRouter()


def _page(
    request: Request,
    actor: Actor,
    sessions: Sessions,
    locale: str,
    *,
    round_id: int | None = None,
    errors: FormErrors | None = None,
    confirm: bool = False,
) -> HTMLResponse:
    found = company_surveys(sessions, actor, round_id=round_id, locale=locale)
    errors = errors or FormErrors()
    context = {
        "found": found,
        "errors": errors,
        "confirm": confirm,
        "scale_words": [t.get(locale) for t in load_rulebook().dispatch_surveys.scale],
        "opened": request.query_params.get("opened") == "1",
        "saved": request.query_params.get("saved") == "1",
    }
    status = errors.status_code if errors else 200
    return render_page(request, "dispatch_surveys.html", locale, context, status_code=status)


@router.get("/dispatch/surveys", response_class=HTMLResponse)
def surveys_page(
    request: Request,
    actor: DispatchManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    round_id: int | None = None,
) -> HTMLResponse:
    return _page(request, actor, sessions, locale, round_id=round_id)


@router.post("/dispatch/surveys/preview", response_class=HTMLResponse)
def surveys_preview(
    request: Request, actor: DispatchManagerDep, sessions: SessionsDep, locale: LocaleDep
) -> HTMLResponse:
    """The first step: show who would be invited, with a button to confirm."""
    return _page(request, actor, sessions, locale, confirm=True)


@router.post("/dispatch/surveys/rounds", response_class=HTMLResponse)
def surveys_open(
    request: Request,
    background: BackgroundTasks,
    actor: DispatchManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    form: PostedForm,
) -> Response:
    fields = {k: str(v).strip() for k, v in form.items() if str(v).strip()}
    try:
        open_round(sessions, actor, OpenRoundIn.model_validate(fields), locale=locale)
    except (ValidationError, RuleError) as exc:
        errors = FormErrors.from_error(exc, locale)
        return _page(request, actor, sessions, locale, errors=errors, confirm=True)
    send_survey_mail_after(request, background)
    return RedirectResponse("/dispatch/surveys?opened=1", status_code=303)


@router.post("/dispatch/surveys/contacts", response_class=HTMLResponse)
def surveys_contact(
    request: Request,
    actor: DispatchManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    form: PostedForm,
) -> Response:
    fields = {k: str(v).strip() for k, v in form.items()}
    if not fields.get("contact_email"):
        fields.pop("contact_email", None)
    try:
        set_school_contact(sessions, actor, ContactIn.model_validate(fields))
    except (ValidationError, RuleError) as exc:
        errors = FormErrors.from_error(exc, locale)
        return _page(request, actor, sessions, locale, errors=errors)
    return RedirectResponse("/dispatch/surveys?saved=1#contacts", status_code=303)
