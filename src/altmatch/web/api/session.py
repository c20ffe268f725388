"""Signing in, out and up as JSON: /api/v1/session and /api/v1/signup (twins of the pages)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from altmatch.services.accounts import UserOut
from altmatch.services.authentication import SignedIn, sign_in, sign_out
from altmatch.services.consent import ConsentOut, consent_text
from altmatch.services.my_account import sign_up_candidate
from altmatch.web.auth import (
    SESSION_COOKIE,
    clear_session_cookie,
    client_ip,
    set_session_cookie,
    sign_in_policy,
)
from altmatch.web.deps import SessionsDep
from altmatch.web.locale import LocaleDep

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


def _started(request: Request, response: Response, signed_in: SignedIn) -> SessionOut:
    set_session_cookie(request, response, signed_in)
    return SessionOut(user=signed_in.user, expires_at=signed_in.expires_at)


@router.post("/session", response_model=SessionOut)
def post_session(
    body: SignInIn, request: Request, response: Response, sessions: SessionsDep
) -> SessionOut:
    """Sign in; sets the `altmatch_session` cookie. 401 when refused, 429 (with Retry-After)
    after too many failures."""
    signed_in = sign_in(
        sessions,
        email=body.email,
        password=body.password,
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


@router.post("/signup", response_model=SessionOut, status_code=201)
def post_signup(
    body: SignUpIn, request: Request, response: Response, sessions: SessionsDep, locale: LocaleDep
) -> SessionOut:
    """Create a candidate account (and sign in); 422 lists what is wrong, field by field."""
    signed_in = sign_up_candidate(
        sessions,
        email=body.email,
        display_name=body.display_name,
        password=body.password,
        locale=locale,
        consent_version=body.consent_version,
        policy=sign_in_policy(request),
        replacing_token=request.cookies.get(SESSION_COOKIE),
    )
    return _started(request, response, signed_in)
