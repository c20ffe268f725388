"""Coverage and retention ahead: per month, contract and region, a company's positions against
the ALTs expected to still fill them, and how many ALTs to hire for each start month.

The rules, month by month over the horizon (month 0 is the month of `today`):

- **Positions**: the positions of every contract active at some point in the month (its start is
  on or before the month's last day and its end on or after the month's first day). A contract
  that ends before the month no longer counts: the company is not bound to fill it, and its
  ALTs are free for other contracts (see `released`). A renewed contract is a contract whose
  `end` was moved on; one whose renewal date has passed while it still ends within the horizon
  is flagged (`renewal_passed`) but counted as written.
- **Assigned**: those positions with an ALT working them today.
- **At risk**: assigned positions whose ALT's own employment contract ends before the month
  (`contract_end` < the month's first day) and who said they are leaving, or are undecided
  when `undecided_counts_as_at_risk` is set. An ALT whose contract ends on 30 June is at risk
  from July.
- **Expected covered** = assigned − at risk; **gap** = positions − expected covered.
- **Released**: ALTs assigned today to a contract that has ended before the month and who are
  not at risk themselves: staff to redeploy, shown but not netted against gaps.

Hiring targets, per region (where released ALTs can be redeployed) and start month: hires
start only in the start months (e.g. April, August, September). For each start month within the
horizon, in order, the need is netted:

    gross need        = positions − assigned (posts nobody works today)
    − redeployable    = released ALTs (their contract ended, they are not leaving)
    + expected leavers = ALTs who said they are leaving + ⌈undecided_leaving_share × the
                         undecided⌉, among those whose own contract has ended by then
    = net need (never below zero)

and the target is the net need less the hires already targeted for earlier start months of the
horizon (never below zero): a gap that opens in July is for the August intake, and an ALT hired
for April still counts in August. Totals are the sums over regions. (Before this netting,
targets were the gap and ignored the ALTs released by ended contracts.)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from altmatch.rulebook.vocabulary import RenewalIntention


@dataclass(frozen=True)
class CoverageRules:
    """The rulebook's coverage figures and the path's start months."""

    horizon_months: int
    undecided_counts_as_at_risk: bool
    start_months: tuple[int, ...]
    undecided_leaving_share: float = 1.0  # of the undecided, the share targets expect to leave


@dataclass(frozen=True)
class AltTerm:
    """An ALT's own employment: when it ends and whether they mean to renew."""

    alt_id: int
    contract_end: date
    intention: RenewalIntention


@dataclass(frozen=True)
class PositionTerm:
    position_id: int
    alt_id: int | None  # the ALT working it today, if any


@dataclass(frozen=True)
class ContractTerm:
    """A client contract: its term, the region (the client BoE's prefecture), its positions."""

    contract_id: int
    region: str
    start: date
    end: date
    positions: tuple[PositionTerm, ...]


@dataclass(frozen=True)
class Tally:
    positions: int = 0
    assigned: int = 0
    at_risk: int = 0
    released: int = 0
    leaving: int = 0  # assigned ALTs gone by the month who said they are leaving
    undecided: int = 0  # assigned ALTs whose contract has ended by the month, still undecided

    @property
    def expected_covered(self) -> int:
        return self.assigned - self.at_risk

    @property
    def gap(self) -> int:
        return self.positions - self.expected_covered

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            self.positions + other.positions,
            self.assigned + other.assigned,
            self.at_risk + other.at_risk,
            self.released + other.released,
            self.leaving + other.leaving,
            self.undecided + other.undecided,
        )


@dataclass(frozen=True)
class MonthCoverage:
    month: date  # the first day of the month
    total: Tally
    by_region: dict[str, Tally]
    by_contract: dict[int, Tally]


@dataclass(frozen=True)
class HiringTarget:
    region: str
    start_month: date
    gap: int  # the region's gap in the start month (as the series shows it)
    already_targeted: int  # hires targeted for earlier start months of the horizon
    hires: int
    gross_need: int = 0  # posts nobody works today
    redeployable: int = 0  # released ALTs to place before hiring
    expected_leavers: int = 0  # leaving, plus the rulebook's share of the undecided
    net_need: int = 0  # gross need − redeployable + expected leavers (never below zero)


@dataclass(frozen=True)
class AtRisk:
    """An assigned ALT expected to leave within the horizon, and from which month."""

    alt_id: int
    position_id: int
    contract_id: int
    region: str
    contract_end: date
    intention: RenewalIntention
    from_month: date


@dataclass(frozen=True)
class CoverageForecast:
    months: tuple[date, ...]
    series: tuple[MonthCoverage, ...]
    targets: tuple[HiringTarget, ...]  # by start month, then region
    at_risk: tuple[AtRisk, ...]  # by the month they go, then contract end
    start_months: tuple[date, ...] = ()  # the months of the horizon new ALTs can start in

    def hires_by_start_month(self) -> dict[date, int]:
        totals = dict.fromkeys(self.start_months, 0)
        for target in self.targets:
            totals[target.start_month] = totals.get(target.start_month, 0) + target.hires
        return totals


def month_starts(today: date, count: int) -> tuple[date, ...]:
    """The first days of `count` months, starting with the month of `today`."""
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        months.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tuple(months)


def month_end(first: date) -> date:
    following = (
        date(first.year + 1, 1, 1) if first.month == 12 else first.replace(month=first.month + 1)
    )
    return following - timedelta(days=1)


def active_in(contract: ContractTerm, first: date) -> bool:
    """Whether the contract runs at some point in the month starting on `first`."""
    return contract.start <= month_end(first) and contract.end >= first


def counts_as_leaving(intention: RenewalIntention, rules: CoverageRules) -> bool:
    if intention is RenewalIntention.LEAVING:
        return True
    return intention is RenewalIntention.UNDECIDED and rules.undecided_counts_as_at_risk


def gone_by(alt: AltTerm, first: date, rules: CoverageRules) -> bool:
    """Whether the ALT is expected to have left before the month starting on `first`."""
    return alt.contract_end < first and counts_as_leaving(alt.intention, rules)


def _contract_tally(
    contract: ContractTerm, first: date, alts: dict[int, AltTerm], rules: CoverageRules
) -> Tally:
    filled = [p.alt_id for p in contract.positions if p.alt_id is not None]
    leaving = sum(1 for a in filled if a in alts and gone_by(alts[a], first, rules))
    if not active_in(contract, first):
        released = len(filled) - leaving if contract.end < first else 0
        return Tally(released=released)
    ended = [alts[a] for a in filled if a in alts and alts[a].contract_end < first]
    said_leaving = sum(1 for a in ended if a.intention is RenewalIntention.LEAVING)
    undecided = sum(1 for a in ended if a.intention is RenewalIntention.UNDECIDED)
    return Tally(len(contract.positions), len(filled), leaving, 0, said_leaving, undecided)


def _sum(tallies: Iterable[Tally]) -> Tally:
    total = Tally()
    for tally in tallies:
        total = total + tally
    return total


def expected_leavers(tally: Tally, undecided_share: float) -> int:
    """Those who said they are leaving, and the share of the undecided rounded up."""
    return tally.leaving + math.ceil(round(undecided_share * tally.undecided, 9))


@dataclass(frozen=True)
class ContractNeed:
    """One contract's part of a start month's need: its posts nobody works, and its ALTs
    expected to have left (redeployable ALTs are pooled per region, so they are not split)."""

    start_month: date
    gross_need: int
    expected_leavers: int


def contract_needs(
    result: CoverageForecast, undecided_share: float
) -> dict[int, tuple[ContractNeed, ...]]:
    """Per contract, its need in each start month of the horizon (see `ContractNeed`)."""
    starts = set(result.start_months)
    needs: dict[int, list[ContractNeed]] = {}
    for month in result.series:
        if month.month not in starts:
            continue
        for contract_id, tally in month.by_contract.items():
            needs.setdefault(contract_id, []).append(
                ContractNeed(
                    month.month,
                    tally.positions - tally.assigned,
                    expected_leavers(tally, undecided_share),
                )
            )
    return {c: tuple(n) for c, n in needs.items()}


def hiring_targets(
    series: Sequence[MonthCoverage],
    start_months: Iterable[int],
    regions: Iterable[str],
    undecided_share: float = 1.0,
) -> tuple[HiringTarget, ...]:
    """Per region, the hires for each start month in the series (see the module docstring)."""
    starts = set(start_months)
    targeted = dict.fromkeys(regions, 0)
    targets = []
    for month in series:
        if month.month.month not in starts:
            continue
        for region in sorted(targeted):
            tally = month.by_region.get(region, Tally())
            gross = tally.positions - tally.assigned
            leavers = expected_leavers(tally, undecided_share)
            net = max(0, gross - tally.released + leavers)
            hires = max(0, net - targeted[region])
            targets.append(
                HiringTarget(
                    region,
                    month.month,
                    tally.gap,
                    targeted[region],
                    hires,
                    gross_need=gross,
                    redeployable=tally.released,
                    expected_leavers=leavers,
                    net_need=net,
                )
            )
            targeted[region] += hires
    return tuple(targets)


def forecast(
    contracts: Sequence[ContractTerm],
    alts: Iterable[AltTerm],
    today: date,
    rules: CoverageRules,
) -> CoverageForecast:
    """Coverage for each month of the horizon, hiring targets and the ALTs at risk."""
    by_id = {a.alt_id: a for a in alts}
    months = month_starts(today, rules.horizon_months)
    regions = sorted({c.region for c in contracts})
    series = []
    for first in months:
        by_contract = {c.contract_id: _contract_tally(c, first, by_id, rules) for c in contracts}
        by_region = {
            r: _sum(by_contract[c.contract_id] for c in contracts if c.region == r) for r in regions
        }
        series.append(MonthCoverage(first, _sum(by_region.values()), by_region, by_contract))
    return CoverageForecast(
        months=months,
        series=tuple(series),
        targets=hiring_targets(series, rules.start_months, regions, rules.undecided_leaving_share),
        at_risk=_at_risk(contracts, by_id, months, rules),
        start_months=tuple(m for m in months if m.month in rules.start_months),
    )


def _at_risk(
    contracts: Sequence[ContractTerm],
    alts: dict[int, AltTerm],
    months: Sequence[date],
    rules: CoverageRules,
) -> tuple[AtRisk, ...]:
    found = []
    for contract in contracts:
        for position in contract.positions:
            alt = alts.get(position.alt_id) if position.alt_id is not None else None
            if alt is None:
                continue
            first = next(
                (m for m in months if active_in(contract, m) and gone_by(alt, m, rules)), None
            )
            if first is None:
                continue  # staying, or their contract ends before they would leave it
            found.append(
                AtRisk(
                    alt.alt_id,
                    position.position_id,
                    contract.contract_id,
                    contract.region,
                    alt.contract_end,
                    alt.intention,
                    first,
                )
            )
    return tuple(sorted(found, key=lambda r: (r.from_month, r.contract_end, r.alt_id)))
