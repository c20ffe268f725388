"""Support cases: routing ladders, deadlines by category and urgency, breaches, escalation,
and the anonymised quality metrics.

Calendar: 8:30-17:15 on weekdays (8.75 h a business day), Japanese holidays, closed 29 Dec to
3 Jan.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from altmatch.domain.business_calendar import BusinessCalendar, japanese_holiday
from altmatch.domain.support import (
    ROUTE_BY_PATH,
    CaseClock,
    CaseOutcome,
    CaseStatus,
    Deadlines,
    RouteRole,
    SupportMetrics,
    breaches,
    deadlines,
    is_confidential,
    is_emergency,
    level_due,
    support_metrics,
    target_for,
)
from altmatch.rulebook import load_rulebook
from altmatch.rulebook.schema import CaseTarget, CaseTargets
from altmatch.rulebook.vocabulary import CaseCategory, HiringPath, Urgency

pytestmark = pytest.mark.date_sensitive

TOKYO = ZoneInfo("Asia/Tokyo")
CAL = BusinessCalendar(
    opens=time(8, 30),
    closes=time(17, 15),
    weekdays=frozenset({1, 2, 3, 4, 5}),
    closures=(("12-29", "01-03"),),
    holiday=japanese_holiday(),
)
TARGETS = CaseTargets.model_validate(
    {
        "by_urgency": {
            "low": {"first_response_hours": 24, "resolution_days": 20},
            "normal": {"first_response_hours": 16, "resolution_days": 10},
            "high": {"first_response_hours": 4, "resolution_days": 5},
        },
        "by_category": {
            "harassment": {"first_response_hours": 4, "resolution_days": 10},
            "health": {"first_response_hours": 4, "resolution_days": 10},
            "emergency": {"first_response_hours": 0, "resolution_days": 0},
        },
        "rationale": "test targets",
        "sources": ["https://example.org/"],
        "as_of": "2026-01-01",
    }
)


def jst(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=TOKYO)


# --- routing ------------------------------------------------------------------------------------


def test_every_path_has_a_ladder_in_the_issue_order() -> None:
    assert set(ROUTE_BY_PATH) == set(HiringPath)
    assert ROUTE_BY_PATH[HiringPath.JET] == (
        RouteRole.SUPERVISOR,
        RouteRole.SECTION_CHIEF,
        RouteRole.PROGRAMME_ADVISER,
    )
    assert ROUTE_BY_PATH[HiringPath.DIRECT_HIRE] == (
        RouteRole.SUPERVISOR,
        RouteRole.SECTION_CHIEF,
    )
    assert ROUTE_BY_PATH[HiringPath.DISPATCH] == (
        RouteRole.SUPPORT_DESK,
        RouteRole.AREA_MANAGER,
    )


def test_role_and_status_values_match_the_stored_strings() -> None:
    assert [r.value for r in RouteRole] == [
        "supervisor",
        "section_chief",
        "programme_adviser",
        "support_desk",
        "area_manager",
    ]
    assert [s.value for s in CaseStatus] == ["open", "answered", "resolved"]


def test_the_ladders_cannot_be_changed_at_run_time() -> None:
    with pytest.raises(TypeError):
        ROUTE_BY_PATH[HiringPath.JET] = ()  # type: ignore[index]


# --- targets and deadlines ----------------------------------------------------------------------


@pytest.mark.parametrize("urgency", list(Urgency))
def test_harassment_gets_four_hours_whatever_the_urgency(urgency: Urgency) -> None:
    target = target_for(TARGETS, CaseCategory.HARASSMENT, urgency)
    assert target == CaseTarget(first_response_hours=4, resolution_days=10)
    assert not is_emergency(target)


@pytest.mark.parametrize(
    ("urgency", "hours", "days"), [("low", 24, 20), ("normal", 16, 10), ("high", 4, 5)]
)
def test_other_categories_follow_the_urgency(urgency: str, hours: float, days: float) -> None:
    target = target_for(TARGETS, CaseCategory.HOUSING, Urgency(urgency))
    assert (target.first_response_hours, target.resolution_days) == (hours, days)


def test_emergency_is_zero_zero_and_only_that_is_an_emergency() -> None:
    assert is_emergency(target_for(TARGETS, CaseCategory.EMERGENCY, Urgency.LOW))
    assert not is_emergency(CaseTarget(first_response_hours=0, resolution_days=1))
    assert not is_emergency(CaseTarget(first_response_hours=1, resolution_days=0))


def test_the_rulebook_targets_put_harassment_above_a_low_urgency() -> None:
    targets = load_rulebook().support.targets
    low = target_for(targets, CaseCategory.HOUSING, Urgency.LOW)
    harassment = target_for(targets, CaseCategory.HARASSMENT, Urgency.LOW)
    assert harassment.first_response_hours < low.first_response_hours
    assert is_emergency(target_for(targets, CaseCategory.EMERGENCY, Urgency.NORMAL))


@pytest.mark.parametrize(
    ("category", "urgency", "opened", "first", "resolution"),
    [
        # Harassment, low urgency, Friday 16:00: 4 h → Monday 11:15; 10 days → Friday 16:00.
        (
            "harassment",
            "low",
            jst(2026, 11, 27, 16),
            jst(2026, 11, 30, 11, 15),
            jst(2026, 12, 11, 16),
        ),
        # Pay, normal, Tuesday 10:00: 16 h = 7.25 Tue + 8.75 Wed → Wednesday 17:15;
        # 10 days → Tuesday 15 Dec 10:00.
        (
            "pay_contract",
            "normal",
            jst(2026, 12, 1, 10),
            jst(2026, 12, 2, 17, 15),
            jst(2026, 12, 15, 10),
        ),
        # Visa, low, Monday 30 Nov 10:00: 24 h = 7.25 + 8.75 + 8 → Wednesday 16:30;
        # 20 days → Monday 28 Dec 10:00, the last day before the closure.
        (
            "visa_paperwork",
            "low",
            jst(2026, 11, 30, 10),
            jst(2026, 12, 2, 16, 30),
            jst(2026, 12, 28, 10),
        ),
        # Housing, high, Friday 25 Dec 16:00: 4 h → Monday 28 Dec 11:15; 5 days: 28 Dec, then
        # 4, 5, 6, 7 Jan → Thursday 7 Jan 16:00.
        (
            "housing",
            "high",
            jst(2026, 12, 25, 16),
            jst(2026, 12, 28, 11, 15),
            jst(2027, 1, 7, 16),
        ),
    ],
)
def test_deadlines_run_on_business_time(
    category: str, urgency: str, opened: datetime, first: datetime, resolution: datetime
) -> None:
    due = deadlines(CAL, TARGETS, CaseCategory(category), Urgency(urgency), opened)
    assert due == Deadlines(first_response_due=first, resolution_due=resolution)
    assert due.first_response_due.tzinfo is UTC
    assert due.resolution_due.tzinfo is UTC


def test_an_emergency_is_due_at_once_even_on_a_sunday_night() -> None:
    opened = jst(2026, 11, 29, 3)
    due = deadlines(CAL, TARGETS, CaseCategory.EMERGENCY, Urgency.LOW, opened)
    assert due.first_response_due == opened
    assert due.resolution_due == opened
    assert due.first_response_due.tzinfo is UTC


def test_deadlines_refuse_a_naive_opening() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        deadlines(CAL, TARGETS, CaseCategory.EMERGENCY, Urgency.LOW, datetime(2026, 12, 1, 10))
    with pytest.raises(ValueError, match="timezone-aware"):
        deadlines(CAL, TARGETS, CaseCategory.HOUSING, Urgency.LOW, datetime(2026, 12, 1, 10))


def test_harassment_and_health_are_confidential_and_housing_is_not() -> None:
    rules = load_rulebook().support
    assert is_confidential(rules, CaseCategory.HARASSMENT)
    assert is_confidential(rules, CaseCategory.HEALTH)
    assert not is_confidential(rules, CaseCategory.HOUSING)
    assert not is_confidential(rules, CaseCategory.PAY_CONTRACT)


# --- breaches and escalation --------------------------------------------------------------------

OPENED = jst(2026, 12, 1, 10)
FIRST_DUE = jst(2026, 12, 2, 17, 15)
RESOLUTION_DUE = jst(2026, 12, 15, 10)


def clock(
    *,
    responded: datetime | None = None,
    resolved: datetime | None = None,
    level: int = 1,
    first_due: datetime = FIRST_DUE,
    resolution_due: datetime = RESOLUTION_DUE,
) -> CaseClock:
    return CaseClock(
        category=CaseCategory.PAY_CONTRACT,
        opened_at=OPENED,
        first_response_due=first_due,
        resolution_due=resolution_due,
        first_responded_at=responded,
        resolved_at=resolved,
        level=level,
    )


def test_nothing_is_breached_before_or_at_the_deadline() -> None:
    assert breaches(clock(), jst(2026, 12, 2, 17)) == ()
    assert breaches(clock(), FIRST_DUE) == ()


def test_an_unanswered_case_breaches_its_first_response_just_after_the_deadline() -> None:
    assert breaches(clock(), FIRST_DUE + timedelta(seconds=1)) == ("first_response",)


def test_an_answered_case_breaches_only_its_resolution_after_that_deadline() -> None:
    answered = clock(responded=jst(2026, 12, 1, 15))
    assert breaches(answered, jst(2026, 12, 10)) == ()
    assert breaches(answered, jst(2026, 12, 15, 10, 1)) == ("resolution",)


def test_a_late_answer_stays_a_breach_on_record() -> None:
    late = clock(responded=jst(2026, 12, 3, 9))
    assert breaches(late, jst(2026, 12, 3, 10)) == ("first_response",)
    assert breaches(late, jst(2026, 12, 20)) == ("first_response", "resolution")


def test_a_case_resolved_on_time_is_never_breached_later() -> None:
    done = clock(responded=jst(2026, 12, 1, 11), resolved=jst(2026, 12, 4, 12))
    assert breaches(done, jst(2027, 6, 1)) == ()


def test_resolving_without_an_answer_counts_as_the_answer() -> None:
    quick = clock(resolved=jst(2026, 12, 2, 9))
    assert breaches(quick, jst(2027, 6, 1)) == ()
    slow = clock(resolved=jst(2026, 12, 3, 9))
    assert breaches(slow, jst(2027, 6, 1)) == ("first_response",)


def test_breaches_refuse_a_naive_now_and_clocks_refuse_naive_moments() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        breaches(clock(), datetime(2026, 12, 3))
    with pytest.raises(ValueError, match="resolved_at"):
        clock(resolved=datetime(2026, 12, 3))


@pytest.mark.parametrize(
    ("now", "jet", "direct_hire", "dispatch"),
    [
        (jst(2026, 12, 1, 12), 1, 1, 1),  # fresh
        (jst(2026, 12, 3, 9), 2, 2, 2),  # first response breached
        (jst(2026, 12, 15, 11), 3, 2, 2),  # resolution breached: capped by the ladder
    ],
)
def test_escalation_climbs_with_breaches_and_stops_at_the_top_of_the_ladder(
    now: datetime, jet: int, direct_hire: int, dispatch: int
) -> None:
    lengths = {path: len(roles) for path, roles in ROUTE_BY_PATH.items()}
    got = {
        path: level_due(clock(), now, length, emergency=False) for path, length in lengths.items()
    }
    assert got == {
        HiringPath.JET: jet,
        HiringPath.DIRECT_HIRE: direct_hire,
        HiringPath.DISPATCH: dispatch,
    }


def test_an_answered_case_jumps_to_level_three_when_its_resolution_is_late() -> None:
    answered = clock(responded=jst(2026, 12, 1, 11))
    assert level_due(answered, jst(2026, 12, 10), 3, emergency=False) == 1
    assert level_due(answered, jst(2026, 12, 16), 3, emergency=False) == 3


def test_an_emergency_goes_to_the_top_at_once() -> None:
    opened = jst(2026, 11, 29, 3)
    urgent = replace(clock(first_due=opened, resolution_due=opened), opened_at=opened)
    assert level_due(urgent, opened, 3, emergency=True) == 3
    assert level_due(urgent, opened, 2, emergency=True) == 2


def test_the_level_never_goes_down() -> None:
    escalated = clock(level=3, responded=jst(2026, 12, 1, 11))
    assert level_due(escalated, jst(2026, 12, 1, 12), 3, emergency=False) == 3
    assert level_due(clock(level=2), jst(2026, 12, 1, 12), 2, emergency=False) == 2


def test_a_ladder_needs_a_rung() -> None:
    with pytest.raises(ValueError, match="route_length"):
        level_due(clock(), OPENED, 0, emergency=False)


@settings(deadline=None, max_examples=100)
@given(
    a=st.integers(min_value=0, max_value=40 * 24 * 60),
    b=st.integers(min_value=0, max_value=40 * 24 * 60),
    length=st.integers(min_value=1, max_value=3),
    level=st.integers(min_value=1, max_value=3),
)
def test_the_level_due_is_monotone_in_time_and_within_the_ladder(
    a: int, b: int, length: int, level: int
) -> None:
    early, late = (OPENED + timedelta(minutes=m) for m in sorted((a, b)))
    case = clock(level=min(level, length))
    first = level_due(case, early, length, emergency=False)
    second = level_due(case, late, length, emergency=False)
    assert 1 <= first <= second <= length


# --- metrics ------------------------------------------------------------------------------------


def outcome(
    responded_after_hours: float | None,
    resolved: datetime | None,
    *,
    reopened: int = 0,
    opened: datetime = OPENED,
    resolution_due: datetime = RESOLUTION_DUE,
) -> CaseOutcome:
    responded = (
        None
        if responded_after_hours is None
        else CAL.add_business_hours(opened, responded_after_hours)
    )
    return CaseOutcome(
        opened_at=opened,
        first_responded_at=responded,
        resolved_at=resolved,
        first_response_due=FIRST_DUE,
        resolution_due=resolution_due,
        reopened_count=reopened,
    )


ON_TIME = jst(2026, 12, 10, 12)
LATE = jst(2026, 12, 18, 12)


def test_metrics_are_withheld_below_the_minimum_of_closed_cases() -> None:
    closed = [outcome(1, ON_TIME) for _ in range(4)]
    still_open = [outcome(1, None) for _ in range(10)]
    assert support_metrics(closed + still_open, CAL, min_cases=5) is None
    assert support_metrics([], CAL, min_cases=1) is None
    assert support_metrics(closed, CAL, min_cases=4) is not None


def test_metrics_give_the_median_the_on_time_share_and_the_reopen_rate() -> None:
    outcomes = [
        outcome(1, ON_TIME),
        outcome(2, ON_TIME),
        outcome(3, LATE, reopened=1),
        outcome(10, ON_TIME),
        outcome(20, LATE),
        outcome(0.5, None, reopened=2),  # reopened and open again: counts for reopen only
        outcome(None, None),  # open, never answered: ignored
    ]
    metrics = support_metrics(outcomes, CAL, min_cases=5)
    assert metrics == SupportMetrics(
        cases=5,
        median_first_response_hours=pytest.approx(3.0),  # type: ignore[arg-type]
        resolved_within_target=pytest.approx(3 / 5),  # type: ignore[arg-type]
        reopen_rate=pytest.approx(2 / 6),  # type: ignore[arg-type]
    )


def test_the_median_counts_business_hours_not_the_weekend() -> None:
    friday = jst(2026, 11, 27, 16)
    monday_answer = jst(2026, 11, 30, 11, 15)
    case = CaseOutcome(
        opened_at=friday,
        first_responded_at=monday_answer,
        resolved_at=jst(2026, 11, 30, 12),
        first_response_due=monday_answer,
        resolution_due=jst(2026, 12, 11, 16),
        reopened_count=0,
    )
    metrics = support_metrics([case], CAL, min_cases=1)
    assert metrics is not None
    assert metrics.median_first_response_hours == pytest.approx(4.0)
    assert metrics.resolved_within_target == 1.0
    assert metrics.reopen_rate == 0.0


def test_a_case_closed_without_an_answer_waited_until_its_resolution() -> None:
    metrics = support_metrics([outcome(None, jst(2026, 12, 1, 12))], CAL, min_cases=1)
    assert metrics is not None
    assert metrics.median_first_response_hours == pytest.approx(2.0)


def test_emergencies_are_left_out_of_the_on_time_share() -> None:
    opened = jst(2026, 11, 29, 3)
    emergency = outcome(
        None, jst(2026, 11, 29, 5), opened=opened, resolution_due=opened.astimezone(UTC)
    )
    only = support_metrics([emergency], CAL, min_cases=1)
    assert only is not None
    assert only.resolved_within_target is None
    mixed = support_metrics([emergency, outcome(1, LATE)], CAL, min_cases=1)
    assert mixed is not None
    assert mixed.resolved_within_target == 0.0


def test_outcomes_refuse_naive_moments_and_negative_reopenings() -> None:
    with pytest.raises(ValueError, match="opened_at"):
        outcome(None, None, opened=datetime(2026, 12, 1, 10))
    with pytest.raises(ValueError, match="negative"):
        outcome(None, None, reopened=-1)
