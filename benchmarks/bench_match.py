"""Benchmark: altmatch's stable_match against the `matching` library, then at JET-and-beyond scale.

Run: `.venv/bin/python benchmarks/bench_match.py [--quick]`

Part 1 builds random markets of growing size (10-entry candidate lists; each request ranks
everyone who applied to it), solves each with `matching`'s HospitalResident (resident-optimal)
and with altmatch, checks that the two matchings are identical, and prints both times.
Part 2 times altmatch alone from CSR arrays on markets too large for `matching`, with the
breakdown: validation and tie-break keys (`build_market`) and deferred acceptance (`solve`),
and the process's peak resident memory (RSS: it counts Numba's allocations, which tracemalloc
does not see). Part 3 sets altmatch against a minimal compiled deferred acceptance written
here (`minimal_rank_lookup` and `minimal_deferred_acceptance`: no validation, no lottery) on
the largest market, checks the matchings are identical and prints the ratio of the times.
Part 4 times the demo season's couples procedure (`solve` with its couples) and its
stability check (`check_stability`, rebuilding the market as a run does). Times are the best
of 3 runs; Numba compiles once per machine (cached on disk), and that
one-off cost is printed separately.
"""

from __future__ import annotations

import argparse
import contextlib
import resource
import sys
import threading
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np
from numba import njit
from numpy.typing import NDArray

from altmatch.engine import build_market, solve, stable_match

IntArray = NDArray[np.int64]
T = TypeVar("T")


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


def best_of(runs: int, work: Callable[[], T]) -> tuple[T, float]:
    """The result and the least wall time of `runs` calls (each result let go before the next
    call, so the peak memory is that of one)."""
    best, out = float("inf"), None
    for _ in range(runs):
        out = None
        start = time.perf_counter()
        out = work()
        best = min(best, time.perf_counter() - start)
    assert out is not None
    return out, best


def reset_peak_rss() -> None:
    """Start a new peak-RSS measurement (Linux: clear the high-water mark; elsewhere the peak
    stays the process's lifetime peak)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def rss_mib(field: str = "VmHWM") -> float:
    """Resident memory in MiB: the peak since `reset_peak_rss` (VmHWM) or now (VmRSS), from
    /proc; without it, the lifetime peak from getrusage."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024


def scale(sizes: list[tuple[int, int]]) -> None:
    print("\n## altmatch alone, from CSR arrays (10-entry lists; best of 3)")
    print(
        f"{'candidates':>10} {'requests':>9} {'entries':>11} {'validate+keys s':>16} "
        f"{'deferred acc. s':>16} {'total s':>8} {'placed':>9} {'peak RSS MiB':>13} "
        f"{'(+ MiB)':>8}"
    )
    for n_c, n_r in sizes:
        scale_row(random_instance(n_c, n_r, 10, seed=1))


def scale_row(inst: Instance) -> None:
    """One row: the peak RSS covers building and solving, over the instance already held."""
    before = rss_mib("VmRSS")
    reset_peak_rss()
    cand, req = (inst.cand_indptr, inst.cand_indices), (inst.req_indptr, inst.req_indices)
    market, t_build = best_of(3, lambda: build_market(cand, req, inst.capacities, seed=0))
    result, t_solve = best_of(3, lambda: solve(market))
    peak = rss_mib()
    print(
        f"{len(cand[0]) - 1:>10,} {len(inst.capacities):>9,} {len(cand[1]):>11,} "
        f"{t_build:>16.3f} {t_solve:>16.3f} {t_build + t_solve:>8.3f} {result.placed:>9,} "
        f"{peak:>13.0f} {peak - before:>+8.0f}"
    )


@njit(cache=True)
def minimal_rank_lookup(c_indptr, c_indices, r_indptr, r_indices):  # type: ignore[no-untyped-def]
    """For each candidate-list entry (c, r): c's position in r's list, -1 if r does not list c.
    Candidate entries are grouped by request (a counting sort), then each request's list is
    spread into a candidate-indexed scratch array and read back for its entries."""
    n_c, n_r = len(c_indptr) - 1, len(r_indptr) - 1
    start = np.zeros(n_r + 1, dtype=np.int64)
    for k in range(len(c_indices)):
        start[c_indices[k] + 1] += 1
    for r in range(n_r):
        start[r + 1] += start[r]
    fill = start[:-1].copy()
    entry = np.empty(len(c_indices), dtype=np.int64)
    owner = np.empty(len(c_indices), dtype=np.int64)
    for c in range(n_c):
        for k in range(c_indptr[c], c_indptr[c + 1]):
            t = fill[c_indices[k]]
            fill[c_indices[k]] = t + 1
            entry[t] = k
            owner[t] = c
    rank = np.full(len(c_indices), -1, dtype=np.int64)
    position = np.full(n_c, -1, dtype=np.int64)
    for r in range(n_r):
        for j in range(r_indptr[r], r_indptr[r + 1]):
            position[r_indices[j]] = j - r_indptr[r]
        for t in range(start[r], start[r + 1]):
            rank[entry[t]] = position[owner[t]]
        for j in range(r_indptr[r], r_indptr[r + 1]):
            position[r_indices[j]] = -1
    return rank


@njit(cache=True)
def minimal_deferred_acceptance(c_indptr, c_indices, rank, capacities):  # type: ignore[no-untyped-def]
    """Resident-proposing deferred acceptance: free candidates (a stack) propose down their
    lists; each request holds its best `capacity` in a max-heap on rank and evicts the worst."""
    n_c, n_r = len(c_indptr) - 1, len(capacities)
    base = np.zeros(n_r + 1, dtype=np.int64)
    for r in range(n_r):
        base[r + 1] = base[r] + capacities[r]
    heap_rank = np.empty(base[n_r], dtype=np.int64)
    heap_who = np.empty(base[n_r], dtype=np.int64)
    held = np.zeros(n_r, dtype=np.int64)
    assignment = np.full(n_c, -1, dtype=np.int64)
    next_entry = c_indptr[:-1].copy()
    stack = np.arange(n_c - 1, -1, -1)
    top = n_c
    while top > 0:
        top -= 1
        c = stack[top]
        while next_entry[c] < c_indptr[c + 1]:
            k = next_entry[c]
            next_entry[c] += 1
            r, key = c_indices[k], rank[k]
            if key < 0 or capacities[r] == 0:
                continue
            b, n = base[r], held[r]
            if n < capacities[r]:  # a free seat: sift the newcomer up
                i = n
                while i > 0 and heap_rank[b + (i - 1) // 2] < key:
                    heap_rank[b + i] = heap_rank[b + (i - 1) // 2]
                    heap_who[b + i] = heap_who[b + (i - 1) // 2]
                    i = (i - 1) // 2
                heap_rank[b + i], heap_who[b + i] = key, c
                held[r] = n + 1
                assignment[c] = r
                break
            if key < heap_rank[b]:  # full: replace the worst held, sift down
                evicted = heap_who[b]
                i = 0
                while 2 * i + 1 < n:
                    child = 2 * i + 1
                    if child + 1 < n and heap_rank[b + child + 1] > heap_rank[b + child]:
                        child += 1
                    if heap_rank[b + child] <= key:
                        break
                    heap_rank[b + i] = heap_rank[b + child]
                    heap_who[b + i] = heap_who[b + child]
                    i = child
                heap_rank[b + i], heap_who[b + i] = key, c
                assignment[evicted] = -1
                assignment[c] = r
                stack[top] = evicted
                top += 1
                break
    return assignment


def minimal(inst: Instance) -> IntArray:
    rank = minimal_rank_lookup(
        inst.cand_indptr, inst.cand_indices, inst.req_indptr, inst.req_indices
    )
    return minimal_deferred_acceptance(inst.cand_indptr, inst.cand_indices, rank, inst.capacities)


def against_minimal(n_c: int, n_r: int) -> None:
    """altmatch from CSR (validation, lottery, keys, deferred acceptance) against the minimal
    compiled deferred acceptance on the same market."""
    inst = random_instance(n_c, n_r, 10, seed=1)
    minimal(random_instance(50, 10, 3, seed=0))  # compile (or load the cache) first
    ours, t_ours = best_of(
        3,
        lambda: (
            stable_match(
                (inst.cand_indptr, inst.cand_indices),
                (inst.req_indptr, inst.req_indices),
                inst.capacities,
                seed=0,
            ).assignment
        ),
    )
    theirs, t_min = best_of(3, lambda: minimal(inst))
    same = np.array_equal(ours, theirs)
    print(f"\n## altmatch vs a minimal compiled deferred acceptance ({n_c:,} x {n_r:,} x 10)")
    print(f"{'minimal DA s':>13} {'altmatch s':>11} {'ratio':>6}  identical")
    print(f"{t_min:>13.3f} {t_ours:>11.3f} {t_ours / t_min:>5.2f}x  {'yes' if same else 'NO'}")
    if not same:
        raise SystemExit("altmatch and the minimal deferred acceptance disagree: this is a bug")


def demo_couples_and_stability(candidates: int) -> None:
    """The demo season's match with its couples, and its independent stability check."""
    import tempfile

    from altmatch.demo.season import generate_demo, write_demo_season
    from altmatch.engine import Market, check_stability
    from altmatch.io.season_files import load_season_files
    from altmatch.services.season.placement_index import IndexedSeason

    with tempfile.TemporaryDirectory() as folder:
        write_demo_season(generate_demo(candidates=candidates), Path(folder) / "season")
        indexed = IndexedSeason.of(load_season_files(Path(folder) / "season"))
    lists, requests = indexed.lists, indexed.season.requests
    capacities = [r.capacity for r in requests]
    ranks = (lists.request_prefs[0], lists.request_ranks)

    def market(couples: list[tuple[int, int]] | None) -> Market:
        return build_market(
            lists.candidate_prefs,
            lists.request_prefs,
            capacities,
            request_ranks=ranks,
            seed=7,
            couples=couples,
            request_groups=list(indexed.boe_of_request),
        )

    with_couples, alone = market(list(indexed.couples)), market(None)
    result, t_match = best_of(3, lambda: solve(with_couples))
    _, t_alone = best_of(3, lambda: solve(alone))  # everyone single: deferred acceptance only
    pairs, t_check = best_of(
        3,
        lambda: check_stability(
            lists.candidate_prefs,
            lists.request_prefs,
            capacities,
            result.assignment,
            request_ranks=ranks,
            seed=7,
            couples=list(indexed.couples),
            request_groups=list(indexed.boe_of_request),
        ),
    )
    print(f"\n## The demo season ({candidates:,} candidates, {len(indexed.couples)} couples)")
    print(f"{'match s':>8} {'of it couples s':>16} {'stability check s':>18}  blocking pairs")
    print(f"{t_match:>8.3f} {t_match - t_alone:>16.3f} {t_check:>18.3f}  {len(pairs)}")


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
        against_minimal(10_000, 1_000)
        demo_couples_and_stability(1_000)
        return
    compare([100, 300, 1_000, 3_000, 10_000])
    scale([(10_000, 1_000), (100_000, 10_000), (1_000_000, 100_000)])
    against_minimal(1_000_000, 100_000)
    demo_couples_and_stability(6_000)


if __name__ == "__main__":
    main()
