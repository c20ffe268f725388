"""Chances for a whole season: how likely each candidate is to be placed, where, and why not.

The season's lists are derived exactly as for `altmatch match`; the engine then simulates many
seasons under the rulebook's uncertainty model (or one given). Couples are simulated as two
singles (the Monte Carlo path has no joint proposals), which the summary states.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pydantic import BaseModel

from altmatch import __version__
from altmatch.domain.season_lists import REQUIREMENT_BITS
from altmatch.engine import ENGINE_VERSION, build_market
from altmatch.engine.chances import (
    ChanceResult,
    Uncertainty,
    estimate_chances,
    runs_for_precision,
)
from altmatch.io import outputs, plots
from altmatch.io.season_files import SeasonFiles
from altmatch.rulebook import load_rulebook
from altmatch.services.season.placement import PlacementError
from altmatch.services.season.placement_index import IndexedSeason

CHANCES_HEADER = (
    "candidate_id",
    "probability",
    "ci_low",
    "ci_high",
    "seasons",
    "most_likely_request_id",
    "most_likely_request_share",
    "main_reason",
)
REQUESTS_HEADER = (
    "request_id",
    "prefecture",
    "capacity",
    "fill_probability",
    "expected_places_taken",
    "expected_cutoff_rank",
)
SURE = 0.95  # above this a candidate needs no "why not"

Progress = Callable[[int, int], None]


def uncertainty_model(
    *,
    withdrawal: float | None = None,
    request_drop: float | None = None,
    seat_gain: float | None = None,
    seat_loss: float | None = None,
) -> Uncertainty:
    """The rulebook's model with any of its probabilities replaced (a what-if)."""
    base = default_uncertainty()
    return Uncertainty(
        withdrawal=base.withdrawal if withdrawal is None else withdrawal,
        request_drop=base.request_drop if request_drop is None else request_drop,
        seat_gain=base.seat_gain if seat_gain is None else seat_gain,
        seat_loss=base.seat_loss if seat_loss is None else seat_loss,
    )


def default_uncertainty() -> Uncertainty:
    """The rulebook's model (sourced there, with its rationale)."""
    model = load_rulebook().chances.uncertainty
    return Uncertainty(
        withdrawal=model.withdrawal.value,
        request_drop=model.request_drop.value,
        seat_gain=model.seat_gain.value,
        seat_loss=model.seat_loss.value,
    )


class ChancesSummary(BaseModel):
    altmatch_version: str
    engine_version: str
    seed: int
    runs: int
    precision: float | None
    max_standard_error: float
    uncertainty: dict[str, float]
    candidates: int
    requests: int
    expected_placements: float
    expected_places_filled: float
    couples_simulated_as_singles: int


@dataclass(frozen=True)
class ChancesRun:
    indexed: IndexedSeason
    result: ChanceResult
    candidate_rows: list[tuple[str, float, float, float, int, str, float, str]]
    request_rows: list[tuple[str, str, int, float, float, float | None]]
    outcomes: list[str]  # one JSON object per candidate: shares by request, prefecture, rank
    by_prefecture: dict[str, float]  # mean chance of candidates by first-choice prefecture
    summary: ChancesSummary


def run_chances(
    files: SeasonFiles,
    *,
    runs: int | None,
    seed: int,
    precision: float | None = None,
    workers: int = 2,
    uncertainty: Uncertainty | None = None,
    progress: Progress | None = None,
) -> ChancesRun:
    """Simulate the season (see module docstring) and shape every output.

    Without `runs`, the cap is what the worst case (p = 1/2) needs to reach `precision` given
    the withdrawal rate, or 1,000 seasons without a precision either.
    """
    try:
        indexed = IndexedSeason.of(files)
    except ValueError as exc:
        raise PlacementError([str(exc)]) from exc
    model = uncertainty or default_uncertainty()
    if runs is None:
        runs = (
            math.ceil(runs_for_precision(precision) / (1.0 - model.withdrawal)) + 100
            if precision
            else 1000
        )
    lists = indexed.lists
    market = build_market(
        lists.candidate_prefs,
        lists.request_prefs,
        [r.capacity for r in indexed.season.requests],
        request_ranks=(lists.request_prefs[0], lists.request_ranks),
        seed=seed,
    )
    result = estimate_chances(
        market,
        model,
        runs=runs,
        seed=seed,
        precision=precision,
        workers=workers,
        progress=progress,
    )
    return ChancesRun(
        indexed,
        result,
        _candidate_rows(indexed, result),
        _request_rows(indexed, result),
        _outcomes(indexed, result),
        _by_prefecture(indexed, result),
        _summary(indexed, result, model, precision),
    )


def _candidate_rows(
    indexed: IndexedSeason, result: ChanceResult
) -> list[tuple[str, float, float, float, int, str, float, str]]:
    requests, lists = indexed.season.requests, indexed.lists
    offsets = lists.candidate_prefs[0]
    low, high = result.interval()
    cutoffs = result.expected_cutoff
    rows = []
    for c, candidate in enumerate(indexed.season.candidates):
        hits = result.entry_hits[offsets[c] : offsets[c + 1]]
        stayed = int(result.stayed[c])
        best = int(np.argmax(hits)) if len(hits) and hits.max() > 0 else -1
        best_id = requests[int(lists.candidate_list(c)[best])].id if best >= 0 else ""
        best_share = float(hits[best]) / stayed if best >= 0 and stayed else 0.0
        rows.append(
            (
                candidate.id,
                round(float(result.probability[c]), 4),
                round(float(low[c]), 4),
                round(float(high[c]), 4),
                stayed,
                best_id,
                round(best_share, 4),
                _main_reason(indexed, c, float(result.probability[c]), cutoffs),
            )
        )
    return rows


def _main_reason(indexed: IndexedSeason, c: int, probability: float, cutoffs: np.ndarray) -> str:
    """Why a candidate is often unplaced: the first that applies of a short list, ineligibility,
    or being out-ranked at their first choice (their rank against its expected cut-off)."""
    if probability >= SURE:
        return ""
    lists, requests = indexed.lists, indexed.season.requests
    lo, hi = int(lists.candidate_prefs[0][c]), int(lists.candidate_prefs[0][c + 1])
    if hi == lo:
        return "no request matches their preferences and they do not accept anywhere"
    bits = lists.unmet_bits[lo:hi]
    eligible = np.flatnonzero(bits == 0)
    listed, ineligible = hi - lo, hi - lo - len(eligible)
    if not len(eligible):
        common = _most_common_requirement(bits)
        return f"ineligible for all {listed} listed requests (most often: {common})"
    first = int(lists.candidate_prefs[1][lo + eligible[0]])
    members, ranks = lists.request_list(first)
    found = np.flatnonzero(members == c)
    if len(found):
        rank = int(ranks[found[0]]) + 1
        cutoff = cutoffs[first]
        if not np.isnan(cutoff) and rank > cutoff + 1:
            return (
                f"out-ranked at first eligible choice {requests[first].id}: "
                f"rank {rank} against an expected cut-off of {cutoff + 1:.1f}"
            )
    suffix = f"; ineligible for {ineligible} of {listed} listed requests" if ineligible else ""
    if listed <= 3:
        return f"short list: only {listed} acceptable requests{suffix}"
    return f"competition at the requests listed{suffix}"


def _most_common_requirement(bits: np.ndarray) -> str:
    """The requirement failed at the most of these entries (on a tie, the one failed first,
    reading the entries in order and each entry's requirements in their fixed order)."""
    best: tuple[int, int, str] | None = None
    for order, (requirement, bit) in enumerate(REQUIREMENT_BITS.items()):
        failed = np.flatnonzero(bits & bit)
        if not len(failed):
            continue
        key = (-len(failed), int(failed[0]) * len(REQUIREMENT_BITS) + order, requirement.value)
        best = key if best is None or key < best else best
    assert best is not None
    return best[2]


def _request_rows(
    indexed: IndexedSeason, result: ChanceResult
) -> list[tuple[str, str, int, float, float, float | None]]:
    cutoffs = result.expected_cutoff
    return [
        (
            request.id,
            request.prefecture,
            request.capacity,
            round(float(result.fill_probability[r]), 4),
            round(float(result.request_taken[r]) / result.runs, 4),
            None if np.isnan(cutoffs[r]) else round(float(cutoffs[r]) + 1, 2),
        )
        for r, request in enumerate(indexed.season.requests)
    ]


def _outcomes(indexed: IndexedSeason, result: ChanceResult) -> list[str]:
    requests, lists = indexed.season.requests, indexed.lists
    offsets = lists.candidate_prefs[0]
    lines = []
    for c, candidate in enumerate(indexed.season.candidates):
        stayed = max(int(result.stayed[c]), 1)
        by_request: dict[str, float] = {}
        by_prefecture: dict[str, float] = defaultdict(float)
        by_rank: dict[int, float] = {}
        lo = int(offsets[c])
        hit = np.flatnonzero(result.entry_hits[lo : offsets[c + 1]])
        counts = result.entry_hits[lo + hit].tolist()
        for k, r, hits in zip(
            hit.tolist(), lists.candidate_prefs[1][lo + hit].tolist(), counts, strict=True
        ):
            share = hits / stayed
            by_request[requests[r].id] = round(share, 4)
            by_prefecture[requests[r].prefecture] += share
            by_rank[k + 1] = round(share, 4)
        lines.append(
            json.dumps(
                {
                    "candidate_id": candidate.id,
                    "probability": round(float(result.probability[c]), 4),
                    "by_request": by_request,
                    "by_prefecture": {p: round(s, 4) for p, s in by_prefecture.items()},
                    "by_rank": by_rank,
                },
                ensure_ascii=False,
            )
        )
    return lines


def _by_prefecture(indexed: IndexedSeason, result: ChanceResult) -> dict[str, float]:
    groups: dict[str, list[float]] = defaultdict(list)
    for c, candidate in enumerate(indexed.season.candidates):
        first = candidate.preferences.prefectures[:1]
        key = first[0] if first else "(anywhere)"
        groups[key].append(float(result.probability[c]))
    return {p: float(np.mean(v)) for p, v in sorted(groups.items())}


def _summary(
    indexed: IndexedSeason, result: ChanceResult, model: Uncertainty, precision: float | None
) -> ChancesSummary:
    return ChancesSummary(
        altmatch_version=__version__,
        engine_version=ENGINE_VERSION,
        seed=result.seed,
        runs=result.runs,
        precision=precision,
        max_standard_error=round(float(np.max(result.standard_error, initial=0.0)), 5),
        uncertainty={
            "withdrawal": model.withdrawal,
            "request_drop": model.request_drop,
            "seat_gain": model.seat_gain,
            "seat_loss": model.seat_loss,
        },
        candidates=len(indexed.season.candidates),
        requests=len(indexed.season.requests),
        expected_placements=round(float(result.placed.sum()) / result.runs, 3),
        expected_places_filled=round(float(result.request_taken.sum()) / result.runs, 3),
        couples_simulated_as_singles=len(indexed.couples),
    )


def save_chances(run: ChancesRun, out: Path, *, force: bool = False) -> None:
    """Write chances.csv, requests.csv, outcomes.jsonl, summary.json and both charts, atomically."""
    files: dict[str, str | bytes] = {
        "chances.csv": outputs.csv_text(CHANCES_HEADER, run.candidate_rows),
        "requests.csv": outputs.csv_text(REQUESTS_HEADER, run.request_rows),
        "outcomes.jsonl": outputs.jsonl_text(run.outcomes),
        "summary.json": run.summary.model_dump_json(indent=2) + "\n",
    }
    files |= plots.probability_histogram(
        [row[1] for row in run.candidate_rows],
        title=f"Chances of placement ({run.summary.runs} simulated seasons)",
    )
    files |= plots.prefecture_chart(
        run.by_prefecture, title="Mean chance by first-choice prefecture"
    )
    outputs.write_folder(out, files, force=force)
