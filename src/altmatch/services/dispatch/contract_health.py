"""Contract health: one row per client contract of a company, the read model its page, JSON
twin and CLI share.

Coverage today (posts filled / posts) comes from the coverage forecast
(`services.dispatch.coverage.dispatch_coverage`, its first month); each ALT working under the
contract brings their retention risk, open support cases and the school's satisfaction score
(`services.dispatch.retention`); renewal dates are the contract's, and the tender date is that
of the company's latest pending tender to the same BoE. `altmatch.domain.contract_health` then
gives each contract its status and reasons. Contracts that have ended are left out.

Only the company's own staff (and the operator, naming a company) may read it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from enum import StrEnum

from pydantic import BaseModel

from altmatch.clock import today_in_japan
from altmatch.db import Sessions
from altmatch.db.dispatch import company_ids
from altmatch.db.models import DispatchContract
from altmatch.db.retention_watch import next_pending_tenders
from altmatch.domain.access import Actor, Permission, require
from altmatch.domain.contract_health import (
    STATUS_ORDER,
    ContractFacts,
    HealthReason,
    HealthStatus,
    contract_health,
)
from altmatch.i18n import N_, label, register_labels, render
from altmatch.rulebook import Rulebook, load_rulebook
from altmatch.services.dispatch.contracts import company_for, named
from altmatch.services.dispatch.coverage import dispatch_coverage
from altmatch.services.dispatch.retention import alt_retention

CONTRACT_HEALTH_LINK = "/dispatch/contract-health"


class HealthSort(StrEnum):
    STATUS = "status"  # at risk first, then watch, then ok
    COVERAGE = "coverage"  # the lowest coverage first
    SATISFACTION = "satisfaction"  # the lowest school satisfaction first, no survey last
    RISK = "risk"  # the highest mean retention risk first
    RENEWAL = "renewal"  # the earliest renewal date first
    REFERENCE = "reference"


register_labels(
    HealthSort,
    {
        HealthSort.STATUS: N_("Status, at risk first"),
        HealthSort.COVERAGE: N_("Coverage, lowest first"),
        HealthSort.SATISFACTION: N_("School satisfaction, lowest first"),
        HealthSort.RISK: N_("Retention risk, highest first"),
        HealthSort.RENEWAL: N_("Renewal date, earliest first"),
        HealthSort.REFERENCE: N_("Contract"),
    },
)


class HealthNoteOut(BaseModel):
    reason: HealthReason
    status: HealthStatus
    label: str
    detail: str


class ContractHealthRowOut(BaseModel):
    contract_id: int
    reference: str  # the company's own id for the contract
    boe: str  # the client BoE, in the reader's language
    region: str
    start: dt.date
    end: dt.date
    renewal_date: dt.date | None
    tender_date: dt.date | None  # the latest pending tender to the BoE: submitted on
    tender_start: dt.date | None  # and the start it asks for
    posts: int
    filled: int
    coverage: float | None  # filled / posts; None without posts
    school_satisfaction: float | None  # mean 1 to 5; None: no survey yet
    alts: int
    alts_at_high_risk: int
    retention_risk: float | None  # the mean retention risk score of its ALTs
    open_cases: int
    status: HealthStatus
    status_label: str
    notes: list[HealthNoteOut]  # the worst first


class HealthRulesOut(BaseModel):
    watch_coverage_below: float
    at_risk_coverage_below: float
    watch_alts_at_high_risk: int
    at_risk_high_risk_share: float
    low_school_satisfaction_below: float
    watch_renewal_within_days: int
    rationale: str
    sources: list[str]
    as_of: dt.date
    estimate: bool


class ContractHealthOut(BaseModel):
    company_id: int
    company: str
    today: dt.date
    sort: HealthSort
    at_risk: int
    watch: int
    ok: int
    contracts: list[ContractHealthRowOut]
    rules: HealthRulesOut


def _sort_key(sort: HealthSort) -> Callable[[ContractHealthRowOut], tuple[object, ...]]:
    def key(row: ContractHealthRowOut) -> tuple[object, ...]:
        tail = (row.reference, row.contract_id)
        if sort is HealthSort.COVERAGE:
            return (row.coverage is None, row.coverage or 0.0, *tail)
        if sort is HealthSort.SATISFACTION:
            return (row.school_satisfaction is None, row.school_satisfaction or 0.0, *tail)
        if sort is HealthSort.RISK:
            return (row.retention_risk is None, -(row.retention_risk or 0.0), *tail)
        if sort is HealthSort.RENEWAL:
            return (row.renewal_date is None, row.renewal_date or dt.date.min, *tail)
        if sort is HealthSort.REFERENCE:
            return tail
        return (STATUS_ORDER[row.status], -len(row.notes), *tail)

    return key


def company_contract_health(
    sessions: Sessions,
    actor: Actor,
    *,
    company_id: int | None = None,
    today: dt.date | None = None,
    locale: str = "en",
    sort: HealthSort = HealthSort.STATUS,
    book: Rulebook | None = None,
) -> ContractHealthOut:
    """One row per contract of the company that has not ended on `today` (default: today in
    Japan). Company staff see their own company; the operator names one."""
    require(actor, Permission.DISPATCH_MANAGE)
    book = book or load_rulebook()
    today = today or today_in_japan()
    rules = book.dispatch_retention
    with sessions() as session:
        company = company_for(session, actor, company_id)
    coverage = dispatch_coverage(sessions, actor, company_id=company.id, today=today, book=book)
    with sessions() as session:
        alts = alt_retention(session, company.id, today, book)
        tenders = next_pending_tenders(session, company.id)
        rows = []
        for c in coverage.contracts:
            if c.end < today:
                continue
            contract = session.get(DispatchContract, c.contract_id)
            assert contract is not None  # read by the coverage just now
            here = [a for a in alts if a.contract_id == c.contract_id]
            health = contract_health(
                ContractFacts(
                    contract_id=c.contract_id,
                    posts=c.now.positions,
                    filled=c.now.assigned,
                    school_scores=tuple(
                        a.satisfaction.school_score
                        for a in here
                        if a.satisfaction.school_score is not None
                    ),
                    risks=tuple(a.risk for a in here),
                    open_cases=sum(a.open_cases for a in here),
                    renewal_date=c.renewal_date,
                ),
                today,
                rules,
            )
            tender = tenders.get(contract.boe_id)
            rows.append(
                ContractHealthRowOut(
                    contract_id=c.contract_id,
                    reference=c.reference,
                    boe=c.boe_ja if locale == "ja" else c.boe,
                    region=c.region,
                    start=c.start,
                    end=c.end,
                    renewal_date=c.renewal_date,
                    tender_date=tender[0] if tender else None,
                    tender_start=tender[1] if tender else None,
                    posts=health.posts,
                    filled=health.filled,
                    coverage=health.coverage,
                    school_satisfaction=health.school_satisfaction,
                    alts=health.alts,
                    alts_at_high_risk=health.alts_at_high_risk,
                    retention_risk=health.mean_risk_score,
                    open_cases=health.open_cases,
                    status=health.status,
                    status_label=render(label(health.status), locale),
                    notes=[
                        HealthNoteOut(
                            reason=n.reason,
                            status=n.status,
                            label=render(label(n.reason), locale),
                            detail=render(n.detail, locale),
                        )
                        for n in health.notes
                    ],
                )
            )
        rows.sort(key=_sort_key(sort))
        health_rules = rules.contract_health
        return ContractHealthOut(
            company_id=company.id,
            company=named(company, locale),
            today=today,
            sort=sort,
            at_risk=sum(1 for r in rows if r.status is HealthStatus.AT_RISK),
            watch=sum(1 for r in rows if r.status is HealthStatus.WATCH),
            ok=sum(1 for r in rows if r.status is HealthStatus.OK),
            contracts=rows,
            rules=HealthRulesOut(
                watch_coverage_below=health_rules.watch_coverage_below,
                at_risk_coverage_below=health_rules.at_risk_coverage_below,
                watch_alts_at_high_risk=health_rules.watch_alts_at_high_risk,
                at_risk_high_risk_share=health_rules.at_risk_high_risk_share,
                low_school_satisfaction_below=health_rules.low_school_satisfaction_below,
                watch_renewal_within_days=health_rules.watch_renewal_within_days,
                rationale=health_rules.rationale,
                sources=[str(s) for s in health_rules.sources],
                as_of=health_rules.as_of,
                estimate=health_rules.estimate,
            ),
        )


def companies_contract_health(
    sessions: Sessions,
    actor: Actor,
    *,
    company_id: int | None = None,
    today: dt.date | None = None,
    locale: str = "en",
) -> list[ContractHealthOut]:
    """The contract health of one company (`company_id`) or, for the operator, of every one."""
    if company_id is not None or not actor.is_operator:
        return [
            company_contract_health(
                sessions, actor, company_id=company_id, today=today, locale=locale
            )
        ]
    with sessions() as session:
        every = company_ids(session)
    return [
        company_contract_health(sessions, actor, company_id=c, today=today, locale=locale)
        for c in every
    ]
