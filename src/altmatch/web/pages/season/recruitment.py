"""The online application's pages: the applicant's form and status (/apply, /seasons/{id}/apply
and its confirmation step) and a referee's upload page (/references/{token}); the offices'
pages are web.pages.season.screening.

Every page renders the read model of its JSON twin (web.api.season.recruitment). The form works
without script; static/application.js only checks eligibility as the applicant types.
Submitting is consequential, so it asks for a ticked confirmation.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from altmatch.db import Sessions
from altmatch.domain.access import Actor
from altmatch.domain.application import withdrawal_refusal
from altmatch.domain.recruitment import DocumentKind
from altmatch.i18n import N_, Message
from altmatch.rulebook.vocabulary import Degree, English, Jlpt
from altmatch.services.kernel.errors import RuleError
from altmatch.services.season.application_reads import (
    ApplicationIn,
    UploadFileIn,
    application_page,
    open_seasons,
    recruitment_rules,
)
from altmatch.services.season.application_withdrawal import (
    WithdrawIn,
    delete_draft,
    withdraw_application,
    withdrawal_preview,
)
from altmatch.services.season.interview_booking import my_interview
from altmatch.services.season.online_application import (
    RefereeIn,
    name_referee,
    save_draft,
    submit_application,
    upload_document,
)
from altmatch.services.season.references import (
    read_reference_link,
    send_referee_letter,
    upload_reference,
)
from altmatch.web.auth import OwnApplicationDep
from altmatch.web.deps import SessionsDep
from altmatch.web.locale import LocaleDep
from altmatch.web.pages.forms import FormErrors, PostedForm
from altmatch.web.pages.templating import render_page
from altmatch.web.params import Id
from altmatch.web.uploads import read_upload_blocking

router = APIRouter()
ANSWER_FIELDS = (
    "name",
    "citizenship",
    "degree",
    "english",
    "jlpt",
    "teaching_years",
    "prior_jet_years",
    "years_in_japan_recent",
    "statement",
    "time_zone",
)


def _choices() -> dict[str, Any]:
    rules = recruitment_rules()
    return {
        "rules": rules,
        "degrees": list(Degree),
        "englishes": list(English),
        "jlpts": list(Jlpt),
        "document_kinds": list(DocumentKind),
        "DocumentKind": DocumentKind,
        "reference_slots": list(range(1, rules.references.count + 1)),
    }


def _version(value: object) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() else None


# -- the applicant ------------------------------------------------------------------------------


@router.get("/apply", response_class=HTMLResponse)
def apply_list_page(
    request: Request, actor: OwnApplicationDep, sessions: SessionsDep, locale: LocaleDep
) -> HTMLResponse:
    """Seasons taking online applications, with the candidate's own in each."""
    found = open_seasons(sessions, actor)
    return render_page(request, "apply_list.html", locale, {"seasons": found})


def _apply(
    request: Request,
    sessions: Sessions,
    actor: Actor,
    locale: str,
    season_id: int,
    *,
    errors: FormErrors | None = None,
    values: dict[str, Any] | None = None,
    notice: str = "",
    template: str = "apply.html",
) -> HTMLResponse:
    found = application_page(sessions, actor, season_id)
    me = found.application
    if values is None:  # a new form starts from the defaults the API takes
        values = (me.answers if me else ApplicationIn()).model_dump()
    context = {
        "found": found,
        "me": me,
        # the interview booked (or to book) once screened in: its own page is /apply/interview
        "interview": my_interview(sessions, actor, season_id)
        if me and me.status == "submitted"
        else None,
        # the status page offers "Withdraw my application" while it may be withdrawn
        "withdrawable": bool(
            me and me.stage and withdrawal_refusal(me.stage, published=False) is None
        ),
        "values": values,
        "errors": errors or FormErrors(),
        "notice": notice,
        **_choices(),
    }
    status = errors.status_code if errors else 200
    return render_page(request, template, locale, context, status_code=status)


@router.get("/seasons/{season_id}/apply", response_class=HTMLResponse)
def apply_page(
    request: Request,
    season_id: Id,
    actor: OwnApplicationDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    done: str = "",
) -> HTMLResponse:
    notices = ("saved", "uploaded", "requested", "unsent", "submitted", "deleted", "withdrawn")
    notice = done if done in notices else ""
    return _apply(request, sessions, actor, locale, season_id, notice=notice)


def _answers(form: PostedForm) -> dict[str, Any]:
    values: dict[str, Any] = {k: str(form.get(k) or "") for k in ANSWER_FIELDS}
    values["citizenship"] = values["citizenship"].strip().upper()
    values["driving_licence"] = form.get("driving_licence") == "on"
    text = str(form.get("preferred_prefectures") or "")
    values["preferred_prefectures"] = [p.strip() for p in text.splitlines() if p.strip()]
    for key in ("teaching_years", "prior_jet_years", "years_in_japan_recent"):
        values[key] = values[key].strip() or "0"
    return values


@router.post("/seasons/{season_id}/apply", response_class=HTMLResponse)
def apply_save(
    request: Request,
    season_id: Id,
    form: PostedForm,
    actor: OwnApplicationDep,
    sessions: SessionsDep,
    locale: LocaleDep,
) -> Response:
    """Save the draft; `action=preview` then shows the confirmation step."""
    values = _answers(form)
    try:
        body = ApplicationIn.model_validate(values)
        save_draft(sessions, actor, season_id, body, version=_version(form.get("version")))
    except (ValidationError, RuleError) as exc:
        errors = FormErrors.from_error(exc, locale)
        return _apply(request, sessions, actor, locale, season_id, errors=errors, values=values)
    if form.get("action") == "preview":
        return RedirectResponse(f"/seasons/{season_id}/apply/confirm", status_code=303)
    return RedirectResponse(f"/seasons/{season_id}/apply?done=saved", status_code=303)


@router.post("/seasons/{season_id}/apply/documents", response_class=HTMLResponse)
def apply_upload(
    request: Request,
    season_id: Id,
    actor: OwnApplicationDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    file: Annotated[UploadFile, File()],
    kind: Annotated[str, Form()] = "",
    version: Annotated[str, Form()] = "",
) -> Response:
    """Upload the degree certificate or transcript (sniffed and size-checked)."""
    try:
        which = DocumentKind(kind)
    except ValueError:
        errors = FormErrors.of(N_("Choose which document this is."), locale, "kind")
        return _apply(request, sessions, actor, locale, season_id, errors=errors)
    limit = recruitment_rules().documents.max_bytes
    upload = UploadFileIn(filename=file.filename or "file", data=read_upload_blocking(file, limit))
    try:
        upload_document(sessions, actor, season_id, which, upload, version=_version(version) or 0)
    except RuleError as exc:
        errors = FormErrors.from_rule(exc, locale)
        return _apply(request, sessions, actor, locale, season_id, errors=errors)
    return RedirectResponse(f"/seasons/{season_id}/apply?done=uploaded", status_code=303)


@router.post("/seasons/{season_id}/apply/referees", response_class=HTMLResponse)
def apply_referee(
    request: Request,
    season_id: Id,
    form: PostedForm,
    actor: OwnApplicationDep,
    sessions: SessionsDep,
    locale: LocaleDep,
) -> Response:
    """Name a referee or resend their link."""
    settings = request.app.state.settings
    try:
        body = RefereeIn.model_validate(
            {
                "slot": str(form.get("slot") or ""),
                "name": str(form.get("referee_name") or ""),
                "email": str(form.get("referee_email") or ""),
            }
        )
        _, letter = name_referee(
            sessions,
            actor,
            season_id,
            body,
            version=_version(form.get("version")) or 0,
            site_url=settings.site_url,
        )
    except (ValidationError, RuleError) as exc:
        errors = FormErrors.from_error(exc, locale)
        return _apply(request, sessions, actor, locale, season_id, errors=errors)
    done = "requested" if send_referee_letter(settings, letter) else "unsent"
    return RedirectResponse(f"/seasons/{season_id}/apply?done={done}", status_code=303)


@router.get("/seasons/{season_id}/apply/confirm", response_class=HTMLResponse)
def apply_confirm_page(
    request: Request,
    season_id: Id,
    actor: OwnApplicationDep,
    sessions: SessionsDep,
    locale: LocaleDep,
) -> HTMLResponse:
    """Everything the application holds, what is still missing, and the confirm box."""
    return _apply(request, sessions, actor, locale, season_id, template="apply_confirm.html")


@router.post("/seasons/{season_id}/apply/submit", response_class=HTMLResponse)
def apply_submit(
    request: Request,
    season_id: Id,
    actor: OwnApplicationDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    version: Annotated[str, Form()] = "",
    confirm: Annotated[str, Form()] = "",
) -> Response:
    if confirm != "yes":
        errors = FormErrors.of(
            N_("Tick the box to confirm that the application is complete and true."),
            locale,
            "confirm",
        )
        return _apply(
            request,
            sessions,
            actor,
            locale,
            season_id,
            errors=errors,
            template="apply_confirm.html",
        )
    try:
        submit_application(sessions, actor, season_id, version=_version(version) or 0)
    except RuleError as exc:
        errors = FormErrors.from_rule(exc, locale)
        return _apply(
            request,
            sessions,
            actor,
            locale,
            season_id,
            errors=errors,
            template="apply_confirm.html",
        )
    return RedirectResponse(f"/seasons/{season_id}/apply?done=submitted", status_code=303)


# -- taking it back: delete the draft, withdraw the submitted application ------------------------


def _withdrawal(
    request: Request,
    sessions: Sessions,
    actor: Actor,
    locale: str,
    season_id: int,
    *,
    mode: str,
    errors: FormErrors | None = None,
    reason: str = "",
) -> HTMLResponse:
    """The confirmation page: what deleting (`mode` delete) or withdrawing would do."""
    context = {
        "w": withdrawal_preview(sessions, actor, season_id),
        "mode": mode,
        "reason": reason,
        "errors": errors or FormErrors(),
    }
    status = errors.status_code if errors else 200
    return render_page(request, "apply_withdraw.html", locale, context, status_code=status)


@router.get("/seasons/{season_id}/apply/delete", response_class=HTMLResponse)
def apply_delete_page(
    request: Request,
    season_id: Id,
    actor: OwnApplicationDep,
    sessions: SessionsDep,
    locale: LocaleDep,
) -> HTMLResponse:
    """What deleting the draft removes, and the confirm box."""
    return _withdrawal(request, sessions, actor, locale, season_id, mode="delete")


@router.post("/seasons/{season_id}/apply/delete", response_class=HTMLResponse)
def apply_delete(
    request: Request,
    season_id: Id,
    actor: OwnApplicationDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    version: Annotated[str, Form()] = "",
    confirm: Annotated[str, Form()] = "",
) -> Response:
    try:
        if confirm != "yes":
            raise RuleError(Message(N_("Tick the box to confirm the deletion.")), "confirm")
        delete_draft(sessions, actor, season_id, version=_version(version) or 0)
    except RuleError as exc:
        errors = FormErrors.from_rule(exc, locale)
        return _withdrawal(
            request, sessions, actor, locale, season_id, mode="delete", errors=errors
        )
    return RedirectResponse(f"/seasons/{season_id}/apply?done=deleted", status_code=303)


@router.get("/seasons/{season_id}/apply/withdraw", response_class=HTMLResponse)
def apply_withdraw_page(
    request: Request,
    season_id: Id,
    actor: OwnApplicationDep,
    sessions: SessionsDep,
    locale: LocaleDep,
) -> HTMLResponse:
    """What withdrawing the submitted application does, a reason, and the confirm box."""
    return _withdrawal(request, sessions, actor, locale, season_id, mode="withdraw")


@router.post("/seasons/{season_id}/apply/withdraw", response_class=HTMLResponse)
def apply_withdraw(
    request: Request,
    season_id: Id,
    actor: OwnApplicationDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    version: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    confirm: Annotated[str, Form()] = "",
) -> Response:
    try:
        if confirm != "yes":
            raise RuleError(
                Message(N_("Tick the box to confirm that you withdraw the application.")),
                "confirm",
            )
        body = WithdrawIn.model_validate({"reason": reason})
        withdraw_application(sessions, actor, season_id, body, version=_version(version) or 0)
    except (ValidationError, RuleError) as exc:
        errors = FormErrors.from_error(exc, locale)
        return _withdrawal(
            request,
            sessions,
            actor,
            locale,
            season_id,
            mode="withdraw",
            errors=errors,
            reason=reason,
        )
    return RedirectResponse(f"/seasons/{season_id}/apply?done=withdrawn", status_code=303)


# -- the referee --------------------------------------------------------------------------------


@router.get("/references/{token}", response_class=HTMLResponse)
def reference_page(
    request: Request, token: str, sessions: SessionsDep, locale: LocaleDep
) -> HTMLResponse:
    link = read_reference_link(sessions, token)
    return render_page(
        request,
        "reference_upload.html",
        locale,
        {"link": link, "token": token, "errors": FormErrors(), "rules": recruitment_rules()},
        status_code=200 if link.valid else 404,
    )


@router.post("/references/{token}", response_class=HTMLResponse)
def reference_upload(
    request: Request,
    token: str,
    sessions: SessionsDep,
    locale: LocaleDep,
    file: Annotated[UploadFile, File()],
) -> HTMLResponse:
    limit = recruitment_rules().documents.max_bytes
    upload = UploadFileIn(filename=file.filename or "file", data=read_upload_blocking(file, limit))
    try:
        link = upload_reference(sessions, token, upload)
    except RuleError as exc:
        link = read_reference_link(sessions, token)
        errors = FormErrors.from_rule(exc, locale)
        return render_page(
            request,
            "reference_upload.html",
            locale,
            {"link": link, "token": token, "errors": errors, "rules": recruitment_rules()},
            status_code=errors.status_code,
        )
    return render_page(
        request,
        "reference_upload.html",
        locale,
        {"link": link, "token": token, "errors": FormErrors(), "rules": recruitment_rules()},
    )
