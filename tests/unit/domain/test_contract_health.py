"""Contract health, worked by hand: coverage, high-risk shares, school satisfaction, open cases
and the renewal date give ok, watch or at risk with every reason listed, worst first."""

from __future__ import annotations

from datetime import date

from tests.unit.domain.test_retention_risk import RULES

from altmatch.domain.contract_health import (
    ContractFacts,
    HealthReason,
    HealthStatus,
    contract_health,
)
from altmatch.domain.retention_risk import RetentionRisk, RiskLevel
from altmatch.i18n import render

TODAY = date(2027, 3, 1)


def risk(alt_id: int, score: int, level: RiskLevel) -> RetentionRisk:
    return RetentionRisk(alt_id, score, level, (), date(2027, 5, 2))


def facts(**kw: object) -> ContractFacts:
    base: dict[str, object] = {
        "contract_id": 7,
        "posts": 4,
        "filled": 4,
        "school_scores": (),
        "risks": (
            risk(1, 0, RiskLevel.LOW),
            risk(2, 1, RiskLevel.LOW),
            risk(3, 3, RiskLevel.MEDIUM),
            risk(4, 0, RiskLevel.LOW),
        ),
        "open_cases": 0,
        "renewal_date": None,
    }
    base.update(kw)
    return ContractFacts(**base)  # type: ignore[arg-type]


def test_a_fully_covered_contract_with_no_worries_is_ok_and_missing_surveys_stay_none() -> None:
    """Mean risk score (0 + 1 + 3 + 0) / 4 = 1.0; no survey: school satisfaction None."""
    health = contract_health(facts(), TODAY, RULES)
    assert health.status is HealthStatus.OK
    assert health.notes == ()
    assert (health.coverage, health.school_satisfaction, health.mean_risk_score) == (1.0, None, 1.0)
    assert (health.alts, health.alts_at_high_risk) == (4, 0)


def test_one_unfilled_post_of_four_is_watch_and_two_are_at_risk() -> None:
    """3/4 = 0.75 is below 0.8: at risk. With 5 posts, 4/5 = 0.8 is not below 0.8: watch."""
    three = contract_health(facts(filled=3), TODAY, RULES)
    assert three.status is HealthStatus.AT_RISK
    assert [n.reason for n in three.notes] == [HealthReason.LOW_COVERAGE]
    assert render(three.notes[0].detail, "en") == "3 of 4 posts filled."
    four_of_five = contract_health(facts(posts=5), TODAY, RULES)
    assert four_of_five.status is HealthStatus.WATCH
    assert [n.reason for n in four_of_five.notes] == [HealthReason.UNFILLED_POSTS]


def test_one_alt_at_high_risk_of_four_is_watch_and_two_are_at_risk() -> None:
    """1/4 = 0.25 < 0.34: watch (one or more at high risk); 2/4 = 0.5 >= 0.34: at risk."""
    one = facts(risks=(risk(1, 6, RiskLevel.HIGH), *facts().risks[1:]))
    assert contract_health(one, TODAY, RULES).status is HealthStatus.WATCH
    two = facts(risks=(risk(1, 6, RiskLevel.HIGH), risk(2, 8, RiskLevel.HIGH)))
    health = contract_health(two, TODAY, RULES)
    assert health.status is HealthStatus.AT_RISK
    assert (health.alts_at_high_risk, health.mean_risk_score) == (2, 7.0)
    assert render(health.notes[0].detail, "en") == "2 of 2 ALTs at high risk of leaving."


def test_the_schools_mean_score_below_three_puts_the_contract_at_risk() -> None:
    """(2.5 + 3.0) / 2 = 2.75 < 3.0: at risk; (3.0 + 3.0) / 2 = 3.0: ok."""
    low = contract_health(facts(school_scores=(2.5, 3.0)), TODAY, RULES)
    assert low.school_satisfaction == 2.75
    assert [n.reason for n in low.notes] == [HealthReason.LOW_SCHOOL_SATISFACTION]
    assert low.status is HealthStatus.AT_RISK
    fine = contract_health(facts(school_scores=(3.0, 3.0)), TODAY, RULES)
    assert fine.status is HealthStatus.OK


def test_open_cases_and_a_renewal_within_ninety_days_are_watch() -> None:
    """Renewal 30 May 2027 is 90 days after 1 March (31 + 30 + 29): watch; 31 May is 91: not;
    a renewal date already passed is not "soon"."""
    assert contract_health(facts(open_cases=2), TODAY, RULES).status is HealthStatus.WATCH
    soon = contract_health(facts(renewal_date=date(2027, 5, 30)), TODAY, RULES)
    assert [n.reason for n in soon.notes] == [HealthReason.RENEWAL_SOON]
    assert render(soon.notes[0].detail, "en").endswith("in 90 days.")
    later = contract_health(facts(renewal_date=date(2027, 5, 31)), TODAY, RULES)
    assert later.status is HealthStatus.OK
    passed = contract_health(facts(renewal_date=date(2027, 2, 28)), TODAY, RULES)
    assert passed.status is HealthStatus.OK


def test_every_reason_is_listed_with_the_at_risk_ones_first() -> None:
    health = contract_health(
        facts(filled=3, open_cases=1, renewal_date=date(2027, 4, 1), school_scores=(2.0,)),
        TODAY,
        RULES,
    )
    assert health.status is HealthStatus.AT_RISK
    assert [n.reason for n in health.notes] == [
        HealthReason.LOW_COVERAGE,
        HealthReason.LOW_SCHOOL_SATISFACTION,
        HealthReason.OPEN_CASES,
        HealthReason.RENEWAL_SOON,
    ]


def test_a_contract_with_no_posts_and_no_alts_has_no_figures_and_no_reasons() -> None:
    health = contract_health(facts(posts=0, filled=0, risks=()), TODAY, RULES)
    assert (health.coverage, health.mean_risk_score, health.status) == (
        None,
        None,
        HealthStatus.OK,
    )
