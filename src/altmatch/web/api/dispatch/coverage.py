"""A dispatch company's coverage ahead as JSON: the twin of the coverage page."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter

from altmatch.services.dispatch.coverage import CoverageOut, dispatch_coverage
from altmatch.web.auth import DispatchManagerDep
from altmatch.web.deps import SessionsDep

router = APIRouter(prefix="/dispatch", tags=["dispatch"])


@router.get("/coverage", response_model=CoverageOut)
def get_coverage(
    actor: DispatchManagerDep,
    sessions: SessionsDep,
    today: dt.date | None = None,
    region: str | None = None,
) -> CoverageOut:
    """Positions, assigned, at risk and gaps per month, contract and region over the
    rulebook's horizon; hiring targets per region and start month; the ALTs at risk.
    `today` (YYYY-MM-DD) asks "what if it were this day"; `region` keeps one prefecture."""
    return dispatch_coverage(sessions, actor, today=today, region=region or None)
