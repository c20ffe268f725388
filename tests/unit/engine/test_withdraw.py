"""Withdrawals: the rerun equals a fresh run, nobody is worse off, every move is in one chain."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.unit.engine.reference import outcome_position
from tests.unit.engine.strategies import MarketSpec, couple_markets, markets

from altmatch.engine import MatchResult, Move, Upgrade, stable_match, withdraw


def test_a_withdrawal_opens_a_vacancy_chain_worked_by_hand() -> None:
    # 0 holds request 0; 1 wanted it and holds 1; 2 wanted 1 and holds 2; 3 wanted 2.
    # 0 withdraws: 1 moves up to 0, 2 to 1, and 3, unplaced before, takes 2.
    result = stable_match([[0], [0, 1], [1, 2], [2]], [[0, 1], [1, 2], [2, 3]], [1, 1, 1], seed=0)
    assert result.assignment.tolist() == [0, 1, 2, -1]
    upgrade = withdraw(result, [0])
    chain = (Move(0, 0, -1), Move(1, 1, 0), Move(2, 2, 1), Move(3, -1, 2))
    assert upgrade.withdrawn == (0,)
    assert upgrade.moves == chain
    assert upgrade.chains == (chain,)
    assert upgrade.result.assignment.tolist() == [-1, 0, 1, 2]
    assert upgrade.result.withdrawn == (0,)


def test_a_chain_through_a_two_seat_request_ends_at_a_seat_left_empty() -> None:
    # Request 0 (two seats) holds 0 and 1; 2 holds request 1 and prefers request 0.
    # 0 withdraws: 2 moves into request 0, and request 1 is left with an empty seat.
    result = stable_match([[0], [0], [0, 1]], [[0, 1, 2], [2]], [2, 1], seed=0)
    assert result.assignment.tolist() == [0, 0, 1]
    upgrade = withdraw(result, [0])
    assert upgrade.chains == ((Move(0, 0, -1), Move(2, 1, 0)),)


def test_withdrawing_an_unplaced_candidate_with_no_claim_moves_nobody() -> None:
    result = stable_match([[0], [0]], [[0, 1]], [1], seed=0)
    upgrade = withdraw(result, [1])
    assert upgrade.moves == () and upgrade.chains == () and upgrade.withdrawn == (1,)


def test_an_unplaced_candidate_withdrawing_can_release_an_exchange_cycle() -> None:
    # 0 lists [1, 0], 1 lists [0, 1], 2 lists [1]; request 0 ranks [0, 1], request 1 [1, 2, 0].
    # Deferred acceptance: 0 and 1 each end at their second choice and 2 is unplaced, yet 2's
    # claim on request 1 (ranked above 0) is what keeps 0 and 1 from swapping. 2 withdraws:
    # they swap, and the chain is the exchange cycle (no seat was vacated).
    result = stable_match([[1, 0], [0, 1], [1]], [[0, 1], [1, 2, 0]], [1, 1], seed=0)
    assert result.assignment.tolist() == [0, 1, -1]
    upgrade = withdraw(result, [2])
    assert upgrade.moves == (Move(0, 0, 1), Move(1, 1, 0))
    assert upgrade.chains == ((Move(1, 1, 0), Move(0, 0, 1)),)


def test_a_withdrawn_couple_member_leaves_the_partner_single() -> None:
    # The market of Roth (1984) with no stable matching (see test_couples): the couple ends
    # unplaced, 2 at request 0. Member 1 withdraws; 0 now applies alone and takes request 0
    # from 2 (ranked higher there), and 2 takes request 1, which was empty: one chain that
    # starts at that empty seat.
    result = stable_match(
        [[0], [1], [0, 1]],
        [[0, 2], [2, 1]],
        [1, 1],
        seed=0,
        couples=[(0, 1)],
        request_groups=[0, 0],
    )
    assert result.assignment.tolist() == [-1, -1, 0]
    upgrade = withdraw(result, [1])
    assert upgrade.result.couples == ()
    assert upgrade.result.assignment.tolist() == [0, -1, 1]
    assert upgrade.result.blocking_pairs == []
    assert upgrade.chains == ((Move(2, 0, 1), Move(0, -1, 0)),)


def test_withdrawals_in_two_steps_equal_one_step() -> None:
    result = stable_match([[0], [0, 1], [1, 2], [2]], [[0, 1], [1, 2], [2, 3]], [1, 1, 1], seed=0)
    two = withdraw(withdraw(result, [0]).result, [1])
    one = withdraw(result, [0, 1])
    assert two.result.assignment.tolist() == one.result.assignment.tolist() == [-1, -1, 1, 2]
    assert two.result.withdrawn == (0, 1)


def test_unknown_duplicate_and_repeated_ids_are_named() -> None:
    result = stable_match([[0], [0]], [[0, 1]], [1], seed=0)
    with pytest.raises(ValueError, match=r"unknown candidate 5 \(expected 0..1\); candidate 0"):
        withdraw(result, [0, 5, 0])
    with pytest.raises(ValueError, match="candidate 0 has already withdrawn"):
        withdraw(withdraw(result, [0]).result, [0])


def _fresh(spec: MarketSpec, gone: set[int], seed: int) -> MatchResult:
    """A new run in which the withdrawn never applied (same indices, so the same lottery)."""
    cand = [[] if c in gone else own for c, own in enumerate(spec.candidate_prefs)]
    keep = [[j for j, c in enumerate(row) if c not in gone] for row in spec.request_prefs]
    req = [[row[j] for j in js] for row, js in zip(spec.request_prefs, keep, strict=True)]
    ranks = None
    if spec.request_ranks is not None:
        ranks = [[row[j] for j in js] for row, js in zip(spec.request_ranks, keep, strict=True)]
    couples = [p for p in spec.couples or [] if not gone & set(p)]
    return stable_match(
        cand,
        req,
        spec.capacities,
        request_ranks=ranks,
        seed=seed,
        couples=couples,
        request_groups=spec.request_groups,
    )


def _check_chains(upgrade: Upgrade) -> None:
    """Every move in exactly one chain; each move fills the seat its predecessor vacated."""
    flat = [m for chain in upgrade.chains for m in chain]
    assert sorted(flat, key=lambda m: m.candidate) == list(upgrade.moves)
    assert len({m.candidate for m in flat}) == len(flat)
    for chain in upgrade.chains:
        for before, after in itertools.pairwise(chain):
            assert after.to_request == before.from_request >= 0


@settings(max_examples=250, deadline=None)
@given(markets(ties=True), st.data())
def test_withdrawal_makes_nobody_worse_off_and_equals_a_fresh_run(
    spec: MarketSpec, data: st.DataObject
) -> None:
    seed = data.draw(st.integers(0, 2**32))
    args = (spec.candidate_prefs, spec.request_prefs, spec.capacities)
    before = stable_match(*args, request_ranks=spec.request_ranks, seed=seed)
    n = len(spec.candidate_prefs)
    gone = data.draw(st.lists(st.integers(0, n - 1), unique=True, max_size=n))
    upgrade = withdraw(before, gone)
    old, new = before.assignment.tolist(), upgrade.result.assignment.tolist()
    assert new == _fresh(spec, set(gone), seed).assignment.tolist()
    for c in range(n):
        if c in gone:
            assert new[c] == -1
        else:
            assert outcome_position(spec, c, new[c]) <= outcome_position(spec, c, old[c])
    assert upgrade.moves == tuple(Move(c, old[c], new[c]) for c in range(n) if old[c] != new[c])
    _check_chains(upgrade)
    capacity_left = {r: spec.capacities[r] - new.count(r) for r in range(len(spec.capacities))}
    for chain in upgrade.chains:
        first, last = chain[0], chain[-1]
        if first.to_request == -1:  # a vacancy chain: from a withdrawal to an unplaced
            assert first.candidate in gone  # candidate or a seat left empty
            assert last.from_request == -1 or capacity_left[last.from_request] > 0
        else:  # an exchange cycle
            assert first.to_request == last.from_request
            assert all(m.from_request >= 0 and m.to_request >= 0 for m in chain)


@settings(max_examples=200, deadline=None)
@given(couple_markets(ties=True), st.data())
def test_with_couples_the_rerun_equals_a_fresh_run_and_chains_cover_every_move(
    spec: MarketSpec, data: st.DataObject
) -> None:
    before = stable_match(
        spec.candidate_prefs,
        spec.request_prefs,
        spec.capacities,
        request_ranks=spec.request_ranks,
        seed=6,
        couples=spec.couples,
        request_groups=spec.request_groups,
    )
    n = len(spec.candidate_prefs)
    gone = data.draw(st.lists(st.integers(0, n - 1), unique=True, max_size=n))
    upgrade = withdraw(before, gone)
    fresh = _fresh(spec, set(gone), 6)
    assert upgrade.result.assignment.tolist() == fresh.assignment.tolist()
    assert upgrade.result.blocking_pairs == fresh.blocking_pairs
    _check_chains(upgrade)
