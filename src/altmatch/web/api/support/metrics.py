"""GET /api/v1/support/metrics: support quality per employer, aggregated and anonymised."""

from __future__ import annotations

from fastapi import APIRouter

from altmatch.services.support.metrics import SupportMetricsOut, employer_support_metrics
from altmatch.web.auth import SupportMetricsDep
from altmatch.web.deps import SessionsDep
from altmatch.web.locale import LocaleDep
from altmatch.web.params import QueryId

router = APIRouter(prefix="/support", tags=["support"])


@router.get("/metrics", response_model=SupportMetricsOut)
def get_support_metrics(
    actor: SupportMetricsDep, sessions: SessionsDep, locale: LocaleDep, org: QueryId = None
) -> SupportMetricsOut:
    """Closed cases, median first response (business hours), share resolved within target and
    reopen rate of each employer the reader may see: staff their own organisation,
    coordinators the BoEs of their programme, administrators every BoE and company. Below the
    rulebook's minimum of closed cases an employer shows no figure, only a note. `org` keeps
    one employer (404 when the reader may not see it)."""
    return employer_support_metrics(sessions, actor, organisation_id=org, locale=locale)
