"""Typed shape of `dispatch_compliance:`, the legal deadlines a dispatch company is warned of.

Each rule carries its legal figures with the source they were read in (the Sourced fields), the
texts a company's staff read (name, explanation, what to do), and how many days ahead they are
warned (`lead`: an editorial choice with its own rationale, so it is never mistaken for a
figure of the law). The calendar reasoning that turns these figures into dates lives in
`altmatch.domain.compliance`.
"""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from altmatch.rulebook.schema import Frozen, Reasoned, Sourced, Text


class LeadTime(Reasoned):
    """How many days before a rule's date the company is first warned."""

    days: int = Field(ge=0, le=1000)


class ComplianceRuleInfo(Sourced):
    """One rule as staff read it: its name, why it exists, and what the company should do."""

    name: Text
    explanation: Text
    action: Text
    lead: LeadTime


class DispatchUnitLimit(ComplianceRuleInfo):
    """The same dispatched worker may work in the same organisational unit of a client for at
    most `limit_years`; a break longer than `resetting_gap_months` starts the count again."""

    limit_years: int = Field(ge=1)
    resetting_gap_months: int = Field(ge=0)


class IndefiniteConversion(ComplianceRuleInfo):
    """Renewed fixed-term contracts with one employer totalling more than `limit_years` give
    the worker the right to an indefinite contract; only contracts starting on or after
    `counts_from` count."""

    limit_years: int = Field(ge=1)
    counts_from: dt.date


class ResidenceCardExpiry(ComplianceRuleInfo):
    """A residence card's period of stay ends on its expiry date; a renewal may be applied for
    from about `renewal_opens_months` before it."""

    renewal_opens_months: int = Field(ge=0)


class OutsourcingDirection(ComplianceRuleInfo):
    """Under an outsourcing contract nobody but the company may direct the ALT: a standing
    warning for every ALT assigned under one, from `lead` days before the assignment starts."""


class DueSoon(Reasoned):
    """Alerts due within `days` (today included) are "due soon"; later ones are "later"."""

    days: int = Field(ge=0, le=366)


class DispatchCompliance(Frozen):
    """The rules of the compliance watch, one field per rule id."""

    due_soon: DueSoon
    dispatch_three_year_unit: DispatchUnitLimit
    indefinite_conversion: IndefiniteConversion
    residence_card_expiry: ResidenceCardExpiry
    outsourcing_direction: OutsourcingDirection

    def rule(self, rule_id: str) -> ComplianceRuleInfo:
        """The rule named `rule_id` (one of the field names above); KeyError for another."""
        if rule_id == "due_soon" or rule_id not in type(self).model_fields:
            raise KeyError(rule_id)
        found: ComplianceRuleInfo = getattr(self, rule_id)
        return found
