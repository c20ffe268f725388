"""build_market: one compiled pass validates and computes keys; it must agree with the
definitions entry by entry, catch every fault the detailed checks name, and copy nothing."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.unit.engine.reference import value_at
from tests.unit.engine.strategies import MarketSpec, markets

from altmatch.engine import build_market


def csr(lists: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    indptr = np.cumsum([0] + [len(row) for row in lists], dtype=np.int64)
    flat = [v for row in lists for v in row]
    return indptr, np.asarray(flat, dtype=np.int64)


@settings(max_examples=150, deadline=None)
@given(markets(ties=True), st.booleans(), st.randoms(use_true_random=False))
def test_every_key_is_the_value_times_n_plus_the_lottery(
    spec: MarketSpec, ties: bool, rng: random.Random
) -> None:
    ranks = spec.request_ranks if ties else None
    if ranks is not None and rng.random() < 0.5:  # rank numbers need not be in list order
        ranks = [rng.sample(row, len(row)) for row in ranks]
    shown = MarketSpec(spec.candidate_prefs, spec.request_prefs, spec.capacities, ranks)
    market = build_market(
        spec.candidate_prefs, spec.request_prefs, spec.capacities, request_ranks=ranks, seed=3
    )
    n = len(spec.candidate_prefs)
    expected = [
        -1 if (v := value_at(shown, r, c)) is None else v * n + int(market.lottery[c])
        for c, prefs in enumerate(spec.candidate_prefs)
        for r in prefs
    ]
    assert market.keys.tolist() == expected
    flat_ranks = [v for row in ranks for v in row] if ranks is not None else None
    positions = [j for row in spec.request_prefs for j in range(len(row))]
    assert market.request_values.tolist() == (flat_ranks or positions)


def first_fault(spec: MarketSpec, ranks: list[list[int]] | None) -> str:
    """The message the documented checks give, in their order: candidate lists, request
    lists, then ranks; in each, the first faulty entry in reading order."""
    n_c, n_r = len(spec.candidate_prefs), len(spec.capacities)
    sides = (
        ("candidate_prefs", spec.candidate_prefs, n_r, "request"),
        ("request_prefs", spec.request_prefs, n_c, "candidate"),
    )
    for name, lists, upper, what in sides:
        for i, row in enumerate(lists):
            for j, v in enumerate(row):
                if not 0 <= v < upper:
                    return f"{name}[{i}][{j}]: {what} {v} is out of range 0..{upper - 1}"
        for i, row in enumerate(lists):
            for j, v in enumerate(row):
                if v in row[:j]:
                    return f"{name}[{i}][{j}]: {what} {v} appears twice in list {i}"
    assert ranks is not None
    for i, row in enumerate(ranks):
        for j, v in enumerate(row):
            if v < 0:
                return f"request_ranks[{i}][{j}]: rank {v} is negative"
    raise AssertionError("no fault")


@settings(max_examples=300, deadline=None)
@given(markets(ties=True), st.randoms(use_true_random=False), st.booleans())
def test_any_fault_is_caught_and_named_at_its_first_entry(
    spec: MarketSpec, rng: random.Random, as_arrays: bool
) -> None:
    cand = [list(row) for row in spec.candidate_prefs]
    req = [list(row) for row in spec.request_prefs]
    ranks = [list(row) for row in spec.request_ranks or []]
    for _ in range(rng.randint(1, 3)):
        where = rng.choice(["cand", "req", "rank"])
        lists = {"cand": cand, "req": req, "rank": ranks}[where]
        rows = [row for row in lists if row]
        if not rows:
            continue
        row = rng.choice(rows)
        j = rng.randrange(len(row))
        if where == "rank":
            row[j] = -rng.randint(1, 3)
        elif rng.random() < 0.5 and len(row) > 1:
            row[j] = row[rng.choice([i for i in range(len(row)) if i != j])]
        else:
            upper = len(spec.capacities) if where == "cand" else len(spec.candidate_prefs)
            row[j] = rng.choice([-1, upper, upper + 5])
    faulty = MarketSpec(cand, req, spec.capacities)
    try:
        expected = first_fault(faulty, ranks)
    except AssertionError:
        return  # nothing was faulty after all (every list drawn was empty)
    args = (csr(cand), csr(req), csr(ranks)) if as_arrays else (cand, req, ranks)
    with pytest.raises(ValueError) as caught:
        build_market(args[0], args[1], spec.capacities, request_ranks=args[2], seed=0)
    assert str(caught.value) == expected


def test_entry_faults_come_before_couples_and_ranks_as_they_always_did() -> None:
    with pytest.raises(ValueError, match=r"candidate_prefs\[0\]\[0\]: request 7"):
        build_market([[7]], [[0]], [1], request_ranks=[[0, 0]], couples=[(0, 0)], seed=0)
    with pytest.raises(ValueError, match="cannot be coupled with itself"):
        build_market([[0]], [[0]], [1], request_ranks=[[0, 0]], couples=[(0, 0)], seed=0)
    with pytest.raises(ValueError, match="one rank per entry"):
        build_market([[0]], [[0]], [1], request_ranks=[[0, 0]], seed=0)
    with pytest.raises(ValueError, match=r"request_ranks: expected 1 lists, got 2"):
        build_market([[0]], [[0]], [1], request_ranks=[[0], [0]], seed=0)


def test_int64_csr_arrays_are_used_as_they_are_and_int32_ones_are_converted() -> None:
    cand, req = csr([[0, 1], [1], [0]]), csr([[2, 0], [0, 1]])
    market = build_market(cand, req, np.array([1, 1]), seed=0)
    assert market.candidate_prefs[0] is cand[0] and market.candidate_prefs[1] is cand[1]
    assert market.request_prefs[1] is req[1]
    small = tuple(a.astype(np.int32) for a in cand)
    again = build_market(small, req, [1, 1], seed=0)
    assert again.candidate_prefs[1].dtype == np.int64
    assert again.keys.tolist() == market.keys.tolist()


def test_lists_of_any_rows_pack_like_csr() -> None:
    rows = [np.array([0, 1]), (1,), range(0, 1), []]
    market = build_market(rows, iter([[2, 0], [0, 1, 2]]), [1, 1], seed=0)
    assert market.candidate_prefs[0].tolist() == [0, 2, 3, 4, 4]
    assert market.candidate_prefs[1].tolist() == [0, 1, 1, 0]
    lazy = build_market((iter(r) for r in [[0, 1], [1], [0], []]), [[2, 0], [0, 1, 2]], [1, 1])
    assert lazy.candidate_prefs[1].tolist() == [0, 1, 1, 0]
