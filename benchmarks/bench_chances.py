"""Benchmark: Monte Carlo chances against a plain loop that calls the engine once per season.

Run: `.venv/bin/python benchmarks/bench_chances.py [--quick] [--command N]`

Two markets. A random JET-sized one: 6,000 candidates, 1,000 requests, 10-entry candidate
lists, requests ranking applicants with ties (three to a rank). And the demo season `altmatch
demo` writes, as `altmatch chances` sees it (6,000 candidates and about 1.7 million list
entries: most candidates also accept anywhere, after the requests they named). Both sides
simulate the same uncertainty model (the rulebook's: withdrawals, demand changes, a fresh
lottery per season). The plain loop is what a user would write with the public API: draw the
season in NumPy, call `stable_match`, tally. The tables show seasons per second, the speed-up,
scaling in runs and in worker threads, and early stopping at a target precision. Times are
wall-clock; the machine's other load shows in them.

`--command N` instead times what a user waits for: the whole `altmatch chances --runs 1000` on
the demo season (imports, reading the files, deriving the lists, the seasons, every output file
and chart), N times in fresh processes, with the median wall time and peak RSS.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from bench_match import random_instance
from numpy.typing import NDArray

from altmatch.engine import Market, build_market, stable_match
from altmatch.engine.chances import Uncertainty, estimate_chances

IntArray = NDArray[np.int64]
MODEL = Uncertainty(withdrawal=0.05, request_drop=0.02, seat_gain=0.10, seat_loss=0.10)


@dataclass(frozen=True)
class Lists:
    cand: tuple[IntArray, IntArray]
    req: tuple[IntArray, IntArray]
    ranks: IntArray  # per request-list entry, equal numbers tie
    capacities: IntArray

    def market(self, seed: int) -> Market:
        return build_market(
            self.cand,
            self.req,
            self.capacities,
            request_ranks=(self.req[0], self.ranks),
            seed=seed,
        )


def random_lists() -> Lists:
    inst = random_instance(6_000, 1_000, 10, seed=11)
    positions = np.arange(len(inst.req_indices)) - np.repeat(
        inst.req_indptr[:-1], np.diff(inst.req_indptr)
    )
    return Lists(
        (inst.cand_indptr, inst.cand_indices),
        (inst.req_indptr, inst.req_indices),
        positions // 3,
        inst.capacities,
    )


def demo_lists() -> tuple[Lists, Uncertainty]:
    """The demo season's lists, derived as `altmatch chances` derives them, and the rulebook's
    uncertainty model."""
    from altmatch.demo.season import generate_demo, write_demo_season
    from altmatch.io.season_files import load_season_files
    from altmatch.services.season.chances import default_uncertainty
    from altmatch.services.season.placement_index import IndexedSeason

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "season"
        write_demo_season(generate_demo(), folder)
        indexed = IndexedSeason.of(load_season_files(folder))
    lists = indexed.lists
    caps = np.array([r.capacity for r in indexed.season.requests], dtype=np.int64)
    return (
        Lists(lists.candidate_prefs, lists.request_prefs, lists.request_ranks, caps),
        default_uncertainty(),
    )


def plain_loop(lists: Lists, model: Uncertainty, runs: int, seed: int) -> float:
    """Seconds for `runs` seasons, one `stable_match` call each; the draws made with NumPy."""
    rng = np.random.default_rng(seed)
    indptr, indices = lists.cand
    n_c = len(indptr) - 1
    placed = np.zeros(n_c, dtype=np.int64)
    start = time.perf_counter()
    for _ in range(runs):
        stay = rng.random(n_c) >= model.withdrawal
        caps = lists.capacities.copy()
        u = rng.random(len(caps))
        drop, gain = model.request_drop, model.request_drop + model.seat_gain
        caps[u < drop] = 0
        caps[(u >= drop) & (u < gain)] += 1
        loss = (u >= gain) & (u < gain + model.seat_loss)
        caps[loss] = np.maximum(caps[loss] - 1, 0)
        lengths = np.diff(indptr) * stay  # a withdrawn candidate applies nowhere
        season_indptr = np.concatenate([[0], np.cumsum(lengths)])
        keep = np.repeat(stay, np.diff(indptr))
        result = stable_match(
            (season_indptr, indices[keep]),
            lists.req,
            caps,
            request_ranks=(lists.req[0], lists.ranks),
            seed=int(rng.integers(2**62)),
        )
        placed += result.assignment >= 0
    return time.perf_counter() - start


def vectorised(
    lists: Lists,
    model: Uncertainty,
    runs: int,
    seed: int,
    workers: int,
    precision: float | None = None,
) -> tuple[int, float]:
    """(seasons simulated, seconds), building the market included, as `altmatch chances`."""
    start = time.perf_counter()
    result = estimate_chances(
        lists.market(seed), model, runs=runs, seed=seed, workers=workers, precision=precision
    )
    return result.runs, time.perf_counter() - start


def table(
    title: str,
    lists: Lists,
    model: Uncertainty,
    loop_runs: int,
    run_counts: list[int],
    precision: float,
) -> None:
    loop_s = plain_loop(lists, model, loop_runs, seed=1)
    loop_rate = loop_runs / loop_s
    n_c, n_r, entries = len(lists.cand[0]) - 1, len(lists.capacities), len(lists.cand[1])
    print(f"\n## {title}: {n_c:,} candidates, {n_r:,} requests, {entries:,} list entries")
    print(f"{'method':<40} {'workers':>7} {'runs':>6} {'seconds':>8} {'runs/s':>9} {'speed-up':>9}")
    print(
        f"{'plain loop over stable_match':<40} {1:>7} {loop_runs:>6} {loop_s:>8.2f} "
        f"{loop_rate:>9.1f} {'1x':>9}"
    )
    rows = [("altmatch estimate_chances", w, n, None) for w in (1, 2) for n in run_counts]
    stopping = f"  stopping at precision {precision}"
    rows += [(stopping, w, max(run_counts), precision) for w in (1, 2)]
    for label, workers, runs, stop in rows:
        done, seconds = vectorised(lists, model, runs, seed=1, workers=workers, precision=stop)
        rate = done / seconds
        print(
            f"{label:<40} {workers:>7} {done:>6} {seconds:>8.2f} {rate:>9.1f} "
            f"{rate / loop_rate:>8.0f}x"
        )


def command_table(repeats: int) -> None:
    """Median wall time and peak RSS of `altmatch chances --runs 1000` on the demo season, each
    run a fresh process (a warm Numba cache assumed: `make install` warms it)."""
    from altmatch.demo.season import generate_demo, write_demo_season

    walls, peaks = [], []
    with tempfile.TemporaryDirectory() as tmp:
        season = Path(tmp) / "season"
        write_demo_season(generate_demo(), season)
        for i in range(repeats):
            args = ["chances", "--season", str(season), "--runs", "1000", "--out", f"{tmp}/{i}"]
            start = time.perf_counter()
            child = subprocess.Popen(
                [sys.executable, "-m", "altmatch", *args], stdout=subprocess.DEVNULL
            )
            _, status, usage = os.wait4(child.pid, 0)
            walls.append(time.perf_counter() - start)
            child.returncode = os.waitstatus_to_exitcode(status)
            if child.returncode:
                raise SystemExit(f"altmatch chances failed ({child.returncode})")
            peaks.append(usage.ru_maxrss / 1024)  # KiB on Linux
    print("\n## altmatch chances --runs 1000 on the demo season, whole command")
    print(f"runs {repeats}, wall s: " + ", ".join(f"{w:.2f}" for w in walls))
    wall, peak = statistics.median(walls), statistics.median(peaks)
    load = os.getloadavg()[0]
    print(f"median wall {wall:.2f} s, median peak RSS {peak:.0f} MiB; load average {load:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small run counts only")
    parser.add_argument(
        "--command", type=int, metavar="N", help="time the whole command N times, nothing else"
    )
    args = parser.parse_args()
    if args.command:
        command_table(args.command)
        return
    synthetic = random_lists()
    warm = time.perf_counter()
    vectorised(synthetic, MODEL, 2, seed=0, workers=2)
    print(f"Numba warm-up (compile or load cache): {time.perf_counter() - warm:.2f} s")
    table(
        "Random market, 10-entry lists, ties",
        synthetic,
        MODEL,
        20 if args.quick else 100,
        [100, 500] if args.quick else [250, 500, 1_000, 2_000],
        0.01,
    )
    demo, model = demo_lists()
    table(
        "The demo season (altmatch demo)",
        demo,
        model,
        5 if args.quick else 30,
        [100] if args.quick else [250, 1_000],
        0.02,
    )


if __name__ == "__main__":
    main()
