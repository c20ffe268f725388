"""Signing in, out and up as JSON: /api/v1/session, /api/v1/signup and a staff member's second
factor under /api/v1/me/two-factor (twins of the pages)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from fastapi import APIRouter, BackgroundTasks, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from altmatch.config import Settings
from altmatch.i18n import gettext as _
from altmatch.i18n import render, use_locale
from altmatch.services.accounts.authentication import SignedIn, complete_sign_in, sign_in, sign_out
from altmatch.services.accounts.consent import ConsentOut, consent_text
from altmatch.services.accounts.my_account import sign_up_candidate
from altmatch.services.accounts.two_factor import (
    RecoveryCodesOut,
    TwoFactorOut,
    disable_two_factor,
    enable_two_factor,
    regenerate_recovery_codes,
    two_factor_status,
)
from altmatch.services.accounts.users import UserOut
from altmatch.web.auth import (
    SESSION_COOKIE,
    TwoFactorDep,
    clear_session_cookie,
    client_ip,
    set_session_cookie,
    sign_in_policy,
)
from altmatch.web.deps import SessionsDep
from altmatch.web.locale import LocaleDep
from altmatch.web.mail import send_account_mail_after

router = APIRouter(tags=["accounts"])


class SignInIn(BaseModel):
    email: str = Field(max_length=254)
    password: str = Field(max_length=1024)


class SignUpIn(BaseModel):
    email: str = Field(max_length=254)
    display_name: str = Field(max_length=200)
    password: str = Field(max_length=1024)
    consent_version: str = Field(
        description="The version of the consent text the person read and accepted "
        "(GET /api/v1/signup)."
    )


class SessionOut(BaseModel):
    user: UserOut
    expires_at: datetime


class SecondFactorNeededOut(BaseModel):
    """The password was right, but the account has two-factor sign-in: no session yet. Send
    `challenge` with a code to POST /api/v1/session/second-factor before `expires_at`."""

    second_factor_required: Literal[True] = True
    challenge: str
    expires_at: datetime
    detail: str


class SecondFactorIn(BaseModel):
    challenge: str = Field(max_length=128, description="From the 202 answer of POST /session.")
    code: str = Field(
        max_length=64, description="The 6-digit code of the authenticator app, or a recovery code."
    )


class TwoFactorCodeIn(BaseModel):
    code: str = Field(max_length=64, description="The 6-digit code the authenticator app shows.")


class TwoFactorProofIn(BaseModel):
    """What turning the factor off or making new recovery codes needs: the password alone,
    perhaps the very thing that was stolen, is not enough."""

    code: str = Field(
        max_length=64, description="The 6-digit code of the authenticator app, or a recovery code."
    )


def _started(request: Request, response: Response, signed_in: SignedIn) -> SessionOut:
    set_session_cookie(request, response, signed_in)
    return SessionOut(user=signed_in.user, expires_at=signed_in.expires_at)


@router.post(
    "/session",
    response_model=SessionOut,
    responses={202: {"model": SecondFactorNeededOut, "description": "A second factor is needed."}},
)
def post_session(
    body: SignInIn, request: Request, response: Response, sessions: SessionsDep, locale: LocaleDep
) -> SessionOut | JSONResponse:
    """Sign in; sets the `altmatch_session` cookie. 401 when refused, 429 (with Retry-After)
    after too many failures. An account with two-factor sign-in gets 202 and a challenge
    instead: complete it with POST /api/v1/session/second-factor."""
    result = sign_in(
        sessions,
        email=body.email,
        password=body.password,
        ip=client_ip(request),
        policy=sign_in_policy(request),
        replacing_token=request.cookies.get(SESSION_COOKIE),
    )
    if isinstance(result, SignedIn):
        return _started(request, response, result)
    with use_locale(locale):
        detail = _("Enter the 6-digit code from your authenticator app, or a recovery code.")
    needed = SecondFactorNeededOut(
        challenge=result.challenge, expires_at=result.expires_at, detail=detail
    )
    return JSONResponse(needed.model_dump(mode="json"), status_code=202)


@router.post("/session/second-factor", response_model=SessionOut)
def post_second_factor(
    body: SecondFactorIn, request: Request, response: Response, sessions: SessionsDep
) -> SessionOut:
    """Finish a sign-in with the code; sets the session cookie. 401 for a wrong or expired
    challenge or code, 429 (with Retry-After) after too many failures."""
    signed_in = complete_sign_in(
        sessions,
        challenge=body.challenge,
        code=body.code,
        ip=client_ip(request),
        policy=sign_in_policy(request),
        replacing_token=request.cookies.get(SESSION_COOKIE),
    )
    return _started(request, response, signed_in)


@router.delete("/session", status_code=204)
def delete_session(request: Request, sessions: SessionsDep) -> Response:
    """Sign out: the session is revoked on the server, not just forgotten by the browser."""
    sign_out(sessions, request.cookies.get(SESSION_COOKIE))
    response = Response(status_code=204)
    clear_session_cookie(response)
    return response


@router.get("/signup", response_model=ConsentOut)
def get_signup(locale: LocaleDep) -> ConsentOut:
    """The consent and purpose text a candidate accepts at sign-up, with its version."""
    return consent_text(locale)


class SignUpOut(BaseModel):
    detail: str


@router.post("/signup", response_model=SignUpOut, status_code=202)
def post_signup(
    body: SignUpIn,
    request: Request,
    background: BackgroundTasks,
    sessions: SessionsDep,
    locale: LocaleDep,
) -> SignUpOut:
    """Create a candidate account, then sign in with POST /api/v1/session; the address gets a
    link that confirms it (until then the account shows no application). 202 with the same
    answer whether or not the email already had an account (for one that had, nothing is
    created or changed, and the address gets a notice instead); 422 lists what is wrong, field
    by field; 429 (with Retry-After) after too many sign-ups for the address or from the
    client."""
    answer = sign_up_candidate(
        sessions,
        email=body.email,
        display_name=body.display_name,
        password=body.password,
        locale=locale,
        consent_version=body.consent_version,
        ip=client_ip(request),
        policy=sign_in_policy(request),
    )
    send_account_mail_after(request, background, body.email)
    return SignUpOut(detail=render(answer, locale))


def _required(request: Request) -> bool:
    settings: Settings = request.app.state.settings
    return settings.staff_two_factor == "required"


@router.get("/me/two-factor", response_model=TwoFactorOut)
def get_two_factor(request: Request, actor: TwoFactorDep, sessions: SessionsDep) -> TwoFactorOut:
    """Staff: whether two-factor sign-in is on; while it is off, the secret to set it up (the
    same one until it is switched on). 403 for candidates and ALTs."""
    return two_factor_status(sessions, actor, required=_required(request))


@router.post("/me/two-factor", response_model=RecoveryCodesOut)
def post_two_factor(
    body: TwoFactorCodeIn, request: Request, actor: TwoFactorDep, sessions: SessionsDep
) -> RecoveryCodesOut:
    """Switch two-factor sign-in on with a current code; answers the recovery codes, once.
    Every other session of the account ends; this one stays."""
    keep = request.cookies.get(SESSION_COOKIE)
    return enable_two_factor(sessions, actor, code=body.code, keep_token=keep)


@router.post("/me/two-factor/recovery-codes", response_model=RecoveryCodesOut)
def post_recovery_codes(
    body: TwoFactorProofIn, actor: TwoFactorDep, sessions: SessionsDep
) -> RecoveryCodesOut:
    """New recovery codes (the old ones stop working); needs a current code from the app or an
    unused recovery code."""
    return regenerate_recovery_codes(sessions, actor, code=body.code)


@router.post("/me/two-factor/disable", response_model=TwoFactorOut)
def post_two_factor_disable(
    body: TwoFactorProofIn, request: Request, actor: TwoFactorDep, sessions: SessionsDep
) -> TwoFactorOut:
    """Turn two-factor sign-in off; needs a current code or an unused recovery code (the
    password alone is not enough)."""
    disable_two_factor(sessions, actor, code=body.code)
    return two_factor_status(sessions, actor, required=_required(request))
