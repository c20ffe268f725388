"""Transfer request pages: the ALT's own (/my/transfers) and the company's (/dispatch/transfers).

JSON twins: /api/v1/me/transfers, /api/v1/dispatch/transfers and /api/v1/dispatch/transfers/{id}.
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from starlette.datastructures import FormData

from altmatch.clock import today_in_japan
from altmatch.db import Sessions
from altmatch.domain.access import Actor
from altmatch.domain.transfers import default_effective_date
from altmatch.i18n import N_, Message
from altmatch.services.dispatch.assignment import current_assignment
from altmatch.services.dispatch.transfers import (
    ApprovalPreviewOut,
    StaffTransferIn,
    TransferIn,
    approve_transfer,
    cancel_transfer,
    decline_transfer,
    file_transfer,
    get_transfer,
    list_company_transfers,
    list_my_transfers,
    preview_approval,
    propose_transfer_moves,
    request_my_transfer,
    withdraw_my_transfer,
)
from altmatch.services.kernel.errors import RuleError, StaleError
from altmatch.web.auth import DispatchManagerDep, OwnTransferDep
from altmatch.web.deps import SessionsDep
from altmatch.web.locale import LocaleDep
from altmatch.web.pages.forms import FormErrors, PostedForm
from altmatch.web.pages.templating import render_page
from altmatch.web.params import Id

router = APIRouter()


def _fields(form: FormData) -> dict[str, str]:
    return {k: str(v).strip() for k, v in form.items()}


def _version(fields: dict[str, str]) -> int:
    value = fields.get("version", "")
    return int(value) if value.isdigit() else -1


@router.get("/my/transfers", response_class=HTMLResponse)
def my_transfers_page(
    request: Request, actor: OwnTransferDep, sessions: SessionsDep, locale: LocaleDep
) -> HTMLResponse:
    context = {
        "found": list_my_transfers(sessions, actor, locale=locale),
        "errors": FormErrors(),
        "values": {},
    }
    return render_page(request, "my_transfers.html", locale, context)


@router.post("/my/transfers", response_class=HTMLResponse)
def my_transfer_request(
    request: Request,
    actor: OwnTransferDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    form: PostedForm,
) -> Response:
    fields = _fields(form)
    try:
        body = TransferIn.model_validate({k: v for k, v in fields.items() if v})
        request_my_transfer(sessions, actor, body, locale=locale)
    except (ValidationError, RuleError) as exc:
        errors = FormErrors.from_error(exc, locale)
    else:
        return RedirectResponse("/my/transfers", status_code=303)
    context = {
        "found": list_my_transfers(sessions, actor, locale=locale),
        "errors": errors,
        "values": fields,
    }
    return render_page(
        request, "my_transfers.html", locale, context, status_code=errors.status_code
    )


@router.post("/my/transfers/{transfer_id}/withdraw")
def my_transfer_withdraw(
    request: Request,
    transfer_id: Id,
    actor: OwnTransferDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    form: PostedForm,
) -> RedirectResponse:
    fields = _fields(form)
    withdraw_my_transfer(sessions, actor, transfer_id, version=_version(fields), locale=locale)
    return RedirectResponse("/my/transfers", status_code=303)


@router.get("/dispatch/transfers", response_class=HTMLResponse)
def company_transfers_page(
    request: Request, actor: DispatchManagerDep, sessions: SessionsDep, locale: LocaleDep
) -> HTMLResponse:
    return _company_page(request, actor, sessions, locale)


def _company_page(
    request: Request,
    actor: Actor,
    sessions: Sessions,
    locale: str,
    *,
    errors: FormErrors | None = None,
    values: dict[str, str] | None = None,
) -> HTMLResponse:
    errors = errors or FormErrors()
    context = {
        "found": list_company_transfers(sessions, actor, locale=locale),
        "alts": current_assignment(sessions, actor, locale=locale).alts,
        "errors": errors,
        "values": values or {},
    }
    status = errors.status_code if errors else 200
    return render_page(request, "dispatch_transfers.html", locale, context, status_code=status)


@router.post("/dispatch/transfers", response_class=HTMLResponse)
def company_transfer_file(
    request: Request,
    actor: DispatchManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    form: PostedForm,
) -> Response:
    """Staff file a request on an ALT's behalf."""
    fields = _fields(form)
    try:
        body = StaffTransferIn.model_validate({k: v for k, v in fields.items() if v})
        made = file_transfer(sessions, actor, body, locale=locale)
    except (ValidationError, RuleError) as exc:
        errors = FormErrors.from_error(exc, locale)
    else:
        return RedirectResponse(f"/dispatch/transfers/{made.id}", status_code=303)
    return _company_page(request, actor, sessions, locale, errors=errors, values=fields)


def _transfer_page(
    request: Request,
    actor: Actor,
    sessions: Sessions,
    locale: str,
    transfer_id: int,
    *,
    errors: FormErrors | None = None,
    values: dict[str, str] | None = None,
    preview: ApprovalPreviewOut | None = None,
) -> HTMLResponse:
    errors = errors or FormErrors()
    context = {
        "t": preview.transfer
        if preview
        else get_transfer(sessions, actor, transfer_id, locale=locale),
        "preview": preview,
        "errors": errors,
        "values": values or {},
        "default_effective_on": default_effective_date(today_in_japan()),
    }
    status = errors.status_code if errors else 200
    return render_page(request, "dispatch_transfer.html", locale, context, status_code=status)


@router.get("/dispatch/transfers/{transfer_id}", response_class=HTMLResponse)
def company_transfer_page(
    request: Request,
    transfer_id: Id,
    actor: DispatchManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
) -> HTMLResponse:
    return _transfer_page(request, actor, sessions, locale, transfer_id)


def _effective_on(fields: dict[str, str]) -> date | None:
    """The form's effective date (None: the default); a malformed one is refused on its field."""
    raw = fields.get("effective_on", "")
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise RuleError(
            Message(N_("Enter the date as year, month and day, e.g. 2027-04-01.")), "effective_on"
        ) from None


@router.post("/dispatch/transfers/{transfer_id}/{step}", response_class=HTMLResponse)
def company_transfer_step(
    request: Request,
    transfer_id: Id,
    step: str,
    actor: DispatchManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    form: PostedForm,
) -> Response:
    """Propose, approve (a confirmation step first: without `confirm=yes` the page shows what
    will happen and who will be told), decline or cancel (both with a reason); the form names
    its version, and a stale one is refused (409)."""
    fields = _fields(form)
    version, note = _version(fields), fields.get("note", "")
    try:
        if step == "propose":
            propose_transfer_moves(sessions, actor, transfer_id, version=version, locale=locale)
        elif step == "approve":
            when = _effective_on(fields)
            if fields.get("confirm") != "yes":
                preview = preview_approval(
                    sessions, actor, transfer_id, version=version, effective_on=when, locale=locale
                )
                return _transfer_page(
                    request, actor, sessions, locale, transfer_id, values=fields, preview=preview
                )
            approve_transfer(
                sessions,
                actor,
                transfer_id,
                version=version,
                note=note,
                effective_on=when,
                locale=locale,
            )
        elif step == "decline":
            decline_transfer(
                sessions, actor, transfer_id, version=version, note=note, locale=locale
            )
        elif step == "cancel":
            cancel_transfer(sessions, actor, transfer_id, version=version, note=note, locale=locale)
        else:
            get_transfer(sessions, actor, transfer_id, locale=locale)  # 404 for others' requests
    except StaleError:
        raise  # the 409 page: the request changed since it was read
    except RuleError as exc:
        errors = FormErrors.from_error(exc, locale)
        return _transfer_page(
            request,
            actor,
            sessions,
            locale,
            transfer_id,
            errors=errors,
            values={**fields, "step": step},
        )
    return RedirectResponse(f"/dispatch/transfers/{transfer_id}", status_code=303)
