"""The company's contract health page (one row per contract: coverage, school satisfaction,
retention risk, open cases, renewal and tender dates, status with reasons) and its retention
page (each ALT's risk score with its reasons). JSON twins: /api/v1/dispatch/contract-health and
/api/v1/dispatch/retention."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from altmatch.i18n import N_, render
from altmatch.services.dispatch.contract_health import HealthSort, company_contract_health
from altmatch.services.dispatch.retention import company_retention
from altmatch.web.auth import DispatchManagerDep
from altmatch.web.deps import SessionsDep
from altmatch.web.locale import LocaleDep
from altmatch.web.pages.templating import render_page

router = APIRouter()

# The rulebook keeps these rationales in English only; the same words as catalog messages let a
# Japanese reader read the method notes too (a unit test fails when the rulebook's words change
# and these no longer match them).
HEALTH_RATIONALE = N_(
    "A contract is watched when a post is unfilled, when one of its ALTs is at high risk, when "
    "one of its ALTs has an open support case, or when its renewal date is within 90 days. It is "
    "at risk when fewer than four in five of its posts are filled, when a third or more of its "
    "ALTs are at high risk, or when its schools score the company's ALTs below 3 of 5 on average: "
    "any of these can cost the renewal or the next tender. Company-policy defaults."
)
RISK_RATIONALE = N_(
    "An additive score anyone can recompute, not a fitted model. Saying they are leaving (6) is "
    "high risk on its own. Being undecided within 30 days of the renewal deadline, or after it "
    "(3), is medium on its own; undecided further out adds 1. An ALT who scores their own school "
    "below 3 of 5 (3) is more likely to leave than one the school scores low (2). In the first "
    "year (2) an ALT faces their first renewal decision; after four years (1) many move on to "
    "other work or direct hire. Each open support case adds 1, at most 3; a pending transfer "
    "request adds 2, as the ALT wants a change the company may not be able to give. Medium from "
    "3 points, high from 6."
)


@router.get("/dispatch/contract-health", response_class=HTMLResponse)
def contract_health_page(
    request: Request,
    actor: DispatchManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    sort: HealthSort = HealthSort.STATUS,
    today: dt.date | None = None,
) -> HTMLResponse:
    found = company_contract_health(sessions, actor, today=today, locale=locale, sort=sort)
    context = {
        "found": found,
        "sorts": list(HealthSort),
        "rationale": render(found.rules.rationale, locale),
    }
    return render_page(request, "dispatch_contract_health.html", locale, context)


@router.get("/dispatch/retention", response_class=HTMLResponse)
def retention_page(
    request: Request,
    actor: DispatchManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    today: dt.date | None = None,
) -> HTMLResponse:
    found = company_retention(sessions, actor, today=today, locale=locale)
    context = {"found": found, "rationale": render(found.rules.rationale, locale)}
    return render_page(request, "dispatch_retention.html", locale, context)
