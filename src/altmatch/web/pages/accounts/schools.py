"""The BoE's "Our schools" page; its JSON twin is /api/v1/organisations/{boe_id}/schools."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from altmatch.domain.access import NotFoundError
from altmatch.services.accounts.schools import list_schools
from altmatch.web.auth import SchoolViewerDep
from altmatch.web.deps import SessionsDep
from altmatch.web.locale import LocaleDep
from altmatch.web.pages.templating import render_page
from altmatch.web.params import Id

router = APIRouter()


@router.get("/boe/schools")
def own_schools(actor: SchoolViewerDep) -> RedirectResponse:
    """BoE staff's shortcut (the nav link) to their own BoE's schools."""
    if actor.organisation_id is None:
        raise NotFoundError("boe")
    return RedirectResponse(f"/organisations/{actor.organisation_id}/schools", status_code=303)


@router.get("/organisations/{boe_id}/schools", response_class=HTMLResponse)
def schools_page(
    request: Request, boe_id: Id, actor: SchoolViewerDep, sessions: SessionsDep, locale: LocaleDep
) -> HTMLResponse:
    context = {"found": list_schools(sessions, actor, boe_id)}
    return render_page(request, "schools.html", locale, context)
