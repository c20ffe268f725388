"""Support case pages: the ALT's cases and form (/my/cases), a handler's queue (/cases) and one
case (/cases/{id}) with its reply, resolve, reopen and mediation forms.

JSON twins: /api/v1/me/cases, /api/v1/cases and /api/v1/cases/{id}; both call the same services.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from altmatch.db import Sessions
from altmatch.domain.access import Actor
from altmatch.services.kernel.errors import RuleError, StaleError
from altmatch.services.support.case_reads import (
    CaseOut,
    emergency_contacts,
    get_case,
    list_my_cases,
    list_queue,
)
from altmatch.services.support.cases import (
    CaseIn,
    MediationIn,
    MessageIn,
    ReopenIn,
    ResolveIn,
    UploadIn,
    open_case,
    post_message,
    record_mediation,
    reopen_case,
    resolve_case,
)
from altmatch.services.support.escalation import support_rules
from altmatch.web.auth import ActorDep, CaseHandlerDep, OwnCaseDep
from altmatch.web.deps import SessionsDep
from altmatch.web.locale import LocaleDep
from altmatch.web.pages.forms import FormErrors
from altmatch.web.pages.templating import render_page

router = APIRouter()
CASE_FIELDS = ("category", "urgency", "subject", "description", "language")
FILE_KINDS = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "text/plain": "TXT",
}


def _form_context(locale: str) -> dict[str, Any]:
    """The open-a-case form's choices, limits and the emergency numbers."""
    rules = support_rules()
    return {
        "contacts": emergency_contacts(rules, locale),
        "limits": rules.attachments,
        "file_kinds": ", ".join(FILE_KINDS.get(t, t) for t in rules.attachments.content_types),
    }


@router.get("/my/cases", response_class=HTMLResponse)
def my_cases_page(
    request: Request, actor: OwnCaseDep, sessions: SessionsDep, locale: LocaleDep
) -> HTMLResponse:
    context = {
        "found": list_my_cases(sessions, actor),
        "values": {"language": locale},
        "errors": FormErrors(),
    }
    return render_page(request, "support_my_cases.html", locale, context | _form_context(locale))


async def _uploads(form: FormData, limit: int) -> list[UploadIn]:
    return [
        UploadIn(
            filename=f.filename or "attachment",
            content_type=(f.content_type or "").split(";")[0].strip().lower(),
            data=await f.read(limit + 1),  # one byte over is enough to refuse it
        )
        for f in form.getlist("attachments")
        if isinstance(f, UploadFile) and f.filename
    ]


@router.post("/my/cases", response_class=HTMLResponse)
async def my_case_open(
    request: Request, actor: OwnCaseDep, sessions: SessionsDep, locale: LocaleDep
) -> Response:
    """Open a case from the multipart form; a refusal shows the reasons and keeps the input."""
    form = await request.form()
    values = {k: str(form.get(k) or "") for k in CASE_FIELDS}
    try:
        files = await _uploads(form, support_rules().attachments.max_bytes)
        body = CaseIn.model_validate({k: v.strip() for k, v in values.items() if v.strip()})
        made = await run_in_threadpool(open_case, sessions, actor, body, files, locale=locale)
    except (ValidationError, RuleError) as exc:
        errors = FormErrors.from_error(exc, locale)
    else:
        return RedirectResponse(f"/cases/{made.id}", status_code=303)
    context = {"found": list_my_cases(sessions, actor), "values": values, "errors": errors}
    return render_page(
        request,
        "support_my_cases.html",
        locale,
        context | _form_context(locale),
        status_code=errors.status_code,
    )


@router.get("/cases", response_class=HTMLResponse)
def queue_page(
    request: Request,
    actor: CaseHandlerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    include_resolved: bool = False,
) -> HTMLResponse:
    found = list_queue(sessions, actor, include_resolved=include_resolved)
    context = {"found": found, "include_resolved": include_resolved}
    return render_page(request, "support_queue.html", locale, context)


def _case_page(
    request: Request,
    actor: Actor,
    sessions: Sessions,
    case_id: int,
    locale: str,
    *,
    errors: FormErrors | None = None,
    values: Mapping[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    context = {
        "case": get_case(sessions, actor, case_id, locale=locale),
        "errors": errors or FormErrors(),
        "values": values or {},
    }
    return render_page(request, "support_case.html", locale, context, status_code=status_code)


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def case_page(
    request: Request, case_id: int, actor: ActorDep, sessions: SessionsDep, locale: LocaleDep
) -> HTMLResponse:
    return _case_page(request, actor, sessions, case_id, locale)


async def _act(
    request: Request,
    actor: Actor,
    sessions: Sessions,
    case_id: int,
    locale: str,
    model: type[BaseModel],
    action: Callable[..., CaseOut],
) -> Response:
    """Validate the form into `model`, call `action(sessions, actor, case_id, body)` and go back
    to the case (303); a refusal shows the case again with the reason and the input (422)."""
    form = await request.form()
    fields = {k: str(v).strip() for k, v in form.items() if isinstance(v, str)}
    try:
        body = model.model_validate({k: v for k, v in fields.items() if v})
        await run_in_threadpool(action, sessions, actor, case_id, body, locale=locale)
    except StaleError:
        raise  # the app answers 409: reload the case
    except (ValidationError, RuleError) as exc:
        errors = FormErrors.from_error(exc, locale)
    else:
        return RedirectResponse(f"/cases/{case_id}", status_code=303)
    return _case_page(
        request, actor, sessions, case_id, locale, errors=errors, values=fields, status_code=422
    )


@router.post("/cases/{case_id}/reply")
async def case_reply(
    request: Request, case_id: int, actor: ActorDep, sessions: SessionsDep, locale: LocaleDep
) -> Response:
    """A reply from the ALT or a handler, or a handler's internal note (checkbox `internal`)."""
    return await _act(request, actor, sessions, case_id, locale, MessageIn, post_message)


@router.post("/cases/{case_id}/resolve")
async def case_resolve(
    request: Request, case_id: int, actor: CaseHandlerDep, sessions: SessionsDep, locale: LocaleDep
) -> Response:
    return await _act(request, actor, sessions, case_id, locale, ResolveIn, resolve_case)


@router.post("/cases/{case_id}/reopen")
async def case_reopen(
    request: Request, case_id: int, actor: OwnCaseDep, sessions: SessionsDep, locale: LocaleDep
) -> Response:
    return await _act(request, actor, sessions, case_id, locale, ReopenIn, reopen_case)


@router.post("/cases/{case_id}/mediation")
async def case_mediation(
    request: Request, case_id: int, actor: CaseHandlerDep, sessions: SessionsDep, locale: LocaleDep
) -> Response:
    return await _act(request, actor, sessions, case_id, locale, MediationIn, record_mediation)
