"""The compiled couples procedure and stability check equal the pure-Python ones they replaced
(`couples_oracle`): the same matching, positions, proposals and blocking pairs on many random
seasons (couples that cycle or cannot sit together, ties, empty lists, withdrawals), the same
joint lists, and the same verdict, blocks and refusals for any assignment."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.unit.engine import couples_oracle as oracle
from tests.unit.engine.strategies import MarketSpec, couple_markets, random_market

from altmatch.engine.couples import solve_with_couples
from altmatch.engine.joint import active_couples, joint_lists
from altmatch.engine.market import Market, build_market
from altmatch.engine.stability import find_blocks


def market_of(spec: MarketSpec, seed: int) -> Market:
    return build_market(
        spec.candidate_prefs,
        spec.request_prefs,
        spec.capacities,
        request_ranks=spec.request_ranks,
        seed=seed,
        couples=spec.couples,
        request_groups=spec.request_groups,
    )


def assert_same_run(market: Market, active: np.ndarray) -> None:
    if not active_couples(market, active):
        return
    ours = solve_with_couples(market, active.copy())
    theirs = oracle.solve_with_couples(market, active.copy())
    assert ours.assignment.tolist() == theirs.assignment.tolist()
    assert ours.position.tolist() == theirs.position.tolist()
    assert ours.proposals == theirs.proposals
    assert ours.couples == theirs.couples
    assert ours.blocking_pairs == theirs.blocking_pairs


def assert_same_blocks(market: Market, assignment: list[int], active: np.ndarray) -> None:
    """Both checks agree: the same blocks, or the same refusal."""
    array = np.asarray(assignment, dtype=np.int64)
    try:
        expected = oracle.find_blocks(market, array.copy(), active)
    except ValueError as exc:
        with pytest.raises(ValueError) as raised:
            find_blocks(market, array.copy(), active)
        assert str(raised.value) == str(exc)
        return
    ours = find_blocks(market, array.copy(), active)
    assert ours.singles == expected.singles
    assert ours.couples == expected.couples
    assert ours.pairs == expected.pairs


def some_assignment(market: Market, rng: np.random.Generator) -> list[int]:
    """Any assignment, feasible or not: couples at a random option or apart, singles anywhere
    on their list (or off it now and then), seats overfilled at times."""
    indptr, indices = market.candidate_prefs
    assignment = [-1] * market.n_candidates
    for c in range(market.n_candidates):
        own = indices[indptr[c] : indptr[c + 1]]
        if len(own) and rng.random() < 0.6:
            assignment[c] = int(rng.choice(own))
        elif rng.random() < 0.05 and market.n_requests:
            assignment[c] = int(rng.integers(0, market.n_requests))
    for a, b in market.couples:
        joint = oracle.joint_list(market, a, b)
        if len(joint) and rng.random() < 0.8:
            i = int(rng.integers(0, len(joint)))
            assignment[a], assignment[b] = int(joint.request_a[i]), int(joint.request_b[i])
        elif rng.random() < 0.7:
            assignment[a] = assignment[b] = -1
    return assignment


def feasible(market: Market, assignment: list[int]) -> list[int]:
    """The assignment with anyone over capacity or unacceptable unplaced (couples together)."""
    indptr, indices = market.candidate_prefs
    partner = {a: b for a, b in market.couples} | {b: a for a, b in market.couples}
    out = list(assignment)
    held = np.zeros(market.n_requests, dtype=np.int64)
    for c, r in enumerate(out):
        if r < 0:
            continue
        own = indices[indptr[c] : indptr[c + 1]].tolist()
        ok = r in own and market.keys[indptr[c] + own.index(r)] >= 0
        if not ok or held[r] >= market.capacities[r]:
            out[c] = -1
            if c in partner and out[partner[c]] >= 0:
                if partner[c] < c:
                    held[out[partner[c]]] -= 1
                out[partner[c]] = -1
            continue
        if c in partner and partner[c] < c and out[partner[c]] < 0:
            out[c] = -1
            continue
        held[r] += 1
    return out


@pytest.mark.parametrize("seed", range(40))
def test_random_seasons_run_exactly_as_the_python_procedure(seed: int) -> None:
    rng = np.random.default_rng(seed)
    for _ in range(25):
        spec = random_market(rng)
        market = market_of(spec, int(rng.integers(0, 2**31)))
        active = np.ones(market.n_candidates, dtype=np.bool_)
        assert_same_run(market, active)
        if market.n_candidates:
            active[rng.random(market.n_candidates) < 0.15] = False
            assert_same_run(market, active)


@pytest.mark.parametrize("seed", range(20))
def test_random_assignments_are_checked_exactly_as_by_the_python_check(seed: int) -> None:
    rng = np.random.default_rng(1000 + seed)
    for _ in range(25):
        spec = random_market(rng)
        market = market_of(spec, int(rng.integers(0, 2**31)))
        everyone = np.ones(market.n_candidates, dtype=np.bool_)
        drawn = some_assignment(market, rng)
        assert_same_blocks(market, drawn, everyone)  # mostly refused, with the same message
        assert_same_blocks(market, feasible(market, drawn), everyone)
        result = oracle.solve_with_couples(market, everyone.copy())
        assert_same_blocks(market, result.assignment.tolist(), everyone)
        some_out = everyone.copy()
        some_out[rng.random(market.n_candidates) < 0.2] = False
        kept = [r if some_out[c] else -1 for c, r in enumerate(feasible(market, drawn))]
        assert_same_blocks(market, kept, some_out)
        assert_same_blocks(market, feasible(market, drawn), some_out)  # withdrawn but placed


@pytest.mark.parametrize("seed", range(20))
def test_joint_lists_are_the_sorted_python_ones(seed: int) -> None:
    rng = np.random.default_rng(2000 + seed)
    for _ in range(25):
        spec = random_market(rng)
        if spec.request_groups and rng.random() < 0.5:  # any integers name the groups
            names = [-7, 10**12, 3]
            spec = replace(spec, request_groups=[names[g] for g in spec.request_groups])
        market = market_of(spec, 1)
        joints = joint_lists(market, market.couples)
        assert len(joints) == len(market.couples)
        for k, (a, b) in enumerate(market.couples):
            ours, theirs = joints[k], oracle.joint_list(market, a, b)
            for name in ("request_a", "request_b", "entry_a", "entry_b"):
                assert getattr(ours, name).tolist() == getattr(theirs, name).tolist()
            assert joints.key_a[joints.indptr[k] : joints.indptr[k + 1]].tolist() == (
                market.keys[theirs.entry_a].tolist()
            )


@settings(max_examples=300, deadline=None)
@given(couple_markets(ties=True), st.integers(0, 2**31), st.integers(0, 2**31))
def test_small_markets_with_ties_run_and_check_as_before(
    spec: MarketSpec, seed: int, draw: int
) -> None:
    market = market_of(spec, seed)
    everyone = np.ones(market.n_candidates, dtype=np.bool_)
    assert_same_run(market, everyone)
    rng = np.random.default_rng(draw)
    assert_same_blocks(market, feasible(market, some_assignment(market, rng)), everyone)


def test_a_market_without_a_stable_matching_cycles_and_ends_as_before() -> None:
    # Roth (1984): the procedure cycles, stops on the repeated state, reports the couple.
    spec = MarketSpec([[0], [1], [0, 1]], [[0, 2], [2, 1]], [1, 1], None, [(0, 1)], [0, 0])
    market = market_of(spec, 0)
    assert_same_run(market, np.ones(3, dtype=np.bool_))
    assert solve_with_couples(market, np.ones(3, dtype=np.bool_)).blocking_pairs == [
        (0, 0),
        (1, 1),
    ]


def test_couples_that_cannot_sit_together_and_empty_lists_are_left_out_as_before() -> None:
    spec = MarketSpec([[0], [1], [], []], [[0], [1], []], [1, 1, 2], None, [(0, 1), (2, 3)], None)
    market = market_of(spec, 3)
    assert_same_run(market, np.ones(4, dtype=np.bool_))
    assert solve_with_couples(market, np.ones(4, dtype=np.bool_)).assignment.tolist() == [-1] * 4
