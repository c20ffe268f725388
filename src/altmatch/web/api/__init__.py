"""JSON endpoints under /api/v1; each is a thin adapter over one service function."""

from __future__ import annotations

from fastapi import APIRouter

from altmatch.web.api import advice

api_router = APIRouter()
api_router.include_router(advice.router)
