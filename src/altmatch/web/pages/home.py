"""`/`: the landing page for visitors; for a signed-in person, their next steps.

JSON twin of the signed-in home: /api/v1/home.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from altmatch.services.home import home
from altmatch.web.auth import OptionalActorDep
from altmatch.web.deps import SessionsDep
from altmatch.web.locale import LocaleDep
from altmatch.web.pages.templating import render_page

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def home_page(
    request: Request, actor: OptionalActorDep, sessions: SessionsDep, locale: LocaleDep
) -> HTMLResponse:
    if actor is None:
        return render_page(request, "home.html", locale, {})
    context = {"home": home(sessions, actor, locale=locale)}
    return render_page(request, "home_signed_in.html", locale, context)
