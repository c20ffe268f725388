"""Benchmark: Monte Carlo chances against a plain loop that calls the engine once per season.

Run: `.venv/bin/python benchmarks/bench_chances.py [--quick]`

The market is JET-sized: 6,000 candidates, 1,000 requests, 10-entry candidate lists, requests
ranking applicants with ties (three to a rank). Both sides simulate the same uncertainty model
(withdrawals, demand changes, a fresh lottery per season). The plain loop is what a user would
write with the public API: draw the season in NumPy, call `stable_match`, tally. The table
shows seasons per second, the speed-up, and scaling in runs and in worker threads.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from bench_match import Instance, random_instance

from altmatch.engine import build_market, stable_match
from altmatch.engine.chances import Uncertainty, estimate_chances

MODEL = Uncertainty(withdrawal=0.05, request_drop=0.02, seat_gain=0.10, seat_loss=0.10)


def tie_ranks(inst: Instance) -> np.ndarray:
    positions = np.arange(len(inst.req_indices)) - np.repeat(
        inst.req_indptr[:-1], np.diff(inst.req_indptr)
    )
    return positions // 3


def plain_loop(inst: Instance, runs: int, seed: int) -> tuple[np.ndarray, float]:
    """One `stable_match` call per season; the season's draws made with NumPy."""
    rng = np.random.default_rng(seed)
    ranks = tie_ranks(inst)
    n_c = len(inst.cand_indptr) - 1
    placed = np.zeros(n_c, dtype=np.int64)
    start = time.perf_counter()
    for _ in range(runs):
        stay = rng.random(n_c) >= MODEL.withdrawal
        caps = inst.capacities.copy()
        u = rng.random(len(caps))
        caps[u < MODEL.request_drop] = 0
        gain = (u >= MODEL.request_drop) & (u < MODEL.request_drop + MODEL.seat_gain)
        caps[gain] += 1
        loss = (u >= MODEL.request_drop + MODEL.seat_gain) & (
            u < MODEL.request_drop + MODEL.seat_gain + MODEL.seat_loss
        )
        caps[loss] = np.maximum(caps[loss] - 1, 0)
        lengths = np.diff(inst.cand_indptr) * stay  # a withdrawn candidate applies nowhere
        indptr = np.concatenate([[0], np.cumsum(lengths)])
        keep = np.repeat(stay, np.diff(inst.cand_indptr))
        result = stable_match(
            (indptr, inst.cand_indices[keep]),
            (inst.req_indptr, inst.req_indices),
            caps,
            request_ranks=(inst.req_indptr, ranks),
            seed=int(rng.integers(2**62)),
        )
        placed += result.assignment >= 0
    return placed, time.perf_counter() - start


def vectorised(inst: Instance, runs: int, seed: int, workers: int) -> tuple[np.ndarray, float]:
    start = time.perf_counter()
    market = build_market(
        (inst.cand_indptr, inst.cand_indices),
        (inst.req_indptr, inst.req_indices),
        inst.capacities,
        request_ranks=(inst.req_indptr, tie_ranks(inst)),
        seed=seed,
    )
    result = estimate_chances(market, MODEL, runs=runs, seed=seed, workers=workers, batch=runs)
    return result.placed, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small run counts only")
    args = parser.parse_args()
    inst = random_instance(6_000, 1_000, 10, seed=11)
    warm = time.perf_counter()
    vectorised(inst, 2, seed=0, workers=2)
    print(f"Numba warm-up (compile or load cache): {time.perf_counter() - warm:.2f} s")
    loop_runs = 20 if args.quick else 100
    _, loop_s = plain_loop(inst, loop_runs, seed=1)
    loop_rate = loop_runs / loop_s
    print("\n## 6,000 candidates x 1,000 requests, 10-entry lists, ties")
    print(f"{'method':<34} {'workers':>7} {'runs':>6} {'seconds':>8} {'runs/s':>9} {'speed-up':>9}")
    print(
        f"{'plain loop over stable_match':<34} {1:>7} {loop_runs:>6} {loop_s:>8.2f} "
        f"{loop_rate:>9.1f} {'1x':>9}"
    )
    run_counts = [100, 500] if args.quick else [250, 500, 1_000, 2_000]
    for workers in (1, 2):
        for runs in run_counts:
            _, seconds = vectorised(inst, runs, seed=1, workers=workers)
            rate = runs / seconds
            print(
                f"{'altmatch estimate_chances':<34} {workers:>7} {runs:>6} {seconds:>8.2f} "
                f"{rate:>9.1f} {rate / loop_rate:>8.1f}x"
            )


if __name__ == "__main__":
    main()
