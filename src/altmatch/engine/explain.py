"""Why not there? Per-request cut-offs, per-candidate reasons, and per-request alternates.

A candidate who sees only "unplaced" experiences the match as luck. In a stable matching every
request a candidate preferred to their outcome either did not rank them or filled with people
it ranks higher (Gale & Shapley 1962), so the cut-off — the value of the last person admitted —
is the whole explanation; with ties, an equal value means the lottery decided (Abdulkadiroğlu,
Pathak & Roth 2009). "Value" is in the request's own terms: its rank number for the candidate
when ranks were given, otherwise the candidate's 0-based position in the request's list.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import Literal, NamedTuple

import numpy as np
from numpy.typing import NDArray

from altmatch.engine import _explain_kernels
from altmatch.engine.market import MatchResult
from altmatch.engine.prefs import IntArray

Reason = Literal["filled", "not_ranked", "couple"]


class WhyNot(NamedTuple):
    """Why a candidate is not at a request they listed above their outcome.

    A named tuple rather than a dataclass: a season has millions of these, and a tuple is
    several times cheaper to create.

    `filled`: every seat went to someone the request ranks higher (`cutoff` <= `candidate_value`,
    equal when the lottery decided; `cutoff` None when the request has no seats at all).
    `not_ranked`: the request did not list the candidate. `couple`: the request would have taken
    the candidate alone, but the couple could not be placed together there; for a single, this
    marks instability the couples left (listed in `MatchResult.blocking_pairs`).
    """

    request: int
    reason: Reason
    cutoff: int | None
    candidate_value: int | None
    lost_lottery: bool


# Reason codes in `Explanations.reason`, in the order of `REASONS`.
FILLED, NOT_RANKED, COUPLE = (
    _explain_kernels.FILLED,
    _explain_kernels.NOT_RANKED,
    _explain_kernels.COUPLE,
)
REASONS: tuple[Reason, ...] = ("filled", "not_ranked", "couple")


@dataclass(frozen=True)
class Explanations:
    """Every request a candidate listed above their outcome, with its reason, as parallel
    arrays grouped by candidate (rows `indptr[c]:indptr[c + 1]`, in the candidate's list order,
    so the k-th row of c is their choice k + 1; none for a withdrawn candidate). A season has
    millions of these, so nothing here is a Python object per reason.

    `cutoffs[r]`: value of r's worst admitted candidate, -1 while seats remain (or when r has
    none). Per row: `request`, `reason` (FILLED, NOT_RANKED or COUPLE), `value` (the request's
    value for the candidate, -1 if it did not rank them), `cutoff` (the request's cut-off value
    for FILLED rows, -1 when it has no seats, else -1) and `lost_lottery` (FILLED and tied with
    the cut-off)."""

    indptr: IntArray
    request: IntArray
    reason: NDArray[np.int8]
    value: IntArray
    cutoff: IntArray
    lost_lottery: NDArray[np.bool_]
    cutoffs: IntArray

    def why_not(self, c: int) -> tuple[WhyNot, ...]:
        """Candidate c's reasons as tuples: for one candidate, where objects are affordable."""
        lo, hi = int(self.indptr[c]), int(self.indptr[c + 1])
        return tuple(self.row(i) for i in range(lo, hi))

    def row(self, i: int) -> WhyNot:
        reason = REASONS[int(self.reason[i])]
        value = int(self.value[i])
        cutoff = int(self.cutoff[i])
        return WhyNot(
            int(self.request[i]),
            reason,
            cutoff if reason == "filled" and cutoff >= 0 else None,
            value if reason != "not_ranked" else None,
            bool(self.lost_lottery[i]),
        )


def _outcomes(result: MatchResult) -> IntArray:
    """Each candidate's outcome as a position in its own list (its length when unplaced):
    the entries before it are the requests it preferred."""
    lengths = np.diff(result.market.candidate_prefs[0])
    outcome: IntArray = np.where(result.assignment >= 0, result.candidate_rank, lengths)
    return outcome


def alternates(result: MatchResult) -> list[IntArray]:
    """Per request r, best first by r's key (ties in the lottery's order): the candidates who
    list r, whom r lists, who are not placed at r and prefer r to their outcome. In a stable
    matching all of them rank below r's cut-off: they are who r would call if seats opened.
    One compiled pass groups them by request (`_explain_kernels.waiting_lists`), with no
    array per list entry; each request's few thousand are then sorted by key."""
    market = result.market
    offsets, who, keys = _explain_kernels.waiting_lists(
        market.candidate_prefs[0],
        market.candidate_prefs[1],
        market.keys,
        _outcomes(result),
        result.active,
        market.n_requests,
    )
    # A lottery makes every key of a request distinct; without one (weak stability checks),
    # equal keys keep the candidates' order.
    distinct = np.unique(market.lottery).size == market.n_candidates
    kind: Literal["quicksort", "stable"] = "quicksort" if distinct else "stable"
    for lo, hi in pairwise(offsets.tolist()):
        who[lo:hi] = who[lo:hi][np.argsort(keys[lo:hi], kind=kind)]
    return np.split(who, offsets[1:-1])


def request_cutoffs(result: MatchResult) -> tuple[IntArray, IntArray]:
    """Per request: the worst admitted key (-1 if none) and the cut-off value (-1 while seats
    remain or when the request has none)."""
    market = result.market
    indptr = market.candidate_prefs[0]
    placed = np.flatnonzero(result.assignment >= 0)
    held_keys = market.keys[indptr[placed] + result.candidate_rank[placed]]
    worst = np.full(market.n_requests, -1, dtype=np.int64)
    np.maximum.at(worst, result.assignment[placed], held_keys)
    held = np.bincount(result.assignment[placed], minlength=market.n_requests)
    full = (held >= market.capacities) & (market.capacities > 0)
    values = np.where(full, worst // max(market.n_candidates, 1), -1)
    return worst, values.astype(np.int64)


def explain(result: MatchResult) -> Explanations:
    """Reasons for every candidate and the cut-off of every request (see `Explanations`);
    linear in the total list length, one compiled pass writing the rows
    (`_explain_kernels.explain_rows`), with no Python work per reason."""
    market = result.market
    indptr, indices = market.candidate_prefs
    worst, cut = request_cutoffs(result)
    held = np.bincount(result.assignment[result.assignment >= 0], minlength=market.n_requests)
    outcome = _outcomes(result)
    row_indptr, request, reason, value, cutoff, lost = _explain_kernels.explain_rows(
        indptr,
        indices,
        market.keys,
        outcome,
        result.active,
        held,
        market.capacities,
        worst,
        cut,
        max(market.n_candidates, 1),
    )
    return Explanations(
        indptr=row_indptr,
        request=request,
        reason=reason,
        value=value,
        cutoff=cutoff,
        lost_lottery=lost,
        cutoffs=cut,
    )


def entry_values(why: Explanations, indptr: IntArray, per_entry: IntArray) -> IntArray:
    """`per_entry` (one value per entry of the candidates' lists, whose CSR `indptr` this is)
    at each row of `why`: what a caller knows of a list entry, beside the reason for it."""
    values: IntArray = _explain_kernels.entry_values(why.indptr, indptr, per_entry)
    return values


def tail_tally(
    why: Explanations, codes: NDArray[np.int8], n_codes: int, tail_from: IntArray, filled: int
) -> tuple[IntArray, IntArray]:
    """Per candidate, the rows from its choice `tail_from[c]` (0-based) on, counted by
    `codes` (shape (candidates, n_codes)), and its row coded `filled` that came nearest its
    cut-off (least value - cut-off, the first of equals; -1 when none): a long tail of a list
    summarised rather than listed."""
    counts, closest = _explain_kernels.tail_tally(
        why.indptr, codes, n_codes, tail_from, why.value, why.cutoff, filled
    )
    return counts, closest
