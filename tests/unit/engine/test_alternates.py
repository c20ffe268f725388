"""Alternates: per request, who would come next if a seat opened, in the request's order."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.unit.engine.reference import order_key, outcome_position, value_at
from tests.unit.engine.strategies import MarketSpec, couple_markets, markets

from altmatch.engine import alternates, stable_match, withdraw


def test_alternates_of_a_worked_chain_market() -> None:
    # Each candidate wants the request above its own: 1 waits for 0, 2 for 1, 3 for 2.
    # 4 lists request 0 but is not ranked there, so it is nobody's alternate.
    result = stable_match(
        [[0], [0, 1], [1, 2], [2], [0]], [[0, 1], [1, 2], [2, 3]], [1, 1, 1], seed=0
    )
    assert result.assignment.tolist() == [0, 1, 2, -1, -1]
    assert [a.tolist() for a in alternates(result)] == [[1], [2], [3]]


def test_alternates_with_ties_follow_the_lottery_and_leave_out_the_withdrawn() -> None:
    cand, req, ranks = [[0]] * 4, [[0, 1, 2, 3]], [[0, 1, 1, 1]]
    result = stable_match(cand, req, [1], request_ranks=ranks, seed=4)
    lottery = result.market.lottery.tolist()
    assert result.assignment.tolist() == [0, -1, -1, -1]
    assert alternates(result)[0].tolist() == sorted([1, 2, 3], key=lambda c: lottery[c])
    after = withdraw(result, [2]).result
    assert after.assignment.tolist() == [0, -1, -1, -1]
    assert alternates(after)[0].tolist() == sorted([1, 3], key=lambda c: lottery[c])


def _expected(spec: MarketSpec, assignment: list[int], lottery: list[int]) -> list[list[int]]:
    out = []
    for r in range(len(spec.capacities)):
        waiting = [
            c
            for c, own in enumerate(spec.candidate_prefs)
            if r in own
            and value_at(spec, r, c) is not None
            and assignment[c] != r
            and own.index(r) < outcome_position(spec, c, assignment[c])
        ]
        out.append(sorted(waiting, key=lambda c: order_key(spec, lottery, r, c)))
    return out


@settings(max_examples=200, deadline=None)
@given(markets(ties=True), st.integers(0, 2**32))
def test_alternates_are_exactly_the_defined_set_in_the_request_order(
    spec: MarketSpec, seed: int
) -> None:
    result = stable_match(
        spec.candidate_prefs,
        spec.request_prefs,
        spec.capacities,
        request_ranks=spec.request_ranks,
        seed=seed,
    )
    assignment, lottery = result.assignment.tolist(), result.market.lottery.tolist()
    got = [a.tolist() for a in alternates(result)]
    assert got == _expected(spec, assignment, lottery)
    # Stable: every alternate ranks below the request's cut-off, and the request is full.
    for r, waiting in enumerate(got):
        held = [c for c, q in enumerate(assignment) if q == r]
        if waiting:
            assert len(held) == spec.capacities[r]
        for c in waiting:
            for h in held:
                assert order_key(spec, lottery, r, c) > order_key(spec, lottery, r, h)


@settings(max_examples=100, deadline=None)
@given(couple_markets())
def test_alternates_with_couples_are_the_same_defined_set(spec: MarketSpec) -> None:
    result = stable_match(
        spec.candidate_prefs,
        spec.request_prefs,
        spec.capacities,
        seed=1,
        couples=spec.couples,
        request_groups=spec.request_groups,
    )
    got = [a.tolist() for a in alternates(result)]
    assert got == _expected(spec, result.assignment.tolist(), result.market.lottery.tolist())
