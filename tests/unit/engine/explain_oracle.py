"""`explain` and `alternates` as they were in NumPy, before their passes over every list
entry moved to compiled kernels: the oracle those are tested against (`test_explain_kernels`).
Kept here, not in src, so nothing in a run depends on it."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from altmatch.engine.explain import COUPLE, FILLED, NOT_RANKED, Explanations, request_cutoffs
from altmatch.engine.market import MatchResult
from altmatch.engine.prefs import IntArray


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
