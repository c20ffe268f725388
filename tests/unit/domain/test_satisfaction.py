"""Pair satisfaction: scores, fit, terms and windows, and the optimiser keeping a good pair and
moving a poor one only when the company asks it to."""

from __future__ import annotations

import dataclasses
from datetime import date

import numpy as np
import pytest

from altmatch.domain.roster_plan import AltInput, PositionInput, Weights, evaluate, plan_roster
from altmatch.domain.satisfaction import (
    PairSatisfaction,
    StayEffect,
    mean_score,
    previous_term,
    survey_window,
    term_of,
)
from altmatch.engine import assign_roster
from altmatch.rulebook import load_rulebook
from altmatch.rulebook.vocabulary import Jlpt

BOOK = load_rulebook()
SURVEYS = BOOK.dispatch_surveys
MODEL = BOOK.dispatch_operations.commute
WEIGHTS = Weights(continuity_bonus_minutes=30, preference_bonus_minutes=15, max_commute_minutes=90)
SAT = SURVEYS.weights.model_copy(
    update={
        "good_fit": 0.75,
        "poor_fit": 0.5,
        "keep_bonus_minutes": 20,
        "move_penalty_minutes": 45,
        "min_responses": 1,
    }
)


def solve(n, m, indptr, indices, costs, pinned):  # type: ignore[no-untyped-def]
    return list(assign_roster(n, m, (indptr, indices), costs, pinned=pinned).alt_of_position)


def test_the_fit_maps_each_available_mean_onto_0_to_1_and_averages_them() -> None:
    """School 4.0 -> 0.75, ALT 2.0 -> 0.25, fit (0.75 + 0.25) / 2 = 0.5; one side alone is
    its own fit; none is None."""
    assert PairSatisfaction(4.0, 2.0, 2).fit == pytest.approx(0.5)
    assert PairSatisfaction(5.0, None, 1).fit == pytest.approx(1.0)
    assert PairSatisfaction(None, 1.0, 1).fit == pytest.approx(0.0)
    assert PairSatisfaction(None, None, 0).fit is None


def test_a_pair_is_kept_moved_or_left_by_the_rulebooks_thresholds() -> None:
    """fit 0.75 (a school at 4.0) keeps (+20); 0.5 is between (0); 0.25 moves (-45)."""
    assert PairSatisfaction(4.0, None, 1).effect(SAT) is StayEffect.KEEP
    assert PairSatisfaction(4.0, None, 1).stay_adjustment(SAT) == 20
    assert PairSatisfaction(3.0, None, 1).stay_adjustment(SAT) == 0
    assert PairSatisfaction(2.0, None, 1).effect(SAT) is StayEffect.MOVE
    assert PairSatisfaction(2.0, None, 1).stay_adjustment(SAT) == -45
    too_few = SAT.model_copy(update={"min_responses": 2})
    assert PairSatisfaction(2.0, None, 1).effect(too_few) is StayEffect.NONE


def test_mean_score_reads_only_the_listed_items_and_refuses_an_answer_off_the_scale() -> None:
    assert mean_score({"a": 4, "b": 5, "x": 1}, ["a", "b"]) == 4.5
    assert mean_score({}, ["a"]) is None
    with pytest.raises(ValueError, match="1-5"):
        mean_score({"a": 6}, ["a"])


@pytest.mark.parametrize(
    ("day", "key", "start", "end"),
    [
        (date(2031, 4, 1), "2031-1", date(2031, 4, 1), date(2031, 7, 31)),
        (date(2031, 8, 20), "2031-1", date(2031, 4, 1), date(2031, 7, 31)),  # summer holiday
        (date(2031, 12, 6), "2031-2", date(2031, 9, 1), date(2031, 12, 31)),
        (date(2032, 2, 10), "2031-3", date(2032, 1, 1), date(2032, 3, 31)),
    ],
)
def test_a_day_falls_in_its_school_term(day: date, key: str, start: date, end: date) -> None:
    term = term_of(day, SURVEYS.school_terms)
    assert (term.key, term.start, term.end) == (key, start, end)


def test_the_term_before_a_first_term_is_the_third_term_of_the_year_before() -> None:
    first = term_of(date(2031, 5, 1), SURVEYS.school_terms)
    assert previous_term(first, SURVEYS.school_terms).key == "2030-3"


def test_the_window_opens_before_the_terms_end_and_reminds_before_it_closes() -> None:
    """2nd term ends 31 Dec; opens 21 days before (10 Dec), closes 14 after (14 Jan), reminds
    5 days before closing (9 Jan)."""
    window = SURVEYS.window.model_copy(
        update={"opens_days_before_end": 21, "closes_days_after_end": 14}
    )
    window = window.model_copy(update={"reminder_days_before_close": 5})
    term = term_of(date(2031, 10, 1), SURVEYS.school_terms)
    w = survey_window(term, window)
    assert (w.opens_on, w.closes_on, w.remind_on) == (
        date(2031, 12, 10),
        date(2032, 1, 14),
        date(2032, 1, 9),
    )


def _three_by_three(stay: dict[int, float] | None):  # type: ignore[no-untyped-def]
    """ALT 1 works P10, ALT 2 works P20, ALT 3 is free; P30 is vacant. One-way minutes:

    ALT 1: P10 10, P20 40, P30 15
    ALT 2: P10 40, P20 50, P30 25
    ALT 3: P10 15, P20 10, P30 20
    """
    alts = [
        AltInput(1, "A1", 34.7, 135.2, False, Jlpt.N3, current_position=10),
        AltInput(2, "A2", 34.7, 135.2, False, Jlpt.N3, current_position=20),
        AltInput(3, "A3", 34.7, 135.2, False, Jlpt.N3),
    ]
    positions = [
        PositionInput(j, f"P{j}", 34.7, 135.2, "Hyogo", "junior_high") for j in (10, 20, 30)
    ]
    grid = evaluate(alts, positions, WEIGHTS, MODEL, stay_adjustment=stay)
    minutes = np.array([[10.0, 40.0, 15.0], [40.0, 50.0, 25.0], [15.0, 10.0, 20.0]])
    return dataclasses.replace(grid, minutes=minutes)


def test_satisfaction_moves_the_poor_pair_and_keeps_the_good_one() -> None:
    """ALT 1 at P10 is poorly matched (school 2.0, ALT 2.0: fit 0.25, -45 minutes for
    staying); ALT 2 at P20 well (school 4.5, ALT 4.0: fit (0.875 + 0.75) / 2 = 0.8125, +20).

    Without weights, costs (minutes less 30 for staying): A1-P10 -20, A2-P20 20, so the rosters
    cost: stay (1-10, 2-20, 3-30) 20; (1-10, 2-30, 3-20) 15 (best: ALT 2 moves); (1-30, 2-20,
    3-10) 50. With weights A1-P10 is -20 + 45 = 25 and A2-P20 20 - 20 = 0: stay 45;
    (1-10, 2-30, 3-20) 60; (1-30, 2-20, 3-10) 30 (best: ALT 1 moves, ALT 2 stays)."""
    pairs = {1: PairSatisfaction(2.0, 2.0, 2), 2: PairSatisfaction(4.5, 4.0, 2)}
    stay = {alt: p.stay_adjustment(SAT) for alt, p in pairs.items()}
    assert stay == {1: -45, 2: 20}

    old = plan_roster(_three_by_three(None), solve)
    assert {s.position_id: s.alt_id for s in old.slots} == {10: 1, 20: 3, 30: 2}
    assert old.total_cost == 15

    new = plan_roster(_three_by_three(stay), solve)
    assert {s.position_id: s.alt_id for s in new.slots} == {10: 3, 20: 2, 30: 1}
    assert new.total_cost == 30
    moved = {m.alt_id: m for m in new.moves}
    assert moved[1].from_position == 10 and moved[1].to_position == 30 and moved[1].poor_fit
    assert 2 not in moved
    kept = next(s for s in new.slots if s.position_id == 20)
    assert kept.breakdown is not None and kept.breakdown.satisfaction_bonus == 20
    assert not any(m.poor_fit for m in old.moves)


def test_an_alt_without_answers_is_planned_as_before() -> None:
    """A stay adjustment of 0 (no answers) gives the same plan as no satisfaction at all."""
    assert plan_roster(_three_by_three({1: 0.0, 2: 0.0}), solve).slots == (
        plan_roster(_three_by_three(None), solve).slots
    )
