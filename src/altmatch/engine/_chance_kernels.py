"""Compiled Monte Carlo loop (Numba, parallel over seasons): one simulated season per iteration.

Every random draw comes from a counter-based generator keyed by (seed, season, stream, index),
so a season's draws do not depend on which thread runs it: results are identical for any
number of workers.
"""

# mypy: disable-error-code="misc"

from __future__ import annotations

import numpy as np
from numba import njit, prange

from altmatch.engine._kernels import drain, reset

_STREAM_WITHDRAW = 1
_STREAM_DEMAND = 2
_STREAM_LOTTERY = 3
_MASK64 = (1 << 64) - 1


@njit(cache=True)
def _mix(x):  # type: ignore[no-untyped-def]
    """SplitMix64 finaliser (Steele, Lea & Flood 2014): a well-mixed 64-bit hash."""
    x = (x + np.uint64(0x9E3779B97F4A7C15)) & np.uint64(_MASK64)
    x = ((x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)) & np.uint64(_MASK64)
    x = ((x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)) & np.uint64(_MASK64)
    return x ^ (x >> np.uint64(31))


@njit(cache=True)
def _stream(seed, season, stream):  # type: ignore[no-untyped-def]
    """The key of one (seed, season, stream): hashed once, then once more per draw."""
    return _mix(np.uint64(seed) ^ _mix(np.uint64(season) * np.uint64(4) + np.uint64(stream)))


@njit(cache=True)
def _uniform(stream_key, index):  # type: ignore[no-untyped-def]
    """Draw `index` of a stream: uniform on [0, 1) with 53 random bits."""
    h = _mix(stream_key ^ np.uint64(index))
    return (h >> np.uint64(11)) * (1.0 / 9007199254740992.0)


@njit(cache=True)
def _lottery(stream_key, draws, order, bucket_start, lottery):  # type: ignore[no-untyped-def]
    """One tie-break number per candidate: the rank of their draw (0 for the lowest).

    The draws are uniform, so a counting sort on `floor(draw * n)` leaves about one per bucket
    and an insertion sort finishes each: linear time, where sorting all draws was the season's
    largest cost after the match itself. The order is the draws' order, so the ranks are those
    `np.argsort(draws)` gives; should two draws be equal (about once in 500 million seasons of
    6,000 candidates) `np.argsort` itself decides, as it always did.
    """
    n = len(draws)
    for c in range(n):
        draws[c] = _uniform(stream_key, c)
    bucket_start[:] = 0
    for c in range(n):
        bucket_start[min(int(draws[c] * n), n - 1) + 1] += 1
    for b in range(n):
        bucket_start[b + 1] += bucket_start[b]
    fill = lottery  # scratch until the ranks are written
    fill[:] = bucket_start[:-1]
    for c in range(n):
        b = min(int(draws[c] * n), n - 1)
        order[fill[b]] = c
        fill[b] += 1
    for b in range(n):
        low = bucket_start[b]
        for i in range(low + 1, bucket_start[b + 1]):
            c = order[i]
            j = i - 1
            while j >= low and draws[order[j]] > draws[c]:
                order[j + 1] = order[j]
                j -= 1
            order[j + 1] = c
    for i in range(n - 1):
        if draws[order[i]] == draws[order[i + 1]]:
            order[:] = np.argsort(draws)
            break
    for i in range(n):
        lottery[order[i]] = i


@njit(cache=True)
def mutual_lists(c_indptr, c_indices, r_indptr, r_candidates, r_values):  # type: ignore[no-untyped-def]
    """Each request's list (given sorted by value) cut down to the candidates who list that
    request too: the only ones its list ever needs to let in. Returns (indptr, candidates,
    values). Linear: a counting sort of the candidate lists by request, then a stamp per
    request."""
    n_candidates = len(c_indptr) - 1
    n_requests = len(r_indptr) - 1
    start = np.zeros(n_requests + 1, dtype=np.int64)
    for k in range(len(c_indices)):
        start[c_indices[k] + 1] += 1
    for r in range(n_requests):
        start[r + 1] += start[r]
    fill = start[:-1].copy()
    applicants = np.empty(len(c_indices), dtype=np.int64)
    for c in range(n_candidates):
        for k in range(c_indptr[c], c_indptr[c + 1]):
            r = c_indices[k]
            applicants[fill[r]] = c
            fill[r] += 1
    stamp = np.full(n_candidates, -1, dtype=np.int64)
    indptr = np.zeros(n_requests + 1, dtype=np.int64)
    candidates = np.empty(min(len(r_candidates), len(c_indices)), dtype=np.int64)
    values = np.empty(len(candidates), dtype=np.int64)
    out = 0
    for r in range(n_requests):
        for t in range(start[r], start[r + 1]):
            stamp[applicants[t]] = r
        for j in range(r_indptr[r], r_indptr[r + 1]):
            c = r_candidates[j]
            if stamp[c] == r:
                candidates[out] = c
                values[out] = r_values[j]
                out += 1
        indptr[r + 1] = out
    return indptr, candidates[:out], values[:out]


@njit(cache=True)
def _join(c, stay, in_play, queue, tail):  # type: ignore[no-untyped-def]
    """Queue candidate c to propose, unless withdrawn or already proposing; returns the tail."""
    if not stay[c] or in_play[c]:
        return tail
    in_play[c] = True
    queue[tail] = c
    return tail + 1 if tail + 1 < len(queue) else 0


@njit(cache=True)
def _match_season(  # type: ignore[no-untyped-def]
    c_indptr,
    c_indices,
    entry_values,
    r_indptr,
    r_candidates,
    r_values,
    first_in,
    first_reach,
    scale,
    lottery,
    caps,
    stay,
    in_play,
    reached,
    offsets,
    heap_key,
    heap_who,
    size,
    threshold,
    assignment,
    position,
    cursor,
    queue,
):
    """The season's candidate-optimal stable matching, letting only candidates who could be
    placed propose.

    In a crowded season most candidates are placed nowhere, and deferred acceptance would have
    each of them propose down their whole list (for the demo season, 1.2 of 1.3 million
    proposals). Instead each request r lets in only the head of its list (sorted best first):
    `first_reach[r]` entries, whose candidates are `first_in`. After a round of deferred
    acceptance, a request with a free seat lets in that many more, and a full one whose worst
    held key the next on its list could beat lets in up to as many as it has seats of those
    who would beat it (a few at a time: each newcomer it takes raises its bar, and whoever is
    let in but placed nowhere proposes down their whole list). Rounds repeat until no request
    lets anyone in. Then every candidate left out is, at each request on their list, unlisted
    or unable to beat the request's final threshold (thresholds only fall): proposing last
    (deferred acceptance does not depend on the order of proposals) they would be turned away
    everywhere, so the matching is exactly the one all candidates proposing would reach.
    `reached[r]` is how far down r's list candidates have been let in.
    """
    reset(c_indptr, caps, offsets, size, threshold, assignment, position, cursor)
    in_play[:] = False
    reached[:] = first_reach
    head = 0
    tail = 0
    for c in first_in:
        tail = _join(c, stay, in_play, queue, tail)
    while True:  # until a round lets nobody in (the first may start with nobody)
        head, tail, _ = drain(
            c_indptr,
            c_indices,
            entry_values,
            scale,
            lottery,
            caps,
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
        )
        for r in range(len(caps)):
            j = reached[r]
            end = r_indptr[r + 1]
            if caps[r] == 0 or j == end:
                continue
            if size[r] < caps[r]:
                free = caps[r] - size[r]
                while j < end and free > 0:
                    before = tail
                    tail = _join(r_candidates[j], stay, in_play, queue, tail)
                    if tail != before:
                        free -= 1
                    j += 1
            else:
                free = caps[r]
                while j < end and free > 0 and r_values[j] * scale < threshold[r]:
                    c = r_candidates[j]
                    tie_break = lottery[c] if len(lottery) > 0 else 0
                    if r_values[j] * scale + tie_break < threshold[r]:
                        before = tail
                        tail = _join(c, stay, in_play, queue, tail)
                        if tail != before:
                            free -= 1
                    j += 1
            reached[r] = j
        if head == tail:
            return


@njit(cache=True, parallel=True)
def simulate_batch(  # type: ignore[no-untyped-def]
    seed,
    first_season,
    n_seasons,
    c_indptr,
    c_indices,
    entry_values,
    r_indptr,
    r_candidates,
    r_values,
    first_in,
    first_reach,
    has_ties,
    base_caps,
    withdrawal,
    request_drop,
    seat_gain,
    seat_loss,
    placed,
    withdrawn,
    entry_hits,
    existed,
    filled,
    cutoff_sum,
    taken,
):
    """Simulate seasons [first_season, first_season + n_seasons), split into as many parallel
    chunks as the tallies have rows, adding each chunk's counts to its row (the caller sums the
    rows): per candidate seasons placed and seasons withdrawn; per candidate-list entry seasons
    placed there; per request seasons it existed, seasons it filled every seat, the sum of its
    cut-off values over filled seasons, and seats taken summed over seasons.

    `entry_values[k]` is candidate-list entry k's value at its request (position or rank, -1
    unlisted); `r_candidates` and `r_values` are each request's list sorted by value;
    `first_in` and `first_reach` whom the requests first let in (see `_match_season`). A
    season's keys are `value * n_candidates + lottery[c]`, computed as candidates propose.
    """
    n_chunks = placed.shape[0]
    n_candidates = len(c_indptr) - 1
    n_requests = len(base_caps)
    most_seats = n_requests  # each request may gain one seat
    for r in range(n_requests):
        most_seats += base_caps[r]
    per_chunk = (n_seasons + n_chunks - 1) // n_chunks
    for chunk in prange(n_chunks):
        start = first_season + chunk * per_chunk
        stop = min(first_season + n_seasons, start + per_chunk)
        # Scratch for every season of this chunk, allocated once.
        stay = np.empty(n_candidates, dtype=np.bool_)
        in_play = np.empty(n_candidates, dtype=np.bool_)
        caps = np.empty(n_requests, dtype=np.int64)
        lottery = np.empty(n_candidates if has_ties else 0, dtype=np.int64)
        draws = np.empty(n_candidates, dtype=np.float64)
        order = np.empty(n_candidates, dtype=np.int64)
        bucket_start = np.empty(n_candidates + 1, dtype=np.int64)
        reached = np.empty(n_requests, dtype=np.int64)
        offsets = np.empty(n_requests + 1, dtype=np.int64)
        heap_key = np.empty(most_seats, dtype=np.int64)
        heap_who = np.empty(most_seats, dtype=np.int64)
        size = np.empty(n_requests, dtype=np.int64)
        threshold = np.empty(n_requests, dtype=np.int64)
        assignment = np.empty(n_candidates, dtype=np.int64)
        position = np.empty(n_candidates, dtype=np.int64)
        cursor = np.empty(n_candidates, dtype=np.int64)
        queue = np.empty(n_candidates + 1, dtype=np.int64)
        held = np.empty(n_requests, dtype=np.int64)
        worst = np.empty(n_requests, dtype=np.int64)
        for season in range(start, stop):
            key = _stream(seed, season, _STREAM_WITHDRAW)
            for c in range(n_candidates):
                stay[c] = _uniform(key, c) >= withdrawal
            key = _stream(seed, season, _STREAM_DEMAND)
            for r in range(n_requests):
                u = _uniform(key, r)
                caps[r] = base_caps[r]
                if u < request_drop:
                    caps[r] = 0
                elif u < request_drop + seat_gain:
                    caps[r] += 1
                elif u < request_drop + seat_gain + seat_loss and caps[r] > 0:
                    caps[r] -= 1
            if has_ties:
                _lottery(
                    _stream(seed, season, _STREAM_LOTTERY), draws, order, bucket_start, lottery
                )
            _match_season(
                c_indptr,
                c_indices,
                entry_values,
                r_indptr,
                r_candidates,
                r_values,
                first_in,
                first_reach,
                n_candidates,
                lottery,
                caps,
                stay,
                in_play,
                reached,
                offsets,
                heap_key,
                heap_who,
                size,
                threshold,
                assignment,
                position,
                cursor,
                queue,
            )
            held[:] = 0
            worst[:] = -1
            for c in range(n_candidates):
                if not stay[c]:
                    withdrawn[chunk, c] += 1
                    continue
                r = assignment[c]
                if r >= 0:
                    placed[chunk, c] += 1
                    k = c_indptr[c] + position[c]
                    entry_hits[chunk, k] += 1
                    held[r] += 1
                    if entry_values[k] > worst[r]:
                        worst[r] = entry_values[k]
            for r in range(n_requests):
                taken[chunk, r] += held[r]
                if caps[r] > 0:
                    existed[chunk, r] += 1
                    if held[r] >= caps[r]:
                        filled[chunk, r] += 1
                        cutoff_sum[chunk, r] += worst[r]
