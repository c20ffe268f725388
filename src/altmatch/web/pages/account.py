"""/account: your details, a download of your data, account deletion (twin: /api/v1/me)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from altmatch.domain.access import Actor
from altmatch.i18n import render
from altmatch.services.accounts import ROLE_LABELS, AccountError, Sessions, get_me
from altmatch.services.my_account import delete_my_account, export_my_data
from altmatch.web.auth import ActorDep, OwnApplicationDep, clear_session_cookie
from altmatch.web.deps import SessionsDep
from altmatch.web.locale import LocaleDep
from altmatch.web.pages.templating import render_page

router = APIRouter()


def _context(sessions: Sessions, actor: Actor, errors: dict[str, str]) -> dict[str, Any]:
    return {"user": get_me(sessions, actor), "role_labels": ROLE_LABELS, "errors": errors}


@router.get("/account", response_class=HTMLResponse)
def account_page(
    request: Request, actor: ActorDep, sessions: SessionsDep, locale: LocaleDep
) -> HTMLResponse:
    return render_page(request, "account.html", locale, _context(sessions, actor, {}))


@router.get("/account/export")
def account_export(actor: ActorDep, sessions: SessionsDep) -> Response:
    """The same document as /api/v1/me/export, as a file to keep."""
    data = json.dumps(export_my_data(sessions, actor), ensure_ascii=False, indent=2)
    headers = {"Content-Disposition": 'attachment; filename="altmatch-my-data.json"'}
    return Response(data, media_type="application/json", headers=headers)


@router.post("/account/delete", response_class=HTMLResponse)
def account_delete(
    request: Request,
    actor: OwnApplicationDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    confirm_email: Annotated[str, Form()] = "",
) -> HTMLResponse:
    try:
        delete_my_account(sessions, actor, confirm_email=confirm_email)
    except AccountError as exc:
        context = _context(sessions, actor, {"confirm_email": render(exc.message, locale)})
        return render_page(request, "account.html", locale, context, status_code=400)
    request.state.altmatch_user = None  # the header must no longer show the deleted account
    response = render_page(request, "account_deleted.html", locale, {})
    clear_session_cookie(response)
    return response
