"""Benchmark: roster assignment (`assign_roster`, sparse) against SciPy's dense solver.

Run: `.venv/bin/python benchmarks/bench_assignment.py [--quick] [--dense-limit SECONDS]`

Square rosters of n ALTs and n positions; each ALT may take 20 random positions at a random
commute of 5-120 minutes (whole minutes, so totals compare exactly). `assign_roster` gets the
CSR lists; `scipy.optimize.linear_sum_assignment` gets the dense n x n matrix with forbidden
pairs at a cost above any real total. The table shows both times and whether the number of
filled positions and the total cost are identical. The dense solver is skipped once its
previous time, scaled by n^3, predicts more than the limit (60 s by default).

A second table uses geography instead: ALTs and schools scattered around town centres (one
city, or 40 towns across a region), each pair allowed when the estimated commute is at most 90
minutes (the rulebook's model: road distance 1.3 x the straight line, 35 km/h by car for the 30%
who drive, 20 km/h otherwise, plus 10 minutes), costing its minutes. In one city most pairs are
allowed, which is where a purely sparse solver struggles; the engine solves each connected block
with whichever of SciPy's solvers suits its density.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from scipy.optimize import linear_sum_assignment

from altmatch.engine import assign_roster

CANDIDATES = 20
FORBIDDEN = 1e9


def instance(n: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """indptr, indices, costs: 20 distinct positions per ALT, 5-120 minutes each."""
    rng = np.random.default_rng(seed)
    indices = np.argsort(rng.random((n, n)), axis=1)[:, :CANDIDATES].ravel()
    indptr = np.arange(0, n * CANDIDATES + 1, CANDIDATES)
    costs = rng.integers(5, 121, indices.size).astype(np.float64)
    return indptr, indices, costs


def dense(n: int, indices: np.ndarray, costs: np.ndarray) -> tuple[float, int, float]:
    """Seconds (matrix build included), filled positions and total cost from the dense solver."""
    start = time.perf_counter()
    matrix = np.full((n, n), FORBIDDEN)
    matrix[np.repeat(np.arange(n), CANDIDATES), indices] = costs
    rows, cols = linear_sum_assignment(matrix)
    seconds = time.perf_counter() - start
    chosen = matrix[rows, cols]
    real = chosen < FORBIDDEN
    return seconds, int(real.sum()), float(chosen[real].sum())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="only n = 500 and 1,000")
    parser.add_argument("--dense-limit", type=float, default=60.0, help="skip dense past this")
    args = parser.parse_args()
    sizes = [500, 1_000] if args.quick else [500, 1_000, 2_000, 5_000]

    print(f"\n## assign_roster vs dense linear_sum_assignment, {CANDIDATES} candidates per ALT")
    print("| ALTs × positions | filled | total minutes | assign_roster | dense LSA | identical |")
    print("|---:|---:|---:|---:|---:|:--|")
    last: tuple[int, float] | None = None
    for n in sizes:
        indptr, indices, costs = instance(n, seed=n)
        assign_roster(n, n, (indptr, indices), costs)  # warm caches; timed run below
        start = time.perf_counter()
        result = assign_roster(n, n, (indptr, indices), costs)
        sparse_s = time.perf_counter() - start
        filled = int((result.position_of_alt >= 0).sum())

        predicted = last[1] * (n / last[0]) ** 3 if last else 0.0
        if predicted <= args.dense_limit:
            dense_s, dense_filled, dense_total = dense(n, indices, costs)
            last = (n, dense_s)
            same = "yes" if (dense_filled, dense_total) == (filled, result.total_cost) else "NO"
            dense_cell = f"{dense_s:.3f} s"
        else:
            dense_cell, same = f"skipped (~{predicted:.0f} s predicted)", "—"
        print(
            f"| {n:,} × {n:,} | {filled:,} | {result.total_cost:,.0f} | {sparse_s:.3f} s "
            f"| {dense_cell} | {same} |"
        )
    geographic_table(args.quick)


def geographic(n: int, towns: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """indptr, indices, costs: pairs within a 90-minute estimated commute, costed in minutes."""
    rng = np.random.default_rng(seed)
    centres = rng.uniform(0, 40 * towns, (towns, 2))

    def scatter() -> np.ndarray:
        return centres[rng.integers(0, towns, n)] + rng.normal(0, 15, (n, 2))

    alts, schools = scatter(), scatter()
    speed = np.where(rng.random(n) < 0.3, 35.0, 20.0)
    indptr, indices, costs = [0], [], []
    for i in range(n):
        km = np.hypot(alts[i, 0] - schools[:, 0], alts[i, 1] - schools[:, 1])
        minutes = np.round(km * 1.3 / speed[i] * 60 + 10)
        ok = np.flatnonzero(minutes <= 90)
        indices.append(ok)
        costs.append(minutes[ok])
        indptr.append(indptr[-1] + ok.size)
    return np.array(indptr), np.concatenate(indices), np.concatenate(costs)


def dense_geographic(
    n: int, indptr: np.ndarray, indices: np.ndarray, costs: np.ndarray
) -> tuple[float, int, float]:
    start = time.perf_counter()
    matrix = np.full((n, n), FORBIDDEN)
    matrix[np.repeat(np.arange(n), np.diff(indptr)), indices] = costs
    rows, cols = linear_sum_assignment(matrix)
    seconds = time.perf_counter() - start
    chosen = matrix[rows, cols]
    real = chosen < FORBIDDEN
    return seconds, int(real.sum()), float(chosen[real].sum())


def geographic_table(quick: bool) -> None:
    cases = [(1_000, 1), (2_000, 1)] if quick else [(1_000, 1), (2_000, 1), (3_000, 1), (5_000, 40)]
    print("\n## Geographic rosters: pairs within a 90-minute commute")
    print(
        "| ALTs × positions | towns | pairs allowed | filled | assign_roster | dense LSA "
        "| identical |"
    )
    print("|---:|---:|---:|---:|---:|---:|:--|")
    for n, towns in cases:
        indptr, indices, costs = geographic(n, towns, seed=n + towns)
        start = time.perf_counter()
        result = assign_roster(n, n, (indptr, indices), costs)
        seconds = time.perf_counter() - start
        filled = int((result.position_of_alt >= 0).sum())
        dense_s, dense_filled, dense_total = dense_geographic(n, indptr, indices, costs)
        same = "yes" if (dense_filled, dense_total) == (filled, result.total_cost) else "NO"
        print(
            f"| {n:,} × {n:,} | {towns} | {indices.size / n / n:.0%} | {filled:,} "
            f"| {seconds:.3f} s | {dense_s:.3f} s | {same} |"
        )


if __name__ == "__main__":
    main()
