"""Contract health: per client contract, whether the company is at risk of losing it, and why.

For each contract `contract_health` takes today's coverage (posts filled / posts), the schools'
satisfaction scores of the contract's ALTs, each ALT's retention risk, the open support cases of
its ALTs and its renewal date, and applies the rulebook's `dispatch_retention.contract_health`:

- **at risk** when coverage is below `at_risk_coverage_below`, when the share of its ALTs at
  high retention risk is `at_risk_high_risk_share` or more, or when its schools' mean score is
  below `low_school_satisfaction_below`;
- **watch** when coverage is below `watch_coverage_below`, when `watch_alts_at_high_risk` or
  more of its ALTs are at high risk, when its ALTs have open support cases, or when its renewal
  date is today or within `watch_renewal_within_days`;
- **ok** otherwise.

Every reason that applies is listed, the worst first. Missing figures (a contract with no posts,
no survey yet, no ALT) give no reason: nothing is read as zero.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from altmatch.domain.retention_risk import RetentionRisk, RiskLevel
from altmatch.i18n import N_, Message, register_labels
from altmatch.rulebook.retention import DispatchRetention


class HealthStatus(StrEnum):
    OK = "ok"
    WATCH = "watch"
    AT_RISK = "at_risk"


register_labels(
    HealthStatus,
    {
        HealthStatus.OK: N_("OK"),
        HealthStatus.WATCH: N_("Watch"),
        HealthStatus.AT_RISK: N_("Contract at risk"),
    },
)
STATUS_ORDER = {HealthStatus.AT_RISK: 0, HealthStatus.WATCH: 1, HealthStatus.OK: 2}


class HealthReason(StrEnum):
    LOW_COVERAGE = "low_coverage"
    UNFILLED_POSTS = "unfilled_posts"
    MANY_AT_HIGH_RISK = "many_at_high_risk"
    ALTS_AT_HIGH_RISK = "alts_at_high_risk"
    LOW_SCHOOL_SATISFACTION = "low_school_satisfaction"
    OPEN_CASES = "open_cases"
    RENEWAL_SOON = "renewal_soon"


register_labels(
    HealthReason,
    {
        HealthReason.LOW_COVERAGE: N_("Too few posts filled"),
        HealthReason.UNFILLED_POSTS: N_("Posts unfilled"),
        HealthReason.MANY_AT_HIGH_RISK: N_("Many ALTs at high risk of leaving"),
        HealthReason.ALTS_AT_HIGH_RISK: N_("ALTs at high risk of leaving"),
        HealthReason.LOW_SCHOOL_SATISFACTION: N_("Schools' satisfaction is low"),
        HealthReason.OPEN_CASES: N_("Open support cases"),
        HealthReason.RENEWAL_SOON: N_("Renewal date soon"),
    },
)


@dataclass(frozen=True)
class ContractFacts:
    contract_id: int
    posts: int
    filled: int
    school_scores: tuple[float, ...]  # the schools' mean scores of each surveyed ALT
    risks: tuple[RetentionRisk, ...]  # one per ALT working under the contract today
    open_cases: int
    renewal_date: dt.date | None


@dataclass(frozen=True)
class HealthNote:
    reason: HealthReason
    status: HealthStatus  # WATCH or AT_RISK
    detail: Message


@dataclass(frozen=True)
class ContractHealth:
    contract_id: int
    posts: int
    filled: int
    coverage: float | None  # filled / posts; None without posts
    school_satisfaction: float | None  # None: no survey yet
    alts: int
    alts_at_high_risk: int
    mean_risk_score: float | None  # None without ALTs
    open_cases: int
    renewal_date: dt.date | None
    status: HealthStatus
    notes: tuple[HealthNote, ...]  # the worst first


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def contract_health(
    facts: ContractFacts, today: dt.date, rules: DispatchRetention
) -> ContractHealth:
    """The contract's figures, status and reasons (see the module docstring)."""
    health = rules.contract_health
    coverage = facts.filled / facts.posts if facts.posts else None
    school = _mean(facts.school_scores)
    high = sum(1 for r in facts.risks if r.level is RiskLevel.HIGH)
    alts = len(facts.risks)
    notes: list[HealthNote] = []

    def note(reason: HealthReason, status: HealthStatus, text: str, **params: object) -> None:
        notes.append(HealthNote(reason, status, Message(text, params)))

    counts = {"filled": facts.filled, "posts": facts.posts}
    if coverage is not None and coverage < health.at_risk_coverage_below:
        note(
            HealthReason.LOW_COVERAGE,
            HealthStatus.AT_RISK,
            N_("{filled} of {posts} posts filled."),
            **counts,
        )
    elif coverage is not None and coverage < health.watch_coverage_below:
        note(
            HealthReason.UNFILLED_POSTS,
            HealthStatus.WATCH,
            N_("{filled} of {posts} posts filled."),
            **counts,
        )
    if alts and high / alts >= health.at_risk_high_risk_share:
        note(
            HealthReason.MANY_AT_HIGH_RISK,
            HealthStatus.AT_RISK,
            N_("{high} of {alts} ALTs at high risk of leaving."),
            high=high,
            alts=alts,
        )
    elif high >= health.watch_alts_at_high_risk:
        note(
            HealthReason.ALTS_AT_HIGH_RISK,
            HealthStatus.WATCH,
            N_("{high} of {alts} ALTs at high risk of leaving."),
            high=high,
            alts=alts,
        )
    if school is not None and school < health.low_school_satisfaction_below:
        note(
            HealthReason.LOW_SCHOOL_SATISFACTION,
            HealthStatus.AT_RISK,
            N_("The schools score the ALTs {score} of 5 on average."),
            score=f"{school:.1f}",
        )
    if facts.open_cases > 0:
        note(
            HealthReason.OPEN_CASES,
            HealthStatus.WATCH,
            N_("Open support cases of its ALTs: {count}."),
            count=facts.open_cases,
        )
    if facts.renewal_date is not None:
        days = (facts.renewal_date - today).days
        if 0 <= days <= health.watch_renewal_within_days:
            note(
                HealthReason.RENEWAL_SOON,
                HealthStatus.WATCH,
                N_("Renewal date {date}, in {days} days."),
                date=facts.renewal_date,
                days=days,
            )
    notes.sort(key=lambda n: STATUS_ORDER[n.status])
    status = notes[0].status if notes else HealthStatus.OK
    return ContractHealth(
        contract_id=facts.contract_id,
        posts=facts.posts,
        filled=facts.filled,
        coverage=coverage,
        school_satisfaction=school,
        alts=alts,
        alts_at_high_risk=high,
        mean_risk_score=_mean([float(r.score) for r in facts.risks]),
        open_cases=facts.open_cases,
        renewal_date=facts.renewal_date,
        status=status,
        notes=tuple(notes),
    )
