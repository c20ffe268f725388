"""A dispatch company's contract health and its ALTs' retention risk as JSON: the twins of the
contract health and retention pages."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter

from altmatch.services.dispatch.contract_health import (
    ContractHealthOut,
    HealthSort,
    company_contract_health,
)
from altmatch.services.dispatch.retention import RetentionOut, company_retention
from altmatch.web.auth import DispatchManagerDep
from altmatch.web.deps import SessionsDep
from altmatch.web.locale import LocaleDep

router = APIRouter(prefix="/dispatch", tags=["dispatch"])


@router.get("/contract-health", response_model=ContractHealthOut)
def get_contract_health(
    actor: DispatchManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    sort: HealthSort = HealthSort.STATUS,
    today: dt.date | None = None,
) -> ContractHealthOut:
    """One row per contract that has not ended: coverage (filled / posts), the schools' mean
    satisfaction (null: no survey yet), the ALTs at high retention risk and their mean score,
    open support cases, renewal and tender dates, and a status (ok / watch / at_risk) with the
    reasons. `sort`: status (default), coverage, satisfaction, risk, renewal or reference."""
    return company_contract_health(sessions, actor, today=today, locale=locale, sort=sort)


@router.get("/retention", response_model=RetentionOut)
def get_retention(
    actor: DispatchManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    today: dt.date | None = None,
) -> RetentionOut:
    """Every ALT still working for the company with their retention risk score, its level
    (low / medium / high) and each reason with its points, the highest first; and the
    rulebook's points with their rationale."""
    return company_retention(sessions, actor, today=today, locale=locale)
