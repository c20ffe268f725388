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
from typing import Literal, NamedTuple

import numpy as np
from numpy.typing import NDArray

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
FILLED, NOT_RANKED, COUPLE = 0, 1, 2
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


def _entries(result: MatchResult) -> tuple[IntArray, IntArray, NDArray[np.bool_]]:
    """Owner and position of every candidate-list entry, and whether it lies above the owner's
    outcome (unplaced is below everything) for a candidate still in the run."""
    indptr = result.market.candidate_prefs[0]
    lengths = np.diff(indptr)
    owner = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
    position = np.arange(int(indptr[-1]), dtype=np.int64) - indptr[owner]
    outcome = np.where(result.assignment >= 0, result.candidate_rank, lengths)
    above = (position < outcome[owner]) & result.active[owner]
    return owner, position, above


def alternates(result: MatchResult) -> list[IntArray]:
    """Per request r, best first by r's key (ties in the lottery's order): the candidates who
    list r, whom r lists, who are not placed at r and prefer r to their outcome. In a stable
    matching all of them rank below r's cut-off: they are who r would call if seats opened."""
    market = result.market
    owner, _, above = _entries(result)
    keep = above & (market.keys >= 0)
    requests, who, keys = market.candidate_prefs[1][keep], owner[keep], market.keys[keep]
    span = int(keys.max()) + 1 if len(keys) else 1
    if market.n_requests * span < 2**62:  # one int64 key sorts faster than two
        order = np.argsort(requests * span + keys)
    else:
        order = np.lexsort((keys, requests))
    counts = np.bincount(requests, minlength=market.n_requests)
    return np.split(who[order].astype(np.int64), np.cumsum(counts)[:-1])


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
    linear in the total list length, with no Python work per reason."""
    market = result.market
    indices = market.candidate_prefs[1]
    worst, cut = request_cutoffs(result)
    owner, _, above = _entries(result)
    sel = np.flatnonzero(above)
    requests = indices[sel]
    keys = market.keys[sel]
    ranked = keys >= 0
    held = np.bincount(result.assignment[result.assignment >= 0], minlength=market.n_requests)
    full = held[requests] >= market.capacities[requests]
    filled = ranked & full & (keys > worst[requests])
    values = np.where(ranked, keys // max(market.n_candidates, 1), -1)
    cut_sel = np.where(filled, cut[requests], -1)
    reason = np.where(ranked, np.where(filled, FILLED, COUPLE), NOT_RANKED).astype(np.int8)
    indptr = np.zeros(market.n_candidates + 1, dtype=np.int64)
    np.cumsum(np.bincount(owner[sel], minlength=market.n_candidates), out=indptr[1:])
    return Explanations(
        indptr=indptr,
        request=requests.astype(np.int64),
        reason=reason,
        value=values.astype(np.int64),
        cutoff=cut_sel.astype(np.int64),
        lost_lottery=filled & (cut_sel >= 0) & (values == cut_sel),
        cutoffs=cut,
    )
