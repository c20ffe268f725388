"""JSON endpoints under /api/v1; each is a thin adapter over one service function."""

from __future__ import annotations

from fastapi import APIRouter

from altmatch.web.api import (
    admin,
    advice,
    dispatch,
    dispatch_assignment,
    dispatch_coverage,
    me,
    postings,
    schools,
    season_jobs,
    season_runs,
    seasons,
    session,
    support,
    support_metrics,
    transfers,
)
from altmatch.web.api.errors import ERROR_RESPONSES

api_router = APIRouter(responses=ERROR_RESPONSES)
api_router.include_router(advice.router)
api_router.include_router(session.router)
api_router.include_router(me.router)
api_router.include_router(admin.router)
api_router.include_router(seasons.router)
api_router.include_router(season_runs.router)
api_router.include_router(season_jobs.router)
api_router.include_router(schools.router)
api_router.include_router(dispatch.router)
api_router.include_router(dispatch_assignment.router)
api_router.include_router(dispatch_coverage.router)
api_router.include_router(transfers.router)
api_router.include_router(postings.router)
api_router.include_router(support.router)
api_router.include_router(support_metrics.router)
