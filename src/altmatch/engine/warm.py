"""Compile the engine's Numba kernels ahead of use: `python -m altmatch.engine.warm`.

The kernels are compiled on first call and cached on disk (`cache=True`), so without this the
first `altmatch chances` after an install took 8.6 s longer and the first `altmatch match` 1.6 s
(issue 16). `make install` runs this after pip (and when the engine's source changes), as the
same user and with the same NUMBA_CACHE_DIR (unset: the `__pycache__` beside the engine's
source) as later commands, so they find every kernel compiled.

It drives the public engine functions on a tiny market rather than the kernels themselves, the
way the season services do (ranked lists with ties, couples in one BoE, withdrawals,
explanations, simulated seasons, a faulty list), so that every kernel, and every argument type
a command passes it, is compiled even when the engine's internals change.
"""

from __future__ import annotations

import contextlib

import numpy as np

from altmatch.engine.chances import Uncertainty, estimate_chances
from altmatch.engine.explain import alternates, entry_values, explain, tail_tally
from altmatch.engine.market import build_market
from altmatch.engine.match import stable_match
from altmatch.engine.upgrade import withdraw

# Two couples, (0, 1) and (2, 3), for three places of one BoE. The second couple displaces a
# member of the first, whose partner's seat falls vacant and is offered on: the couples
# procedure with a vacancy chain, which a market without couples never reaches.
CANDIDATE_PREFS = [[0, 1, 2], [1, 0, 2], [0, 2, 1], [2, 0, 1]]
REQUEST_PREFS = [[2, 0, 1, 3], [1, 3, 0, 2], [3, 2, 1, 0]]
REQUEST_RANKS = [[1, 2, 3, 3], [1, 2, 3, 3], [1, 2, 2, 3]]  # equal numbers are ties
CAPACITIES = [1, 1, 1]
COUPLES = [(0, 1), (2, 3)]
GROUPS = [0, 0, 0]
# A couple (0, 1) evicts single 2 from request 0; 2 applies on down its list (to request 2).
EVICTED_SINGLE = ([[0], [1], [0, 2]], [[0, 2], [1], [2]], [1, 1, 1], [(0, 1)], [0, 0, 0])
SOME_LUCK = Uncertainty(withdrawal=0.1, request_drop=0.1, seat_gain=0.1, seat_loss=0.1)


def warm() -> None:
    """Call every kernel once, through the same public functions the commands use."""
    indptr = np.cumsum([0] + [len(r) for r in REQUEST_PREFS], dtype=np.int64)
    ranks = (indptr, np.concatenate([np.asarray(r, dtype=np.int64) for r in REQUEST_RANKS]))
    for couples in (COUPLES, None):
        result = stable_match(
            CANDIDATE_PREFS,
            REQUEST_PREFS,
            CAPACITIES,
            request_ranks=ranks,
            seed=1,
            couples=couples,
            request_groups=GROUPS,
        )
        why = explain(result)
        alternates(result)
        # what the season's report reads of the explanations (services.season.placement_report)
        indptr = result.market.candidate_prefs[0]
        entry_values(why, indptr, np.zeros(int(indptr[-1]), dtype=np.int64))
        tail_tally(why, why.reason.copy(), 4, np.zeros(len(indptr) - 1, dtype=np.int64), 0)
        withdraw(result, [3])
    stable_match(CANDIDATE_PREFS, REQUEST_PREFS, CAPACITIES, seed=1)  # strict lists, no ties
    cand, req, caps, couples, groups = EVICTED_SINGLE
    stable_match(cand, req, caps, seed=1, couples=couples, request_groups=groups)
    for request_ranks in (ranks, None):
        market = build_market(
            CANDIDATE_PREFS, REQUEST_PREFS, CAPACITIES, request_ranks=request_ranks, seed=1
        )
        estimate_chances(market, SOME_LUCK, runs=4, seed=1, batch=2)
    with contextlib.suppress(ValueError):  # a faulty file: the checks that name the bad entry
        build_market([[0, 0]], [[0]], [1], seed=1)


if __name__ == "__main__":
    warm()
