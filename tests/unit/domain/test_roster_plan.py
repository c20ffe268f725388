"""The roster plan: requirements, costs, optimality against references, explanations, pins."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest
from scipy.optimize import linear_sum_assignment

from altmatch.domain.roster_plan import (
    AltInput,
    Grid,
    PlanError,
    PositionInput,
    Weights,
    current_plan,
    evaluate,
    plan_roster,
)
from altmatch.engine import assign_roster
from altmatch.i18n import render
from altmatch.rulebook import load_rulebook
from altmatch.rulebook.vocabulary import Jlpt

MODEL = load_rulebook().dispatch_operations.commute
WEIGHTS = Weights(continuity_bonus_minutes=30, preference_bonus_minutes=15, max_commute_minutes=90)
KOBE = (34.69, 135.19)


def solve(n, m, indptr, indices, costs, pinned):  # type: ignore[no-untyped-def]
    return list(assign_roster(n, m, (indptr, indices), costs, pinned=pinned).alt_of_position)


def alt(i: int, lat: float, lon: float, **kw: object) -> AltInput:
    fields: dict[str, object] = {"driving_licence": False, "jlpt": Jlpt.N3}
    fields.update(kw)
    return AltInput(i, f"A{i}", lat, lon, **fields)  # type: ignore[arg-type]


def pos(j: int, lat: float | None, lon: float | None, **kw: object) -> PositionInput:
    fields: dict[str, object] = {"prefecture": "Hyogo", "school_level": "junior_high"}
    fields.update(kw)
    return PositionInput(j, f"P{j}", lat, lon, **fields)  # type: ignore[arg-type]


def random_grid(rng: random.Random, n: int, m: int, weights: Weights = WEIGHTS) -> Grid:
    alts = [
        alt(
            i,
            KOBE[0] + rng.uniform(-0.3, 0.3),
            KOBE[1] + rng.uniform(-0.3, 0.3),
            driving_licence=rng.random() < 0.6,
            jlpt=rng.choice(list(Jlpt)),
            preferred_prefectures=frozenset({"Osaka"}) if rng.random() < 0.3 else frozenset(),
            current_position=100 + i if i < m and rng.random() < 0.5 else None,
        )
        for i in range(n)
    ]
    positions = [
        pos(
            100 + j,
            KOBE[0] + rng.uniform(-0.3, 0.3),
            KOBE[1] + rng.uniform(-0.3, 0.3),
            prefecture=rng.choice(["Hyogo", "Osaka"]),
            requires_driving_licence=rng.random() < 0.3,
            min_jlpt=rng.choice([Jlpt.NONE, Jlpt.NONE, Jlpt.N3, Jlpt.N2]),
        )
        for j in range(m)
    ]
    return evaluate(alts, positions, weights, MODEL)


def brute_force(grid: Grid) -> tuple[int, float]:
    """Most pairs, then least cost, over every injective assignment of allowed pairs."""
    n, m = grid.allowed.shape
    best = (0, 0.0)
    options = list(range(m)) + [-1] * n
    for choice in set(itertools.permutations(options, n)):
        if any(j >= 0 and not grid.allowed[i, j] for i, j in enumerate(choice)):
            continue
        filled = sum(1 for j in choice if j >= 0)
        cost = sum(float(grid.cost[i, j]) for i, j in enumerate(choice) if j >= 0)
        if filled > best[0] or (filled == best[0] and cost < best[1] - 1e-9):
            best = (filled, cost)
    return best


@pytest.mark.parametrize("seed", range(25))
def test_plans_are_optimal_against_brute_force_on_small_random_instances(seed: int) -> None:
    rng = random.Random(seed)
    grid = random_grid(rng, rng.randint(1, 5), rng.randint(1, 5))
    plan = plan_roster(grid, solve)
    filled, cost = brute_force(grid)
    assert plan.filled == filled
    exact = sum(
        float(grid.cost[[a.id for a in grid.alts].index(s.alt_id), k])
        for k, s in enumerate(plan.slots)
        if s.alt_id is not None
    )
    assert exact == pytest.approx(cost, abs=1e-6)


@pytest.mark.parametrize("seed", range(10))
def test_plans_match_scipy_dense_linear_sum_assignment_when_every_pair_is_allowed(
    seed: int,
) -> None:
    rng = random.Random(seed)
    n = rng.randint(3, 12)
    alts = [
        alt(i, KOBE[0] + rng.uniform(-0.1, 0.1), KOBE[1] + rng.uniform(-0.1, 0.1), jlpt=Jlpt.N1)
        for i in range(n)
    ]
    positions = [
        pos(j, KOBE[0] + rng.uniform(-0.1, 0.1), KOBE[1] + rng.uniform(-0.1, 0.1))
        for j in range(n + rng.randint(0, 3))
    ]
    grid = evaluate(alts, positions, Weights(30, 15, 600), MODEL)
    assert grid.allowed.all()
    plan = plan_roster(grid, solve)
    rows, cols = linear_sum_assignment(grid.cost)
    reference = float(grid.cost[rows, cols].sum())
    exact = sum(
        float(grid.cost[s.alt_id, k]) for k, s in enumerate(plan.slots) if s.alt_id is not None
    )
    assert plan.filled == n
    assert exact == pytest.approx(reference, abs=1e-6)


def test_hard_requirements_exclude_pairs() -> None:
    alts = [alt(0, *KOBE, driving_licence=False, jlpt=Jlpt.N4)]
    positions = [
        pos(1, *KOBE, requires_driving_licence=True),
        pos(2, *KOBE, min_jlpt=Jlpt.N2),
        pos(3, 35.6812, 139.7671),  # Tokyo: far beyond 90 minutes
        pos(4, *KOBE),
    ]
    grid = evaluate(alts, positions, WEIGHTS, MODEL)
    assert grid.allowed.tolist() == [[False, False, False, True]]
    plan = plan_roster(grid, solve)
    assert [s.alt_id for s in plan.slots] == [None, None, None, 0]


def test_the_continuity_bonus_keeps_an_alt_at_a_slightly_longer_commute() -> None:
    # A0 holds P2, a little further than P1; the bonus keeps them at P2.
    alts = [alt(0, 34.69, 135.19, current_position=2)]
    positions = [pos(1, 34.70, 135.20), pos(2, 34.72, 135.23)]
    grid = evaluate(alts, positions, WEIGHTS, MODEL)
    plan = plan_roster(grid, solve)
    assert plan.slots[1].alt_id == 0
    assert plan.slots[1].breakdown is not None
    assert plan.slots[1].breakdown.continuity_bonus == 30
    assert plan.moves == ()
    no_bonus = Weights(0, 15, 90)
    plan = plan_roster(evaluate(alts, positions, no_bonus, MODEL), solve)
    assert plan.slots[0].alt_id == 0
    assert [(m.alt_id, m.from_position, m.to_position) for m in plan.moves] == [(0, 2, 1)]


def test_the_preference_bonus_draws_an_alt_to_a_preferred_prefecture() -> None:
    alts = [alt(0, 34.69, 135.19, preferred_prefectures=frozenset({"Osaka"}))]
    positions = [pos(1, 34.70, 135.20), pos(2, 34.72, 135.23, prefecture="Osaka")]
    plan = plan_roster(evaluate(alts, positions, WEIGHTS, MODEL), solve)
    assert plan.slots[1].alt_id == 0
    breakdown = plan.slots[1].breakdown
    assert breakdown is not None
    assert breakdown.preference_bonus == 15
    assert breakdown.total == pytest.approx(breakdown.commute_minutes - 15, abs=0.11)


def test_a_licence_and_distance_vacancy_names_both_constraints_with_counts() -> None:
    alts = [
        alt(0, *KOBE, driving_licence=False),
        alt(1, 35.6812, 139.7671, driving_licence=True),  # Tokyo
        alt(2, *KOBE, driving_licence=False),
    ]
    positions = [pos(1, *KOBE, requires_driving_licence=True)]
    plan = plan_roster(evaluate(alts, positions, WEIGHTS, MODEL), solve)
    (vacancy,) = plan.unfilled
    assert render(vacancy.headline, "en") == (
        "No available ALT with a driving licence lives within 90 minutes."
    )
    reasons = [render(r, "en") for r in vacancy.reasons]
    assert reasons == ["2 of 3 lack a driving licence", "1 of 3 live more than 90 minutes away"]


def test_a_jlpt_vacancy_says_no_alt_has_the_level() -> None:
    alts = [alt(0, *KOBE, jlpt=Jlpt.N4), alt(1, *KOBE, jlpt=Jlpt.N3)]
    plan = plan_roster(evaluate(alts, [pos(1, *KOBE, min_jlpt=Jlpt.N2)], WEIGHTS, MODEL), solve)
    assert render(plan.unfilled[0].headline, "en") == "It needs JLPT N2: no available ALT has it."


def test_a_vacancy_whose_only_eligible_alt_works_elsewhere_says_so() -> None:
    alts = [alt(0, *KOBE, driving_licence=True)]
    positions = [pos(1, *KOBE, requires_driving_licence=True), pos(2, *KOBE)]
    plan = plan_roster(evaluate(alts, positions, WEIGHTS, MODEL), solve, pins=[(0, 1)])
    (vacancy,) = plan.unfilled
    assert vacancy.position_id == 2
    assert vacancy.eligible == 1
    assert "needed at another position" in render(vacancy.headline, "en")


def test_excluded_alts_leave_their_position_and_count_as_moves() -> None:
    alts = [alt(0, *KOBE, current_position=1), alt(1, 34.70, 135.20)]
    plan = plan_roster(evaluate(alts, [pos(1, *KOBE)], WEIGHTS, MODEL), solve, excluded={0})
    assert plan.slots[0].alt_id == 1
    moves = {(m.alt_id, m.from_position, m.to_position) for m in plan.moves}
    assert moves == {(0, 1, None), (1, None, 1)}


def test_current_plan_reports_the_roster_as_it_stands() -> None:
    alts = [alt(0, *KOBE, current_position=2), alt(1, 34.70, 135.20)]
    grid = evaluate(alts, [pos(1, *KOBE), pos(2, 34.72, 135.23)], WEIGHTS, MODEL)
    now = current_plan(grid)
    assert [s.alt_id for s in now.slots] == [None, 0]
    assert now.filled == 1 and now.moves == ()


@pytest.mark.parametrize(
    ("pins", "excluded", "needle"),
    [
        ([(9, 1)], set(), "no ALT 9"),
        ([(0, 9)], set(), "no position 9"),
        ([(0, 1), (0, 2)], set(), "A0 is pinned to both P1 and P2"),
        ([(0, 1), (1, 1)], set(), "Position P1 is pinned to both A0 and A1"),
        ([(0, 1)], {0}, "A0 is both pinned to P1 and excluded"),
        ([(0, 3)], set(), "A0 cannot be pinned to P3: it needs a driving licence"),
        ([(0, 4)], set(), "A0 cannot be pinned to P4: the commute would be"),
    ],
)
def test_bad_pins_are_refused_naming_the_alt_and_position(
    pins: list[tuple[int, int]], excluded: set[int], needle: str
) -> None:
    alts = [alt(0, *KOBE), alt(1, *KOBE)]
    positions = [
        pos(1, *KOBE),
        pos(2, *KOBE),
        pos(3, *KOBE, requires_driving_licence=True),
        pos(4, 35.6812, 139.7671),
    ]
    grid = evaluate(alts, positions, WEIGHTS, MODEL)
    with pytest.raises(PlanError) as caught:
        plan_roster(grid, solve, pins=pins, excluded=excluded)
    assert needle in render(caught.value.message, "en")
    assert caught.value.field == "pins"


def test_a_school_without_coordinates_is_explained() -> None:
    plan = plan_roster(evaluate([alt(0, *KOBE)], [pos(1, None, None)], WEIGHTS, MODEL), solve)
    assert "no latitude and longitude" in render(plan.unfilled[0].headline, "en")
    assert np.isfinite(plan.total_cost)
