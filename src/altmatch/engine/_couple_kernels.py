"""Compiled inner loops of the couples procedure and of the stability check (Numba).

The procedure (`couples`) keeps its control flow in Python: the queue, evictions, vacancy
offers and the state hash run a few hundred times a season. What ran tens of thousands of
times, a couple walking down its joint list and the check of every option above a couple's
own, is here, with the joint lists themselves and the per-entry passes of the check.

A request's holders live in a slot book: request r's slots are `slot_who[start[r]:start[r] +
count[r]]` (unordered; `slot_key` beside them is the key r gives each), with room for two
more than its capacity, as a couple's two seats are taken before the evicted leave.
"""

# mypy: disable-error-code="misc"

from __future__ import annotations

import numpy as np
from numba import njit

# `couple_blocks` status: OK, or the couple whose seats are not an option of its joint list.
OK = -1


@njit(cache=True)
def _group_buckets(indices, first, length, groups, n_groups, count, start, where):  # type: ignore[no-untyped-def]
    """Bucket one list's positions by the group of their request (a counting sort): group
    g's positions are `where[start[g]:start[g] + count[g]]`, in list order."""
    count[:] = 0
    for p in range(length):
        count[groups[indices[first + p]]] += 1
    total = 0
    for g in range(n_groups):
        start[g] = total
        total += count[g]
    count[:] = 0
    for p in range(length):
        g = groups[indices[first + p]]
        where[start[g] + count[g]] = p
        count[g] += 1


@njit(cache=True)
def joint_options(indptr, indices, groups, n_groups, capacities, members_a, members_b):  # type: ignore[no-untyped-def]
    """Every couple's joint list in one CSR (`joint.Joints`), for requests in groups
    0..n_groups - 1. Only pairs within one group are visited (b's list is bucketed by group),
    not every pair of positions; a pair (pa, pb) is kept when one request only has two seats
    or more. The kept pairs are then sorted by one key packing the documented order (sum,
    then the larger position, then pa; distinct for distinct pairs) and read back from it."""
    n_couples = len(members_a)
    count = np.zeros(max(n_groups, 1), dtype=np.int64)
    start = np.zeros(max(n_groups, 1), dtype=np.int64)
    bound = np.zeros(n_couples + 1, dtype=np.int64)
    longest = 0
    for k in range(n_couples):
        first_a, first_b = indptr[members_a[k]], indptr[members_b[k]]
        len_a = indptr[members_a[k] + 1] - first_a
        len_b = indptr[members_b[k] + 1] - first_b
        longest = max(longest, len_b)
        count[:] = 0
        for p in range(len_b):
            count[groups[indices[first_b + p]]] += 1
        pairs = 0
        for p in range(len_a):
            pairs += count[groups[indices[first_a + p]]]
        bound[k + 1] = bound[k] + pairs
    where = np.empty(longest, dtype=np.int64)
    keys = np.empty(bound[n_couples], dtype=np.int64)
    joint_indptr = np.zeros(n_couples + 1, dtype=np.int64)
    for k in range(n_couples):
        first_a, first_b = indptr[members_a[k]], indptr[members_b[k]]
        len_a = indptr[members_a[k] + 1] - first_a
        len_b = indptr[members_b[k] + 1] - first_b
        _group_buckets(indices, first_b, len_b, groups, n_groups, count, start, where)
        scale = max(len_a, len_b) + 1
        t = bound[k]
        for pa in range(len_a):
            ra = indices[first_a + pa]
            g = groups[ra]
            for i in range(start[g], start[g] + count[g]):
                pb = where[i]
                if ra == indices[first_b + pb] and capacities[ra] < 2:
                    continue
                keys[t] = ((pa + pb) * scale + max(pa, pb)) * scale + pa
                t += 1
        keys[bound[k] : t].sort()
        joint_indptr[k + 1] = joint_indptr[k] + t - bound[k]
    total = joint_indptr[n_couples]
    request_a = np.empty(total, dtype=np.int64)
    request_b = np.empty(total, dtype=np.int64)
    entry_a = np.empty(total, dtype=np.int64)
    entry_b = np.empty(total, dtype=np.int64)
    for k in range(n_couples):
        first_a, first_b = indptr[members_a[k]], indptr[members_b[k]]
        len_a = indptr[members_a[k] + 1] - first_a
        len_b = indptr[members_b[k] + 1] - first_b
        scale = max(len_a, len_b) + 1
        for j in range(joint_indptr[k + 1] - joint_indptr[k]):
            key = keys[bound[k] + j]
            pa = key % scale
            pb = key // (scale * scale) - pa
            t = joint_indptr[k] + j
            entry_a[t] = first_a + pa
            entry_b[t] = first_b + pb
            request_a[t] = indices[first_a + pa]
            request_b[t] = indices[first_b + pb]
    return joint_indptr, request_a, request_b, entry_a, entry_b


@njit(cache=True)
def _takes(r, keys_in, cut, a, b, capacities, start, count, slot_who, slot_key):  # type: ignore[no-untyped-def]
    """Would r admit `keys_in` newcomers whose worst key is `cut`, a and b's seats released?
    As `joint.evictions`: enough holders rank below every newcomer to make room."""
    held = 0
    worse = 0
    for s in range(start[r], start[r] + count[r]):
        who = slot_who[s]
        if who in (a, b):
            continue
        held += 1
        if slot_key[s] > cut:
            worse += 1
    excess = held + keys_in - capacities[r]
    return excess <= 0 or worse >= excess


@njit(cache=True)
def _admitted(ra, rb, ka, kb, a, b, capacities, start, count, slot_who, slot_key):  # type: ignore[no-untyped-def]
    """Is the option (ra, rb) won at both seats, the couple's own seats counted as released?"""
    if ka < 0 or kb < 0:
        return False
    if ra == rb:
        cut = ka if ka > kb else kb
        return _takes(ra, 2, cut, a, b, capacities, start, count, slot_who, slot_key)
    return _takes(ra, 1, ka, a, b, capacities, start, count, slot_who, slot_key) and _takes(
        rb, 1, kb, a, b, capacities, start, count, slot_who, slot_key
    )


@njit(cache=True)
def first_admitted(  # type: ignore[no-untyped-def]
    request_a,
    request_b,
    key_a,
    key_b,
    lo,
    hi,
    a,
    b,
    via,
    via_r,
    capacities,
    start,
    count,
    slot_who,
    slot_key,
):
    """The first option in [lo, hi) of couple (a, b) won at both seats, or hi. With
    `via_r` >= 0, only options whose `via` request (a's or b's side) is via_r count."""
    for i in range(lo, hi):
        if via_r >= 0 and via[i] != via_r:
            continue
        if _admitted(
            request_a[i],
            request_b[i],
            key_a[i],
            key_b[i],
            a,
            b,
            capacities,
            start,
            count,
            slot_who,
            slot_key,
        ):
            return i
    return hi


@njit(cache=True)
def first_taken(indices, keys, lo, hi, capacities, start, count, slot_who, slot_key):  # type: ignore[no-untyped-def]
    """The first entry in [lo, hi) of a single's list whose request would take it alone, or hi."""
    for k in range(lo, hi):
        key = keys[k]
        if key >= 0 and _takes(
            indices[k], 1, key, -1, -1, capacities, start, count, slot_who, slot_key
        ):
            return k
    return hi


@njit(cache=True)
def outcomes(indptr, indices, keys, assignment):  # type: ignore[no-untyped-def]
    """Per candidate: the position of its request in its own list (the list's length when
    unplaced or placed off it) and the key that request gives it (-1 when unplaced); and the
    first candidate placed where it is not ranked, and the first placed off its list (-1)."""
    n = len(indptr) - 1
    outcome_pos = np.empty(n, dtype=np.int64)
    held_key = np.full(n, -1, dtype=np.int64)
    unranked = -1
    off_list = -1
    for c in range(n):
        r = assignment[c]
        outcome_pos[c] = indptr[c + 1] - indptr[c]
        if r < 0:
            continue
        for k in range(indptr[c], indptr[c + 1]):
            if indices[k] == r:
                outcome_pos[c] = k - indptr[c]
                held_key[c] = keys[k]
                if keys[k] < 0 and unranked < 0:
                    unranked = c
                break
        else:
            if off_list < 0:
                off_list = c
    return outcome_pos, held_key, unranked, off_list


@njit(cache=True)
def blocking_singles(indptr, indices, keys, outcome_pos, single, held, worst, capacities):  # type: ignore[no-untyped-def]
    """Every (candidate, request, position) where a single prefers a request that would take
    it (a free seat, or a held key worse than its own), by candidate then position."""
    n = len(indptr) - 1
    found = 0
    for step in range(2):
        if step:
            who = np.empty(found, dtype=np.int64)
            request = np.empty(found, dtype=np.int64)
            position = np.empty(found, dtype=np.int64)
            found = 0
        else:
            who = np.empty(0, dtype=np.int64)
            request = who
            position = who
        for c in range(n):
            if not single[c]:
                continue
            first = indptr[c]
            for k in range(first, first + outcome_pos[c]):
                key = keys[k]
                r = indices[k]
                if key < 0 or (held[r] >= capacities[r] and key >= worst[r]):
                    continue
                if step:
                    who[found] = c
                    request[found] = r
                    position[found] = k - first
                found += 1
    return who, request, position


@njit(cache=True)
def slot_book(assignment, held_key, capacities):  # type: ignore[no-untyped-def]
    """The slot book (module docstring) of an assignment: holders in candidate order."""
    n_requests = len(capacities)
    start = np.empty(n_requests + 1, dtype=np.int64)
    start[0] = 0
    for r in range(n_requests):
        start[r + 1] = start[r] + capacities[r] + 2
    count = np.zeros(n_requests, dtype=np.int64)
    slot_who = np.full(start[n_requests], -1, dtype=np.int64)
    slot_key = np.full(start[n_requests], -1, dtype=np.int64)
    for c in range(len(assignment)):
        r = assignment[c]
        if r >= 0:
            s = start[r] + count[r]
            slot_who[s] = c
            slot_key[s] = held_key[c]
            count[r] += 1
    return start, count, slot_who, slot_key


@njit(cache=True)
def couple_blocks(  # type: ignore[no-untyped-def]
    joint_indptr,
    request_a,
    request_b,
    key_a,
    key_b,
    members_a,
    members_b,
    assignment,
    held_key,
    capacities,
):
    """Every couple option above the couple's own that both requests would grant, as
    (couple, option) in couple then option order; and OK, or the first couple whose seats
    are not an option of its joint list. Holders may not exceed capacities (checked first)."""
    start, count, slot_who, slot_key = slot_book(assignment, held_key, capacities)
    n_couples = len(members_a)
    found = 0
    for step in range(2):
        if step:
            block_k = np.empty(found, dtype=np.int64)
            block_i = np.empty(found, dtype=np.int64)
            found = 0
        else:
            block_k = np.empty(0, dtype=np.int64)
            block_i = block_k
        for k in range(n_couples):
            a, b = members_a[k], members_b[k]
            now_a, now_b = assignment[a], assignment[b]
            lo, hi = joint_indptr[k], joint_indptr[k + 1]
            current = hi
            if now_a >= 0 or now_b >= 0:
                current = -1
                for i in range(lo, hi):
                    if request_a[i] == now_a and request_b[i] == now_b:
                        current = i
                        break
                if current < 0:
                    return k, block_k, block_i
            for i in range(lo, current):
                if _admitted(
                    request_a[i],
                    request_b[i],
                    key_a[i],
                    key_b[i],
                    a,
                    b,
                    capacities,
                    start,
                    count,
                    slot_who,
                    slot_key,
                ):
                    if step:
                        block_k[found] = k
                        block_i[found] = i - lo
                    found += 1
    return OK, block_k, block_i
