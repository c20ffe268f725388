"""The signed-in user's own account as JSON: /api/v1/me (twin of the /account page), its
notice e-mail preferences (/api/v1/me/notification-preferences) and an employed ALT's
/api/v1/me/placement (twin of /my/placement)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from altmatch.services.accounts.authentication import sign_out_everywhere
from altmatch.services.accounts.my_account import (
    change_password,
)
from altmatch.services.accounts.users import UserOut, get_me
from altmatch.services.my_placement import MyPlacementOut, my_placement
from altmatch.services.notifications import (
    EmailPreferencesIn,
    EmailPreferencesOut,
    email_preferences,
    set_email_preferences,
)
from altmatch.services.personal_data import (
    DeletionNoticeOut,
    delete_my_account,
    deletion_notice,
    export_my_data,
)
from altmatch.web.auth import (
    SESSION_COOKIE,
    ActorDep,
    OwnAccountDeleterDep,
    OwnPlacementDep,
    clear_session_cookie,
)
from altmatch.web.deps import SessionsDep
from altmatch.web.downloads import ZIP, export_download
from altmatch.web.locale import LocaleDep

router = APIRouter(tags=["accounts"])


@router.get("/me", response_model=UserOut)
def get_my_account(actor: ActorDep, sessions: SessionsDep) -> UserOut:
    return get_me(sessions, actor)


EXPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": (
            "format=zip (default): a ZIP archive with index.json, one file per section and the "
            "support-case attachments; format=json: the index and every section as one "
            "document (attachments listed with their SHA-256, without their bytes)."
        ),
        "content": {
            ZIP: {"schema": {"type": "string", "format": "binary"}},
            "application/json": {"schema": {"type": "object"}},
        },
    }
}


@router.get("/me/export", response_class=Response, responses=EXPORT_RESPONSES)
def get_my_data(
    actor: ActorDep,
    sessions: SessionsDep,
    format: Annotated[Literal["zip", "json"], Query(description="zip or json.")] = "zip",
) -> Response:
    """Everything altmatch holds about you (APPI), from every part of altmatch: account,
    sessions, sign-ins, season applications and outcomes, contracts, roster, transfers,
    direct-hire applications, support cases with their files, notifications, audit entries."""
    if format == "json":
        return JSONResponse(export_my_data(sessions, actor))
    return export_download(sessions, actor)


@router.get("/me/deletion", response_model=DeletionNoticeOut)
def get_my_deletion(actor: ActorDep, sessions: SessionsDep, locale: LocaleDep) -> DeletionNoticeOut:
    """What deleting your account would delete, keep (which fields, why, for how long) and
    tell your employer (twin of /account/delete)."""
    return deletion_notice(sessions, actor, locale=locale)


class PasswordChangeIn(BaseModel):
    current_password: str = Field(max_length=1024)
    new_password: str = Field(max_length=1024)


class SessionsEndedOut(BaseModel):
    sessions_ended: int


@router.post("/me/password", response_model=SessionsEndedOut)
def post_my_password(
    body: PasswordChangeIn, request: Request, actor: ActorDep, sessions: SessionsDep
) -> SessionsEndedOut:
    """Change your password (the current one is required; 422 if it is wrong). Every other
    session of your account ends; this one stays."""
    ended = change_password(
        sessions,
        actor,
        current_password=body.current_password,
        new_password=body.new_password,
        keep_token=request.cookies.get(SESSION_COOKIE),
    )
    return SessionsEndedOut(sessions_ended=ended)


@router.post("/me/sign-out-everywhere", response_model=SessionsEndedOut)
def post_sign_out_everywhere(
    actor: ActorDep, sessions: SessionsDep, response: Response
) -> SessionsEndedOut:
    """End every session of your account, on every device, this one included."""
    ended = sign_out_everywhere(sessions, actor)
    clear_session_cookie(response)
    return SessionsEndedOut(sessions_ended=ended)


@router.get("/me/placement", response_model=MyPlacementOut)
def get_my_placement(actor: OwnPlacementDep, sessions: SessionsDep) -> MyPlacementOut:
    """An employed ALT's own contracts: employer, path, dates, re-contracting year, workplace."""
    return my_placement(sessions, actor)


@router.delete("/me", status_code=204)
def delete_my_data(
    actor: OwnAccountDeleterDep,
    sessions: SessionsDep,
    confirm_email: Annotated[str, Query(description="Your email address, to confirm.")],
) -> Response:
    """Delete your candidate or ALT account and everything held about you, all or nothing,
    except the records GET /me/deletion lists as kept (pseudonymised, for the period given
    there); signs you out. Staff accounts are disabled by an administrator instead (403)."""
    delete_my_account(sessions, actor, confirm_email=confirm_email)
    response = Response(status_code=204)
    clear_session_cookie(response)
    return response


@router.get("/me/notification-preferences", response_model=EmailPreferencesOut)
def get_notification_preferences(
    actor: ActorDep, sessions: SessionsDep, locale: LocaleDep
) -> EmailPreferencesOut:
    """Per kind group of notices: e-mailed as well as shown in the app (true, the default), or
    in the app only. Security notices are e-mailed whatever the choice (`always`)."""
    return email_preferences(sessions, actor, locale=locale)


@router.put("/me/notification-preferences", response_model=EmailPreferencesOut)
def put_notification_preferences(
    body: EmailPreferencesIn, actor: ActorDep, sessions: SessionsDep, locale: LocaleDep
) -> EmailPreferencesOut:
    """Choose the groups whose notices are e-mailed; the others are in the app only."""
    return set_email_preferences(sessions, actor, body.emailed, locale=locale)
