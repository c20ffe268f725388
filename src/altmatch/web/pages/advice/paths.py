"""/paths and /paths/{path}: each hiring path described for everyone still deciding (JSON
twins: /api/v1/paths and /api/v1/paths/{path}); the advisor compares them for one person."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from altmatch.clock import today_in_japan
from altmatch.rulebook import load_rulebook
from altmatch.services.advice.path_pages import hiring_path, path_page, paths_out
from altmatch.web.locale import LocaleDep
from altmatch.web.pages.templating import render_page

router = APIRouter()


@router.get("/paths", response_class=HTMLResponse)
def paths_index(request: Request, locale: LocaleDep) -> HTMLResponse:
    found = paths_out(load_rulebook(), locale)
    return render_page(request, "paths.html", locale, {"found": found})


@router.get("/paths/{path}", response_class=HTMLResponse)
def path_detail(request: Request, path: str, locale: LocaleDep) -> HTMLResponse:
    page = path_page(load_rulebook(), hiring_path(path), locale, today=today_in_japan())
    return render_page(request, "path.html", locale, {"page": page})
