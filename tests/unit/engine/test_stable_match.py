"""stable_match: stable, capacity-respecting, candidate-optimal, reproducible, validated."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.unit.engine.strategies import MarketSpec, markets

from altmatch.engine import check_stability, stable_match


def test_a_small_worked_market() -> None:
    # Candidates 0 and 1 both want request 0 (1 seat), which prefers 1; 0 falls back to 1.
    # Candidate 3 wants request 1 and is ranked above 1 there, but 1 never applies to it.
    result = stable_match([[0, 1], [0, 1], [0], [1]], [[1, 0, 2], [0, 3, 1]], [1, 1], seed=1)
    assert result.assignment.tolist() == [1, 0, -1, -1]
    assert result.candidate_rank.tolist() == [1, 0, -1, -1]


def test_the_textbook_example_with_two_seats() -> None:
    # Roth & Sotomayor style: request 0 has two seats; candidates 0, 1, 2 all want it first.
    cand = [[0, 1], [0, 1], [0, 1]]
    req = [[2, 0, 1], [0, 1, 2]]
    result = stable_match(cand, req, [2, 1], seed=0)
    assert result.assignment.tolist() == [0, 1, 0]


def test_csr_input_gives_the_same_result_as_lists() -> None:
    cand = [[0, 1], [1], [0]]
    req = [[2, 0], [0, 1]]
    indptr = np.array([0, 2, 3, 4])
    indices = np.array([0, 1, 1, 0])
    from_lists = stable_match(cand, req, [1, 1], seed=3)
    from_csr = stable_match((indptr, indices), req, np.array([1, 1]), seed=3)
    assert from_lists.assignment.tolist() == from_csr.assignment.tolist()


@pytest.mark.parametrize(
    ("cand", "req", "caps", "message"),
    [
        ([[0, 5]], [[0]], [1], r"candidate_prefs\[0\]\[1\]: request 5 is out of range 0..0"),
        ([[0, 0]], [[0]], [1], r"candidate_prefs\[0\]\[1\]: request 0 appears twice"),
        ([[0]], [[0, 0]], [1], r"request_prefs\[0\]\[1\]: candidate 0 appears twice"),
        ([[0]], [[-1]], [1], r"request_prefs\[0\]\[0\]: candidate -1 is out of range"),
        ([[0]], [[0]], [-2], r"capacities\[0\]: capacity -2 is negative"),
        ([[0]], [[0], [0]], [1], r"request_prefs: expected 1 lists, got 2"),
    ],
)
def test_malformed_input_names_the_list_and_position(
    cand: list[list[int]], req: list[list[int]], caps: list[int], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        stable_match(cand, req, caps, seed=0)


def test_ranks_must_match_the_lists() -> None:
    with pytest.raises(ValueError, match=r"request_ranks\[0\]\[1\]: rank -1 is negative"):
        stable_match([[0], [0]], [[0, 1]], [1], request_ranks=[[0, -1]], seed=0)
    with pytest.raises(ValueError, match="one rank per entry"):
        stable_match([[0], [0]], [[0, 1]], [1], request_ranks=[[0]], seed=0)


def _is_feasible(spec: MarketSpec, assignment: list[int]) -> bool:
    for c, r in enumerate(assignment):
        if r >= 0 and (r not in spec.candidate_prefs[c] or c not in spec.request_prefs[r]):
            return False
    counts = np.bincount([r for r in assignment if r >= 0], minlength=len(spec.capacities))
    return bool(np.all(counts <= np.array(spec.capacities)))


@settings(max_examples=200, deadline=None)
@given(markets())
def test_results_are_stable_feasible_and_respect_capacities(spec: MarketSpec) -> None:
    result = stable_match(spec.candidate_prefs, spec.request_prefs, spec.capacities, seed=7)
    assignment = result.assignment.tolist()
    assert _is_feasible(spec, assignment)
    assert (
        check_stability(spec.candidate_prefs, spec.request_prefs, spec.capacities, assignment) == []
    )


@settings(max_examples=120, deadline=None)
@given(markets(max_candidates=5, max_requests=3))
def test_every_candidate_gets_their_best_stable_partner(spec: MarketSpec) -> None:
    """Brute force: no stable matching gives any candidate a request they like better."""
    result = stable_match(spec.candidate_prefs, spec.request_prefs, spec.capacities, seed=1)
    n_r = len(spec.capacities)

    def pos(c: int, r: int) -> int:
        return spec.candidate_prefs[c].index(r) if r >= 0 else len(spec.candidate_prefs[c])

    for assignment in itertools.product(*[[-1, *prefs] for prefs in spec.candidate_prefs]):
        if not _is_feasible(spec, list(assignment)):
            continue
        if check_stability(spec.candidate_prefs, spec.request_prefs, spec.capacities, assignment):
            continue
        for c, r in enumerate(assignment):
            assert pos(c, int(result.assignment[c])) <= pos(c, r), (c, assignment, n_r)


@settings(max_examples=100, deadline=None)
@given(markets(ties=True), st.integers(0, 2**32))
def test_the_same_seed_gives_the_same_result_and_ties_never_block(
    spec: MarketSpec, seed: int
) -> None:
    assert spec.request_ranks is not None
    args = (spec.candidate_prefs, spec.request_prefs, spec.capacities)
    first = stable_match(*args, request_ranks=spec.request_ranks, seed=seed)
    again = stable_match(*args, request_ranks=spec.request_ranks, seed=seed)
    assert first.assignment.tolist() == again.assignment.tolist()
    assert first.seed == seed
    # Stable under the lottery it used, and weakly stable (no tie blocks) without it.
    assert (
        check_stability(*args, first.assignment, request_ranks=spec.request_ranks, seed=seed) == []
    )
    assert check_stability(*args, first.assignment, request_ranks=spec.request_ranks) == []


def test_a_run_without_a_seed_records_the_seed_it_drew() -> None:
    cand, req = [[0], [0], [0]], [[0, 1, 2]]
    ranks = [[0, 0, 0]]
    first = stable_match(cand, req, [1], request_ranks=ranks)
    replay = stable_match(cand, req, [1], request_ranks=ranks, seed=first.seed)
    assert first.assignment.tolist() == replay.assignment.tolist()


def test_the_lottery_decides_a_full_tie_and_different_seeds_spread_the_luck() -> None:
    cand, req, ranks = [[0]] * 4, [[0, 1, 2, 3]], [[0, 0, 0, 0]]
    winners = {
        int(
            np.flatnonzero(
                stable_match(cand, req, [1], request_ranks=ranks, seed=s).assignment == 0
            )[0]
        )
        for s in range(40)
    }
    assert winners == {0, 1, 2, 3}


def test_a_better_rank_always_beats_the_lottery() -> None:
    cand, req, ranks = [[0]] * 3, [[0, 1, 2]], [[1, 0, 1]]
    for seed in range(20):
        assert stable_match(cand, req, [1], request_ranks=ranks, seed=seed).assignment.tolist() == [
            -1,
            0,
            -1,
        ]
