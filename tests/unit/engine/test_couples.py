"""Couples: placed together in one BoE or not at all; leftover instability reported exactly."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.unit.engine.reference import brute_force_blocking, joint_options
from tests.unit.engine.strategies import MarketSpec, couple_markets, markets

from altmatch.engine import MatchResult, build_market, check_stability, stable_match
from altmatch.engine.joint import joint_list


def run(spec: MarketSpec, seed: int = 5) -> MatchResult:
    return stable_match(
        spec.candidate_prefs,
        spec.request_prefs,
        spec.capacities,
        request_ranks=spec.request_ranks,
        seed=seed,
        couples=spec.couples,
        request_groups=spec.request_groups,
    )


def test_a_couple_loses_its_first_pair_to_a_single_and_shares_a_two_seat_request() -> None:
    # Requests 0 and 1 belong to BoE 0, request 2 (two seats) to BoE 1. Couple (0, 1):
    # 0 lists [0, 2], 1 lists [1, 2]. Pairs (positions): (0, 1) at (0, 0), sum 0, one BoE;
    # (0, 2) and (2, 1) cross BoEs; (2, 2) at (1, 1), sum 2, one request with two seats.
    # Single 2 holds request 0, which prefers 2 to member 0: the couple loses (0, 1) and
    # takes both seats of request 2.
    spec = MarketSpec(
        candidate_prefs=[[0, 2], [1, 2], [0, 2]],
        request_prefs=[[2, 0], [1], [0, 1, 2]],
        capacities=[1, 1, 2],
        couples=[(0, 1)],
        request_groups=[0, 0, 1],
    )
    assert joint_options(spec, 0, 1) == [(0, 1), (2, 2)]
    result = stable_match(
        spec.candidate_prefs,
        spec.request_prefs,
        spec.capacities,
        seed=0,
        couples=spec.couples,
        request_groups=spec.request_groups,
    )
    assert result.assignment.tolist() == [2, 2, 0]
    assert result.couples == ((0, 1),)
    assert result.blocking_pairs == []


def test_a_couple_that_cannot_sit_together_stays_unplaced_though_each_could_alone() -> None:
    # Each member is wanted by a request of its own, but the requests are in different BoEs.
    result = stable_match(
        [[0], [1]], [[0], [1]], [1, 1], seed=0, couples=[(0, 1)], request_groups=[0, 1]
    )
    assert result.assignment.tolist() == [-1, -1]
    assert result.blocking_pairs == []
    alone = stable_match([[0], [1]], [[0], [1]], [1, 1], seed=0)
    assert alone.assignment.tolist() == [0, 1]


def test_a_market_with_no_stable_matching_reports_its_instability() -> None:
    # Roth (1984); Klaus & Klijn (2005): couple (0, 1) wants requests 0 and 1 together (one
    # BoE); single 2 lists 0 then 1. Request 0 prefers 0 to 2; request 1 prefers 2 to 1.
    # Couple in (0, 1): 2 blocks with 1. Couple out, 2 at 0: the couple blocks. Couple out,
    # 2 at 1 or out: 2 blocks with 0. So no matching is stable. By hand, the procedure runs:
    # 2 takes 0 (singles first); the couple evicts 2 and takes (0, 1); 2 falls to 1 and
    # evicts member 1, so the couple is out and 0 falls vacant; 0 is offered to 2, who moves
    # up; 0 is offered to the couple, which evicts 2 again... The state recurs, so it stops
    # with 2 at 0 and reports the couple's blocking option, one pair per member.
    cand, req, caps = [[0], [1], [0, 1]], [[0, 2], [2, 1]], [1, 1]
    result = stable_match(cand, req, caps, seed=0, couples=[(0, 1)], request_groups=[0, 0])
    assert result.assignment.tolist() == [-1, -1, 0]
    assert result.blocking_pairs == [(0, 0), (1, 1)]
    for assignment in ([0, 1, -1], [-1, -1, 0], [-1, -1, 1], [-1, -1, -1]):
        pairs = check_stability(
            cand, req, caps, assignment, couples=[(0, 1)], request_groups=[0, 0]
        )
        assert pairs, assignment


def test_a_couple_blocks_with_both_members_where_both_requests_would_take_them() -> None:
    pairs = check_stability(
        [[0], [1]], [[0], [1]], [1, 1], [-1, -1], couples=[(0, 1)], request_groups=[0, 0]
    )
    assert pairs == [(0, 0), (1, 1)]


def test_without_couples_the_result_is_plain_deferred_acceptance() -> None:
    cand, req = [[0, 1], [0, 1], [0], [1]], [[1, 0, 2], [0, 3, 1]]
    plain = stable_match(cand, req, [1, 1], seed=1)
    empty = stable_match(cand, req, [1, 1], seed=1, couples=[], request_groups=[0, 0])
    assert plain.assignment.tolist() == empty.assignment.tolist()
    assert empty.couples == () and empty.blocking_pairs == []


@pytest.mark.parametrize(
    ("couples", "groups", "message"),
    [
        ([(0, 5)], None, r"couples\[0\]: candidate 5 is out of range 0..2"),
        ([(1, 1)], None, r"couples\[0\]: candidate 1 cannot be coupled with itself"),
        ([(0, 1), (2, 1)], None, r"couples\[1\]: candidate 1 is already in couples\[0\]"),
        ([(0, 1)], [0], r"request_groups: expected 2 values"),
    ],
)
def test_malformed_couples_and_groups_are_named(
    couples: list[tuple[int, int]], groups: list[int] | None, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        stable_match([[0], [1], [0]], [[0, 2], [1]], [1, 1], couples=couples, request_groups=groups)


def test_an_assignment_splitting_a_couple_across_boes_is_rejected_by_the_check() -> None:
    with pytest.raises(ValueError, match=r"couple \(0, 1\) is at requests 0 and 1"):
        check_stability(
            [[0], [1]], [[0], [1]], [1, 1], [0, 1], couples=[(0, 1)], request_groups=[0, 1]
        )


def _together_or_both_out(spec: MarketSpec, assignment: list[int]) -> None:
    groups = spec.request_groups or list(range(len(spec.capacities)))
    for a, b in spec.couples or []:
        ra, rb = assignment[a], assignment[b]
        assert (ra < 0) == (rb < 0), (a, b, ra, rb)
        if ra >= 0:
            assert groups[ra] == groups[rb]
            assert ra != rb or spec.capacities[ra] >= 2


def _feasible(spec: MarketSpec, assignment: list[int]) -> None:
    for c, r in enumerate(assignment):
        if r >= 0:
            assert r in spec.candidate_prefs[c] and c in spec.request_prefs[r]
    counts = np.bincount([r for r in assignment if r >= 0], minlength=len(spec.capacities))
    assert np.all(counts <= np.array(spec.capacities))


@settings(max_examples=300, deadline=None)
@given(couple_markets())
def test_couples_are_together_in_one_group_or_both_unplaced(spec: MarketSpec) -> None:
    result = run(spec)
    assignment = result.assignment.tolist()
    _feasible(spec, assignment)
    _together_or_both_out(spec, assignment)


@settings(max_examples=300, deadline=None)
@given(couple_markets(ties=True))
def test_reported_instability_equals_a_brute_force_check(spec: MarketSpec) -> None:
    result = run(spec, seed=11)
    assignment = result.assignment.tolist()
    lottery = result.market.lottery.tolist()
    expected = brute_force_blocking(spec, assignment, lottery)
    assert result.blocking_pairs == expected
    again = check_stability(
        spec.candidate_prefs,
        spec.request_prefs,
        spec.capacities,
        assignment,
        request_ranks=spec.request_ranks,
        seed=11,
        couples=spec.couples,
        request_groups=spec.request_groups,
    )
    assert again == expected


@settings(max_examples=150, deadline=None)
@given(markets(max_candidates=6, max_requests=4))
def test_the_brute_force_check_agrees_with_the_engine_on_any_assignment(spec: MarketSpec) -> None:
    # Deferred acceptance outcomes are stable; arbitrary feasible assignments need not be.
    result = stable_match(spec.candidate_prefs, spec.request_prefs, spec.capacities, seed=2)
    lottery = result.market.lottery.tolist()
    perturbed = [-1 if c % 2 else r for c, r in enumerate(result.assignment.tolist())]
    pairs = check_stability(
        spec.candidate_prefs, spec.request_prefs, spec.capacities, perturbed, seed=2
    )
    assert pairs == brute_force_blocking(spec, perturbed, lottery)


@settings(max_examples=100, deadline=None)
@given(couple_markets())
def test_the_same_seed_gives_the_same_couples_result(spec: MarketSpec) -> None:
    first, again = run(spec, seed=3), run(spec, seed=3)
    assert first.assignment.tolist() == again.assignment.tolist()
    assert first.blocking_pairs == again.blocking_pairs


@st.composite
def with_assignment(draw: st.DrawFn) -> tuple[MarketSpec, list[int]]:
    """A couples market and any feasible assignment of it (stable or not)."""
    spec = draw(couple_markets(ties=True))
    couples = spec.couples or []
    members = {c for pair in couples for c in pair}
    agents = [(c, -1) for c in range(len(spec.candidate_prefs)) if c not in members]
    agents += [pair for pair in couples]
    left = list(spec.capacities)
    assignment = [-1] * len(spec.candidate_prefs)
    for a, b in draw(st.permutations(agents)):
        if b < 0:
            options = [r for r in spec.candidate_prefs[a] if a in spec.request_prefs[r]]
            pick = draw(st.sampled_from([-1, *[r for r in options if left[r] > 0]]))
            if pick >= 0:
                assignment[a] = pick
                left[pick] -= 1
            continue
        feasible = [
            (ra, rb)
            for ra, rb in joint_options(spec, a, b)
            if a in spec.request_prefs[ra]
            and b in spec.request_prefs[rb]
            and (left[ra] >= 2 if ra == rb else left[ra] >= 1 and left[rb] >= 1)
        ]
        ra, rb = draw(st.sampled_from([(-1, -1), *feasible]))
        if ra >= 0:
            assignment[a], assignment[b] = ra, rb
            left[ra] -= 1
            left[rb] -= 1
    return spec, assignment


@settings(max_examples=300, deadline=None)
@given(with_assignment())
def test_the_check_equals_a_brute_force_check_on_any_feasible_assignment(
    drawn: tuple[MarketSpec, list[int]],
) -> None:
    spec, assignment = drawn
    args = (spec.candidate_prefs, spec.request_prefs, spec.capacities)
    market = build_market(*args, request_ranks=spec.request_ranks, seed=9)
    pairs = check_stability(
        *args,
        assignment,
        request_ranks=spec.request_ranks,
        seed=9,
        couples=spec.couples,
        request_groups=spec.request_groups,
    )
    assert pairs == brute_force_blocking(spec, assignment, market.lottery.tolist())


@settings(max_examples=100, deadline=None)
@given(couple_markets())
def test_the_joint_list_follows_the_documented_order(spec: MarketSpec) -> None:
    market = build_market(
        spec.candidate_prefs,
        spec.request_prefs,
        spec.capacities,
        seed=0,
        couples=spec.couples,
        request_groups=spec.request_groups,
    )
    for a, b in spec.couples or []:
        joint = joint_list(market, a, b)
        ours = list(zip(joint.request_a.tolist(), joint.request_b.tolist(), strict=True))
        assert ours == joint_options(spec, a, b)
