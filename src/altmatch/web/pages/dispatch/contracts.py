"""Dispatch pages: contracts (with positions), tenders and the roster, over the same services as
their JSON twins under /api/v1/dispatch. Forms post here and redirect back on success; a refused
form is shown again with the reasons (422, or 409 for a stale version). Checking a roster or
positions file is answered at once; importing one starts a background job and goes on to its
progress page (/dispatch/jobs/{job}), which shows the report."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from starlette.datastructures import FormData

from altmatch.domain.access import Actor
from altmatch.i18n import N_
from altmatch.rulebook.vocabulary import ContractType, Jlpt, RenewalIntention
from altmatch.services.dispatch.contracts import (
    ContractFields,
    create_contract,
    get_contract,
    import_positions,
    list_contracts,
)
from altmatch.services.dispatch.import_jobs import (
    DispatchImportTarget,
    ImportRefusedError,
    import_job_status,
    start_import_job,
)
from altmatch.services.dispatch.roster import (
    ROSTER,
    ChecklistTick,
    ComplianceDatesEdit,
    RenewalEdit,
    get_roster_alt,
    import_roster,
    set_compliance_dates,
    set_renewal_intention,
    tick_checklist,
)
from altmatch.services.dispatch.roster import roster_page as roster_page_of
from altmatch.services.dispatch.tenders import (
    OutcomeFields,
    TenderFields,
    list_tenders,
    record_tender,
    set_tender_outcome,
)
from altmatch.services.kernel.errors import RuleError
from altmatch.services.kernel.imports import ImportOut
from altmatch.web.auth import ContractViewerDep, DispatchManagerDep
from altmatch.web.deps import SessionsDep
from altmatch.web.listing import ListQuery, list_query
from altmatch.web.locale import LocaleDep
from altmatch.web.pages.forms import FormErrors, PostedForm
from altmatch.web.pages.jobs import job_page, job_started
from altmatch.web.pages.templating import render_page
from altmatch.web.params import Id
from altmatch.web.uploads import ImportLimitsDep, read_upload_blocking

router = APIRouter()
FileField = Annotated[UploadFile, File()]
Action = Annotated[str, Form()]


def _vocabulary() -> dict[str, Any]:
    return {
        "renewal_intentions": list(RenewalIntention),
        "jlpt_levels": list(Jlpt),
        "contract_types": list(ContractType),
    }


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _start_import(
    request: Request,
    actor: Actor,
    sessions: SessionsDep,
    locale: str,
    limits: ImportLimitsDep,
    target: DispatchImportTarget,
    content: bytes,
    filename: str,
    contract_id: int | None = None,
) -> Response | ImportOut:
    """Start the import job and answer with its progress page; a file too big to store is
    refused at once, with the report a check gives (returned, for the form's page to show)."""
    try:
        job = start_import_job(
            sessions,
            actor,
            target,
            content=content,
            filename=filename,
            limits=limits,
            contract_id=contract_id,
            locale=locale,
        )
    except ImportRefusedError as refused:
        return refused.report
    return job_started(request, f"/dispatch/jobs/{job.id}")


def _form(form: FormData) -> dict[str, str]:
    """The form's fields without blanks (so a model's defaults apply)."""
    return {k: str(v).strip() for k, v in form.items() if str(v).strip() != ""}


def _attempt(locale: str, act: Callable[[], object]) -> FormErrors:
    """Run a form's action; its errors (none on success), with the status to show them."""
    try:
        act()
    except (ValidationError, RuleError) as exc:
        return FormErrors.from_error(exc, locale)
    return FormErrors()


def _listing(
    request: Request,
    template: str,
    locale: str,
    found: object,
    values: dict[str, str] | None,
    errors: FormErrors | None,
) -> HTMLResponse:
    """A list page with its create form: the records, and the form's input and errors if any."""
    errors = errors or FormErrors()
    context = {"found": found, "values": values or {}, "errors": errors}
    status = errors.status_code if errors else 200
    return render_page(request, template, locale, context | _vocabulary(), status_code=status)


# --- contracts -----------------------------------------------------------------------------


def _contracts_page(
    request: Request,
    actor: Actor,
    sessions: SessionsDep,
    locale: str,
    *,
    values: dict[str, str] | None = None,
    errors: FormErrors | None = None,
) -> HTMLResponse:
    found = list_contracts(sessions, actor, locale=locale)
    return _listing(request, "dispatch_contracts.html", locale, found, values, errors)


@router.get("/dispatch/contracts", response_class=HTMLResponse)
def contracts_page(
    request: Request, actor: ContractViewerDep, sessions: SessionsDep, locale: LocaleDep
) -> HTMLResponse:
    return _contracts_page(request, actor, sessions, locale)


@router.post("/dispatch/contracts", response_class=HTMLResponse)
def contract_create(
    request: Request,
    actor: DispatchManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    form: PostedForm,
) -> Response:
    data = _form(form)
    created: list[int] = []

    def act() -> None:
        fields = ContractFields.model_validate(data)
        created.append(create_contract(sessions, actor, fields, locale=locale).id)

    errors = _attempt(locale, act)
    if not errors:
        return _see_other(f"/dispatch/contracts/{created[0]}")
    return _contracts_page(request, actor, sessions, locale, values=data, errors=errors)


def _contract_page(
    request: Request,
    actor: Actor,
    sessions: SessionsDep,
    locale: str,
    contract_id: int,
    imported: ImportOut | None = None,
) -> HTMLResponse:
    context = {"contract": get_contract(sessions, actor, contract_id, locale=locale)}
    status = 422 if imported is not None and imported.errors else 200
    return render_page(
        request,
        "dispatch_contract.html",
        locale,
        context | {"imported": imported} | _vocabulary(),
        status_code=status,
    )


@router.get("/dispatch/contracts/{contract_id}", response_class=HTMLResponse)
def contract_page(
    request: Request,
    contract_id: Id,
    actor: ContractViewerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
) -> HTMLResponse:
    return _contract_page(request, actor, sessions, locale, contract_id)


@router.post("/dispatch/contracts/{contract_id}/positions", response_class=HTMLResponse)
def contract_positions(
    request: Request,
    contract_id: Id,
    actor: DispatchManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    limits: ImportLimitsDep,
    file: FileField,
    action: Action = "preview",
) -> Response:
    """`action` preview checks the file and shows every bad row at once; commit starts an
    import job (every position or none) and goes on to its progress page."""
    content = read_upload_blocking(file, limits.max_bytes)
    filename = file.filename or ""
    if action == "commit":
        started = _start_import(
            request, actor, sessions, locale, limits, "positions", content, filename, contract_id
        )
        if isinstance(started, Response):
            return started
        return _contract_page(request, actor, sessions, locale, contract_id, started)
    result = import_positions(
        sessions,
        actor,
        contract_id,
        content=content,
        filename=filename,
        commit=False,
        limits=limits,
        locale=locale,
    )
    return _contract_page(request, actor, sessions, locale, contract_id, result)


# --- tenders -------------------------------------------------------------------------------


def _tenders_page(
    request: Request,
    actor: Actor,
    sessions: SessionsDep,
    locale: str,
    *,
    values: dict[str, str] | None = None,
    errors: FormErrors | None = None,
) -> HTMLResponse:
    found = list_tenders(sessions, actor, locale=locale)
    return _listing(request, "dispatch_tenders.html", locale, found, values, errors)


@router.get("/dispatch/tenders", response_class=HTMLResponse)
def tenders_page(
    request: Request, actor: DispatchManagerDep, sessions: SessionsDep, locale: LocaleDep
) -> HTMLResponse:
    return _tenders_page(request, actor, sessions, locale)


@router.post("/dispatch/tenders", response_class=HTMLResponse)
def tender_record(
    request: Request,
    actor: DispatchManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    form: PostedForm,
) -> Response:
    data = _form(form)
    errors = _attempt(
        locale,
        lambda: record_tender(sessions, actor, TenderFields.model_validate(data), locale=locale),
    )
    if not errors:
        return _see_other("/dispatch/tenders")
    return _tenders_page(request, actor, sessions, locale, values=data, errors=errors)


@router.post("/dispatch/tenders/{tender_id}/outcome", response_class=HTMLResponse)
def tender_outcome(
    request: Request,
    tender_id: Id,
    actor: DispatchManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    form: PostedForm,
) -> Response:
    data = _form(form)
    errors = _attempt(
        locale,
        lambda: set_tender_outcome(
            sessions, actor, tender_id, OutcomeFields.model_validate(data), locale=locale
        ),
    )
    if not errors:
        return _see_other("/dispatch/tenders")
    return _tenders_page(request, actor, sessions, locale, errors=errors)


# --- roster --------------------------------------------------------------------------------


def _roster_page(
    request: Request,
    actor: Actor,
    sessions: SessionsDep,
    locale: str,
    lq: ListQuery,
    imported: ImportOut | None = None,
) -> HTMLResponse:
    context = {
        "found": roster_page_of(sessions, actor, lq, locale=locale),
        "lq": lq,
        "imported": imported,
    }
    status = 422 if imported is not None and imported.errors else 200
    return render_page(
        request, "dispatch_roster.html", locale, context | _vocabulary(), status_code=status
    )


RosterQuery = Annotated[ListQuery, Depends(list_query(ROSTER))]


@router.get("/dispatch/roster", response_class=HTMLResponse)
def roster_page(
    request: Request,
    actor: DispatchManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    lq: RosterQuery,
) -> HTMLResponse:
    """The roster a page at a time, with the query string of /api/v1/dispatch/roster (search,
    filters, sort, page); blank filters (as an HTML form sends them) mean no filter."""
    return _roster_page(request, actor, sessions, locale, lq)


@router.post("/dispatch/roster/import", response_class=HTMLResponse)
def roster_import(
    request: Request,
    actor: DispatchManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    limits: ImportLimitsDep,
    file: FileField,
    action: Action = "preview",
) -> Response:
    """`action` preview checks the file and shows every bad row at once; commit starts an
    import job (every row or none) and goes on to its progress page."""
    content = read_upload_blocking(file, limits.max_bytes)
    filename = file.filename or ""
    if action == "commit":
        started = _start_import(
            request, actor, sessions, locale, limits, "roster", content, filename
        )
        if isinstance(started, Response):
            return started
        return _roster_page(request, actor, sessions, locale, ListQuery(), started)
    result = import_roster(
        sessions,
        actor,
        content=content,
        filename=filename,
        commit=False,
        limits=limits,
        locale=locale,
    )
    return _roster_page(request, actor, sessions, locale, ListQuery(), result)


@router.get("/dispatch/jobs/{job_id}", response_class=HTMLResponse)
def import_job_page(
    request: Request,
    job_id: Id,
    actor: DispatchManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
) -> HTMLResponse:
    """A roster or positions import job of the company: its stage, then its report (rows
    imported, or every row and column at fault). Polled by htmx; refreshes itself without
    JavaScript. JSON twin: GET /api/v1/dispatch/jobs/{job}."""
    job = import_job_status(sessions, actor, job_id, locale=locale)
    if job.target == "positions" and job.contract_id is not None:
        back_url, back_label = f"/dispatch/contracts/{job.contract_id}", N_("Back to the contract")
    else:
        back_url, back_label = "/dispatch/roster", N_("Back to the roster")
    return job_page(
        request,
        locale,
        "dispatch_import_job.html",
        job,
        poll_url=f"/dispatch/jobs/{job.id}",
        back_url=back_url,
        back_label=back_label,
    )


def _alt_page(
    request: Request,
    actor: Actor,
    sessions: SessionsDep,
    locale: str,
    alt_id: int,
    *,
    errors: FormErrors | None = None,
) -> HTMLResponse:
    context = {
        "alt": get_roster_alt(sessions, actor, alt_id, locale=locale),
        "errors": errors or FormErrors(),
    }
    status = errors.status_code if errors else 200
    return render_page(
        request, "dispatch_roster_alt.html", locale, context | _vocabulary(), status_code=status
    )


@router.get("/dispatch/roster/{alt_id}", response_class=HTMLResponse)
def roster_alt_page(
    request: Request,
    alt_id: Id,
    actor: DispatchManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
) -> HTMLResponse:
    return _alt_page(request, actor, sessions, locale, alt_id)


@router.post("/dispatch/roster/{alt_id}/checklist", response_class=HTMLResponse)
def roster_alt_checklist(
    request: Request,
    alt_id: Id,
    actor: DispatchManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    form: PostedForm,
) -> Response:
    """Tick an item with its date; a form without a date clears it."""
    data = _form(form)
    return _edit_alt(
        request,
        actor,
        sessions,
        locale,
        alt_id,
        lambda: tick_checklist(
            sessions, actor, alt_id, ChecklistTick.model_validate(data), locale=locale
        ),
    )


@router.post("/dispatch/roster/{alt_id}/renewal", response_class=HTMLResponse)
def roster_alt_renewal(
    request: Request,
    alt_id: Id,
    actor: DispatchManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    form: PostedForm,
) -> Response:
    data = _form(form)
    return _edit_alt(
        request,
        actor,
        sessions,
        locale,
        alt_id,
        lambda: set_renewal_intention(
            sessions, actor, alt_id, RenewalEdit.model_validate(data), locale=locale
        ),
    )


@router.post("/dispatch/roster/{alt_id}/compliance-dates", response_class=HTMLResponse)
def roster_alt_compliance_dates(
    request: Request,
    alt_id: Id,
    actor: DispatchManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    form: PostedForm,
) -> Response:
    """The compliance watch's dates; an empty field clears its date."""
    data = _form(form)
    return _edit_alt(
        request,
        actor,
        sessions,
        locale,
        alt_id,
        lambda: set_compliance_dates(
            sessions, actor, alt_id, ComplianceDatesEdit.model_validate(data), locale=locale
        ),
    )


def _edit_alt(
    request: Request,
    actor: Actor,
    sessions: SessionsDep,
    locale: str,
    alt_id: int,
    edit: Callable[[], object],
) -> Response:
    """One edit of an ALT's roster entry: back to the ALT's page when it is made, the same page
    with its errors when it is refused."""
    errors = _attempt(locale, edit)
    if not errors:
        return _see_other(f"/dispatch/roster/{alt_id}")
    return _alt_page(request, actor, sessions, locale, alt_id, errors=errors)
