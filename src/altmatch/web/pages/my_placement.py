"""An employed ALT's "My placement" page: their contracts and where they work.

JSON twin: /api/v1/me/placement.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from altmatch.services.my_placement import my_placement
from altmatch.web.auth import OwnPlacementDep
from altmatch.web.deps import SessionsDep
from altmatch.web.locale import LocaleDep
from altmatch.web.pages.templating import render_page

router = APIRouter()


@router.get("/my/placement", response_class=HTMLResponse)
def my_placement_page(
    request: Request, actor: OwnPlacementDep, sessions: SessionsDep, locale: LocaleDep
) -> HTMLResponse:
    context = {"placement": my_placement(sessions, actor)}
    return render_page(request, "my_placement.html", locale, context)
