"""`run_reasons` and `why_not_rows` as they were in NumPy, before the per-row work moved to
the engine's compiled passes: the oracle they are tested against (`test_placement_report`).
Kept here, not in src, so nothing in a run depends on it."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from altmatch.domain.season_lists import requirements_of
from altmatch.engine import MatchResult, explain
from altmatch.services.season.placement_index import IndexedSeason
from altmatch.services.season.placement_report import (
    _FROM_ENGINE,
    COUPLE,
    FILLED,
    HARD_REQUIREMENT,
    NOT_RANKED,
    REPORT_REASONS,
    RunReasons,
)


def run_reasons(indexed: IndexedSeason, result: MatchResult) -> RunReasons:
    """`RunReasons` for the run, computed for everyone at once."""
    lists = indexed.lists
    why = explain(result)
    n_c = len(why.indptr) - 1
    counts = np.diff(why.indptr)
    owner = np.repeat(np.arange(n_c, dtype=np.int64), counts)
    choice = np.arange(len(owner), dtype=np.int64) - why.indptr[owner]  # 0-based
    unmet = lists.unmet_bits[lists.candidate_prefs[0][owner] + choice]
    if not lists.request_lists_derived:
        unmet = np.zeros_like(unmet)
    code = _FROM_ENGINE[why.reason]
    code[(code == NOT_RANKED) & (unmet != 0)] = HARD_REQUIREMENT
    unmet = np.where(code == HARD_REQUIREMENT, unmet, 0)
    stated_end = why.indptr[:-1] + np.minimum(counts, lists.stated)
    in_tail = choice >= lists.stated[owner]
    width = len(REPORT_REASONS)
    cells = owner[in_tail] * width + code[in_tail]
    tail = np.bincount(cells, minlength=n_c * width).astype(np.int64).reshape(n_c, width)
    closest = np.full(n_c, -1, dtype=np.int64)
    near = np.flatnonzero(in_tail & (code == FILLED))
    if len(near):
        margin = why.value[near] - np.maximum(why.cutoff[near], 0)
        order = near[np.lexsort((near, margin, owner[near]))]
        first = np.ones(len(order), dtype=np.bool_)
        first[1:] = owner[order][1:] != owner[order][:-1]
        closest[owner[order[first]]] = order[first]
    return RunReasons(
        why, code, unmet, stated_end, tail, closest, np.diff(lists.candidate_prefs[0])
    )


def why_not_rows(
    indexed: IndexedSeason, reasons: RunReasons
) -> Iterator[tuple[str, int, str, str, int | None, int | None, int, str, str | None]]:
    """why_not.csv: for each candidate (file order), every request they asked for that ranks
    above their outcome, in their list's order; one row each, the reason's fields as columns
    (a spreadsheet filters a season's hundred thousand reasons; requirements joined by ';')."""
    why, code = reasons.why, reasons.code
    owner = np.repeat(np.arange(len(why.indptr) - 1, dtype=np.int64), np.diff(why.indptr))
    row = np.arange(len(owner), dtype=np.int64)
    shown = np.flatnonzero(row < reasons.stated_end[owner])
    candidates = [c.id for c in indexed.season.candidates]
    requests = [r.id for r in indexed.season.requests]
    partner = indexed.partner
    for c, choice, r, k, cut, value, lost, bits in zip(
        owner[shown].tolist(),
        (shown - why.indptr[owner[shown]] + 1).tolist(),
        why.request[shown].tolist(),
        code[shown].tolist(),
        why.cutoff[shown].tolist(),
        why.value[shown].tolist(),
        why.lost_lottery[shown].tolist(),
        reasons.unmet[shown].tolist(),
        strict=True,
    ):
        yield (
            candidates[c],
            choice,
            requests[r],
            REPORT_REASONS[k],
            cut if k == FILLED and cut >= 0 else None,
            value if k in (FILLED, COUPLE) else None,
            int(lost),
            ";".join(requirements_of(bits)) if bits else "",
            candidates[partner[c]] if k == COUPLE and c in partner else None,
        )
