"""Benchmark: do calibrated interview scores find the best candidates better than raw means?

Run: `.venv/bin/python benchmarks/bench_interview_calibration.py [--quick] [--seeds N]`

A simulated recruiting office: 192 candidates, 12 assessors, 24 panel sessions of three
assessors hearing 8 candidates each, 5 criteria scored 1-5. Each candidate has a true ability
(normal, SD 0.6 rubric points) and each assessor a true severity (normal, SD 0.5); criteria
differ a little (SD 0.2). A score is 3 + ability + criterion - severity, plus the assessor's
overall impression of that candidate (SD 0.3, shared by their five criteria: the halo the model
does not assume) and noise (SD 0.6), rounded and clipped to 1-5. Three designs:

- **rotating**: every session draws its three assessors at random from the twelve (well linked);
- **weakly linked**: four fixed trios; in one session in five a member of the next trio sits in
  for one of the trio's, so the trios join in a ring through a few shared candidates;
- **disconnected pair**: two halves of six assessors who rotate among themselves only.

The table gives, over the seeds (mean and, in brackets, the worst seed), the Spearman rank
correlation of each score with true ability, and top-quarter agreement: the share of the truly
best quarter that the score's top quarter shortlists. A second table times the calibration at
larger sizes (panels of three drawn at random, 5 criteria).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.stats import spearmanr

from altmatch.domain.interview_calibration import ScoreRow, calibrate

CANDIDATES, ASSESSORS, SESSIONS, CRITERIA = 192, 12, 24, 5
ABILITY_SD, SEVERITY_SD, CRITERION_SD, HALO_SD, NOISE_SD = 0.6, 0.5, 0.2, 0.3, 0.6
Panels = list[tuple[int, int, int]]


def rotating(rng: np.random.Generator, sessions: int, assessors: int) -> Panels:
    return [tuple(int(a) for a in rng.choice(assessors, 3, replace=False)) for _ in range(sessions)]


def weakly_linked(rng: np.random.Generator, sessions: int, assessors: int) -> Panels:
    trios = [list(range(t, t + 3)) for t in range(0, assessors, 3)]
    panels: Panels = []
    for s in range(sessions):
        trio = list(trios[s % len(trios)])
        if s % 5 == 4:  # one member of the next trio sits in (each trio in turn)
            trio[int(rng.integers(3))] = trios[(s + 1) % len(trios)][int(rng.integers(3))]
        panels.append((trio[0], trio[1], trio[2]))
    return panels


def disconnected_pair(rng: np.random.Generator, sessions: int, assessors: int) -> Panels:
    half = assessors // 2
    panels: Panels = []
    for s in range(sessions):
        base = 0 if s % 2 == 0 else half
        chosen = rng.choice(half, 3, replace=False) + base
        panels.append((int(chosen[0]), int(chosen[1]), int(chosen[2])))
    return panels


DESIGNS: dict[str, Callable[[np.random.Generator, int, int], Panels]] = {
    "rotating": rotating,
    "weakly linked": weakly_linked,
    "disconnected pair": disconnected_pair,
}


@dataclass(frozen=True)
class Round:
    ability: np.ndarray
    rows: list[ScoreRow]


def simulate(
    design: Callable[[np.random.Generator, int, int], Panels],
    seed: int,
    candidates: int = CANDIDATES,
    assessors: int = ASSESSORS,
    sessions: int = SESSIONS,
) -> Round:
    rng = np.random.default_rng(seed)
    ability = rng.normal(0, ABILITY_SD, candidates)
    severity = rng.normal(0, SEVERITY_SD, assessors)
    offset = rng.normal(0, CRITERION_SD, CRITERIA)
    panels = design(rng, sessions, assessors)
    rows = []
    for c in range(candidates):
        session = c * sessions // candidates
        for a in panels[session]:
            halo = rng.normal(0, HALO_SD)
            for k in range(CRITERIA):
                latent = 3 + ability[c] + offset[k] - severity[a] + halo + rng.normal(0, NOISE_SD)
                score = float(np.clip(np.rint(latent), 1, 5))
                rows.append(ScoreRow(f"c{c:05}", f"s{session:04}", f"a{a:04}", f"k{k}", score))
    return Round(ability, rows)


def top_quarter_agreement(truth: np.ndarray, estimate: np.ndarray) -> float:
    quarter = truth.size // 4
    best = set(np.argsort(-truth, kind="stable")[:quarter])
    chosen = set(np.argsort(-estimate, kind="stable")[:quarter])
    return len(best & chosen) / quarter


def evaluate(round_: Round) -> tuple[int, float, float, float, float, float]:
    """(groups, reliability, Spearman raw, Spearman calibrated, top-quarter raw, calibrated)."""
    result = calibrate(round_.rows)
    by_id = {s.candidate_id: s for s in result.candidates}
    order = sorted(by_id)
    raw = np.array([by_id[c].raw_mean for c in order])
    calibrated = np.array([by_id[c].score for c in order])
    truth = round_.ability
    return (
        len(result.design.components),
        result.reliability or 0.0,
        float(spearmanr(raw, truth).statistic),
        float(spearmanr(calibrated, truth).statistic),
        top_quarter_agreement(truth, raw),
        top_quarter_agreement(truth, calibrated),
    )


def cell(values: list[float]) -> str:
    return f"{np.mean(values):.3f} ({min(values):.3f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, default=20, help="seeds per design")
    parser.add_argument("--quick", action="store_true", help="5 seeds; skip the timing table")
    args = parser.parse_args()
    seeds = range(5 if args.quick else args.seeds)

    print(
        f"\n## Raw means vs calibrated scores: {CANDIDATES} candidates, {ASSESSORS} assessors, "
        f"{SESSIONS} panels of three, {CRITERIA} criteria, {len(seeds)} seeds"
    )
    print(
        "| design | groups | reliability | Spearman raw | Spearman calibrated "
        "| top quarter raw | top quarter calibrated | calibrated better |"
    )
    print("|:--|--:|--:|--:|--:|--:|--:|--:|")
    for name, design in DESIGNS.items():
        results = [evaluate(simulate(design, seed)) for seed in seeds]
        columns = (list(column) for column in zip(*results, strict=True))
        groups, reliability, rho_raw, rho_cal, top_raw, top_cal = columns
        better = sum(c > r for c, r in zip(rho_cal, rho_raw, strict=True))
        print(
            f"| {name} | {min(groups):.0f}-{max(groups):.0f} | {np.mean(reliability):.2f} "
            f"| {cell(rho_raw)} | {cell(rho_cal)} | {cell(top_raw)} | {cell(top_cal)} "
            f"| {better} of {len(results)} |"
        )
    if not args.quick:
        timing_table()


def timing_table() -> None:
    print("\n## Time to calibrate (rotating panels of three, 5 criteria)")
    print("| candidates | assessors | scores | seconds |")
    print("|--:|--:|--:|--:|")
    for candidates, assessors in [(1_000, 60), (5_000, 300), (10_000, 600)]:
        round_ = simulate(rotating, 1, candidates, assessors, sessions=candidates // 8)
        start = time.perf_counter()
        calibrate(round_.rows)
        seconds = time.perf_counter() - start
        print(f"| {candidates:,} | {assessors:,} | {len(round_.rows):,} | {seconds:.2f} |")


if __name__ == "__main__":
    main()
