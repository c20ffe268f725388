"""/verify-email: what a link mailed to an address does (GET shows, POST acts, since mail
scanners open links), /verify-email/account to set the address's account up through it, and
/verify-email/resend for a new link (twins: /api/v1/verify-email...,
/api/v1/me/verification-email)."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, BackgroundTasks, Form, Request
from fastapi.responses import HTMLResponse

from altmatch.config import Settings
from altmatch.db import Sessions
from altmatch.domain.access import Actor
from altmatch.i18n import N_, Message, render
from altmatch.services.accounts.authentication import RateLimitedError
from altmatch.services.accounts.consent import consent_text
from altmatch.services.accounts.email_links import (
    EmailLinkPolicy,
    read_email_link,
    request_verification,
)
from altmatch.services.accounts.passwords import MIN_LENGTH
from altmatch.services.identity import (
    AddressProven,
    confirm_my_address,
    set_up_account_by_link,
)
from altmatch.services.kernel.errors import RuleError
from altmatch.web.auth import (
    SESSION_COOKIE,
    ActorDep,
    OptionalActorDep,
    set_session_cookie,
    sign_in_policy,
)
from altmatch.web.deps import SessionsDep
from altmatch.web.locale import LocaleDep
from altmatch.web.mail import send_account_mail_after
from altmatch.web.pages.forms import FormErrors
from altmatch.web.pages.templating import render_page

router = APIRouter()
FormText = Annotated[str, Form()]
PAGE = "verify_email.html"


def _link_page(
    request: Request,
    sessions: Sessions,
    actor: Actor | None,
    locale: str,
    token: str,
    *,
    values: dict[str, str] | None = None,
    errors: FormErrors | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    link = read_email_link(sessions, token, actor)
    here = "/verify-email?" + urlencode({"token": token})
    context: dict[str, Any] = {
        "state": "link",
        "link": link,
        "token": token,
        "sign_in_url": "/sign-in?next=" + quote(here, safe=""),
        "consent": consent_text(locale),
        "min_password_length": MIN_LENGTH,
        "values": values or {},
        "errors": errors or FormErrors(),
    }
    return render_page(request, PAGE, locale, context, status_code=status_code)


def _proven(request: Request, locale: str, proven: AddressProven) -> HTMLResponse:
    request.state.altmatch_user = proven.user  # the header shows the account now signed in
    context = {"state": "done", "user": proven.user, "linked": proven.linked}
    return render_page(request, PAGE, locale, context)


@router.get("/verify-email", response_class=HTMLResponse)
def verify_email_page(
    request: Request,
    actor: OptionalActorDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    token: str = "",
) -> HTMLResponse:
    """What the link can do; nothing changes until a button is pressed."""
    return _link_page(request, sessions, actor, locale, token[:200])


@router.post("/verify-email", response_class=HTMLResponse)
def verify_email_confirm(
    request: Request,
    actor: ActorDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    token: FormText = "",
) -> HTMLResponse:
    """Signed in to the address's account: confirm it and link its applications."""
    try:
        proven = confirm_my_address(sessions, actor, token)
    except RuleError as exc:
        errors = FormErrors.from_rule(exc, locale, status_code=400)
        return _link_page(request, sessions, actor, locale, token, errors=errors, status_code=400)
    return _proven(request, locale, proven)


@router.post("/verify-email/account", response_class=HTMLResponse)
def verify_email_set_up(
    request: Request,
    actor: OptionalActorDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    token: FormText = "",
    display_name: FormText = "",
    password: FormText = "",
    password_again: FormText = "",
    consent: FormText = "",
    consent_version: FormText = "",
) -> HTMLResponse:
    """Make or take over the address's account through the link, and sign in to it."""
    values = {"display_name": display_name}
    try:
        if password != password_again:
            raise RuleError(Message(N_("The two passwords differ.")), "password_again")
        proven = set_up_account_by_link(
            sessions,
            token,
            display_name=display_name,
            password=password,
            locale=locale,
            consent_version=consent_version if consent else None,
            policy=sign_in_policy(request),
            replacing_token=request.cookies.get(SESSION_COOKIE),
        )
    except RuleError as exc:
        errors = FormErrors.from_rule(exc, locale, status_code=400)
        return _link_page(
            request, sessions, actor, locale, token, values=values, errors=errors, status_code=400
        )
    response = _proven(request, locale, proven)
    assert proven.signed_in is not None
    set_session_cookie(request, response, proven.signed_in)
    return response


@router.post("/verify-email/resend", response_class=HTMLResponse)
def verify_email_resend(
    request: Request,
    background: BackgroundTasks,
    actor: ActorDep,
    sessions: SessionsDep,
    locale: LocaleDep,
) -> HTMLResponse:
    """A new link for the signed-in account's address (rate-limited)."""
    settings: Settings = request.app.state.settings
    policy = EmailLinkPolicy.from_settings(settings)
    try:
        email = request_verification(sessions, actor, policy=policy)
    except RateLimitedError as exc:  # too many: 429 with Retry-After
        context = {"state": "refused", "message": render(exc.message, locale)}
        response = render_page(request, PAGE, locale, context, status_code=429)
        response.headers["Retry-After"] = str(exc.retry_after_seconds)
        return response
    except RuleError as exc:
        context = {"state": "refused", "message": render(exc.message, locale)}
        return render_page(request, PAGE, locale, context, status_code=400)
    send_account_mail_after(request, background, email)
    hours = policy.link_lifetime.total_seconds() / 3600
    context = {"state": "sent", "email": email, "hours": f"{hours:g}"}
    return render_page(request, PAGE, locale, context)
