"""Chances: how often each candidate is placed across many simulated seasons, and where.

A season's outcome depends on luck the candidate cannot see: the tie-breaking lottery, how many
positions each Board of Education ends up requesting, and who else withdraws. Monte Carlo makes
that luck visible: simulate many seasons under a stated uncertainty model, run the same
deferred acceptance in each, and count. Estimates carry Wilson score intervals (Wilson, 1927);
adaptive precision stops once every candidate's standard error is below the target.

A simulated season lets only the candidates who could be placed propose (see
`_chance_kernels._match_season`): its cost follows the seats, not the length of every list.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TypeVar

import numba
import numpy as np
from numpy.typing import NDArray

from altmatch.engine._chance_kernels import mutual_lists, simulate_batch
from altmatch.engine._kernels import deferred_acceptance
from altmatch.engine.market import Market
from altmatch.engine.prefs import IntArray

FloatArray = NDArray[np.float64]
_Array = TypeVar("_Array", IntArray, FloatArray)
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
    """Tallies over `runs` simulated seasons; probabilities are derived, never stored.

    Derived arrays are computed once and read-only: callers index them candidate by candidate,
    which recomputing the whole array on every read made quadratic."""

    runs: int
    seed: int
    placed: IntArray  # per candidate: seasons placed
    withdrawn: IntArray  # per candidate: seasons the candidate withdrew
    entry_hits: IntArray  # per candidate-list entry (CSR order): seasons placed there
    request_existed: IntArray  # per request: seasons with at least one seat
    request_filled: IntArray  # per request: seasons with every seat taken
    cutoff_sum: IntArray  # per request: sum of cut-off values over filled seasons
    request_taken: IntArray  # per request: seats taken, summed over seasons

    @cached_property
    def stayed(self) -> IntArray:
        """Seasons in which each candidate stayed in (the denominator of their chance)."""
        return _frozen(self.runs - self.withdrawn)

    @cached_property
    def probability(self) -> FloatArray:
        """P(placed | the candidate stays in): the question a candidate actually asks."""
        return _frozen(
            np.divide(
                self.placed, self.stayed, out=np.zeros(len(self.placed)), where=self.stayed > 0
            )
        )

    @cached_property
    def standard_error(self) -> FloatArray:
        """Agresti–Coull style (never zero at p = 0 or 1, so precision stopping stays honest)."""
        n = self.stayed + 4.0
        p = (self.placed + 2.0) / n
        return _frozen(np.sqrt(p * (1.0 - p) / n))

    def interval(self, z: float = Z95) -> tuple[FloatArray, FloatArray]:
        """Wilson score interval for each candidate's chance."""
        n = np.maximum(self.stayed, 1).astype(np.float64)
        p = self.placed / n
        denom = 1.0 + z * z / n
        centre = (p + z * z / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
        return np.clip(centre - half, 0.0, 1.0), np.clip(centre + half, 0.0, 1.0)

    @cached_property
    def fill_probability(self) -> FloatArray:
        existed = self.request_existed
        return _frozen(
            np.divide(self.request_filled, existed, out=np.zeros(len(existed)), where=existed > 0)
        )

    @cached_property
    def expected_cutoff(self) -> FloatArray:
        """Mean cut-off value over the seasons a request filled (NaN when it never filled)."""
        out = np.full(len(self.cutoff_sum), np.nan)
        np.divide(self.cutoff_sum, self.request_filled, out=out, where=self.request_filled > 0)
        return _frozen(out)


def _frozen(array: _Array) -> _Array:
    array.flags.writeable = False
    return array


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
    n_c, n_r = market.n_candidates, market.n_requests
    r_indptr, r_candidates, r_values = mutual_lists(indptr, indices, *_lists_by_value(market))
    first_in, first_reach = _first_in(market, r_indptr, r_candidates, r_values)
    # The seasons read these per proposal: as 32-bit copies, half the memory to stream.
    narrow = _narrow(indices, values, r_candidates, r_values)
    # One row of tallies per worker, added to batch after batch and summed at the end.
    tallies = [
        np.zeros((workers, n), dtype=np.int64) for n in (n_c, n_c, len(indices), n_r, n_r, n_r, n_r)
    ]
    done = 0
    while done < runs:
        size = min(batch, runs - done)
        simulate_batch(
            seed,
            done,
            size,
            indptr,
            narrow[0],
            narrow[1],
            r_indptr,
            narrow[2],
            narrow[3],
            first_in,
            first_reach,
            market.has_ties,
            market.capacities,
            uncertainty.withdrawal,
            uncertainty.request_drop,
            uncertainty.seat_gain,
            uncertainty.seat_loss,
            *tallies,
        )
        done += size
        if progress is not None:
            progress(done, runs)
        if precision is not None and _precise_enough(
            tallies[0].sum(axis=0), tallies[1].sum(axis=0), done, precision
        ):
            break
    placed, withdrawn, hits, existed, filled, cutoff_sum, taken = (t.sum(axis=0) for t in tallies)
    return ChanceResult(done, seed, placed, withdrawn, hits, existed, filled, cutoff_sum, taken)


def _narrow(*arrays: IntArray) -> tuple[NDArray[np.int32] | IntArray, ...]:
    """The arrays as int32 when every value of all of them fits, else unchanged (one dtype for
    all, so the kernel is compiled, and warmed, for just the two combinations)."""
    info = np.iinfo(np.int32)
    fits = all(not len(a) or (info.min <= a.min() and a.max() <= info.max) for a in arrays)
    return tuple(a.astype(np.int32) for a in arrays) if fits else arrays


def _lists_by_value(market: Market) -> tuple[IntArray, IntArray, IntArray]:
    """Each request's list sorted by value (best first), with the values: already so unless
    rank numbers were given out of order."""
    indptr, candidates = market.request_prefs
    values = market.request_values
    rows = np.repeat(np.arange(market.n_requests, dtype=np.int64), np.diff(indptr))
    if np.all((values[1:] >= values[:-1]) | (rows[1:] != rows[:-1])):
        return indptr, candidates, values
    order = np.lexsort((values, rows))
    return indptr, candidates[order], values[order]


def _first_in(
    market: Market, r_indptr: IntArray, r_candidates: IntArray, r_values: IntArray
) -> tuple[IntArray, IntArray]:
    """Whom each request first lets in to propose in a simulated season: its list down to the
    threshold it ends with in the market as given (every seat, nobody withdrawn), so most
    seasons need few more rounds (see `_chance_kernels._match_season`; any choice gives the
    same result, a good one fewer proposals). Returns the candidates (each once) and, per
    request, the end of its let-in head in `r_candidates`."""
    n = max(market.n_candidates, 1)
    everyone = np.ones(market.n_candidates, dtype=np.bool_)
    indptr, indices = market.candidate_prefs
    assignment, position, _ = deferred_acceptance(
        indptr, indices, market.keys, market.capacities, everyone
    )
    placed = np.flatnonzero(assignment >= 0)
    held = np.bincount(assignment[placed], minlength=market.n_requests)
    worst = np.full(market.n_requests, -1, dtype=np.int64)
    np.maximum.at(worst, assignment[placed], market.keys[indptr[placed] + position[placed]] // n)
    last = np.where(held >= market.capacities, worst, np.iinfo(np.int64).max)
    rows = np.repeat(np.arange(market.n_requests, dtype=np.int64), np.diff(r_indptr))
    head = r_values <= last[rows]
    reach = r_indptr[:-1] + np.bincount(rows[head], minlength=market.n_requests)
    return np.flatnonzero(np.bincount(r_candidates[head], minlength=n) > 0), reach


def _precise_enough(placed: IntArray, withdrawn: IntArray, runs: int, precision: float) -> bool:
    n = runs - withdrawn + 4.0
    p = (placed + 2.0) / n
    return bool(np.all(np.sqrt(p * (1 - p) / n) < precision))


def runs_for_precision(precision: float) -> int:
    """Worst-case seasons needed for a standard error below `precision` (p = 1/2)."""
    return math.ceil(0.25 / (precision * precision))
