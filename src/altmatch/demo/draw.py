"""Seeded draws built only on `random.Random.random()`, the one stream Python promises to keep.

`random`'s other methods (randrange, choices, sample, ...) may change between Python versions;
building every draw from `random()` keeps a demo seed meaning the same season everywhere.
Each part of the demo draws from its own stream, so changing the number of candidates leaves
the requests unchanged.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


class Draw:
    """One named, seeded stream of draws."""

    def __init__(self, seed: int, stream: str) -> None:
        self._random = random.Random(f"altmatch-demo:{seed}:{stream}")

    def chance(self, p: float) -> bool:
        """True with probability p."""
        return self._random.random() < p

    def integer(self, lo: int, hi: int) -> int:
        """A whole number from lo to hi inclusive, uniformly."""
        return lo + int(self._random.random() * (hi - lo + 1))

    def uniform(self, lo: float, hi: float) -> float:
        return lo + (hi - lo) * self._random.random()

    def normal(self, mean: float, sd: float) -> float:
        """A normal draw (sum of twelve uniforms, accurate enough for demo scores)."""
        return mean + sd * (sum(self._random.random() for _ in range(12)) - 6.0)

    def one(self, items: Sequence[T]) -> T:
        return items[int(self._random.random() * len(items))]

    def weighted(self, items: Sequence[T], weights: Sequence[float]) -> T:
        """One item, with probability proportional to its weight."""
        return items[self._index(weights)]

    def several(self, items: Sequence[T], weights: Sequence[float], k: int) -> list[T]:
        """k distinct items, each drawn by weight from those not yet drawn."""
        pool, pool_weights, chosen = list(items), list(weights), []
        for _ in range(min(k, len(pool))):
            i = self._index(pool_weights)
            chosen.append(pool.pop(i))
            del pool_weights[i]
        return chosen

    def _index(self, weights: Sequence[float]) -> int:
        if len(weights) == 0 or sum(weights) <= 0:
            raise ValueError("nothing to draw from")
        target = self._random.random() * sum(weights)
        for i, weight in enumerate(weights):
            target -= weight
            if target < 0:
                return i
        return max(i for i, w in enumerate(weights) if w > 0)  # rounding at the very top
