"""/sign-in (with its second-factor step), /sign-out and /sign-up pages (JSON twins:
/api/v1/session and /api/v1/signup)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from altmatch.i18n import N_, render
from altmatch.services.accounts.authentication import (
    CHALLENGE_LIFETIME,
    ChallengeExpiredError,
    RateLimitedError,
    SignedIn,
    SignInError,
    complete_sign_in,
    sign_in,
)
from altmatch.services.accounts.authentication import sign_out as end_session
from altmatch.services.accounts.consent import consent_text
from altmatch.services.accounts.my_account import sign_up_candidate
from altmatch.services.accounts.passwords import MIN_LENGTH
from altmatch.services.kernel.errors import RuleError
from altmatch.web.auth import (
    CHALLENGE_COOKIE,
    SESSION_COOKIE,
    clear_challenge_cookie,
    clear_session_cookie,
    client_ip,
    set_challenge_cookie,
    set_session_cookie,
    sign_in_policy,
)
from altmatch.web.deps import SessionsDep
from altmatch.web.locale import LocaleDep
from altmatch.web.mail import send_account_mail_after
from altmatch.web.pages.forms import FormErrors
from altmatch.web.pages.templating import render_page

router = APIRouter()
DEFAULT_NEXT = "/"  # the home page: the signed-in person's next steps


def safe_next(target: str | None) -> str:
    """Only a path on this site: `next=https://evil.example` must not turn sign-in into an
    open redirect."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return DEFAULT_NEXT
    return target


FormText = Annotated[str, Form()]


def _signed_in(request: Request, signed_in: SignedIn, target: str) -> RedirectResponse:
    response = RedirectResponse(target, status_code=303)
    set_session_cookie(request, response, signed_in)
    return response


def _refused(
    request: Request, locale: str, template: str, context: Mapping[str, object], exc: SignInError
) -> HTMLResponse:
    """The form again with the reason; 429 and Retry-After when rate limited."""
    status = 429 if isinstance(exc, RateLimitedError) else 400
    context = {**context, "errors": FormErrors.of(exc.message, locale, status_code=status)}
    response = render_page(request, template, locale, context, status_code=status)
    if isinstance(exc, RateLimitedError):
        response.headers["Retry-After"] = str(exc.retry_after_seconds)
    return response


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in_form(request: Request, locale: LocaleDep, next: str | None = None) -> HTMLResponse:
    context: dict[str, object] = {"next": safe_next(next), "values": {}, "errors": FormErrors()}
    return render_page(request, "sign_in.html", locale, context)


@router.post("/sign-in", response_class=HTMLResponse)
def sign_in_submit(
    request: Request,
    locale: LocaleDep,
    sessions: SessionsDep,
    email: FormText = "",
    password: FormText = "",
    next: FormText = "",
) -> Response:
    target = safe_next(next)
    try:
        result = sign_in(
            sessions,
            email=email,
            password=password,
            ip=client_ip(request),
            policy=sign_in_policy(request),
            replacing_token=request.cookies.get(SESSION_COOKIE),
        )
    except SignInError as exc:
        context = {"next": target, "values": {"email": email}}
        return _refused(request, locale, "sign_in.html", context, exc)
    if isinstance(result, SignedIn):
        return _signed_in(request, result, target)
    code_form = {"next": target, "errors": FormErrors()}
    response = render_page(request, "sign_in_code.html", locale, code_form)
    max_age = int(CHALLENGE_LIFETIME.total_seconds())
    set_challenge_cookie(request, response, result.challenge, max_age)
    return response


@router.get("/sign-in/code", response_class=HTMLResponse)
def sign_in_code_form(request: Request, locale: LocaleDep, next: str | None = None) -> Response:
    """The code form again (after switching language, say) while a challenge is pending, else
    the password form."""
    if not request.cookies.get(CHALLENGE_COOKIE):
        return sign_in_form(request, locale, next)
    context = {"next": safe_next(next), "errors": FormErrors()}
    return render_page(request, "sign_in_code.html", locale, context)


@router.post("/sign-in/code", response_class=HTMLResponse)
def sign_in_code_submit(
    request: Request,
    locale: LocaleDep,
    sessions: SessionsDep,
    code: FormText = "",
    next: FormText = "",
) -> Response:
    """The second step for staff with two-factor sign-in: the code from the phone (or a
    recovery code) against the challenge the cookie holds."""
    target = safe_next(next)
    try:
        signed_in = complete_sign_in(
            sessions,
            challenge=request.cookies.get(CHALLENGE_COOKIE, ""),
            code=code,
            ip=client_ip(request),
            policy=sign_in_policy(request),
            replacing_token=request.cookies.get(SESSION_COOKIE),
        )
    except ChallengeExpiredError as exc:
        context = {"next": target, "values": {}}
        refused = _refused(request, locale, "sign_in.html", context, exc)
        clear_challenge_cookie(refused)
        return refused
    except SignInError as exc:
        return _refused(request, locale, "sign_in_code.html", {"next": target}, exc)
    response = _signed_in(request, signed_in, target)
    clear_challenge_cookie(response)
    return response


@router.post("/sign-out")
def sign_out(request: Request, sessions: SessionsDep) -> RedirectResponse:
    end_session(sessions, request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/", status_code=303)
    clear_session_cookie(response)
    return response


def _sign_up_page(
    request: Request, locale: str, values: dict[str, str], errors: FormErrors, status: int
) -> HTMLResponse:
    context = {
        "consent": consent_text(locale),
        "values": values,
        "errors": errors,
        "min_password_length": MIN_LENGTH,
    }
    return render_page(request, "sign_up.html", locale, context, status_code=status)


@router.get("/sign-up", response_class=HTMLResponse)
def sign_up_form(request: Request, locale: LocaleDep) -> HTMLResponse:
    return _sign_up_page(request, locale, {}, FormErrors(), 200)


@router.post("/sign-up", response_class=HTMLResponse)
def sign_up_submit(
    request: Request,
    background: BackgroundTasks,
    locale: LocaleDep,
    sessions: SessionsDep,
    email: FormText = "",
    display_name: FormText = "",
    password: FormText = "",
    password_again: FormText = "",
    consent: FormText = "",
    consent_version: FormText = "",
) -> Response:
    values = {"email": email, "display_name": display_name}
    if password != password_again:
        errors = FormErrors.of(N_("The two passwords differ."), locale, "password_again")
        return _sign_up_page(request, locale, values, errors, 400)
    try:
        answer = sign_up_candidate(
            sessions,
            email=email,
            display_name=display_name,
            password=password,
            locale=locale,
            consent_version=consent_version if consent else None,
            ip=client_ip(request),
            policy=sign_in_policy(request),
        )
    except SignInError as exc:  # too many sign-ups: 429 and Retry-After
        context = {
            "consent": consent_text(locale),
            "values": values,
            "min_password_length": MIN_LENGTH,
        }
        return _refused(request, locale, "sign_up.html", context, exc)
    except RuleError as exc:
        return _sign_up_page(request, locale, values, FormErrors.from_rule(exc, locale), 400)
    # The same page whether or not the address already had an account (no enumeration), and
    # the e-mail either way (a link, or a notice to the owner), sent after the answer.
    send_account_mail_after(request, background, email)
    context = {
        "next": DEFAULT_NEXT,
        "values": {"email": email},
        "errors": FormErrors(),
        "notice": render(answer, locale),
    }
    return render_page(request, "sign_in.html", locale, context)
