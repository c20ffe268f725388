"""Compiled inner loops (Numba): the only code here that walks every list entry one at a time.

Each kernel is plain loops over int64 arrays so it compiles once and runs in linear time.
"""

# mypy: disable-error-code="misc"

from __future__ import annotations

import numpy as np
from numba import njit

OPEN = np.iinfo(np.int64).max  # threshold of a request with a free seat: any key gets in

# `market_keys` status codes; anything but OK sends the caller to the detailed checks in
# `prefs`, which name the first faulty entry (the kernel stops at the first fault it meets).
OK = 0
BAD_CANDIDATE_ENTRY = 1  # out of range, or a request named twice in one candidate's list
BAD_REQUEST_ENTRY = 2  # out of range, or a candidate named twice in one request's list
BAD_RANK = 3  # a negative rank number


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
def market_keys(c_indptr, c_indices, r_indptr, r_indices, r_ranks, use_ranks, scale, lottery):  # type: ignore[no-untyped-def]
    """Validate both sides' entries and compute, for each candidate-list entry (c, r), the key
    r gives c (lower is better; -1 when r does not list c), in one pass over each input.

    The key is `value * scale + lottery[c]`: `value` is c's position in r's list, or r's rank
    number for c when `use_ranks`; the lottery breaks ties. Returns (status, keys); keys are
    only meaningful when status is OK. The CSR index pointers must already be valid.

    Each request's entries are first scattered to their candidate (a counting sort), so the
    candidate lists are then read, and the keys written, strictly in order: one random write
    per request entry instead of several random reads and writes per candidate entry.
    """
    n_candidates = len(c_indptr) - 1
    n_requests = len(r_indptr) - 1
    keys = np.empty(len(c_indices), dtype=np.int64)
    # How many requests list each candidate (range-checking the request lists on the way).
    end = np.zeros(n_candidates + 1, dtype=np.int64)
    for j in range(len(r_indices)):
        c = r_indices[j]
        if c < 0 or c >= n_candidates:
            return BAD_REQUEST_ENTRY, keys
        end[c + 1] += 1
    for c in range(n_candidates):
        end[c + 1] += end[c]
    # Scatter (request, value) to each candidate; `end[c]` then ends c's bucket, which starts
    # where c - 1's ends.
    bucket = np.empty((len(r_indices), 2), dtype=np.int64)
    for r in range(n_requests):
        start = r_indptr[r]
        for j in range(start, r_indptr[r + 1]):
            value = r_ranks[j] if use_ranks else j - start
            if value < 0:
                return BAD_RANK, keys
            c = r_indices[j]
            t = end[c]
            end[c] = t + 1
            bucket[t, 0] = r
            bucket[t, 1] = value
    # Walk the candidates in order. stamp[r] = (c, value) while c's bucket is spread out;
    # -c - 2 once c's own list has named r (so a second naming is caught).
    stamp = np.full((n_requests, 2), -1, dtype=np.int64)
    first = 0
    for c in range(n_candidates):
        for t in range(first, end[c]):
            r = bucket[t, 0]
            if stamp[r, 0] == c:
                return BAD_REQUEST_ENTRY, keys
            stamp[r, 0] = c
            stamp[r, 1] = bucket[t, 1]
        first = end[c]
        tie_break = lottery[c]
        named = -c - 2
        for k in range(c_indptr[c], c_indptr[c + 1]):
            r = c_indices[k]
            if r < 0 or r >= n_requests:
                return BAD_CANDIDATE_ENTRY, keys
            mark = stamp[r, 0]
            if mark == named:
                return BAD_CANDIDATE_ENTRY, keys
            keys[k] = stamp[r, 1] * scale + tie_break if mark == c else -1
            stamp[r, 0] = named
    return OK, keys


@njit(cache=True)
def deferred_acceptance(c_indptr, c_indices, keys, capacities, active):  # type: ignore[no-untyped-def]
    """Candidate-proposing deferred acceptance (Gale & Shapley 1962, many-to-one) on
    precomputed keys. Returns (assignment, position in own list, proposals made).
    `active[c]` False leaves candidate c out of the market (withdrawn, or placed elsewhere).
    """
    n_candidates = len(c_indptr) - 1
    n_requests = len(capacities)
    seats = 0
    for r in range(n_requests):
        seats += capacities[r]
    offsets = np.empty(n_requests + 1, dtype=np.int64)
    heap_key = np.empty(seats, dtype=np.int64)
    heap_who = np.empty(seats, dtype=np.int64)
    size = np.empty(n_requests, dtype=np.int64)
    threshold = np.empty(n_requests, dtype=np.int64)
    assignment = np.empty(n_candidates, dtype=np.int64)
    position = np.empty(n_candidates, dtype=np.int64)
    cursor = np.empty(n_candidates, dtype=np.int64)
    queue = np.empty(n_candidates + 1, dtype=np.int64)
    reset(c_indptr, capacities, offsets, size, threshold, assignment, position, cursor)
    tail = 0
    for c in range(n_candidates):
        if active[c]:
            queue[tail] = c
            tail += 1
    _, _, proposals = drain(
        c_indptr,
        c_indices,
        keys,
        1,
        np.zeros(0, dtype=np.int64),
        capacities,
        offsets,
        heap_key,
        heap_who,
        size,
        threshold,
        assignment,
        position,
        cursor,
        queue,
        0,
        tail,
    )
    return assignment, position, proposals


@njit(cache=True)
def reset(c_indptr, capacities, offsets, size, threshold, assignment, position, cursor):  # type: ignore[no-untyped-def]
    """Empty every request (heaps laid out by `capacities`) and unplace every candidate."""
    offsets[0] = 0
    for r in range(len(capacities)):
        offsets[r + 1] = offsets[r] + capacities[r]
        size[r] = 0
        threshold[r] = OPEN if capacities[r] > 0 else 0
    for c in range(len(c_indptr) - 1):
        assignment[c] = -1
        position[c] = -1
        cursor[c] = c_indptr[c]


@njit(cache=True)
def drain(  # type: ignore[no-untyped-def]
    c_indptr,
    c_indices,
    values,
    scale,
    lottery,
    capacities,
    offsets,
    heap_key,
    heap_who,
    size,
    threshold,
    assignment,
    position,
    cursor,
    queue,
    head,
    tail,
):
    """Let every candidate in the queue propose down their list until held or out of list,
    re-queueing whoever is evicted; returns (head, tail, proposals made). State lives in
    caller-owned arrays (`reset` empties them; `queue` is a ring one longer than the
    candidates, who are each queued at most once), so a simulated season reuses them and may
    queue more candidates and drain again.

    Request r gives candidate c the key `values[k] * scale + lottery[c]` for c's entry k (no
    lottery term when `lottery` is empty); a negative key means r does not list c. Computing
    keys here, at proposal time, means a simulated season only reads the entries someone
    actually proposes to.

    Each request keeps its held candidates in a max-heap on key, and `threshold[r]` is the
    key to beat: above every key while a seat is free, the worst held key once full, 0 with no
    seat; it only ever falls. Rejections, most proposals in a crowded market, then read one
    small array. With strict keys the candidate-optimal stable matching, and the set of
    proposals made, do not depend on the order in which candidates propose.
    """
    slots = len(queue)
    proposals = 0
    while head != tail:
        c = queue[head]
        head = head + 1 if head + 1 < slots else 0
        first = cursor[c]
        k = first
        end = c_indptr[c + 1]
        tie_break = lottery[c] if len(lottery) > 0 else 0
        while k < end:
            key = values[k] * scale + tie_break
            r = c_indices[k]
            k += 1
            if key < 0 or key >= threshold[r]:
                continue
            base = offsets[r]
            held = size[r]
            if held < capacities[r]:
                _heap_push(heap_key, heap_who, base, held, key, c)
                size[r] = held + 1
                if held + 1 == capacities[r]:
                    threshold[r] = heap_key[base]
            else:
                evicted = heap_who[base]
                _heap_replace_top(heap_key, heap_who, base, held, key, c)
                threshold[r] = heap_key[base]
                assignment[evicted] = -1
                position[evicted] = -1
                queue[tail] = evicted
                tail = tail + 1 if tail + 1 < slots else 0
            assignment[c] = r
            position[c] = k - 1 - c_indptr[c]
            break
        proposals += k - first
        cursor[c] = k
    return head, tail, proposals


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
