"""Compiled inner loops (Numba): the only code here that walks every list entry one at a time.

Each kernel is plain loops over int64 arrays so it compiles once and runs in linear time.
"""

# mypy: disable-error-code="misc"

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def first_duplicate(indptr, indices, upper):  # type: ignore[no-untyped-def]
    """Flat position of the first entry that repeats an earlier entry of its list, or -1."""
    seen = np.full(upper, -1, dtype=np.int64)
    for row in range(len(indptr) - 1):
        for k in range(indptr[row], indptr[row + 1]):
            value = indices[k]
            if seen[value] == row:
                return k
            seen[value] = row
    return -1


@njit(cache=True)
def entry_keys(c_indptr, c_indices, r_indptr, r_indices, r_values, n_candidates, lottery):  # type: ignore[no-untyped-def]
    """For each candidate-list entry (c, r): the key r gives c (lower is better), -1 if r does
    not list c. The key is `value * n_candidates + lottery[c]`: `value` is the position in r's
    list, or r's rank number for c when ranks (with ties) are given; the lottery breaks ties.

    Works request by request with a scratch array, so the whole join is linear.
    """
    n_requests = len(r_indptr) - 1
    # Transpose the candidate lists: for each request, the flat positions that name it.
    counts = np.zeros(n_requests + 1, dtype=np.int64)
    for k in range(len(c_indices)):
        counts[c_indices[k] + 1] += 1
    for r in range(n_requests):
        counts[r + 1] += counts[r]
    fill = counts[:-1].copy()
    by_request = np.empty(len(c_indices), dtype=np.int64)
    owner = np.empty(len(c_indices), dtype=np.int64)
    for c in range(len(c_indptr) - 1):
        for k in range(c_indptr[c], c_indptr[c + 1]):
            owner[k] = c
            r = c_indices[k]
            by_request[fill[r]] = k
            fill[r] += 1
    keys = np.full(len(c_indices), -1, dtype=np.int64)
    mark = np.full(n_candidates, -1, dtype=np.int64)
    for r in range(n_requests):
        for j in range(r_indptr[r], r_indptr[r + 1]):
            mark[r_indices[j]] = r_values[j] * n_candidates + lottery[r_indices[j]]
        for t in range(counts[r], counts[r + 1]):
            k = by_request[t]
            keys[k] = mark[owner[k]]
        for j in range(r_indptr[r], r_indptr[r + 1]):
            mark[r_indices[j]] = -1
    return keys


@njit(cache=True)
def deferred_acceptance(c_indptr, c_indices, keys, capacities, active):  # type: ignore[no-untyped-def]
    """Candidate-proposing deferred acceptance (Gale & Shapley 1962, many-to-one).

    Each request keeps its held candidates in a max-heap on key, so a proposal costs
    O(log capacity). Returns (assignment, position in own list, proposals made).
    `active[c]` False leaves candidate c out of the market (withdrawn, or placed elsewhere).
    """
    n_candidates = len(c_indptr) - 1
    n_requests = len(capacities)
    offsets = np.zeros(n_requests + 1, dtype=np.int64)
    for r in range(n_requests):
        offsets[r + 1] = offsets[r] + capacities[r]
    heap_key = np.empty(offsets[n_requests], dtype=np.int64)
    heap_who = np.empty(offsets[n_requests], dtype=np.int64)
    size = np.zeros(n_requests, dtype=np.int64)
    assignment = np.full(n_candidates, -1, dtype=np.int64)
    position = np.full(n_candidates, -1, dtype=np.int64)
    next_choice = np.zeros(n_candidates, dtype=np.int64)
    stack = np.empty(n_candidates, dtype=np.int64)
    top = 0
    for c in range(n_candidates - 1, -1, -1):
        if active[c]:
            stack[top] = c
            top += 1
    proposals = 0
    while top > 0:
        top -= 1
        c = stack[top]
        while next_choice[c] < c_indptr[c + 1] - c_indptr[c]:
            k = c_indptr[c] + next_choice[c]
            next_choice[c] += 1
            proposals += 1
            key = keys[k]
            if key < 0:
                continue
            r = c_indices[k]
            base = offsets[r]
            if size[r] < capacities[r]:
                _heap_push(heap_key, heap_who, base, size[r], key, c)
                size[r] += 1
                assignment[c] = r
                position[c] = next_choice[c] - 1
                break
            if capacities[r] > 0 and key < heap_key[base]:
                evicted = heap_who[base]
                _heap_replace_top(heap_key, heap_who, base, size[r], key, c)
                assignment[c] = r
                position[c] = next_choice[c] - 1
                assignment[evicted] = -1
                position[evicted] = -1
                stack[top] = evicted
                top += 1
                break
    return assignment, position, proposals


@njit(cache=True)
def _heap_push(heap_key, heap_who, base, n, key, who):  # type: ignore[no-untyped-def]
    i = n
    while i > 0:
        parent = (i - 1) // 2
        if heap_key[base + parent] >= key:
            break
        heap_key[base + i] = heap_key[base + parent]
        heap_who[base + i] = heap_who[base + parent]
        i = parent
    heap_key[base + i] = key
    heap_who[base + i] = who


@njit(cache=True)
def _heap_replace_top(heap_key, heap_who, base, n, key, who):  # type: ignore[no-untyped-def]
    i = 0
    while True:
        left = 2 * i + 1
        if left >= n:
            break
        child = left
        right = left + 1
        if right < n and heap_key[base + right] > heap_key[base + left]:
            child = right
        if heap_key[base + child] <= key:
            break
        heap_key[base + i] = heap_key[base + child]
        heap_who[base + i] = heap_who[base + child]
        i = child
    heap_key[base + i] = key
    heap_who[base + i] = who


@njit(cache=True)
def entries_by_request(c_indices, n_requests):  # type: ignore[no-untyped-def]
    """The candidate-list entries naming each request (a counting-sort transpose, linear):
    request r's flat entry positions are `by_request[offsets[r]:offsets[r + 1]]`."""
    offsets = np.zeros(n_requests + 1, dtype=np.int64)
    for k in range(len(c_indices)):
        offsets[c_indices[k] + 1] += 1
    for r in range(n_requests):
        offsets[r + 1] += offsets[r]
    fill = offsets[:-1].copy()
    by_request = np.empty(len(c_indices), dtype=np.int64)
    for k in range(len(c_indices)):
        r = c_indices[k]
        by_request[fill[r]] = k
        fill[r] += 1
    return offsets, by_request
