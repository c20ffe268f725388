"""/account: your details, which notices are e-mailed to you (twin:
/api/v1/me/notification-preferences), changing your password, signing out everywhere, a
download of your data (twin: /api/v1/me), /account/delete: what deleting your account deletes
and keeps, and the confirmation (twin: /api/v1/me/deletion), and /account/two-factor for staff
(twin: /api/v1/me/two-factor)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from altmatch.config import Settings
from altmatch.db import Sessions
from altmatch.domain.access import Actor
from altmatch.i18n import N_, Message, render
from altmatch.services.accounts.authentication import sign_out_everywhere
from altmatch.services.accounts.my_account import (
    change_password,
)
from altmatch.services.accounts.two_factor import (
    disable_two_factor,
    enable_two_factor,
    is_staff,
    qr_svg,
    regenerate_recovery_codes,
    two_factor_status,
)
from altmatch.services.accounts.users import get_me
from altmatch.services.kernel.errors import RuleError
from altmatch.services.notifications import email_preferences, set_email_preferences
from altmatch.services.personal_data import delete_my_account, deletion_notice
from altmatch.web.auth import (
    SESSION_COOKIE,
    ActorDep,
    OwnAccountDeleterDep,
    TwoFactorDep,
    clear_session_cookie,
)
from altmatch.web.deps import SessionsDep
from altmatch.web.downloads import export_download
from altmatch.web.locale import LocaleDep
from altmatch.web.pages.forms import FormErrors
from altmatch.web.pages.templating import render_page

router = APIRouter()


def _context(
    sessions: Sessions,
    actor: Actor,
    errors: FormErrors,
    *,
    failed: str | None = None,
    notice: str | None = None,
    locale: str = "en",
) -> dict[str, Any]:
    """`failed` names the form (password, delete) whose `errors` to show."""
    return {
        "user": get_me(sessions, actor),
        "errors": errors,
        "failed": failed,
        "notice": notice,
        "staff": is_staff(actor.role),
        "preferences": email_preferences(sessions, actor, locale=locale),
    }


@router.get("/account", response_class=HTMLResponse)
def account_page(
    request: Request, actor: ActorDep, sessions: SessionsDep, locale: LocaleDep
) -> HTMLResponse:
    return render_page(
        request, "account.html", locale, _context(sessions, actor, FormErrors(), locale=locale)
    )


@router.get("/account/export")
def account_export(actor: ActorDep, sessions: SessionsDep) -> Response:
    """Everything held about you as a ZIP archive with index.json (the same archive as
    /api/v1/me/export)."""
    return export_download(sessions, actor)


def _delete_page(
    request: Request,
    actor: Actor,
    sessions: Sessions,
    locale: str,
    errors: FormErrors | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    context = {
        "notice": deletion_notice(sessions, actor, locale=locale),
        "errors": errors or FormErrors(),
    }
    return render_page(request, "account_delete.html", locale, context, status_code=status_code)


@router.get("/account/delete", response_class=HTMLResponse)
def account_delete_page(
    request: Request, actor: ActorDep, sessions: SessionsDep, locale: LocaleDep
) -> HTMLResponse:
    """What deleting your account deletes, keeps (which fields, why, for how long) and tells
    your employer, and the form to confirm it (twin: /api/v1/me/deletion)."""
    return _delete_page(request, actor, sessions, locale)


@router.post("/account/delete", response_class=HTMLResponse)
def account_delete(
    request: Request,
    actor: OwnAccountDeleterDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    confirm_email: Annotated[str, Form()] = "",
) -> HTMLResponse:
    try:
        delete_my_account(sessions, actor, confirm_email=confirm_email)
    except RuleError as exc:
        errors = FormErrors.from_rule(exc, locale, status_code=400)
        return _delete_page(request, actor, sessions, locale, errors, status_code=400)
    request.state.altmatch_user = None  # the header must no longer show the deleted account
    response = render_page(request, "account_deleted.html", locale, {})
    clear_session_cookie(response)
    return response


@router.post("/account/password", response_class=HTMLResponse)
def account_password(
    request: Request,
    actor: ActorDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    current_password: Annotated[str, Form()] = "",
    new_password: Annotated[str, Form()] = "",
    new_password_again: Annotated[str, Form()] = "",
) -> HTMLResponse:
    """Change one's password (twin: POST /api/v1/me/password); other sessions end."""
    try:
        if new_password != new_password_again:
            raise RuleError(Message(N_("The two passwords differ.")), "new_password_again")
        change_password(
            sessions,
            actor,
            current_password=current_password,
            new_password=new_password,
            keep_token=request.cookies.get(SESSION_COOKIE),
        )
    except RuleError as exc:
        errors = FormErrors.from_rule(exc, locale, status_code=400)
        context = _context(sessions, actor, errors, failed="password", locale=locale)
        return render_page(request, "account.html", locale, context, status_code=400)
    notice = render(
        Message(N_("Your password is changed. You were signed out everywhere else.")), locale
    )
    context = _context(sessions, actor, FormErrors(), notice=notice, locale=locale)
    return render_page(request, "account.html", locale, context)


@router.post("/account/notifications", response_class=HTMLResponse)
def account_notifications(
    request: Request,
    actor: ActorDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    emailed: Annotated[list[str], Form()] = [],  # noqa: B006 (FastAPI copies form defaults)
) -> HTMLResponse:
    """Choose which groups of notices are e-mailed (twin: PUT
    /api/v1/me/notification-preferences); an unknown group is refused, nothing saved."""
    try:
        set_email_preferences(sessions, actor, emailed, locale=locale)
    except ValueError:
        errors = FormErrors.from_rule(
            RuleError(Message(N_("Choose among the listed kinds of notice.")), "emailed"),
            locale,
            status_code=400,
        )
        context = _context(sessions, actor, errors, failed="notifications", locale=locale)
        return render_page(request, "account.html", locale, context, status_code=400)
    notice = render(Message(N_("Your notification choices are saved.")), locale)
    context = _context(sessions, actor, FormErrors(), notice=notice, locale=locale)
    return render_page(request, "account.html", locale, context)


@router.post("/account/sign-out-everywhere")
def account_sign_out_everywhere(actor: ActorDep, sessions: SessionsDep) -> RedirectResponse:
    """End every session of the account, this one too (twin: POST
    /api/v1/me/sign-out-everywhere)."""
    sign_out_everywhere(sessions, actor)
    response = RedirectResponse("/", status_code=303)  # as /sign-out
    clear_session_cookie(response)
    return response


FormText = Annotated[str, Form()]


def _two_factor_page(
    request: Request,
    actor: Actor,
    sessions: Sessions,
    locale: str,
    *,
    errors: FormErrors | None = None,
    failed: str | None = None,
    recovery_codes: list[str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The page; `failed` names the form (enable, renew, off) whose `errors` to show."""
    settings: Settings = request.app.state.settings
    status = two_factor_status(sessions, actor, required=settings.staff_two_factor == "required")
    context = {
        "status": status,
        "qr_svg": qr_svg(status.setup.otpauth_uri) if status.setup else "",
        "errors": errors or FormErrors(),
        "failed": failed,
        "recovery_codes": recovery_codes or [],
    }
    return render_page(request, "two_factor.html", locale, context, status_code=status_code)


@router.get("/account/two-factor", response_class=HTMLResponse)
def two_factor_page(
    request: Request, actor: TwoFactorDep, sessions: SessionsDep, locale: LocaleDep
) -> HTMLResponse:
    return _two_factor_page(request, actor, sessions, locale)


@router.post("/account/two-factor", response_class=HTMLResponse)
def two_factor_enable(
    request: Request,
    actor: TwoFactorDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    code: FormText = "",
) -> HTMLResponse:
    try:
        keep = request.cookies.get(SESSION_COOKIE)
        codes = enable_two_factor(sessions, actor, code=code, keep_token=keep).recovery_codes
    except RuleError as exc:
        errors = FormErrors.from_rule(exc, locale, status_code=400)
        return _two_factor_page(
            request, actor, sessions, locale, errors=errors, failed="enable", status_code=400
        )
    return _two_factor_page(request, actor, sessions, locale, recovery_codes=codes)


@router.post("/account/two-factor/recovery-codes", response_class=HTMLResponse)
def two_factor_renew(
    request: Request,
    actor: TwoFactorDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    code: FormText = "",
) -> HTMLResponse:
    try:
        codes = regenerate_recovery_codes(sessions, actor, code=code)
    except RuleError as exc:
        errors = FormErrors.from_rule(exc, locale, status_code=400)
        return _two_factor_page(
            request, actor, sessions, locale, errors=errors, failed="renew", status_code=400
        )
    return _two_factor_page(request, actor, sessions, locale, recovery_codes=codes.recovery_codes)


@router.post("/account/two-factor/disable", response_class=HTMLResponse)
def two_factor_disable(
    request: Request,
    actor: TwoFactorDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    code: FormText = "",
) -> HTMLResponse:
    try:
        disable_two_factor(sessions, actor, code=code)
    except RuleError as exc:
        errors = FormErrors.from_rule(exc, locale, status_code=400)
        return _two_factor_page(
            request, actor, sessions, locale, errors=errors, failed="off", status_code=400
        )
    return _two_factor_page(request, actor, sessions, locale)
