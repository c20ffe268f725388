"""A dispatch company's coverage and retention ahead: the read model its page, API and CLI share.

Reads the company's contracts and positions, who works each position today and each ALT's own
contract end and renewal intention, and runs `altmatch.domain.coverage.forecast` with the
rulebook's horizon, at-risk rule and the dispatch path's start months.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel
from sqlalchemy.orm import Session

from altmatch.clock import today_in_japan
from altmatch.db import Sessions
from altmatch.db.dispatch import (
    alts_at_positions,
    contracts_with_boes,
    positions_of_contracts,
    roster_alts_of_company,
)
from altmatch.db.models import DispatchContract, Organisation, RosterAlt
from altmatch.domain.access import Actor, NotFoundError, OrgKind
from altmatch.domain.coverage import (
    AltTerm,
    ContractNeed,
    ContractTerm,
    CoverageForecast,
    CoverageRules,
    PositionTerm,
    Tally,
    contract_needs,
    forecast,
    month_end,
)
from altmatch.i18n import N_, Message
from altmatch.rulebook import Rulebook, load_rulebook
from altmatch.rulebook.vocabulary import HiringPath, RenewalIntention
from altmatch.services.dispatch.access import company_of
from altmatch.services.kernel.errors import RuleError


class TallyOut(BaseModel):
    positions: int
    assigned: int
    at_risk: int
    expected_covered: int
    gap: int
    released: int


class MonthOut(BaseModel):
    month: dt.date  # the first day of the month
    total: TallyOut
    regions: dict[str, TallyOut]


class ContractNeedOut(BaseModel):
    start_month: dt.date
    gross_need: int  # the contract's posts nobody works
    expected_leavers: int  # its ALTs expected to have left (leaving, share of the undecided)


class ContractCoverageOut(BaseModel):
    contract_id: int
    reference: str
    boe: str
    boe_ja: str
    region: str
    start: dt.date
    end: dt.date
    renewal_date: dt.date | None
    ends_within_horizon: bool
    renewal_passed: bool  # the renewal date is behind us, yet the contract still ends soon
    now: TallyOut
    at_horizon: TallyOut
    needs: list[ContractNeedOut]  # per start month; redeployable ALTs are netted per region


class TargetOut(BaseModel):
    region: str
    start_month: dt.date
    gap: int
    already_targeted: int
    hires: int  # net_need − already_targeted, never below zero
    gross_need: int  # posts nobody works today
    redeployable: int  # ALTs released by ended contracts, placed before anyone is hired
    expected_leavers: int  # leaving, plus the rulebook's share of the undecided
    net_need: int  # gross_need − redeployable + expected_leavers, never below zero


class StartMonthTotalOut(BaseModel):
    start_month: dt.date
    hires: int


class AtRiskAltOut(BaseModel):
    alt_id: int
    external_id: str
    name: str
    contract_end: dt.date
    renewal_intention: RenewalIntention
    from_month: dt.date
    contract_id: int
    contract_reference: str
    region: str
    school: str
    school_ja: str


class CoverageRuleOut(BaseModel):
    horizon_months: int
    undecided_counts_as_at_risk: bool
    undecided_leaving_share: float  # of the undecided, the share hiring targets count as leaving
    start_months: list[int]
    rationale: str
    sources: list[str]
    as_of: dt.date


class CoverageOut(BaseModel):
    company_id: int
    company: str
    company_ja: str
    today: dt.date
    region: str | None  # the region filter, if any
    regions: list[str]  # every region the company has contracts in
    months: list[dt.date]
    now: TallyOut
    at_horizon: TallyOut
    hires_total: int
    series: list[MonthOut]
    contracts: list[ContractCoverageOut]
    targets: list[TargetOut]
    target_totals: list[StartMonthTotalOut]
    at_risk: list[AtRiskAltOut]
    rule: CoverageRuleOut


def coverage_rules(book: Rulebook) -> CoverageRules:
    coverage = book.dispatch_operations.coverage
    return CoverageRules(
        horizon_months=coverage.horizon_months,
        undecided_counts_as_at_risk=coverage.undecided_counts_as_at_risk,
        start_months=tuple(book.paths[HiringPath.DISPATCH].timeline.start_months),
        undecided_leaving_share=book.dispatch_retention.leavers.undecided_share,
    )


def _rule_out(book: Rulebook) -> CoverageRuleOut:
    coverage = book.dispatch_operations.coverage
    return CoverageRuleOut(
        horizon_months=coverage.horizon_months,
        undecided_counts_as_at_risk=coverage.undecided_counts_as_at_risk,
        undecided_leaving_share=book.dispatch_retention.leavers.undecided_share,
        start_months=sorted(book.paths[HiringPath.DISPATCH].timeline.start_months),
        rationale=coverage.rationale,
        sources=[str(s) for s in coverage.sources],
        as_of=coverage.as_of,
    )


def _tally(t: Tally) -> TallyOut:
    return TallyOut(
        positions=t.positions,
        assigned=t.assigned,
        at_risk=t.at_risk,
        expected_covered=t.expected_covered,
        gap=t.gap,
        released=t.released,
    )


def _company(session: Session, actor: Actor, company_id: int | None) -> Organisation:
    """The actor's own company; the operator (CLI) names one."""
    wanted = company_id if actor.is_operator else company_of(actor)
    company = session.get(Organisation, wanted) if wanted is not None else None
    if company is None or company.kind != OrgKind.COMPANY:
        raise NotFoundError("company")
    return company


def dispatch_coverage(
    sessions: Sessions,
    actor: Actor,
    *,
    company_id: int | None = None,
    today: dt.date | None = None,
    region: str | None = None,
    book: Rulebook | None = None,
) -> CoverageOut:
    """Coverage over the rulebook's horizon from the month of `today` (default: today in
    Japan), optionally for one region (the client BoE's prefecture).

    Company staff see their own company (`company_id` is ignored); the operator names it.
    """
    book = book or load_rulebook()
    today = today or today_in_japan()
    with sessions() as session:
        company = _company(session, actor, company_id)
        rows = contracts_with_boes(session, company.id)
        regions = sorted({boe.prefecture or "" for _, boe in rows})
        if region is not None:
            if region not in regions:
                raise RuleError(
                    Message(N_("None of your contracts is in {region}."), {"region": region}),
                    "region",
                )
            rows = [(c, boe) for c, boe in rows if (boe.prefecture or "") == region]
        contract_ids = [c.id for c, _ in rows]
        positions = positions_of_contracts(session, contract_ids)
        current = alts_at_positions(session, [p.id for p, _ in positions])
        alts = {a.id: a for a in roster_alts_of_company(session, company.id)}
        terms = [
            ContractTerm(
                c.id,
                boe.prefecture or "",
                c.start,
                c.end,
                tuple(
                    PositionTerm(p.id, _own(current.get(p.id), alts))
                    for p, _ in positions
                    if p.contract_id == c.id
                ),
            )
            for c, boe in rows
        ]
        alt_terms = [
            AltTerm(a.id, a.contract_end, RenewalIntention(a.renewal_intention))
            for a in alts.values()
        ]
        result = forecast(terms, alt_terms, today, coverage_rules(book))
        schools = {p.id: s for p, s in positions}
        contracts = {c.id: (c, boe) for c, boe in rows}
        return CoverageOut(
            company_id=company.id,
            company=company.name_en,
            company_ja=company.name_ja,
            today=today,
            region=region,
            regions=regions,
            months=list(result.months),
            now=_tally(result.series[0].total),
            at_horizon=_tally(result.series[-1].total),
            hires_total=sum(t.hires for t in result.targets),
            series=[
                MonthOut(
                    month=m.month,
                    total=_tally(m.total),
                    regions={r: _tally(t) for r, t in m.by_region.items()},
                )
                for m in result.series
            ],
            contracts=_contracts_out(
                result,
                rows,
                today,
                contract_needs(result, coverage_rules(book).undecided_leaving_share),
            ),
            targets=[TargetOut.model_validate(t, from_attributes=True) for t in result.targets],
            target_totals=[
                StartMonthTotalOut(start_month=m, hires=h)
                for m, h in result.hires_by_start_month().items()
            ],
            at_risk=[
                AtRiskAltOut(
                    alt_id=r.alt_id,
                    external_id=alts[r.alt_id].external_id,
                    name=alts[r.alt_id].name,
                    contract_end=r.contract_end,
                    renewal_intention=r.intention,
                    from_month=r.from_month,
                    contract_id=r.contract_id,
                    contract_reference=contracts[r.contract_id][0].reference,
                    region=r.region,
                    school=schools[r.position_id].name_en,
                    school_ja=schools[r.position_id].name_ja,
                )
                for r in result.at_risk
            ],
            rule=_rule_out(book),
        )


def _own(alt_id: int | None, alts: dict[int, RosterAlt]) -> int | None:
    """An assignment counts only for an ALT on this company's roster."""
    return alt_id if alt_id is not None and alt_id in alts else None


def _contracts_out(
    result: CoverageForecast,
    rows: list[tuple[DispatchContract, Organisation]],
    today: dt.date,
    needs: dict[int, tuple[ContractNeed, ...]],
) -> list[ContractCoverageOut]:
    first, last = result.series[0], result.series[-1]
    horizon_end = result.months[-1]
    out = []
    for contract, boe in rows:
        ends_soon = contract.end <= month_end(horizon_end)
        out.append(
            ContractCoverageOut(
                contract_id=contract.id,
                reference=contract.reference,
                boe=boe.name_en,
                boe_ja=boe.name_ja,
                region=boe.prefecture or "",
                start=contract.start,
                end=contract.end,
                renewal_date=contract.renewal_date,
                ends_within_horizon=ends_soon,
                renewal_passed=ends_soon
                and contract.renewal_date is not None
                and contract.renewal_date < today,
                now=_tally(first.by_contract[contract.id]),
                at_horizon=_tally(last.by_contract[contract.id]),
                needs=[
                    ContractNeedOut.model_validate(n, from_attributes=True)
                    for n in needs.get(contract.id, ())
                ],
            )
        )
    return out
