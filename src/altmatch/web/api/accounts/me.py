"""The signed-in user's own account as JSON: /api/v1/me (twin of the /account page) and an
employed ALT's /api/v1/me/placement (twin of /my/placement)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field

from altmatch.services.accounts.authentication import sign_out_everywhere
from altmatch.services.accounts.my_account import (
    change_password,
)
from altmatch.services.accounts.users import UserOut, get_me
from altmatch.services.my_placement import MyPlacementOut, my_placement
from altmatch.services.personal_data import delete_my_account, export_my_data
from altmatch.web.auth import (
    SESSION_COOKIE,
    ActorDep,
    OwnApplicationDep,
    OwnPlacementDep,
    clear_session_cookie,
)
from altmatch.web.deps import SessionsDep

router = APIRouter(tags=["accounts"])


@router.get("/me", response_model=UserOut)
def get_my_account(actor: ActorDep, sessions: SessionsDep) -> UserOut:
    return get_me(sessions, actor)


@router.get("/me/export")
def get_my_data(actor: ActorDep, sessions: SessionsDep) -> dict[str, Any]:
    """Everything altmatch stores about you (APPI): account, sessions, sign-ins, audit entries."""
    return export_my_data(sessions, actor)


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
    actor: OwnApplicationDep,
    sessions: SessionsDep,
    confirm_email: Annotated[str, Query(description="Your email address, to confirm.")],
) -> Response:
    """Delete your candidate account and what is stored about you; signs you out."""
    delete_my_account(sessions, actor, confirm_email=confirm_email)
    response = Response(status_code=204)
    clear_session_cookie(response)
    return response
