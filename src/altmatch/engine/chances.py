"""Chances: how often each candidate is placed across many simulated seasons, and where.

A season's outcome depends on luck the candidate cannot see: the tie-breaking lottery, how many
positions each Board of Education ends up requesting, and who else withdraws. Monte Carlo makes
that luck visible: simulate many seasons under a stated uncertainty model, run the same
deferred acceptance in each, and count. Estimates carry Wilson score intervals (Wilson, 1927);
adaptive precision stops once every candidate's standard error is below the target.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numba
import numpy as np
from numpy.typing import NDArray

from altmatch.engine._chance_kernels import simulate_batch
from altmatch.engine.market import Market
from altmatch.engine.prefs import IntArray

FloatArray = NDArray[np.float64]
Z95 = 1.959963984540054


@dataclass(frozen=True)
class Uncertainty:
    """What varies between simulated seasons (probabilities, each in [0, 1]).

    `withdrawal`: each candidate withdraws before the match. For each request, one draw decides:
    `request_drop` it disappears; else `seat_gain` one more seat (a request listed with 0 seats
    can so appear); else `seat_loss` one seat fewer.
    """

    withdrawal: float = 0.0
    request_drop: float = 0.0
    seat_gain: float = 0.0
    seat_loss: float = 0.0

    def __post_init__(self) -> None:
        for name in ("withdrawal", "request_drop", "seat_gain", "seat_loss"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name}: probability {value} is outside [0, 1]")
        if self.request_drop + self.seat_gain + self.seat_loss > 1.0:
            raise ValueError("request_drop + seat_gain + seat_loss must not exceed 1")


@dataclass(frozen=True)
class ChanceResult:
    """Tallies over `runs` simulated seasons; probabilities are derived, never stored."""

    runs: int
    seed: int
    placed: IntArray  # per candidate: seasons placed
    withdrawn: IntArray  # per candidate: seasons the candidate withdrew
    entry_hits: IntArray  # per candidate-list entry (CSR order): seasons placed there
    request_existed: IntArray  # per request: seasons with at least one seat
    request_filled: IntArray  # per request: seasons with every seat taken
    cutoff_sum: IntArray  # per request: sum of cut-off values over filled seasons
    request_taken: IntArray  # per request: seats taken, summed over seasons

    @property
    def stayed(self) -> IntArray:
        """Seasons in which each candidate stayed in (the denominator of their chance)."""
        return self.runs - self.withdrawn

    @property
    def probability(self) -> FloatArray:
        """P(placed | the candidate stays in): the question a candidate actually asks."""
        return np.divide(
            self.placed, self.stayed, out=np.zeros(len(self.placed)), where=self.stayed > 0
        )

    @property
    def standard_error(self) -> FloatArray:
        """Agresti–Coull style (never zero at p = 0 or 1, so precision stopping stays honest)."""
        n = self.stayed + 4.0
        p = (self.placed + 2.0) / n
        return np.sqrt(p * (1.0 - p) / n)

    def interval(self, z: float = Z95) -> tuple[FloatArray, FloatArray]:
        """Wilson score interval for each candidate's chance."""
        n = np.maximum(self.stayed, 1).astype(np.float64)
        p = self.placed / n
        denom = 1.0 + z * z / n
        centre = (p + z * z / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
        return np.clip(centre - half, 0.0, 1.0), np.clip(centre + half, 0.0, 1.0)

    @property
    def fill_probability(self) -> FloatArray:
        existed = self.request_existed
        return np.divide(
            self.request_filled, existed, out=np.zeros(len(existed)), where=existed > 0
        )

    @property
    def expected_cutoff(self) -> FloatArray:
        """Mean cut-off value over the seasons a request filled (NaN when it never filled)."""
        out = np.full(len(self.cutoff_sum), np.nan)
        np.divide(self.cutoff_sum, self.request_filled, out=out, where=self.request_filled > 0)
        return out


def entry_values(market: Market) -> IntArray:
    """Each candidate-list entry's value at its request (position or rank), -1 if unranked."""
    n = max(market.n_candidates, 1)
    return np.where(market.keys >= 0, market.keys // n, -1).astype(np.int64)


def estimate_chances(
    market: Market,
    uncertainty: Uncertainty,
    *,
    runs: int,
    seed: int,
    precision: float | None = None,
    workers: int = 2,
    batch: int = 100,
    progress: Callable[[int, int], None] | None = None,
) -> ChanceResult:
    """Simulate up to `runs` seasons (in batches), stopping early once every candidate's
    standard error is below `precision`. Same seed → same result, whatever `workers` is."""
    if runs < 1:
        raise ValueError(f"runs: must be at least 1, got {runs}")
    if precision is not None and not 0 < precision < 1:
        raise ValueError(f"precision: must be in (0, 1), got {precision}")
    workers = max(1, min(workers, numba.config.NUMBA_NUM_THREADS))  # type: ignore[attr-defined]
    numba.set_num_threads(workers)
    values = entry_values(market)
    indptr, indices = market.candidate_prefs
    totals: list[IntArray] | None = None
    done = 0
    while done < runs:
        size = min(batch, runs - done)
        parts = simulate_batch(
            seed,
            done,
            size,
            workers,
            indptr,
            indices,
            values,
            market.has_ties,
            market.capacities,
            uncertainty.withdrawal,
            uncertainty.request_drop,
            uncertainty.seat_gain,
            uncertainty.seat_loss,
        )
        sums = [part.sum(axis=0) for part in parts]
        totals = sums if totals is None else [t + s for t, s in zip(totals, sums, strict=True)]
        done += size
        if progress is not None:
            progress(done, runs)
        if precision is not None and _precise_enough(totals, done, precision):
            break
    assert totals is not None
    placed, withdrawn, hits, existed, filled, cutoff_sum, taken = totals
    return ChanceResult(done, seed, placed, withdrawn, hits, existed, filled, cutoff_sum, taken)


def _precise_enough(totals: list[IntArray], runs: int, precision: float) -> bool:
    placed, withdrawn = totals[0], totals[1]
    n = runs - withdrawn + 4.0
    p = (placed + 2.0) / n
    return bool(np.all(np.sqrt(p * (1 - p) / n) < precision))


def runs_for_precision(precision: float) -> int:
    """Worst-case seasons needed for a standard error below `precision` (p = 1/2)."""
    return math.ceil(0.25 / (precision * precision))
