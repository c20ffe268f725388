"""Typed shape of `dispatch_retention:`, the figures the retention watch and contract health use.

Three groups, each a modelling figure with its rationale (`Reasoned`), never a figure of the law:
when an ALT is asked whether they will renew (`renewal_ask`), the points of the retention risk
score and where its levels start (`risk`), and what share of undecided ALTs the hiring targets
count as leaving (`leavers`). Which contracts are "watch" or "at risk" is `contract_health`.
The arithmetic lives in `altmatch.domain.retention_risk` and `altmatch.domain.contract_health`.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from altmatch.rulebook.schema import Frozen, Reasoned


class RenewalAsk(Reasoned):
    """An ALT must say whether they renew `deadline_days` before their own contract ends; they
    are asked `ask_days` before that deadline and reminded once `remind_days` before it."""

    deadline_days: int = Field(ge=0, le=366)
    ask_days: int = Field(ge=1, le=366)
    remind_days: int = Field(ge=0, le=366)

    @model_validator(mode="after")
    def _remind_after_ask(self) -> RenewalAsk:
        if self.remind_days >= self.ask_days:
            raise ValueError("remind_days must be fewer than ask_days")
        return self


class RiskPoints(Frozen):
    """The points each reason adds to an ALT's retention risk score."""

    first_year: int = Field(ge=0, le=20)
    long_tenure: int = Field(ge=0, le=20)
    leaving: int = Field(ge=0, le=20)
    undecided_near_deadline: int = Field(ge=0, le=20)
    undecided: int = Field(ge=0, le=20)
    low_own_satisfaction: int = Field(ge=0, le=20)
    low_school_satisfaction: int = Field(ge=0, le=20)
    open_case: int = Field(ge=0, le=20)
    open_cases_max: int = Field(ge=0, le=20)
    transfer_requested: int = Field(ge=0, le=20)


class RiskRules(Reasoned):
    """The retention risk score: `points` per reason, the thresholds the reasons use, and the
    score from which an ALT is at medium or high risk."""

    points: RiskPoints
    long_tenure_years: int = Field(ge=1, le=40)
    near_deadline_days: int = Field(ge=0, le=366)
    low_satisfaction_below: float = Field(gt=1, le=5)
    medium_from: int = Field(ge=1)
    high_from: int = Field(ge=1)

    @model_validator(mode="after")
    def _levels_in_order(self) -> RiskRules:
        if self.high_from <= self.medium_from:
            raise ValueError("high_from must be above medium_from")
        return self


class LeaverShare(Reasoned):
    """The share of undecided ALTs the hiring targets expect to leave."""

    undecided_share: float = Field(ge=0, le=1)


class ContractHealthRules(Reasoned):
    """When a contract is "watch" or "at risk"."""

    watch_coverage_below: float = Field(gt=0, le=1)
    at_risk_coverage_below: float = Field(gt=0, le=1)
    watch_alts_at_high_risk: int = Field(ge=1)
    at_risk_high_risk_share: float = Field(gt=0, le=1)
    low_school_satisfaction_below: float = Field(gt=1, le=5)
    watch_renewal_within_days: int = Field(ge=0, le=366)


class DispatchRetention(Frozen):
    renewal_ask: RenewalAsk
    risk: RiskRules
    leavers: LeaverShare
    contract_health: ContractHealthRules
