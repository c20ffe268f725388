"""JSON endpoints under /api/v1; each is a thin adapter over one service function."""

from __future__ import annotations

from fastapi import APIRouter

from altmatch.web.api import admin, advice, me, schools, season_jobs, season_runs, seasons, session

api_router = APIRouter()
api_router.include_router(advice.router)
api_router.include_router(session.router)
api_router.include_router(me.router)
api_router.include_router(admin.router)
api_router.include_router(seasons.router)
api_router.include_router(season_runs.router)
api_router.include_router(season_jobs.router)
api_router.include_router(schools.router)
