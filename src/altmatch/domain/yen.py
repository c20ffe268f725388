"""Whole-yen arithmetic shared by the pay modules: exact rates and the rounding payroll uses."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Protocol, TypeVar


class _Banded(Protocol):
    @property
    def up_to(self) -> int | None: ...


_B = TypeVar("_B", bound=_Banded)


def exact(rate: float) -> Fraction:
    """A rulebook decimal as written (0.0985 is 985/10000, not the nearest binary float)."""
    return Fraction(str(rate))


def floor(x: Fraction) -> int:
    return x.numerator // x.denominator


def floor_to(amount: int, unit: int) -> int:
    """Round down to a whole `unit` (negative amounts round towards minus infinity)."""
    return amount // unit * unit


def payroll_round(x: Fraction) -> int:
    """Employee's share of a premium: 50 sen or less is dropped, more than 50 sen rounds up."""
    whole = floor(x)
    return whole + 1 if x - whole > Fraction(1, 2) else whole


def band(bands: Sequence[_B], amount: int) -> _B:
    """The first band whose upper bound covers `amount` (the rulebook orders and closes them)."""
    for entry in bands:
        if entry.up_to is None or amount <= entry.up_to:
            return entry
    raise ValueError("bands must end with an unbounded band")


def spread(total: int, weights: Sequence[Fraction | int]) -> list[int]:
    """Split `total` yen in proportion to `weights`, in whole yen that add up to `total`
    (cumulative rounding down, so no yen is lost or invented)."""
    whole = sum(weights, Fraction(0))
    if whole == 0:
        return [0] * len(weights)
    shares: list[int] = []
    running, given = Fraction(0), 0
    for weight in weights:
        running += weight
        upto = floor(total * running / whole)
        shares.append(upto - given)
        given = upto
    return shares
