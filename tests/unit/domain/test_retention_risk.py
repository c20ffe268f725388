"""The retention risk score, worked by hand: each reason's points, satisfaction taken as input
(missing is never low), open cases capped, and where the levels start."""

from __future__ import annotations

from datetime import date

from altmatch.domain.retention_risk import (
    RetentionFacts,
    RiskLevel,
    RiskReason,
    Satisfaction,
    renewal_deadline,
    retention_risk,
    years_employed,
)
from altmatch.rulebook.retention import DispatchRetention
from altmatch.rulebook.vocabulary import RenewalIntention

REASONED = {"rationale": "test", "sources": ["https://example.org/"], "as_of": "2026-12-01"}
RULES = DispatchRetention.model_validate(
    {
        "renewal_ask": {"deadline_days": 90, "ask_days": 30, "remind_days": 7, **REASONED},
        "risk": {
            "points": {
                "first_year": 2,
                "long_tenure": 1,
                "leaving": 6,
                "undecided_near_deadline": 3,
                "undecided": 1,
                "low_own_satisfaction": 3,
                "low_school_satisfaction": 2,
                "open_case": 1,
                "open_cases_max": 3,
                "transfer_requested": 2,
            },
            "long_tenure_years": 4,
            "near_deadline_days": 30,
            "low_satisfaction_below": 3.0,
            "medium_from": 3,
            "high_from": 6,
            **REASONED,
        },
        "leavers": {"undecided_share": 0.5, **REASONED},
        "contract_health": {
            "watch_coverage_below": 1.0,
            "at_risk_coverage_below": 0.8,
            "watch_alts_at_high_risk": 1,
            "at_risk_high_risk_share": 0.34,
            "low_school_satisfaction_below": 3.0,
            "watch_renewal_within_days": 90,
            **REASONED,
        },
    }
)
TODAY = date(2027, 3, 1)
END = date(2027, 7, 31)  # renewal deadline: 31 July - 90 days = 2 May


def facts(**kw: object) -> RetentionFacts:
    base: dict[str, object] = {
        "alt_id": 1,
        "employed_since": date(2024, 8, 1),  # two years in on TODAY: no tenure reason
        "contract_end": END,
        "intention": RenewalIntention.RENEWING,
    }
    base.update(kw)
    return RetentionFacts(**base)  # type: ignore[arg-type]


def reasons(risk_facts: RetentionFacts, today: date = TODAY) -> dict[RiskReason, int]:
    return {r.reason: r.points for r in retention_risk(risk_facts, today, RULES).reasons}


def test_a_renewing_alt_in_their_second_year_with_no_survey_scores_nothing() -> None:
    risk = retention_risk(facts(), TODAY, RULES)
    assert (risk.score, risk.level, risk.reasons) == (0, RiskLevel.LOW, ())


def test_the_renewal_deadline_is_ninety_days_before_the_contract_ends() -> None:
    """31 July 2027 - 90 days: 31 + 30 (June) + 29 more days back from 1 June = 2 May."""
    assert renewal_deadline(END, RULES) == date(2027, 5, 2)


def test_tenure_counts_whole_years_from_the_anniversary() -> None:
    assert years_employed(date(2026, 3, 2), TODAY) == 0  # anniversary tomorrow
    assert years_employed(date(2026, 3, 1), TODAY) == 1
    assert years_employed(date(2023, 3, 1), TODAY) == 4
    assert years_employed(date(2024, 2, 29), date(2025, 2, 28)) == 1  # Feb 29 + 1 year clamps


def test_first_year_and_long_tenure_add_their_points_and_unknown_tenure_adds_none() -> None:
    assert reasons(facts(employed_since=date(2026, 8, 1))) == {RiskReason.FIRST_YEAR: 2}
    assert reasons(facts(employed_since=date(2023, 3, 1))) == {RiskReason.LONG_TENURE: 1}
    assert reasons(facts(employed_since=date(2023, 3, 2))) == {}  # 3 years, not yet 4
    assert reasons(facts(employed_since=None)) == {}


def test_leaving_alone_is_high_risk() -> None:
    risk = retention_risk(facts(intention=RenewalIntention.LEAVING), TODAY, RULES)
    assert (risk.score, risk.level) == (6, RiskLevel.HIGH)
    assert [r.reason for r in risk.reasons] == [RiskReason.LEAVING]


def test_undecided_weighs_more_from_thirty_days_before_the_deadline() -> None:
    """Deadline 2 May; 30 days before it is 2 April. On 1 April: 1 point; on 2 April and after
    the deadline: 3 points (medium on its own)."""
    undecided = facts(intention=RenewalIntention.UNDECIDED)
    assert reasons(undecided, date(2027, 4, 1)) == {RiskReason.UNDECIDED: 1}
    assert reasons(undecided, date(2027, 4, 2)) == {RiskReason.UNDECIDED_NEAR_DEADLINE: 3}
    late = retention_risk(undecided, date(2027, 6, 1), RULES)
    assert (late.score, late.level) == (3, RiskLevel.MEDIUM)


def test_low_satisfaction_from_either_side_adds_points_and_missing_scores_add_none() -> None:
    """Below 3.0 is low: the ALT's own 2.5 adds 3, the school's 2.9 adds 2; 3.0 adds nothing."""
    both = facts(satisfaction=Satisfaction(own_score=2.5, school_score=2.9))
    assert reasons(both) == {
        RiskReason.LOW_OWN_SATISFACTION: 3,
        RiskReason.LOW_SCHOOL_SATISFACTION: 2,
    }
    assert reasons(facts(satisfaction=Satisfaction(own_score=3.0, school_score=4.8))) == {}
    assert reasons(facts(satisfaction=Satisfaction(own_score=None, school_score=None))) == {}
    only_school = facts(satisfaction=Satisfaction(own_score=None, school_score=1.0))
    assert reasons(only_school) == {RiskReason.LOW_SCHOOL_SATISFACTION: 2}


def test_open_cases_add_one_point_each_up_to_three() -> None:
    assert reasons(facts(open_cases=2)) == {RiskReason.OPEN_CASES: 2}
    assert reasons(facts(open_cases=5)) == {RiskReason.OPEN_CASES: 3}


def test_every_reason_adds_up_and_is_listed_with_its_points() -> None:
    """First year 2 + undecided near the deadline 3 + own score low 3 + two open cases 2 +
    a transfer request 2 = 12: high."""
    risk = retention_risk(
        facts(
            employed_since=date(2026, 8, 1),
            intention=RenewalIntention.UNDECIDED,
            satisfaction=Satisfaction(own_score=2.0, school_score=4.0),
            open_cases=2,
            transfer_pending=True,
        ),
        date(2027, 4, 15),
        RULES,
    )
    assert [(r.reason, r.points) for r in risk.reasons] == [
        (RiskReason.FIRST_YEAR, 2),
        (RiskReason.UNDECIDED_NEAR_DEADLINE, 3),
        (RiskReason.LOW_OWN_SATISFACTION, 3),
        (RiskReason.OPEN_CASES, 2),
        (RiskReason.TRANSFER_REQUESTED, 2),
    ]
    assert (risk.score, risk.level) == (12, RiskLevel.HIGH)


def test_the_levels_start_at_three_and_six_points() -> None:
    """A transfer request 2: low; plus one open case 3: medium; plus first year 5: still medium;
    plus a second case 6: high."""
    assert retention_risk(facts(transfer_pending=True), TODAY, RULES).level is RiskLevel.LOW
    medium = facts(transfer_pending=True, open_cases=1)
    assert retention_risk(medium, TODAY, RULES).level is RiskLevel.MEDIUM
    five = facts(transfer_pending=True, open_cases=1, employed_since=date(2026, 8, 1))
    assert retention_risk(five, TODAY, RULES).score == 5
    assert retention_risk(five, TODAY, RULES).level is RiskLevel.MEDIUM
    six = facts(transfer_pending=True, open_cases=2, employed_since=date(2026, 8, 1))
    assert retention_risk(six, TODAY, RULES).level is RiskLevel.HIGH


def test_the_rulebook_edition_loads_its_retention_figures() -> None:
    from altmatch.rulebook import load_rulebook

    book = load_rulebook().dispatch_retention
    assert book.risk.high_from > book.risk.medium_from
    assert book.renewal_ask.estimate  # a company-policy default, marked as such


def test_an_alt_is_asked_thirty_days_and_reminded_seven_days_before_the_deadline() -> None:
    """Contract ends 31 July 2027: deadline 2 May; asked from 2 April; reminded from 25 April."""
    from altmatch.domain.retention_risk import ask_dates

    dates = ask_dates(END, RULES)
    assert (dates.ask_from, dates.remind_from, dates.deadline) == (
        date(2027, 4, 2),
        date(2027, 4, 25),
        date(2027, 5, 2),
    )
