"""Links mailed to an address, as JSON (twins of /verify-email): what a link can do, confirming
the signed-in account's address, setting the address's account up through the link, and asking
for a new link."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, BackgroundTasks, Request, Response
from pydantic import BaseModel, Field

from altmatch.config import Settings
from altmatch.i18n import N_, Message, render
from altmatch.services.accounts.email_links import (
    EmailLinkOut,
    EmailLinkPolicy,
    read_email_link,
    request_verification,
)
from altmatch.services.accounts.users import UserOut
from altmatch.services.identity import confirm_my_address, set_up_account_by_link
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

router = APIRouter(tags=["accounts"])
Token = Field(max_length=200, description="The `token` of the link in the e-mail.")


class EmailTokenIn(BaseModel):
    token: str = Token


class SetUpIn(BaseModel):
    token: str = Token
    display_name: str = Field(max_length=200)
    password: str = Field(max_length=1024)
    consent_version: str = Field(
        max_length=32,
        description="The version of the consent text the person read and accepted "
        "(GET /api/v1/signup).",
    )


class AddressConfirmedOut(BaseModel):
    user: UserOut
    linked_applications: int = Field(description="Applications linked to the account now.")


class AccountSetUpOut(AddressConfirmedOut):
    expires_at: datetime = Field(description="When the session this answer started ends.")


class LinkSentOut(BaseModel):
    detail: str
    email: str


@router.get("/verify-email", response_model=EmailLinkOut)
def get_verify_email(
    sessions: SessionsDep, actor: OptionalActorDep, token: str = ""
) -> EmailLinkOut:
    """What the link can do (nothing changes): `valid` false for a used, expired or unknown
    link; else the address, whether it has an account and whether that is confirmed, and
    whether the caller is signed in to it."""
    return read_email_link(sessions, token[:200], actor)


@router.post("/verify-email", response_model=AddressConfirmedOut)
def post_verify_email(
    body: EmailTokenIn, actor: ActorDep, sessions: SessionsDep
) -> AddressConfirmedOut:
    """Confirm the signed-in account's address with a link mailed to it, and link the
    applications imported for the address. 422 when the link does not work or was sent to
    another address."""
    proven = confirm_my_address(sessions, actor, body.token)
    return AddressConfirmedOut(user=proven.user, linked_applications=proven.linked)


@router.post("/verify-email/account", response_model=AccountSetUpOut)
def post_verify_email_account(
    body: SetUpIn, request: Request, response: Response, sessions: SessionsDep, locale: LocaleDep
) -> AccountSetUpOut:
    """Through a link mailed to the address: create a confirmed candidate account for it, or
    take over its unconfirmed one (its old password, sessions and second factor stop
    working); link the applications imported for the address and sign in (sets the session
    cookie). 422 when the link does not work or the address's account is confirmed already
    (sign in to it instead)."""
    proven = set_up_account_by_link(
        sessions,
        body.token,
        display_name=body.display_name,
        password=body.password,
        locale=locale,
        consent_version=body.consent_version,
        policy=sign_in_policy(request),
        replacing_token=request.cookies.get(SESSION_COOKIE),
    )
    assert proven.signed_in is not None
    set_session_cookie(request, response, proven.signed_in)
    return AccountSetUpOut(
        user=proven.user, linked_applications=proven.linked, expires_at=proven.signed_in.expires_at
    )


@router.post("/me/verification-email", response_model=LinkSentOut, status_code=202)
def post_verification_email(
    request: Request,
    background: BackgroundTasks,
    actor: ActorDep,
    sessions: SessionsDep,
    locale: LocaleDep,
) -> LinkSentOut:
    """E-mail a new link that confirms the signed-in account's address. 422 when it is
    confirmed already; 429 (with Retry-After) after 3 within an hour, sign-up's included."""
    settings: Settings = request.app.state.settings
    email = request_verification(sessions, actor, policy=EmailLinkPolicy.from_settings(settings))
    send_account_mail_after(request, background, email)
    detail = render(Message(N_("We are sending a new link to {email}."), {"email": email}), locale)
    return LinkSentOut(detail=detail, email=email)
