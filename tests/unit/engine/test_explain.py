"""Explanations: every request listed above the outcome has a reason, and the numbers add up."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.unit.engine.reference import order_key, outcome_position, value_at
from tests.unit.engine.strategies import MarketSpec, couple_markets, markets

from altmatch.engine import MatchResult, WhyNot, explain, stable_match, withdraw


def test_reasons_worked_by_hand() -> None:
    # Request 0 (one seat) ranks [1, 0]; request 1 does not rank 0; request 2 ranks [2, 0].
    # Candidate 0 lists 0, 1, 2, 3 and ends at 3 (its last choice, which ranks only it).
    # 1 takes request 0 (cut-off 0: 1 is first on its list); 2 takes request 2 (cut-off 0).
    result = stable_match(
        [[0, 1, 2, 3], [0], [2]], [[1, 0], [1], [2, 0], [0]], [1, 1, 1, 1], seed=0
    )
    assert result.assignment.tolist() == [3, 0, 2]
    why = explain(result)
    assert why.why_not(0) == (
        WhyNot(0, "filled", cutoff=0, candidate_value=1, lost_lottery=False),
        WhyNot(1, "not_ranked", cutoff=None, candidate_value=None, lost_lottery=False),
        WhyNot(2, "filled", cutoff=0, candidate_value=1, lost_lottery=False),
    )
    assert why.why_not(1) == () and why.why_not(2) == ()
    assert why.cutoffs.tolist() == [0, -1, 0, 0]


def test_a_tie_lost_on_the_lottery_says_so_with_equal_values() -> None:
    # Both rank 3 at request 0 (one seat): the lottery decides.
    result = stable_match([[0], [0]], [[0, 1]], [1], request_ranks=[[3, 3]], seed=2)
    loser = int((result.assignment == -1).nonzero()[0][0])
    why = explain(result)
    assert why.why_not(loser) == (WhyNot(0, "filled", 3, 3, True),)
    assert why.cutoffs.tolist() == [3]


def test_a_request_with_no_seats_is_filled_without_a_cutoff() -> None:
    why = explain(stable_match([[0]], [[0]], [0], seed=0))
    assert why.why_not(0) == (WhyNot(0, "filled", None, 0, False),)
    assert why.cutoffs.tolist() == [-1]


def test_a_couple_member_is_told_when_the_couple_could_not_be_placed_together() -> None:
    # Each would be taken alone, but the two requests are in different BoEs.
    result = stable_match(
        [[0], [1]], [[0], [1]], [1, 1], seed=0, couples=[(0, 1)], request_groups=[0, 1]
    )
    why = explain(result)
    assert why.why_not(0) == (WhyNot(0, "couple", None, 0, False),)
    assert why.why_not(1) == (WhyNot(1, "couple", None, 0, False),)
    assert why.cutoffs.tolist() == [-1, -1]


def test_withdrawn_candidates_have_no_reasons() -> None:
    result = withdraw(stable_match([[0], [0]], [[0, 1]], [1], seed=0), [0]).result
    assert explain(result).why_not(0) == ()


def _check(spec: MarketSpec, result: MatchResult, *, couples: bool) -> None:
    assignment, lottery = result.assignment.tolist(), result.market.lottery.tolist()
    why = explain(result)
    gone = set(result.withdrawn)
    for r in range(len(spec.capacities)):
        held = [c for c, q in enumerate(assignment) if q == r]
        if len(held) < spec.capacities[r] or not held:
            assert why.cutoffs[r] == -1
        else:
            worst = max(held, key=lambda c: order_key(spec, lottery, r, c))
            assert why.cutoffs[r] == value_at(spec, r, worst)
    for c in range(len(spec.candidate_prefs)):
        reasons = why.why_not(c)
        own = spec.candidate_prefs[c]
        if c in gone:
            assert reasons == ()
            continue
        assert [w.request for w in reasons] == own[: outcome_position(spec, c, assignment[c])]
        for w in reasons:
            value = value_at(spec, w.request, c)
            assert w.candidate_value == value
            if value is None:
                assert w.reason == "not_ranked"
                continue
            held = [x for x, q in enumerate(assignment) if q == w.request]
            full = len(held) >= spec.capacities[w.request]
            beaten = all(
                order_key(spec, lottery, w.request, x) < order_key(spec, lottery, w.request, c)
                for x in held
            )
            if w.reason == "filled":
                assert full and beaten
                assert w.cutoff == (int(why.cutoffs[w.request]) if held else None)
                if w.cutoff is not None:
                    assert w.cutoff < value or (w.cutoff == value and w.lost_lottery)
                    assert w.lost_lottery == (w.cutoff == value)
            else:
                assert couples and w.reason == "couple" and not (full and beaten)
                assert w.cutoff is None and not w.lost_lottery


@settings(max_examples=200, deadline=None)
@given(markets(ties=True), st.integers(0, 2**32), st.data())
def test_every_request_above_the_outcome_is_explained_correctly(
    spec: MarketSpec, seed: int, data: st.DataObject
) -> None:
    result = stable_match(
        spec.candidate_prefs,
        spec.request_prefs,
        spec.capacities,
        request_ranks=spec.request_ranks,
        seed=seed,
    )
    _check(spec, result, couples=False)
    n = len(spec.candidate_prefs)
    gone = data.draw(st.lists(st.integers(0, n - 1), unique=True, max_size=2))
    _check(spec, withdraw(result, gone).result, couples=False)


@settings(max_examples=200, deadline=None)
@given(couple_markets(ties=True))
def test_with_couples_every_request_above_the_outcome_is_explained_correctly(
    spec: MarketSpec,
) -> None:
    result = stable_match(
        spec.candidate_prefs,
        spec.request_prefs,
        spec.capacities,
        request_ranks=spec.request_ranks,
        seed=8,
        couples=spec.couples,
        request_groups=spec.request_groups,
    )
    _check(spec, result, couples=True)
