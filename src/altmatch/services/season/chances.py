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
_JSON = json.JSONEncoder(ensure_ascii=False)  # as json.dumps(..., ensure_ascii=False), built once

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
    """One row per candidate. Every per-entry question (the entry placed at most, the first
    eligible one, the candidate's rank there) is answered for all candidates at once: asked
    candidate by candidate, numpy's per-call cost made this a noticeable share of a run."""
    requests, lists = indexed.season.requests, indexed.lists
    offsets, choices = lists.candidate_prefs
    n = len(indexed.season.candidates)
    owner = np.repeat(np.arange(n, dtype=np.int64), np.diff(offsets))
    hits = result.entry_hits
    most = np.zeros(n, dtype=np.int64)  # hits at each candidate's most frequent request
    listing = offsets[:-1] < offsets[1:]
    most[listing] = np.maximum.reduceat(hits, offsets[:-1][listing]) if len(hits) else 0
    best = _first_where(owner, (hits == most[owner]) & (most[owner] > 0), n)
    first_eligible = _first_where(owner, lists.unmet_bits == 0, n)
    low, high = result.interval()
    reasons = _main_reasons(indexed, result.probability, result.expected_cutoff, first_eligible)
    best_request = np.where(best >= 0, choices[np.maximum(best, 0)], -1)
    rows = []
    for candidate, p, lo, hi, stayed, r, top, reason in zip(
        indexed.season.candidates,
        result.probability.tolist(),
        low.tolist(),
        high.tolist(),
        result.stayed.tolist(),
        best_request.tolist(),
        most.tolist(),
        reasons,
        strict=True,
    ):
        best_id = requests[r].id if r >= 0 else ""
        best_share = float(top) / stayed if r >= 0 and stayed else 0.0
        rows.append(
            (
                candidate.id,
                round(p, 4),
                round(lo, 4),
                round(hi, 4),
                stayed,
                best_id,
                round(best_share, 4),
                reason,
            )
        )
    return rows


def _first_where(owner: np.ndarray, mask: np.ndarray, n: int) -> np.ndarray:
    """Per candidate, the first entry they own (`owner[k]`) where `mask` holds, else -1."""
    found = np.flatnonzero(mask)
    first = np.full(n, len(mask), dtype=np.int64)
    np.minimum.at(first, owner[found], found)
    first[first == len(mask)] = -1
    return first


def _main_reasons(
    indexed: IndexedSeason,
    probability: np.ndarray,
    cutoffs: np.ndarray,
    first_eligible: np.ndarray,
) -> list[str]:
    """Why each candidate is often unplaced: the first that applies of a short list,
    ineligibility, or being out-ranked at their first choice (their rank against its expected
    cut-off); empty for a candidate placed in at least SURE of the seasons."""
    lists, requests = indexed.lists, indexed.season.requests
    offsets, choices = lists.candidate_prefs
    n = len(probability)
    unsure = probability < SURE
    # Each unsure candidate's first eligible request, and their place in its list.
    target = np.full(n, -1, dtype=np.int64)
    wanted = unsure & (first_eligible >= 0)
    target[wanted] = choices[first_eligible[wanted]]
    r_indptr, r_members = lists.request_prefs
    r_owner = np.repeat(np.arange(len(r_indptr) - 1, dtype=np.int64), np.diff(r_indptr))
    place = _first_where(r_members, target[r_members] == r_owner, n)
    rank = np.where(place >= 0, lists.request_ranks[np.maximum(place, 0)] + 1, -1)
    eligible = np.bincount(
        np.repeat(np.arange(n, dtype=np.int64), np.diff(offsets)),
        weights=lists.unmet_bits == 0,
        minlength=n,
    ).astype(np.int64)
    reasons = []
    cut = cutoffs.tolist()
    for sure, lo, hi, count, r, at in zip(
        (~unsure).tolist(),
        offsets[:-1].tolist(),
        offsets[1:].tolist(),
        eligible.tolist(),
        target.tolist(),
        rank.tolist(),
        strict=True,
    ):
        if sure:
            reasons.append("")
        elif hi == lo:
            reasons.append("no request matches their preferences and they do not accept anywhere")
        elif not count:
            common = _most_common_requirement(lists.unmet_bits[lo:hi])
            reasons.append(f"ineligible for all {hi - lo} listed requests (most often: {common})")
        else:
            reasons.append(_competition(requests[r].id, at, cut[r], hi - lo, hi - lo - count))
    return reasons


def _competition(first: str, rank: int, cutoff: float, listed: int, ineligible: int) -> str:
    """The reason of a candidate eligible somewhere: out-ranked at their first eligible
    request `first` (where their rank, -1 if unranked, beats no expected cut-off), or else the
    length of their list or the competition."""
    if rank >= 0 and not math.isnan(cutoff) and rank > cutoff + 1:
        return (
            f"out-ranked at first eligible choice {first}: "
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
    """One JSON object per candidate: their share of seasons at each request, prefecture and
    rank of their own list where they were ever placed (the entries hit, found all at once)."""
    requests, lists = indexed.season.requests, indexed.lists
    offsets, choices = lists.candidate_prefs
    hit = np.flatnonzero(result.entry_hits)
    owner = np.searchsorted(offsets, hit, side="right") - 1
    ends = np.searchsorted(owner, np.arange(1, len(offsets)), side="left").tolist()
    ranks = (hit - offsets[owner] + 1).tolist()
    counts = result.entry_hits[hit].tolist()
    hit_requests = choices[hit].tolist()
    ids = [request.id for request in requests]
    prefectures = [request.prefecture for request in requests]
    lines = []
    start = 0
    for candidate, stayed_in, probability, end in zip(
        indexed.season.candidates,
        result.stayed.tolist(),
        result.probability.tolist(),
        ends,
        strict=True,
    ):
        stayed = max(stayed_in, 1)
        by_request: dict[str, float] = {}
        by_prefecture: dict[str, float] = defaultdict(float)
        by_rank: dict[int, float] = {}
        for i in range(start, end):
            share = counts[i] / stayed
            r = hit_requests[i]
            by_request[ids[r]] = round(share, 4)
            by_prefecture[prefectures[r]] += share
            by_rank[ranks[i]] = round(share, 4)
        start = end
        lines.append(
            _JSON.encode(
                {
                    "candidate_id": candidate.id,
                    "probability": round(probability, 4),
                    "by_request": by_request,
                    "by_prefecture": {p: round(s, 4) for p, s in by_prefecture.items()},
                    "by_rank": by_rank,
                }
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
