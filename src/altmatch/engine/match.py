"""`stable_match`: the candidate-optimal stable matching, with seeded single tie-breaking.

Candidate-proposing deferred acceptance (Gale & Shapley, "College Admissions and the Stability
of Marriage", 1962; Roth, 1984, for the many-to-one case). When requests rank candidates with
ties, one lottery number per candidate breaks every tie (single tie-breaking, as in Abdulkadiroğlu,
Pathak & Roth, 2009), drawn from a recorded seed so any run can be reproduced exactly. Couples
go through a Roth–Peranson procedure (`couples`); markets without couples never leave the
compiled deferred acceptance.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from altmatch.engine import _kernels
from altmatch.engine.couples import solve_with_couples
from altmatch.engine.joint import active_couples
from altmatch.engine.market import (
    ENGINE_VERSION,
    Market,
    MatchResult,
    build_market,
    draw_lottery,
)
from altmatch.engine.prefs import Prefs

__all__ = [
    "ENGINE_VERSION",
    "Market",
    "MatchResult",
    "build_market",
    "draw_lottery",
    "solve",
    "stable_match",
]


def solve(market: Market, active: NDArray[np.bool_] | None = None) -> MatchResult:
    """Run the match on a built market, optionally with some candidates left out (`active`
    False: withdrawn). A couple with a withdrawn member is dissolved: the other applies alone."""
    mask = np.ones(market.n_candidates, dtype=np.bool_) if active is None else active
    mask = np.ascontiguousarray(mask, dtype=np.bool_)
    if mask.shape != (market.n_candidates,):
        raise ValueError(f"active: expected {market.n_candidates} flags, got shape {mask.shape}")
    withdrawn = tuple(int(c) for c in np.flatnonzero(~mask))
    if active_couples(market, mask):
        out = solve_with_couples(market, mask)
        return MatchResult(
            out.assignment,
            out.position,
            market.seed,
            out.proposals,
            market,
            out.blocking_pairs,
            out.couples,
            withdrawn,
        )
    assignment, position, proposals = _kernels.deferred_acceptance(
        market.candidate_prefs[0], market.candidate_prefs[1], market.keys, market.capacities, mask
    )
    return MatchResult(
        assignment, position, market.seed, int(proposals), market, withdrawn=withdrawn
    )


def stable_match(
    candidate_prefs: Prefs,
    request_prefs: Prefs | None = None,
    capacities: Sequence[int] | NDArray[np.integer] = (),
    *,
    request_ranks: Prefs | None = None,
    seed: int | None = None,
    couples: Sequence[tuple[int, int]] | None = None,
    request_groups: Sequence[int] | NDArray[np.integer] | None = None,
) -> MatchResult:
    """The candidate-optimal stable matching (see module docstring).

    `request_prefs[r]` lists the candidates r accepts, best first. With `request_ranks`, the
    same lists carry rank numbers (equal numbers are ties, lower is better) and ties are broken
    by a lottery seeded with `seed` (a fresh seed is drawn and recorded when None).

    `couples` are pairs of candidates who applied together; `request_groups[r]` is the group
    (BoE) of request r (default: each request its own group). A couple is placed at two
    requests of one group (one request with two seats counts) or not at all; any instability
    the couples leave is listed in `result.blocking_pairs`.
    """
    if request_prefs is None:
        raise ValueError("request_prefs: required (the candidates each request accepts)")
    return solve(
        build_market(
            candidate_prefs,
            request_prefs,
            capacities,
            request_ranks=request_ranks,
            seed=seed,
            couples=couples,
            request_groups=request_groups,
        )
    )
