"""Chances rows and outcomes, built for all candidates at once, equal the plain per-candidate
reading of the tallies (the reference below), on seasons where every kind of reason occurs."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

from altmatch.demo import generate_demo, write_demo_season
from altmatch.io.season_files import load_season_files
from altmatch.services.season.chances import (
    SURE,
    ChancesRun,
    _most_common_requirement,
    run_chances,
)

EXAMPLE = Path(__file__).parents[4] / "examples" / "season"


def reference_rows(run: ChancesRun) -> list[tuple[object, ...]]:
    """Each candidate's row read straight off the tallies, one candidate at a time."""
    indexed, result = run.indexed, run.result
    requests, lists = indexed.season.requests, indexed.lists
    offsets = lists.candidate_prefs[0]
    low, high = result.interval()
    rows = []
    for c, candidate in enumerate(indexed.season.candidates):
        hits = result.entry_hits[offsets[c] : offsets[c + 1]]
        stayed = int(result.stayed[c])
        best = int(np.argmax(hits)) if len(hits) and hits.max() > 0 else -1
        best_id = requests[int(lists.candidate_list(c)[best])].id if best >= 0 else ""
        share = float(hits[best]) / stayed if best >= 0 and stayed else 0.0
        p = float(result.probability[c])
        rows.append(
            (
                candidate.id,
                round(p, 4),
                round(float(low[c]), 4),
                round(float(high[c]), 4),
                stayed,
                best_id,
                round(share, 4),
                reference_reason(run, c, p),
            )
        )
    return rows


def reference_reason(run: ChancesRun, c: int, probability: float) -> str:
    if probability >= SURE:
        return ""
    lists, requests = run.indexed.lists, run.indexed.season.requests
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
        cutoff = run.result.expected_cutoff[first]
        if not np.isnan(cutoff) and rank > cutoff + 1:
            return (
                f"out-ranked at first eligible choice {requests[first].id}: "
                f"rank {rank} against an expected cut-off of {cutoff + 1:.1f}"
            )
    suffix = f"; ineligible for {ineligible} of {listed} listed requests" if ineligible else ""
    if listed <= 3:
        return f"short list: only {listed} acceptable requests{suffix}"
    return f"competition at the requests listed{suffix}"


def reference_outcomes(run: ChancesRun) -> list[str]:
    indexed, result = run.indexed, run.result
    requests, lists = indexed.season.requests, indexed.lists
    offsets = lists.candidate_prefs[0]
    lines = []
    for c, candidate in enumerate(indexed.season.candidates):
        stayed = max(int(result.stayed[c]), 1)
        by_request: dict[str, float] = {}
        by_prefecture: dict[str, float] = defaultdict(float)
        by_rank: dict[int, float] = {}
        for k in range(int(offsets[c + 1] - offsets[c])):
            hits = int(result.entry_hits[offsets[c] + k])
            if not hits:
                continue
            request = requests[int(lists.candidate_prefs[1][offsets[c] + k])]
            by_request[request.id] = round(hits / stayed, 4)
            by_prefecture[request.prefecture] += hits / stayed
            by_rank[k + 1] = round(hits / stayed, 4)
        line = {
            "candidate_id": candidate.id,
            "probability": round(float(result.probability[c]), 4),
            "by_request": by_request,
            "by_prefecture": {p: round(s, 4) for p, s in by_prefecture.items()},
            "by_rank": by_rank,
        }
        lines.append(json.dumps(line, ensure_ascii=False))
    return lines


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> ChancesRun:
    folder = tmp_path_factory.mktemp("demo") / "season"
    write_demo_season(generate_demo(7, candidates=1500), folder)
    return run_chances(load_season_files(folder), runs=50, seed=11, workers=2)


def test_rows_and_outcomes_equal_the_per_candidate_reading(demo_run: ChancesRun) -> None:
    assert demo_run.candidate_rows == reference_rows(demo_run)
    assert demo_run.outcomes == reference_outcomes(demo_run)


def test_the_demo_season_gives_every_kind_of_reason(demo_run: ChancesRun) -> None:
    # So the comparison above covers each branch of the reasons.
    reasons = {row[7].split(" ")[0] for row in demo_run.candidate_rows}
    assert {"", "no", "ineligible", "out-ranked", "short", "competition"} <= reasons, reasons
    assert any("; ineligible for" in row[7] for row in demo_run.candidate_rows)


def test_the_example_season_too() -> None:
    run = run_chances(load_season_files(EXAMPLE), runs=200, seed=3)
    assert run.candidate_rows == reference_rows(run)
    assert run.outcomes == reference_outcomes(run)
