"""Retention risk per ALT: a transparent additive score, each point with its reason.

From an ALT's facts on `today` (when they joined the company, their renewal intention, when
their own contract ends, the scores of the latest satisfaction surveys, their open support cases
and whether a transfer request is pending), `retention_risk` adds the rulebook's points
(`dispatch_retention.risk.points`) for each reason that applies:

- `first_year`: employed for less than a year (`today` is before the first anniversary of
  `employed_since`); `long_tenure`: employed `long_tenure_years` or more. Neither when
  `employed_since` is not recorded.
- `leaving`: they said they are leaving. `undecided_near_deadline`: undecided and `today` is
  within `near_deadline_days` of their renewal deadline (`deadline_days` before their contract
  ends) or past it; `undecided`: undecided further out. Renewing adds nothing.
- `low_own_satisfaction`: the ALT's own mean score of their school (1 to 5) is below
  `low_satisfaction_below`; `low_school_satisfaction`: the school's mean score of the ALT is.
  A missing score (no survey yet) adds nothing: it is never read as a low one.
- `open_cases`: `open_case` points per open support case, at most `open_cases_max`.
- `transfer_requested`: a transfer request of theirs is waiting for a decision.

The level is high from `high_from` points, medium from `medium_from`, low below. No weighting
is hidden: the score is the sum of the listed reasons' points.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from altmatch.domain.timeline import add_months
from altmatch.i18n import N_, register_labels
from altmatch.rulebook.retention import DispatchRetention
from altmatch.rulebook.vocabulary import RenewalIntention


class RiskReason(StrEnum):
    FIRST_YEAR = "first_year"
    LONG_TENURE = "long_tenure"
    LEAVING = "leaving"
    UNDECIDED_NEAR_DEADLINE = "undecided_near_deadline"
    UNDECIDED = "undecided"
    LOW_OWN_SATISFACTION = "low_own_satisfaction"
    LOW_SCHOOL_SATISFACTION = "low_school_satisfaction"
    OPEN_CASES = "open_cases"
    TRANSFER_REQUESTED = "transfer_requested"


register_labels(
    RiskReason,
    {
        RiskReason.FIRST_YEAR: N_("In their first year with the company"),
        RiskReason.LONG_TENURE: N_("Long tenure: many ALTs move on after a few years"),
        RiskReason.LEAVING: N_("Said they are leaving"),
        RiskReason.UNDECIDED_NEAR_DEADLINE: N_("Undecided close to the renewal deadline"),
        RiskReason.UNDECIDED: N_("Has not said yet whether they will renew"),
        RiskReason.LOW_OWN_SATISFACTION: N_("Scores their school low"),
        RiskReason.LOW_SCHOOL_SATISFACTION: N_("Their school scores them low"),
        RiskReason.OPEN_CASES: N_("Open support cases"),
        RiskReason.TRANSFER_REQUESTED: N_("Asked for a transfer"),
    },
)


class RiskLevel(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


register_labels(
    RiskLevel,
    {RiskLevel.LOW: N_("Low"), RiskLevel.MEDIUM: N_("Medium"), RiskLevel.HIGH: N_("High")},
)
LEVEL_ORDER = {RiskLevel.LOW: 0, RiskLevel.MEDIUM: 1, RiskLevel.HIGH: 2}


@dataclass(frozen=True)
class Satisfaction:
    """The latest survey scores about one ALT's placement (1 to 5; None: no survey yet)."""

    own_score: float | None = None  # the ALT's own score of their school
    school_score: float | None = None  # the school's score of the ALT


@dataclass(frozen=True)
class RetentionFacts:
    alt_id: int
    employed_since: dt.date | None
    contract_end: dt.date
    intention: RenewalIntention
    satisfaction: Satisfaction = Satisfaction()
    open_cases: int = 0
    transfer_pending: bool = False


@dataclass(frozen=True)
class Reason:
    reason: RiskReason
    points: int


@dataclass(frozen=True)
class RetentionRisk:
    alt_id: int
    score: int
    level: RiskLevel
    reasons: tuple[Reason, ...]  # in the order of RiskReason; the score is their sum
    renewal_deadline: dt.date


def renewal_deadline(contract_end: dt.date, rules: DispatchRetention) -> dt.date:
    """The day by which the ALT should say whether they renew."""
    return contract_end - dt.timedelta(days=rules.renewal_ask.deadline_days)


@dataclass(frozen=True)
class AskDates:
    """When an ALT whose contract ends `contract_end` is asked, reminded, and must answer."""

    ask_from: dt.date
    remind_from: dt.date
    deadline: dt.date


def ask_dates(contract_end: dt.date, rules: DispatchRetention) -> AskDates:
    """`ask_days` and `remind_days` before the renewal deadline (see `renewal_deadline`)."""
    deadline = renewal_deadline(contract_end, rules)
    ask = rules.renewal_ask
    return AskDates(
        deadline - dt.timedelta(days=ask.ask_days),
        deadline - dt.timedelta(days=ask.remind_days),
        deadline,
    )


def years_employed(employed_since: dt.date, today: dt.date) -> int:
    """Whole years from `employed_since` to `today` (0 before the first anniversary)."""
    years = today.year - employed_since.year
    while years > 0 and add_months(employed_since, 12 * years) > today:
        years -= 1
    return max(years, 0)


def level_of(score: int, rules: DispatchRetention) -> RiskLevel:
    if score >= rules.risk.high_from:
        return RiskLevel.HIGH
    if score >= rules.risk.medium_from:
        return RiskLevel.MEDIUM
    return RiskLevel.LOW


def _low(score: float | None, rules: DispatchRetention) -> bool:
    return score is not None and score < rules.risk.low_satisfaction_below


def retention_risk(
    facts: RetentionFacts, today: dt.date, rules: DispatchRetention
) -> RetentionRisk:
    """The ALT's score, level and reasons on `today` (see the module docstring)."""
    risk, points = rules.risk, rules.risk.points
    deadline = renewal_deadline(facts.contract_end, rules)
    found: list[Reason] = []
    if facts.employed_since is not None:
        years = years_employed(facts.employed_since, today)
        if years < 1:
            found.append(Reason(RiskReason.FIRST_YEAR, points.first_year))
        elif years >= risk.long_tenure_years:
            found.append(Reason(RiskReason.LONG_TENURE, points.long_tenure))
    if facts.intention is RenewalIntention.LEAVING:
        found.append(Reason(RiskReason.LEAVING, points.leaving))
    elif facts.intention is RenewalIntention.UNDECIDED:
        near = today >= deadline - dt.timedelta(days=risk.near_deadline_days)
        if near:
            found.append(Reason(RiskReason.UNDECIDED_NEAR_DEADLINE, points.undecided_near_deadline))
        else:
            found.append(Reason(RiskReason.UNDECIDED, points.undecided))
    if _low(facts.satisfaction.own_score, rules):
        found.append(Reason(RiskReason.LOW_OWN_SATISFACTION, points.low_own_satisfaction))
    if _low(facts.satisfaction.school_score, rules):
        found.append(Reason(RiskReason.LOW_SCHOOL_SATISFACTION, points.low_school_satisfaction))
    if facts.open_cases > 0:
        case_points = min(facts.open_cases * points.open_case, points.open_cases_max)
        found.append(Reason(RiskReason.OPEN_CASES, case_points))
    if facts.transfer_pending:
        found.append(Reason(RiskReason.TRANSFER_REQUESTED, points.transfer_requested))
    found = [r for r in found if r.points > 0]
    score = sum(r.points for r in found)
    return RetentionRisk(facts.alt_id, score, level_of(score, rules), tuple(found), deadline)
