"""GET /api/v1/paths and /api/v1/paths/{path}: the hiring paths described, as JSON (the twins
of the /paths pages)."""

from __future__ import annotations

from fastapi import APIRouter

from altmatch.clock import today_in_japan
from altmatch.rulebook import load_rulebook
from altmatch.services.advice.path_pages import PathPageOut, PathsOut, hiring_path, path_page
from altmatch.services.advice.path_pages import paths_out as list_paths
from altmatch.web.locale import LocaleDep

router = APIRouter(tags=["advisor"])


@router.get("/paths", response_model=PathsOut)
def get_paths(locale: LocaleDep) -> PathsOut:
    """The three paths, each with its employer and support model, in the request's language."""
    return list_paths(load_rulebook(), locale)


@router.get("/paths/{path}", response_model=PathPageOut)
def get_path(path: str, locale: LocaleDep) -> PathPageOut:
    """One path (`jet`, `dispatch` or `direct_hire`): who may apply (each rule with its
    source), the next application round as of today in Japan, benefits, ratings and the
    whole-decision guidance about it; 404 for any other name."""
    return path_page(load_rulebook(), hiring_path(path), locale, today=today_in_japan())
