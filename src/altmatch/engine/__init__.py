"""Pure algorithms on integer arrays: stable matching, stability checks, and (to come) chances
and roster assignment. Knows nothing of the domain, the database or the web."""

from altmatch.engine.match import (
    ENGINE_VERSION,
    Market,
    MatchResult,
    build_market,
    solve,
    stable_match,
)
from altmatch.engine.stability import blocking_pairs, check_stability

__all__ = [
    "ENGINE_VERSION",
    "Market",
    "MatchResult",
    "blocking_pairs",
    "build_market",
    "check_stability",
    "solve",
    "stable_match",
]
