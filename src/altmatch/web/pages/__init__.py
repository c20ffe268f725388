"""Server-rendered pages (Jinja2 + htmx); each renders the same read model as its API twin."""

from __future__ import annotations

from fastapi import APIRouter

from altmatch.web.pages import (
    account,
    advisor,
    dispatch,
    dispatch_assignment,
    dispatch_coverage,
    home,
    my_placement,
    postings,
    schools,
    season_boe,
    season_candidate,
    season_jobs,
    seasons,
    sign_in,
    support,
    support_admin,
    transfers,
)

pages_router = APIRouter(include_in_schema=False)
pages_router.include_router(home.router)
pages_router.include_router(advisor.router)
pages_router.include_router(sign_in.router)
pages_router.include_router(account.router)
pages_router.include_router(seasons.router)
pages_router.include_router(season_boe.router)
pages_router.include_router(season_candidate.router)
pages_router.include_router(season_jobs.router)
pages_router.include_router(schools.router)
pages_router.include_router(my_placement.router)
pages_router.include_router(dispatch.router)
pages_router.include_router(dispatch_assignment.router)
pages_router.include_router(dispatch_coverage.router)
pages_router.include_router(transfers.router)
pages_router.include_router(postings.router)
pages_router.include_router(support.router)
pages_router.include_router(support_admin.router)
