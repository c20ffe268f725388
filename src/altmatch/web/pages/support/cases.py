"""Support case pages: the ALT's cases and form (/my/cases), a handler's queue (/cases) and one
case (/cases/{id}) with its reply, resolve, reopen and mediation forms.

JSON twins: /api/v1/me/cases, /api/v1/cases and /api/v1/cases/{id}; both call the same services.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData, UploadFile

from altmatch.db import Sessions
from altmatch.domain.access import Actor
from altmatch.services.kernel.errors import RuleError, StaleError
from altmatch.services.support.case_reads import (
    QUEUE,
    CaseOut,
    emergency_contacts,
    get_case,
    list_my_cases,
)
from altmatch.services.support.case_reads import queue_page as queue_page_of
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
from altmatch.web.listing import ListQuery, list_query
from altmatch.web.locale import LocaleDep
from altmatch.web.pages.forms import FormErrors, PostedForm
from altmatch.web.pages.templating import render_page
from altmatch.web.params import Id
from altmatch.web.uploads import read_upload_blocking, takes_uploads

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


def _uploads(form: FormData, limit: int) -> list[UploadIn]:
    return [
        UploadIn(
            filename=f.filename or "attachment",
            content_type=(f.content_type or "").split(";")[0].strip().lower(),
            data=read_upload_blocking(f, limit),  # one byte over is enough to refuse it
        )
        for f in form.getlist("attachments")
        if isinstance(f, UploadFile) and f.filename
    ]


@router.post("/my/cases", response_class=HTMLResponse)
@takes_uploads
def my_case_open(
    request: Request,
    actor: OwnCaseDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    form: PostedForm,
) -> Response:
    """Open a case from the multipart form; a refusal shows the reasons and keeps the input."""
    values = {k: str(form.get(k) or "") for k in CASE_FIELDS}
    try:
        files = _uploads(form, support_rules().attachments.max_bytes)
        body = CaseIn.model_validate({k: v.strip() for k, v in values.items() if v.strip()})
        made = open_case(sessions, actor, body, files, locale=locale)
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


QueueQuery = Annotated[ListQuery, Depends(list_query(QUEUE))]


@router.get("/cases", response_class=HTMLResponse)
def queue_page(
    request: Request,
    actor: CaseHandlerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    lq: QueueQuery,
) -> HTMLResponse:
    """The queue a page at a time, with the query string of /api/v1/cases."""
    found = queue_page_of(sessions, actor, lq)
    context = {"found": found, "lq": lq, "include_resolved": found.include_resolved}
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
    request: Request, case_id: Id, actor: ActorDep, sessions: SessionsDep, locale: LocaleDep
) -> HTMLResponse:
    return _case_page(request, actor, sessions, case_id, locale)


def _act(
    request: Request,
    form: FormData,
    actor: Actor,
    sessions: Sessions,
    case_id: int,
    locale: str,
    model: type[BaseModel],
    action: Callable[..., CaseOut],
) -> Response:
    """Validate the form into `model`, call `action(sessions, actor, case_id, body)` and go back
    to the case (303); a refusal shows the case again with the reason and the input (422)."""
    fields = {k: str(v).strip() for k, v in form.items() if isinstance(v, str)}
    try:
        body = model.model_validate({k: v for k, v in fields.items() if v})
        action(sessions, actor, case_id, body, locale=locale)
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
def case_reply(
    request: Request,
    case_id: Id,
    actor: ActorDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    form: PostedForm,
) -> Response:
    """A reply from the ALT or a handler, or a handler's internal note (checkbox `internal`)."""
    return _act(request, form, actor, sessions, case_id, locale, MessageIn, post_message)


@router.post("/cases/{case_id}/resolve")
def case_resolve(
    request: Request,
    case_id: Id,
    actor: CaseHandlerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    form: PostedForm,
) -> Response:
    return _act(request, form, actor, sessions, case_id, locale, ResolveIn, resolve_case)


@router.post("/cases/{case_id}/reopen")
def case_reopen(
    request: Request,
    case_id: Id,
    actor: OwnCaseDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    form: PostedForm,
) -> Response:
    return _act(request, form, actor, sessions, case_id, locale, ReopenIn, reopen_case)


@router.post("/cases/{case_id}/mediation")
def case_mediation(
    request: Request,
    case_id: Id,
    actor: CaseHandlerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    form: PostedForm,
) -> Response:
    return _act(request, form, actor, sessions, case_id, locale, MediationIn, record_mediation)
