"""Monte Carlo chances: sane, reproducible, convergent, and right where the answer is known."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.unit.engine.strategies import MarketSpec, markets

from altmatch.engine import Market, build_market
from altmatch.engine._chance_kernels import _stream, _uniform
from altmatch.engine.chances import ChanceResult, Uncertainty, entry_values, estimate_chances

DEMAND = Uncertainty(withdrawal=0.05, request_drop=0.05, seat_gain=0.1, seat_loss=0.1)


def small_market(ties: bool = True) -> object:
    cand = [[0, 1, 2], [0, 2], [1, 0], [2], [0, 1, 2, 3], [3], []]
    req = [[0, 1, 2, 4], [2, 0, 4], [3, 0, 1, 4], [4, 5]]
    ranks = [[0, 0, 1, 1], [0, 1, 1], [0, 0, 0, 1], [0, 0]] if ties else None
    return build_market(cand, req, [1, 1, 1, 1], request_ranks=ranks, seed=0)


def run(
    runs: int = 2000, seed: int = 3, workers: int = 2, model: Uncertainty = DEMAND
) -> ChanceResult:
    return estimate_chances(small_market(), model, runs=runs, seed=seed, workers=workers)  # type: ignore[arg-type]


def test_probabilities_and_intervals_lie_in_the_unit_interval_and_contain_the_estimate() -> None:
    result = run()
    low, high = result.interval()
    p = result.probability
    assert np.all((p >= 0) & (p <= 1))
    assert np.all((low <= p + 1e-12) & (p <= high + 1e-12))
    assert np.all((low >= 0) & (high <= 1))


def test_placements_equal_positions_filled_in_every_tally() -> None:
    result = run()
    assert result.placed.sum() == result.request_taken.sum() == result.entry_hits.sum()
    expected_placements = float((result.probability * result.stayed).sum())
    assert expected_placements == pytest.approx(result.request_taken.sum())


def test_a_candidate_eligible_nowhere_has_no_chance() -> None:
    assert run().probability[6] == 0.0  # candidate 6 lists nothing
    # Candidate 1 applies to both requests, but neither ranks them (e.g. a hard requirement).
    market = build_market([[0, 1], [0, 1]], [[0], [0]], [3, 3], seed=0)
    result = estimate_chances(market, DEMAND, runs=2000, seed=2)
    assert result.placed[1] == 0 and result.probability[1] == 0.0
    assert result.interval()[1][1] < 0.01


def test_a_candidate_ranked_first_everywhere_with_a_long_list_is_almost_sure() -> None:
    # Candidate 0 is ranked first (alone) by four requests with spare seats.
    cand = [[0, 1, 2, 3], [0], [1]]
    req = [[0, 1], [0, 2], [0], [0]]
    market = build_market(cand, req, [2, 2, 1, 1], seed=0)
    model = Uncertainty(request_drop=0.05)
    result = estimate_chances(market, model, runs=3000, seed=1)
    assert result.probability[0] > 0.999 - 0.001  # fails only if all four requests drop


def test_the_lottery_shares_a_full_tie_evenly() -> None:
    # Three candidates tied for one seat: each should win a third of the seasons.
    market = build_market([[0], [0], [0]], [[0, 1, 2]], [1], request_ranks=[[0, 0, 0]], seed=0)
    result = estimate_chances(market, Uncertainty(), runs=6000, seed=9)
    se = np.sqrt((1 / 3) * (2 / 3) / 6000)
    assert np.all(np.abs(result.probability - 1 / 3) < 4 * se)
    assert result.placed.sum() == 6000


def test_the_same_seed_gives_the_same_result_for_any_number_of_workers() -> None:
    one, two = run(workers=1), run(workers=2)
    for field in ("placed", "withdrawn", "entry_hits", "request_filled", "cutoff_sum"):
        assert np.array_equal(getattr(one, field), getattr(two, field)), field
    assert not np.array_equal(run(seed=4).placed, one.placed)


def test_estimates_converge_as_runs_grow() -> None:
    coarse, fine = run(runs=500, seed=11), run(runs=8000, seed=12)
    assert np.max(fine.standard_error) < np.max(coarse.standard_error) / 3
    assert np.all(np.abs(coarse.probability - fine.probability) < 4 * coarse.standard_error + 0.01)


def test_adaptive_precision_stops_early_once_every_estimate_is_precise() -> None:
    result = estimate_chances(
        small_market(), DEMAND, runs=100_000, seed=1, precision=0.02, batch=200
    )  # type: ignore[arg-type]
    assert result.runs < 100_000
    assert np.max(result.standard_error) < 0.02


def test_requests_report_fill_probability_and_expected_cutoff() -> None:
    result = run()
    assert np.all((result.fill_probability >= 0) & (result.fill_probability <= 1))
    filled = result.request_filled > 0
    assert np.all(result.expected_cutoff[filled] >= 0)
    assert np.all(np.isnan(result.expected_cutoff[~filled]))


def test_an_impossible_model_is_refused() -> None:
    with pytest.raises(ValueError, match="withdrawal"):
        Uncertainty(withdrawal=1.5)
    with pytest.raises(ValueError, match="must not exceed 1"):
        Uncertainty(request_drop=0.5, seat_gain=0.4, seat_loss=0.3)
    with pytest.raises(ValueError, match="runs"):
        estimate_chances(small_market(), DEMAND, runs=0, seed=1)  # type: ignore[arg-type]


TALLIES = ("placed", "withdrawn", "entry_hits", "request_existed", "request_filled")
TALLIES += ("cutoff_sum", "request_taken")


def simulate_plainly(market: Market, model: Uncertainty, runs: int, seed: int) -> ChanceResult:
    """The documented simulation, season by season in plain Python: the same draws (stream 1
    withdrawals, 2 demand, 3 lottery: the rank of each candidate's draw), then textbook
    deferred acceptance in which every candidate who stays proposes down their whole list."""
    n, n_r = market.n_candidates, market.n_requests
    indptr, indices = market.candidate_prefs
    values = entry_values(market)
    placed, withdrawn = np.zeros(n, np.int64), np.zeros(n, np.int64)
    hits = np.zeros(len(indices), np.int64)
    existed, filled, cutoff, taken = (np.zeros(n_r, np.int64) for _ in range(4))
    for season in range(runs):
        key = np.uint64(_stream(seed, season, 1))
        stay = [_uniform(key, c) >= model.withdrawal for c in range(n)]
        key = np.uint64(_stream(seed, season, 2))
        caps = [int(x) for x in market.capacities]
        for r in range(n_r):
            u = _uniform(key, r)
            if u < model.request_drop:
                caps[r] = 0
            elif u < model.request_drop + model.seat_gain:
                caps[r] += 1
            elif u < model.request_drop + model.seat_gain + model.seat_loss and caps[r] > 0:
                caps[r] -= 1
        lottery = np.zeros(n, np.int64)
        if market.has_ties:
            key = np.uint64(_stream(seed, season, 3))
            lottery[np.argsort([_uniform(key, c) for c in range(n)])] = np.arange(n)
        held: list[list[tuple[tuple[int, int], int, int]]] = [[] for _ in range(n_r)]
        next_entry = [int(indptr[c]) for c in range(n)]
        waiting = [c for c in range(n) if stay[c]]
        while waiting:
            c = waiting.pop()
            while next_entry[c] < indptr[c + 1]:
                k = next_entry[c]
                next_entry[c] += 1
                r = int(indices[k])
                if values[k] < 0 or caps[r] == 0:
                    continue
                held[r].append(((int(values[k]), int(lottery[c])), c, k))
                held[r].sort()
                if len(held[r]) > caps[r]:
                    out = held[r].pop()[1]
                    if out == c:
                        continue
                    waiting.append(out)
                break
        for c in range(n):
            withdrawn[c] += not stay[c]
        for r in range(n_r):
            for _, c, k in held[r]:
                placed[c] += 1
                hits[k] += 1
            taken[r] += len(held[r])
            if caps[r] > 0:
                existed[r] += 1
                if len(held[r]) == caps[r]:
                    filled[r] += 1
                    cutoff[r] += max(order[0] for order, _, _ in held[r])
    return ChanceResult(runs, seed, placed, withdrawn, hits, existed, filled, cutoff, taken)


MODELS = [
    DEMAND,
    Uncertainty(withdrawal=0.3, request_drop=0.1, seat_gain=0.3, seat_loss=0.3),
    Uncertainty(),
]


@settings(max_examples=60, deadline=None)
@given(
    markets(max_candidates=14, max_requests=5, ties=True),
    st.booleans(),
    st.sampled_from(MODELS),
    st.integers(0, 2**40),
    st.randoms(use_true_random=False),
)
def test_every_tally_equals_a_plain_season_by_season_simulation(
    spec: MarketSpec, ties: bool, model: Uncertainty, seed: int, rng: object
) -> None:
    """However few candidates the compiled loop lets propose, and however the rank numbers
    are ordered in the lists, it must count exactly what proposing everyone would."""
    ranks = spec.request_ranks if ties else None
    if ranks is not None and rng.random() < 0.5:  # type: ignore[attr-defined]
        ranks = [rng.sample(row, len(row)) for row in ranks]  # type: ignore[attr-defined]
    market = build_market(
        spec.candidate_prefs, spec.request_prefs, spec.capacities, request_ranks=ranks, seed=1
    )
    ours = estimate_chances(market, model, runs=12, seed=seed, batch=5)
    plain = simulate_plainly(market, model, runs=12, seed=seed)
    for field in TALLIES:
        assert np.array_equal(getattr(ours, field), getattr(plain, field)), field


@pytest.mark.parametrize("ties", [True, False])
def test_a_crowded_market_counts_what_proposing_everyone_would(ties: bool) -> None:
    """Many more candidates than seats, long lists, requests that broadly agree: most
    candidates are placed nowhere, which is where the compiled loop skips the most."""
    rng = np.random.default_rng(5)
    n_c, n_r, length = 300, 25, 12
    merit = rng.random(n_c)
    cand = [rng.choice(n_r, size=length, replace=False).tolist() for _ in range(n_c)]
    req = []
    for r in range(n_r):
        applicants = [c for c in range(n_c) if r in cand[c]]
        req.append(sorted(applicants, key=lambda c: merit[c] + 0.2 * rng.random()))
    ranks = [[j // 3 for j in range(len(row))] for row in req] if ties else None
    caps = rng.integers(0, 5, size=n_r)
    market = build_market(cand, req, caps, request_ranks=ranks, seed=0)
    model = Uncertainty(withdrawal=0.1, request_drop=0.05, seat_gain=0.2, seat_loss=0.2)
    ours = estimate_chances(market, model, runs=40, seed=8, workers=2, batch=7)
    plain = simulate_plainly(market, model, runs=40, seed=8)
    assert 0 < ours.placed.sum() < 40 * n_c / 3
    for field in TALLIES:
        assert np.array_equal(getattr(ours, field), getattr(plain, field)), field


def test_the_32_bit_copies_give_the_tallies_of_the_64_bit_lists() -> None:
    # estimate_chances hands the kernel int32 copies; the int64 lists must count the same.
    from altmatch.engine import chances as engine_chances

    narrowed = run(runs=500, seed=8)
    original = engine_chances._narrow
    try:
        engine_chances._narrow = lambda *arrays: arrays  # type: ignore[assignment]
        wide = run(runs=500, seed=8)
    finally:
        engine_chances._narrow = original
    for field in ("placed", "withdrawn", "entry_hits", "request_filled", "cutoff_sum"):
        assert np.array_equal(getattr(narrowed, field), getattr(wide, field)), field


def test_lists_too_wide_for_32_bits_stay_as_they_are() -> None:
    from altmatch.engine.chances import _narrow

    small = np.array([0, 5, 2**31 - 1], dtype=np.int64)
    assert all(a.dtype == np.int32 for a in _narrow(small, np.zeros(0, dtype=np.int64)))
    wide = np.array([2**31], dtype=np.int64)
    kept = _narrow(small, wide)
    assert kept[0] is small and kept[1] is wide
