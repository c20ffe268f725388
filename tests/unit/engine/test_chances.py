"""Monte Carlo chances: sane, reproducible, convergent, and right where the answer is known."""

from __future__ import annotations

import numpy as np
import pytest

from altmatch.engine import build_market
from altmatch.engine.chances import ChanceResult, Uncertainty, estimate_chances

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
