"""Benchmark: altmatch's stable_match against the `matching` library, then at JET-and-beyond scale.

Run: `.venv/bin/python benchmarks/bench_match.py [--quick]`

Part 1 builds random markets of growing size (10-entry candidate lists; each request ranks
everyone who applied to it), solves each with `matching`'s HospitalResident (resident-optimal)
and with altmatch, checks that the two matchings are identical, and prints both times.
Part 2 times altmatch alone from CSR arrays on markets too large for `matching`, with the
breakdown: validation and tie-break keys (`build_market`) and deferred acceptance (`solve`).
Numba compiles once per machine (cached on disk); that one-off cost is printed separately.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
import tracemalloc
import warnings
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from altmatch.engine import build_market, solve, stable_match

IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class Instance:
    cand_indptr: IntArray
    cand_indices: IntArray
    req_indptr: IntArray
    req_indices: IntArray
    capacities: IntArray


def random_instance(n_candidates: int, n_requests: int, list_length: int, seed: int) -> Instance:
    """Candidates list `list_length` distinct random requests; requests rank their applicants by
    a shared merit score plus request-specific noise (as BoEs broadly agree on strong candidates);
    seats total about 80% of candidates."""
    rng = np.random.default_rng(seed)
    k = min(list_length, n_requests)
    choices = rng.integers(0, n_requests, size=(n_candidates, k))
    while True:
        ordered = np.sort(choices, axis=1)
        bad = np.flatnonzero(np.any(ordered[:, 1:] == ordered[:, :-1], axis=1))
        if len(bad) == 0:
            break
        choices[bad] = rng.integers(0, n_requests, size=(len(bad), k))
    cand_indices = choices.reshape(-1).astype(np.int64)
    cand_indptr = np.arange(0, n_candidates * k + 1, k, dtype=np.int64)
    owner = np.repeat(np.arange(n_candidates, dtype=np.int64), k)
    merit = rng.random(n_candidates)
    score = merit[owner] + 0.3 * rng.random(len(owner))
    order = np.lexsort((score, cand_indices))
    req_indices = owner[order]
    counts = np.bincount(cand_indices, minlength=n_requests)
    req_indptr = np.zeros(n_requests + 1, dtype=np.int64)
    np.cumsum(counts, out=req_indptr[1:])
    mean_cap = max(1.0, 0.8 * n_candidates / n_requests)
    capacities = rng.integers(1, int(2 * mean_cap) + 1, size=n_requests).astype(np.int64)
    return Instance(cand_indptr, cand_indices, req_indptr, req_indices, capacities)


def as_lists(indptr: IntArray, indices: IntArray) -> list[list[int]]:
    return [indices[indptr[i] : indptr[i + 1]].tolist() for i in range(len(indptr) - 1)]


def solve_with_matching_library(inst: Instance) -> tuple[list[int], float]:
    from matching.games import HospitalResident

    cand = as_lists(inst.cand_indptr, inst.cand_indices)
    req = as_lists(inst.req_indptr, inst.req_indices)
    residents = {c: prefs for c, prefs in enumerate(cand) if prefs}
    hospitals = {r: prefs for r, prefs in enumerate(req) if prefs}
    capacities = {r: int(inst.capacities[r]) for r in hospitals}
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        game = HospitalResident.create_from_dictionaries(residents, hospitals, capacities)
        solution = game.solve(optimal="resident")
    elapsed = time.perf_counter() - start
    out = [-1] * len(cand)
    for hospital, matched in solution.items():
        for resident in matched:
            out[int(resident.name)] = int(hospital.name)
    return out, elapsed


def solve_with_altmatch(inst: Instance) -> tuple[list[int], float]:
    start = time.perf_counter()
    result = stable_match(
        (inst.cand_indptr, inst.cand_indices),
        (inst.req_indptr, inst.req_indices),
        inst.capacities,
        seed=0,
    )
    return result.assignment.tolist(), time.perf_counter() - start


def warm_up() -> float:
    """First call compiles (or loads from the on-disk cache) the Numba kernels."""
    start = time.perf_counter()
    inst = random_instance(50, 10, 3, seed=0)
    solve_with_altmatch(inst)
    return time.perf_counter() - start


def compare(sizes: list[int]) -> None:
    print("\n## altmatch vs matching (HospitalResident, resident-optimal), 10-entry lists")
    print(
        f"{'candidates':>10} {'requests':>9} {'matching s':>11} {'altmatch s':>11} "
        f"{'speed-up':>9}  identical"
    )
    for n in sizes:
        inst = random_instance(n, max(2, n // 10), 10, seed=n)
        reference, t_ref = solve_with_matching_library(inst)
        ours, t_ours = solve_with_altmatch(inst)
        same = reference == ours
        print(
            f"{n:>10,} {n // 10:>9,} {t_ref:>11.3f} {t_ours:>11.4f} {t_ref / t_ours:>8.0f}x  "
            f"{'yes' if same else 'NO'}"
        )
        if not same:
            raise SystemExit("altmatch and matching disagree: this is a bug")


def scale(sizes: list[tuple[int, int]]) -> None:
    print("\n## altmatch alone, from CSR arrays (10-entry lists)")
    print(
        f"{'candidates':>10} {'requests':>9} {'entries':>11} {'validate+keys s':>16} "
        f"{'deferred acc. s':>16} {'total s':>8} {'placed':>9} {'peak MiB':>9}"
    )
    for n_c, n_r in sizes:
        inst = random_instance(n_c, n_r, 10, seed=1)
        tracemalloc.start()
        t0 = time.perf_counter()
        market = build_market(
            (inst.cand_indptr, inst.cand_indices),
            (inst.req_indptr, inst.req_indices),
            inst.capacities,
            seed=0,
        )
        t1 = time.perf_counter()
        result = solve(market)
        t2 = time.perf_counter()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"{n_c:>10,} {n_r:>9,} {len(inst.cand_indices):>11,} {t1 - t0:>16.3f} "
            f"{t2 - t1:>16.3f} {t2 - t0:>8.3f} {result.placed:>9,} {peak / 2**20:>9.0f}"
        )


def main() -> None:
    # `matching` deep-copies its web of player objects recursively: give it room to.
    sys.setrecursionlimit(1_000_000)
    threading.stack_size(1024 * 2**20)
    thread = threading.Thread(target=_run)
    thread.start()
    thread.join()


def _run() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes only (a smoke run)")
    args = parser.parse_args()
    print(f"Numba warm-up (compile or load cache): {warm_up():.2f} s")
    if args.quick:
        compare([100, 300])
        scale([(10_000, 1_000)])
        return
    compare([100, 300, 1_000, 3_000, 10_000])
    scale([(10_000, 1_000), (100_000, 10_000), (1_000_000, 100_000)])


if __name__ == "__main__":
    main()
