"""Compiled passes behind `explain` (Numba): a season's explanations have a row for every
request above every candidate's outcome, 1.6 million on the demo season. One pass per output
writes the rows directly, where NumPy built a dozen temporaries of that length (a third of a
run's peak memory, and most of its time explaining)."""

# mypy: disable-error-code="misc"

from __future__ import annotations

import numpy as np
from numba import njit

# Reason codes, as `explain.FILLED, NOT_RANKED, COUPLE`.
FILLED, NOT_RANKED, COUPLE = 0, 1, 2


@njit(cache=True)
def explain_rows(indptr, indices, keys, outcome, active, held, capacities, worst, cut, scale):  # type: ignore[no-untyped-def]
    """The rows of `explain.Explanations`: for each active candidate, its list entries above
    `outcome[c]` (a position in its list), each with the request's reason, value, cut-off and
    whether the lottery decided. `worst[r]` is r's worst admitted key, `cut[r]` its cut-off
    value, `scale` the key's value unit (keys are value * scale + lottery)."""
    n = len(indptr) - 1
    row_indptr = np.zeros(n + 1, dtype=np.int64)
    for c in range(n):
        row_indptr[c + 1] = row_indptr[c] + (outcome[c] if active[c] else 0)
    total = row_indptr[n]
    request = np.empty(total, dtype=np.int64)
    reason = np.empty(total, dtype=np.int8)
    value = np.empty(total, dtype=np.int64)
    cutoff = np.empty(total, dtype=np.int64)
    lost = np.empty(total, dtype=np.bool_)
    for c in range(n):
        first = indptr[c]
        row = row_indptr[c]
        for j in range(row_indptr[c + 1] - row):
            r = indices[first + j]
            key = keys[first + j]
            request[row + j] = r
            if key < 0:
                reason[row + j] = NOT_RANKED
                value[row + j] = -1
                cutoff[row + j] = -1
                lost[row + j] = False
                continue
            v = key // scale
            value[row + j] = v
            if held[r] >= capacities[r] and key > worst[r]:
                reason[row + j] = FILLED
                cutoff[row + j] = cut[r]
                lost[row + j] = cut[r] >= 0 and v == cut[r]
            else:
                reason[row + j] = COUPLE
                cutoff[row + j] = -1
                lost[row + j] = False
    return row_indptr, request, reason, value, cutoff, lost


@njit(cache=True)
def entry_values(row_indptr, indptr, per_entry):  # type: ignore[no-untyped-def]
    """A per-list-entry array read at each explanation row (row j of candidate c is the j-th
    entry of c's list)."""
    out = np.empty(row_indptr[-1], dtype=per_entry.dtype)
    for c in range(len(row_indptr) - 1):
        row, first = row_indptr[c], indptr[c]
        for j in range(row_indptr[c + 1] - row):
            out[row + j] = per_entry[first + j]
    return out


@njit(cache=True)
def tail_tally(row_indptr, codes, n_codes, tail_from, value, cutoff, filled):  # type: ignore[no-untyped-def]
    """Per candidate, its rows from choice `tail_from[c]` on counted by code, and the row with
    code `filled` nearest its cut-off (least value - max(cutoff, 0), then first; -1 if none)."""
    n = len(row_indptr) - 1
    counts = np.zeros((n, n_codes), dtype=np.int64)
    closest = np.full(n, -1, dtype=np.int64)
    for c in range(n):
        best = 0
        for row in range(row_indptr[c] + tail_from[c], row_indptr[c + 1]):
            code = codes[row]
            counts[c, code] += 1
            if code == filled:
                margin = value[row] - max(cutoff[row], 0)
                if closest[c] < 0 or margin < best:
                    closest[c] = row
                    best = margin
    return counts, closest


@njit(cache=True)
def waiting_lists(indptr, indices, keys, outcome, active, n_requests):  # type: ignore[no-untyped-def]
    """Per request, the candidates who list it above their outcome and whom it ranks, with
    the key it gives each, in candidate order (a counting sort by request): request r's are
    `who[offsets[r]:offsets[r + 1]]`. The caller sorts each request's by key (NumPy's sort
    of a few thousand keys beats a compiled one)."""
    offsets = np.zeros(n_requests + 1, dtype=np.int64)
    n = len(indptr) - 1
    for c in range(n):
        if active[c]:
            for k in range(indptr[c], indptr[c] + outcome[c]):
                if keys[k] >= 0:
                    offsets[indices[k] + 1] += 1
    for r in range(n_requests):
        offsets[r + 1] += offsets[r]
    fill = offsets[:-1].copy()
    who = np.empty(offsets[n_requests], dtype=np.int64)
    key = np.empty(offsets[n_requests], dtype=np.int64)
    for c in range(n):
        if active[c]:
            for k in range(indptr[c], indptr[c] + outcome[c]):
                if keys[k] >= 0:
                    t = fill[indices[k]]
                    who[t] = c
                    key[t] = keys[k]
                    fill[indices[k]] = t + 1
    return offsets, who, key
