"""Pure algorithms on integer arrays: stable matching (with couples), stability checks,
alternates, upgrades after withdrawals, explanations, chances, roster assignment. Knows nothing
of the domain, the database or the web.

Roster assignment needs SciPy, a second of start-up that matching never uses, so it is loaded
on first use (`altmatch.engine.assign_roster`)."""

from typing import TYPE_CHECKING, Any

from altmatch.engine.explain import Explanations, WhyNot, alternates, explain
from altmatch.engine.market import ENGINE_VERSION, Market, MatchResult, build_market
from altmatch.engine.match import solve, stable_match
from altmatch.engine.stability import blocking_pairs, check_stability
from altmatch.engine.upgrade import Move, Upgrade, withdraw

if TYPE_CHECKING:
    from altmatch.engine.assignment import Assignment, assign_roster

__all__ = [
    "ENGINE_VERSION",
    "Assignment",
    "Explanations",
    "Market",
    "MatchResult",
    "Move",
    "Upgrade",
    "WhyNot",
    "alternates",
    "assign_roster",
    "blocking_pairs",
    "build_market",
    "check_stability",
    "explain",
    "solve",
    "stable_match",
    "withdraw",
]


def __getattr__(name: str) -> Any:
    if name in ("Assignment", "assign_roster"):
        from altmatch.engine import assignment

        return getattr(assignment, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
