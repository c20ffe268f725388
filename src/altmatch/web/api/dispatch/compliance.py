"""A dispatch company's compliance watch as JSON: the twin of the compliance page, and the
acknowledgement of an alert."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter

from altmatch.services.dispatch.compliance import (
    AcknowledgeIn,
    ComplianceAlertOut,
    ComplianceOut,
    acknowledge_alert,
    company_compliance,
)
from altmatch.web.auth import DispatchManagerDep
from altmatch.web.deps import SessionsDep
from altmatch.web.locale import LocaleDep

router = APIRouter(prefix="/dispatch", tags=["dispatch"])


@router.get("/compliance", response_model=ComplianceOut)
def get_compliance(
    actor: DispatchManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    today: dt.date | None = None,
) -> ComplianceOut:
    """Your ALTs' legal deadlines (three-year dispatch limit, five-year conversion, residence
    card expiry, outsourcing direction), earliest first, each with what to do and, once
    acknowledged, who acknowledged it when. `today` (YYYY-MM-DD) asks "what if it were this
    day"."""
    return company_compliance(sessions, actor, today=today, locale=locale)


@router.post("/compliance/acknowledgements", response_model=ComplianceAlertOut)
def post_acknowledgement(
    body: AcknowledgeIn,
    actor: DispatchManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
) -> ComplianceAlertOut:
    """Acknowledge one alert showing today (its ALT's roster id, rule and due date), with a
    note. Acknowledging again answers the first acknowledgement and changes nothing; another
    company's ALT is 404, an alert that does not show today 422."""
    return acknowledge_alert(sessions, actor, body, locale=locale)
