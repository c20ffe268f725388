"""The landing page: what altmatch is and where to start."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from altmatch.web.locale import LocaleDep
from altmatch.web.pages.templating import render_page

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def home_page(request: Request, locale: LocaleDep) -> HTMLResponse:
    return render_page(request, "home.html", locale, {})
