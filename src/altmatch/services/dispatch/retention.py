"""Retention risk per ALT: the read model the retention page, its JSON twin and contract health
share.

For each ALT still working for the company (own contract not ended), the facts are read in a
few queries: tenure (`employed_since`), renewal intention and contract end, open support cases
with the company (by the ALT's account), a pending transfer request, and the latest satisfaction
scores of the ALT's current placement, keyed (roster ALT id, school id). Then
`altmatch.domain.retention_risk` scores each with the rulebook's points. Satisfaction comes from
`_satisfaction`, the one place that reads surveys; a placement without a survey shows "no survey
yet", never a score of 0.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel
from sqlalchemy.orm import Session

from altmatch.clock import today_in_japan
from altmatch.db import Sessions
from altmatch.db.dispatch import roster_alts_of_company
from altmatch.db.models import RenewalAsk, RosterAlt, School
from altmatch.db.retention_watch import (
    alts_with_pending_transfer,
    asks_of_company,
    open_cases_by_user,
    placements_of_alts,
)
from altmatch.domain.access import Actor, Permission, require
from altmatch.domain.retention_risk import (
    LEVEL_ORDER,
    RetentionFacts,
    RetentionRisk,
    RiskLevel,
    RiskReason,
    Satisfaction,
    ask_dates,
    retention_risk,
)
from altmatch.domain.satisfaction import PairSatisfaction
from altmatch.i18n import N_, label, register_labels, render
from altmatch.rulebook import Rulebook, load_rulebook
from altmatch.rulebook.vocabulary import RenewalIntention
from altmatch.services.dispatch.contracts import company_for, named
from altmatch.services.dispatch.surveys import pair_satisfaction

RETENTION_LINK = "/dispatch/retention"


def _satisfaction(
    session: Session, company_id: int, *, on: dt.date
) -> Mapping[tuple[int, int], PairSatisfaction]:
    """The latest satisfaction per (roster ALT id, school id) of the company on `on`, from its
    termly surveys; a pair without a survey is absent (or has None scores), never 0."""
    return pair_satisfaction(session, company_id, on=on)


@dataclass(frozen=True)
class AltRetention:
    """One working ALT: their roster row, where they work today and their scored risk."""

    alt: RosterAlt
    contract_id: int | None
    school_id: int | None
    school: School | None
    satisfaction: Satisfaction
    open_cases: int
    transfer_pending: bool
    risk: RetentionRisk


def working_alts(session: Session, company_id: int, today: dt.date) -> list[RosterAlt]:
    return [a for a in roster_alts_of_company(session, company_id) if a.contract_end >= today]


def alt_retention(
    session: Session, company_id: int, today: dt.date, book: Rulebook
) -> list[AltRetention]:
    """Every working ALT of the company with their risk, in roster order."""
    rules = book.dispatch_retention
    alts = working_alts(session, company_id, today)
    placed = placements_of_alts(session, [a.id for a in alts])
    users = {a.user_id for a in alts if a.user_id is not None}
    cases = open_cases_by_user(session, company_id, users)
    transfers = alts_with_pending_transfer(session, company_id)
    scores = _satisfaction(session, company_id, on=today)
    out = []
    for alt in alts:
        contract_id, school_id, school = placed.get(alt.id, (None, None, None))
        pair = scores.get((alt.id, school_id)) if school_id is not None else None
        satisfaction = Satisfaction(
            own_score=pair.alt_score if pair is not None else None,
            school_score=pair.school_score if pair is not None else None,
        )
        open_cases = cases.get(alt.user_id, 0) if alt.user_id is not None else 0
        facts = RetentionFacts(
            alt_id=alt.id,
            employed_since=alt.employed_since,
            contract_end=alt.contract_end,
            intention=RenewalIntention(alt.renewal_intention),
            satisfaction=satisfaction,
            open_cases=open_cases,
            transfer_pending=alt.id in transfers,
        )
        out.append(
            AltRetention(
                alt,
                contract_id,
                school_id,
                school,
                satisfaction,
                open_cases,
                alt.id in transfers,
                retention_risk(facts, today, rules),
            )
        )
    return out


# --- renewal intentions asked ----------------------------------------------------------------


class AskState(StrEnum):
    """Where an ALT stands with this term's renewal question."""

    ANSWERED = "answered"
    WAITING = "waiting"  # asked, no answer yet, deadline not passed
    OVERDUE = "overdue"  # asked, no answer, deadline passed
    NOT_YET = "not_yet"  # not asked yet: the sweep asks once the ask window opens
    NO_ACCOUNT = "no_account"  # cannot be asked on altmatch: ask in person


register_labels(
    AskState,
    {
        AskState.ANSWERED: N_("Answered"),
        AskState.WAITING: N_("Waiting for an answer"),
        AskState.OVERDUE: N_("No answer by the deadline"),
        AskState.NOT_YET: N_("Not asked yet"),
        AskState.NO_ACCOUNT: N_("No account: ask in person"),
    },
)


class IntentionAskOut(BaseModel):
    alt_id: int
    external_id: str
    name: str
    contract_end: dt.date
    deadline: dt.date
    asks_from: dt.date
    state: AskState
    asked_at: dt.datetime | None
    reminded_at: dt.datetime | None
    answered_at: dt.datetime | None
    answer: RenewalIntention | None
    reason: str  # the ALT's own words, for their employer; "" when none
    renewal_intention: RenewalIntention  # as the roster records it now


STATE_ORDER = {
    AskState.OVERDUE: 0,
    AskState.WAITING: 1,
    AskState.NO_ACCOUNT: 2,
    AskState.NOT_YET: 3,
    AskState.ANSWERED: 4,
}


def _state(alt: RosterAlt, ask: RenewalAsk | None, today: dt.date) -> AskState:
    if ask is not None and ask.answered_at is not None:
        return AskState.ANSWERED
    if ask is not None:
        return AskState.OVERDUE if today > ask.deadline else AskState.WAITING
    if alt.user_id is None:
        return AskState.NO_ACCOUNT
    return AskState.NOT_YET


def intention_asks(
    session: Session, company_id: int, today: dt.date, book: Rulebook
) -> list[IntentionAskOut]:
    """Each working ALT's standing for their current term, those to chase first."""
    rules = book.dispatch_retention
    asks = {(a.alt_id, a.contract_end): a for a in asks_of_company(session, company_id)}
    out = []
    for alt in working_alts(session, company_id, today):
        dates = ask_dates(alt.contract_end, rules)
        ask = asks.get((alt.id, alt.contract_end))
        out.append(
            IntentionAskOut(
                alt_id=alt.id,
                external_id=alt.external_id,
                name=alt.name,
                contract_end=alt.contract_end,
                deadline=ask.deadline if ask else dates.deadline,
                asks_from=dates.ask_from,
                state=_state(alt, ask, today),
                asked_at=ask.asked_at if ask else None,
                reminded_at=ask.reminded_at if ask else None,
                answered_at=ask.answered_at if ask else None,
                answer=RenewalIntention(ask.answer) if ask and ask.answer else None,
                reason=ask.reason if ask else "",
                renewal_intention=RenewalIntention(alt.renewal_intention),
            )
        )
    out.sort(key=lambda a: (STATE_ORDER[a.state], a.deadline, a.alt_id))
    return out


# --- the read model ------------------------------------------------------------------------


class RiskReasonOut(BaseModel):
    reason: RiskReason
    label: str
    points: int


class AltRiskOut(BaseModel):
    alt_id: int  # the roster entry's id (/dispatch/roster/{alt_id})
    external_id: str
    name: str
    employed_since: dt.date | None
    contract_end: dt.date
    renewal_deadline: dt.date
    renewal_intention: RenewalIntention
    contract_id: int | None  # where they work today, if anywhere
    school: str | None
    own_satisfaction: float | None  # None: no survey yet
    school_satisfaction: float | None  # None: no survey yet
    open_cases: int
    transfer_pending: bool
    score: int
    level: RiskLevel
    reasons: list[RiskReasonOut]


class RiskWeightOut(BaseModel):
    reason: RiskReason
    label: str
    points: int


class RetentionRulesOut(BaseModel):
    weights: list[RiskWeightOut]
    open_cases_max: int
    long_tenure_years: int
    near_deadline_days: int
    low_satisfaction_below: float
    medium_from: int
    high_from: int
    deadline_days: int
    ask_days: int  # the ALTs are asked this many days before their renewal deadline
    remind_days: int  # and reminded once this many days before it
    rationale: str
    sources: list[str]
    as_of: dt.date
    estimate: bool


class RetentionOut(BaseModel):
    company_id: int
    company: str
    today: dt.date
    high: int
    medium: int
    low: int
    alts: list[AltRiskOut]  # the highest score first
    unanswered: int  # asked about renewing and not answered yet (waiting or overdue)
    intentions: list[IntentionAskOut]  # each working ALT's renewal question, to chase first
    rules: RetentionRulesOut


def _rules_out(book: Rulebook, locale: str) -> RetentionRulesOut:
    risk = book.dispatch_retention.risk
    points = risk.points
    weights = {
        RiskReason.FIRST_YEAR: points.first_year,
        RiskReason.LONG_TENURE: points.long_tenure,
        RiskReason.LEAVING: points.leaving,
        RiskReason.UNDECIDED_NEAR_DEADLINE: points.undecided_near_deadline,
        RiskReason.UNDECIDED: points.undecided,
        RiskReason.LOW_OWN_SATISFACTION: points.low_own_satisfaction,
        RiskReason.LOW_SCHOOL_SATISFACTION: points.low_school_satisfaction,
        RiskReason.OPEN_CASES: points.open_case,
        RiskReason.TRANSFER_REQUESTED: points.transfer_requested,
    }
    return RetentionRulesOut(
        weights=[
            RiskWeightOut(reason=r, label=render(label(r), locale), points=p)
            for r, p in weights.items()
        ],
        open_cases_max=points.open_cases_max,
        long_tenure_years=risk.long_tenure_years,
        near_deadline_days=risk.near_deadline_days,
        low_satisfaction_below=risk.low_satisfaction_below,
        medium_from=risk.medium_from,
        high_from=risk.high_from,
        deadline_days=book.dispatch_retention.renewal_ask.deadline_days,
        ask_days=book.dispatch_retention.renewal_ask.ask_days,
        remind_days=book.dispatch_retention.renewal_ask.remind_days,
        rationale=risk.rationale,
        sources=[str(s) for s in risk.sources],
        as_of=risk.as_of,
        estimate=risk.estimate,
    )


def alt_risk_out(row: AltRetention, school: str | None, locale: str) -> AltRiskOut:
    alt, risk = row.alt, row.risk
    return AltRiskOut(
        alt_id=alt.id,
        external_id=alt.external_id,
        name=alt.name,
        employed_since=alt.employed_since,
        contract_end=alt.contract_end,
        renewal_deadline=risk.renewal_deadline,
        renewal_intention=RenewalIntention(alt.renewal_intention),
        contract_id=row.contract_id,
        school=school,
        own_satisfaction=row.satisfaction.own_score,
        school_satisfaction=row.satisfaction.school_score,
        open_cases=row.open_cases,
        transfer_pending=row.transfer_pending,
        score=risk.score,
        level=risk.level,
        reasons=[
            RiskReasonOut(reason=r.reason, label=render(label(r.reason), locale), points=r.points)
            for r in risk.reasons
        ],
    )


def alt_risk(
    session: Session, alt: RosterAlt, locale: str, *, today: dt.date | None = None
) -> AltRiskOut | None:
    """One roster entry's retention risk with its reasons (None once their contract has
    ended): what the roster entry shows beside the company-wide list."""
    day = today or today_in_japan()
    rows = alt_retention(session, alt.company_id, day, load_rulebook())
    row = next((r for r in rows if r.alt.id == alt.id), None)
    if row is None:
        return None
    return alt_risk_out(row, named(row.school, locale) if row.school else None, locale)


def company_retention(
    sessions: Sessions,
    actor: Actor,
    *,
    company_id: int | None = None,
    today: dt.date | None = None,
    locale: str = "en",
    book: Rulebook | None = None,
) -> RetentionOut:
    """Every working ALT of the company with their retention risk and its reasons, the highest
    first. Company staff see their own company; the operator names one."""
    require(actor, Permission.DISPATCH_MANAGE)
    book = book or load_rulebook()
    today = today or today_in_japan()
    with sessions() as session:
        company = company_for(session, actor, company_id)
        rows = alt_retention(session, company.id, today, book)
        out = [
            alt_risk_out(row, named(row.school, locale) if row.school else None, locale)
            for row in rows
        ]
        out.sort(key=lambda a: (-a.score, -LEVEL_ORDER[a.level], a.contract_end, a.alt_id))
        asks = intention_asks(session, company.id, today, book)
        return RetentionOut(
            company_id=company.id,
            company=named(company, locale),
            today=today,
            high=sum(1 for a in out if a.level is RiskLevel.HIGH),
            medium=sum(1 for a in out if a.level is RiskLevel.MEDIUM),
            low=sum(1 for a in out if a.level is RiskLevel.LOW),
            alts=out,
            unanswered=sum(1 for a in asks if a.state in {AskState.WAITING, AskState.OVERDUE}),
            intentions=asks,
            rules=_rules_out(book, locale),
        )
