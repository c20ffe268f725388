"""The compiled `explain` and `alternates` equal the NumPy versions they replaced
(`explain_oracle`) on many random runs: couples, ties, empty lists, requests without seats,
withdrawals; and the report's helpers (`entry_values`, `tail_tally`) equal their definition."""

from __future__ import annotations

import numpy as np
import pytest
from tests.unit.engine import explain_oracle as oracle
from tests.unit.engine.strategies import random_market

from altmatch.engine import MatchResult, explain, solve, stable_match
from altmatch.engine.explain import Explanations, alternates, entry_values, tail_tally


def runs(seed: int) -> list[MatchResult]:
    """Random runs, and each again with some candidates withdrawn (the same lottery)."""
    rng = np.random.default_rng(seed)
    found = []
    for _ in range(20):
        spec = random_market(rng)
        result = stable_match(
            spec.candidate_prefs,
            spec.request_prefs,
            spec.capacities,
            request_ranks=spec.request_ranks,
            seed=int(rng.integers(0, 2**31)),
            couples=spec.couples,
            request_groups=spec.request_groups,
        )
        found.append(result)
        active = rng.random(result.market.n_candidates) >= 0.2
        found.append(solve(result.market, active))
    return found


def assert_same(ours: Explanations, theirs: Explanations) -> None:
    for name in ("indptr", "request", "reason", "value", "cutoff", "lost_lottery", "cutoffs"):
        a, b = getattr(ours, name), getattr(theirs, name)
        assert a.dtype == b.dtype, name
        assert a.tolist() == b.tolist(), name


@pytest.mark.parametrize("seed", range(30))
def test_explanations_and_alternates_are_those_numpy_gave(seed: int) -> None:
    for result in runs(seed):
        assert_same(explain(result), oracle.explain(result))
        ours, theirs = alternates(result), oracle.alternates(result)
        assert [a.tolist() for a in ours] == [a.tolist() for a in theirs]
        assert all(a.dtype == np.int64 for a in ours)


@pytest.mark.parametrize("seed", range(10))
def test_entry_values_and_the_tail_tally_follow_their_definition(seed: int) -> None:
    rng = np.random.default_rng(500 + seed)
    for result in runs(seed):
        why = explain(result)
        indptr = result.market.candidate_prefs[0]
        per_entry = rng.integers(0, 8, size=int(indptr[-1])).astype(np.int64)
        values = entry_values(why, indptr, per_entry)
        n_c = len(why.indptr) - 1
        owner = np.repeat(np.arange(n_c), np.diff(why.indptr))
        choice = np.arange(len(owner)) - why.indptr[owner]
        assert values.tolist() == per_entry[indptr[owner] + choice].tolist()
        codes = rng.integers(0, 4, size=len(owner)).astype(np.int8)
        tail_from = rng.integers(0, 4, size=n_c).astype(np.int64)
        counts, closest = tail_tally(why, codes, 4, tail_from, 0)
        for c in range(n_c):
            rows = range(int(why.indptr[c] + tail_from[c]), int(why.indptr[c + 1]))
            assert counts[c].tolist() == [sum(codes[i] == k for i in rows) for k in range(4)]
            margins = [
                (int(why.value[i]) - max(int(why.cutoff[i]), 0), i) for i in rows if codes[i] == 0
            ]
            assert closest[c] == (min(margins)[1] if margins else -1)
