"""Roster assignment: optimal against brute force and SciPy's dense solver; pins; bad input."""

from __future__ import annotations

import itertools
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import maximum_bipartite_matching

from altmatch.engine import Assignment, assign_roster

Instance = tuple[int, int, np.ndarray, np.ndarray, np.ndarray]


def random_instance(
    rng: np.random.Generator, n_alts: int, n_positions: int, density: float, integer: bool = True
) -> Instance:
    """Each ALT allows each position with probability `density`; costs like commute minutes."""
    allowed = rng.random((n_alts, n_positions)) < density
    if n_positions > 1:
        allowed[:, rng.integers(n_positions)] = False  # a position nobody can take
    rows, cols = np.nonzero(allowed)
    costs = rng.integers(0, 90, rows.size).astype(float)
    if not integer:
        costs += rng.random(rows.size)
    indptr = np.concatenate([[0], np.cumsum(allowed.sum(axis=1))])
    return n_alts, n_positions, indptr, cols, costs


def solve(inst: Instance, pinned: dict[int, int] | None = None) -> Assignment:
    n, m, indptr, indices, costs = inst
    return assign_roster(n, m, (indptr, indices), costs, pinned=pinned)


def cost_table(inst: Instance) -> dict[tuple[int, int], float]:
    n, _, indptr, indices, costs = inst
    rows = np.repeat(np.arange(n), np.diff(indptr))
    return {(int(a), int(p)): float(c) for a, p, c in zip(rows, indices, costs, strict=True)}


def brute_force(inst: Instance, pinned: dict[int, int] | None = None) -> tuple[int, float]:
    """(most pairs, least cost among those) over every ALT → position-or-none choice."""
    n, m, *_ = inst
    table = cost_table(inst)
    best = (0, 0.0)
    for choice in set(itertools.permutations([*range(m), *([-1] * n)], n)):
        if any(p >= 0 and (a, p) not in table for a, p in enumerate(choice)):
            continue
        if pinned and any(choice[a] != p for a, p in pinned.items()):
            continue
        pairs = [(a, p) for a, p in enumerate(choice) if p >= 0]
        score = (len(pairs), sum(table[pair] for pair in pairs))
        if (-score[0], score[1]) < (-best[0], best[1]):
            best = score
    return best


def dense_reference(inst: Instance) -> tuple[int, float]:
    """SciPy's dense `linear_sum_assignment`, forbidden pairs at a cost above any real total."""
    n, m, *_ = inst
    table = cost_table(inst)
    forbidden = 1e6
    dense = np.full((n, m), forbidden)
    for (a, p), c in table.items():
        dense[a, p] = c
    rows, cols = linear_sum_assignment(dense)
    real = [(int(a), int(p)) for a, p in zip(rows, cols, strict=True) if (a, p) in table]
    return len(real), sum(table[pair] for pair in real)


def check_valid(inst: Instance, result: Assignment) -> None:
    m = inst[1]
    table = cost_table(inst)
    placed = np.flatnonzero(result.position_of_alt >= 0)
    positions = result.position_of_alt[placed]
    assert len(set(positions.tolist())) == placed.size  # each position at most one ALT
    assert all((int(a), int(p)) in table for a, p in zip(placed, positions, strict=True))
    expected_alt_of_position = np.full(m, -1)
    expected_alt_of_position[positions] = placed
    assert result.alt_of_position.tolist() == expected_alt_of_position.tolist()
    expected_costs = [
        table[(a, int(p))] if p >= 0 else 0.0 for a, p in enumerate(result.position_of_alt)
    ]
    assert result.cost_per_alt.tolist() == expected_costs
    assert result.total_cost == pytest.approx(sum(expected_costs))


def pairs(result: Assignment) -> int:
    return int((result.position_of_alt >= 0).sum())


def test_a_three_by_three_roster_worked_by_hand() -> None:
    # ALT 0 may take 0 (1 min) or 1 (2), ALT 1 may take 0 (3) or 2 (50), ALT 2 only 1 (4).
    # ALT 2 needs position 1, so ALT 0 takes 0 and ALT 1 must travel 50 minutes to 2.
    indptr, indices = [0, 2, 4, 5], [0, 1, 0, 2, 1]
    result = assign_roster(3, 3, (indptr, indices), [1.0, 2.0, 3.0, 50.0, 4.0])
    assert result.position_of_alt.tolist() == [0, 2, 1]
    assert result.alt_of_position.tolist() == [0, 2, 1]
    assert result.cost_per_alt.tolist() == [1.0, 50.0, 4.0]
    assert result.total_cost == 55.0


def test_more_pairs_beat_cheaper_pairs() -> None:
    # ALT 0 alone on position 0 costs 1, but then ALT 1 (only position 0) is left out: 0→1, 1→0.
    result = assign_roster(2, 2, ([0, 2, 3], [0, 1, 0]), [1.0, 100.0, 100.0])
    assert result.position_of_alt.tolist() == [1, 0]
    assert result.total_cost == 200.0
    assert result.cost_per_alt.tolist() == [100.0, 100.0]


@pytest.mark.parametrize(("n_alts", "n_positions"), [(4, 4), (5, 3), (3, 5), (5, 5), (1, 4)])
@pytest.mark.parametrize("seed", range(6))
def test_the_roster_is_as_good_as_brute_force(n_alts: int, n_positions: int, seed: int) -> None:
    inst = random_instance(np.random.default_rng(seed), n_alts, n_positions, density=0.6)
    result = solve(inst)
    check_valid(inst, result)
    assert (pairs(result), result.total_cost) == brute_force(inst)


@pytest.mark.parametrize(
    ("n_alts", "n_positions", "density"),
    [(30, 30, 0.2), (40, 25, 0.1), (25, 40, 0.3), (200, 200, 0.05), (300, 250, 0.02)],
)
@pytest.mark.parametrize("seed", range(3))
def test_the_total_cost_equals_scipys_dense_solver(
    n_alts: int, n_positions: int, density: float, seed: int
) -> None:
    inst = random_instance(np.random.default_rng(seed), n_alts, n_positions, density)
    result = solve(inst)
    check_valid(inst, result)
    assert (pairs(result), result.total_cost) == dense_reference(inst)


@pytest.mark.parametrize("share", [0.0, 2.0], ids=["always-dense", "always-sparse"])
@pytest.mark.parametrize("seed", range(8))
def test_both_solvers_inside_the_engine_give_the_optimum(
    monkeypatch: pytest.MonkeyPatch, share: float, seed: int
) -> None:
    # The engine picks the dense or the sparse solver per block by its density; force each.
    monkeypatch.setattr("altmatch.engine.assignment.DENSE_SHARE", share)
    rng = np.random.default_rng(50 + seed)
    inst = random_instance(rng, int(rng.integers(2, 6)), int(rng.integers(2, 6)), density=0.5)
    pinned = {0: int(inst[3][0])} if inst[2][1] > 0 else None
    result = solve(inst, pinned)
    check_valid(inst, result)
    assert (pairs(result), result.total_cost) == brute_force(inst, pinned)


def test_towns_that_share_no_candidates_are_solved_apart_and_together_optimal() -> None:
    # Three blocks on the diagonal (three towns), one dense and two sparse, plus isolated ALTs.
    rng = np.random.default_rng(7)
    sizes, densities = [40, 60, 30], [0.9, 0.05, 0.3]
    n = m = sum(sizes) + 5
    allowed = np.zeros((n, m), dtype=bool)
    start = 0
    for size, density in zip(sizes, densities, strict=True):
        block = slice(start, start + size)
        allowed[block, block] = rng.random((size, size)) < density
        start += size
    rows, cols = np.nonzero(allowed)
    costs = rng.integers(0, 90, rows.size).astype(float)
    indptr = np.concatenate([[0], np.cumsum(allowed.sum(axis=1))])
    inst = (n, m, indptr, cols, costs)
    result = solve(inst)
    check_valid(inst, result)
    assert (pairs(result), result.total_cost) == dense_reference(inst)


def test_fractional_costs_match_the_dense_solver_to_rounding() -> None:
    inst = random_instance(np.random.default_rng(7), 120, 100, 0.1, integer=False)
    result = solve(inst)
    n_pairs, total = dense_reference(inst)
    assert pairs(result) == n_pairs
    assert result.total_cost == pytest.approx(total, rel=1e-12)


def test_pins_are_kept_and_the_rest_is_optimised_around_them() -> None:
    inst = random_instance(np.random.default_rng(3), 5, 5, density=0.7)
    free = solve(inst)
    table = cost_table(inst)
    # Pin ALT a to an allowed position it did not get on its own.
    a, p = next((a, p) for (a, p) in table if free.position_of_alt[a] != p)
    result = solve(inst, pinned={a: p})
    check_valid(inst, result)
    assert result.position_of_alt[a] == p
    assert result.alt_of_position[p] == a
    assert (pairs(result), result.total_cost) == brute_force(inst, pinned={a: p})


def test_pinning_the_optimal_roster_changes_nothing() -> None:
    inst = random_instance(np.random.default_rng(4), 5, 4, density=0.6)
    free = solve(inst)
    pins = {a: int(p) for a, p in enumerate(free.position_of_alt) if p >= 0}
    pinned = solve(inst, pinned=pins)
    assert pinned.total_cost == free.total_cost
    assert pinned.position_of_alt.tolist() == free.position_of_alt.tolist()


@pytest.mark.parametrize(
    ("pinned", "message"),
    [
        ({0: 2}, "pin 0 -> 2: position 2 is not among ALT 0's candidates"),
        ({0: 0, 1: 0}, "pin 1 -> 0: position 0 is already pinned to ALT 0"),
        ({5: 0}, "pin 5 -> 0: ALT 5 is not in 0..2"),
        ({0: 9}, "pin 0 -> 9: position 9 is not in 0..2"),
    ],
)
def test_bad_pins_are_named(pinned: dict[int, int], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        assign_roster(3, 3, ([0, 2, 4, 5], [0, 1, 0, 2, 1]), [1.0] * 5, pinned=pinned)


@pytest.mark.parametrize(
    ("indptr", "indices", "costs", "message"),
    [
        ([0, 2, 3], [0, 0, 1], [1.0, 1.0, 1.0], "ALT 0 lists position 0 more than once"),
        ([0, 2, 3], [0, 4, 1], [1.0, 1.0, 1.0], "entry 1: position 4 is not in 0..1"),
        ([0, 2, 3], [0, 1, 1], [1.0, np.nan, 1.0], "entry 1: cost is not finite"),
        ([0, 2, 3], [0, 1, 1], [1.0, 1.0], "indices and costs must both have"),
        ([0, 3], [0, 1, 1], [1.0, 1.0, 1.0], "indptr must be a non-decreasing array of 3"),
    ],
)
def test_bad_candidate_lists_are_named(
    indptr: list[int], indices: list[int], costs: list[float], message: str
) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        assign_roster(2, 2, (indptr, indices), costs)


def test_empty_rosters_and_rosters_without_candidates() -> None:
    empty = assign_roster(0, 0, ([0], []), [])
    assert empty.total_cost == 0.0
    assert empty.position_of_alt.size == 0
    nobody = assign_roster(3, 2, ([0, 0, 0, 0], []), [])
    assert nobody.position_of_alt.tolist() == [-1, -1, -1]
    assert nobody.alt_of_position.tolist() == [-1, -1]


def test_negative_costs_such_as_continuity_bonuses_are_allowed() -> None:
    inst = random_instance(np.random.default_rng(11), 5, 4, density=0.6)
    n, m, indptr, indices, costs = inst
    shifted = (n, m, indptr, indices, costs - 60.0)
    result = solve(shifted)
    assert (pairs(result), result.total_cost) == brute_force(shifted)


@st.composite
def instances(draw: st.DrawFn) -> Instance:
    n = draw(st.integers(0, 12))
    m = draw(st.integers(0, 12))
    lists = [
        draw(st.lists(st.integers(0, m - 1), unique=True, max_size=m)) if m else []
        for _ in range(n)
    ]
    indices = np.array([p for row in lists for p in row], dtype=np.int64)
    costs = np.array(
        draw(st.lists(st.integers(-50, 200), min_size=indices.size, max_size=indices.size)),
        dtype=float,
    )
    indptr = np.concatenate([[0], np.cumsum([len(row) for row in lists])]).astype(np.int64)
    return n, m, indptr, indices, costs


@settings(max_examples=200, deadline=None)
@given(instances())
def test_every_roster_is_a_valid_maximum_matching(inst: Instance) -> None:
    n, m, indptr, indices, _ = inst
    result = solve(inst)
    check_valid(inst, result)
    graph = csr_matrix((np.ones(indices.size), indices, indptr), shape=(n, m))
    most = int((maximum_bipartite_matching(graph, perm_type="column") >= 0).sum()) if n else 0
    assert pairs(result) == most
