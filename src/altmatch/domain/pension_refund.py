"""The pension refund an ALT can claim after leaving Japan (脱退一時金), for each scheme.

Take-home counts pension premiums as gone, but most ALTs leave Japan within five years, and a
foreign national who leaves before qualifying for a pension (ten years) can claim part of
them back within two years. Which scheme they paid into decides how much: employees' pension
returns about half its premiums on the person's pay, the national pension half its flat
premium. Rules: rulebook `take_home.lump_sum_withdrawal` (see its note and
`LumpSumWithdrawal`).

Simplifications: one period of cover (no earlier years in Japan), the months of the contract
shown; no standard bonuses (none of the paths' pay has them); the premium of the last fiscal
year is the rulebook's, as every rate in the pay model is kept for later years.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction

from altmatch.domain.yen import exact, floor
from altmatch.i18n import N_, register_labels
from altmatch.rulebook.schema import LumpSumWithdrawal


class PensionScheme(StrEnum):
    EMPLOYEES = "employees"  # 厚生年金: premiums on the standard monthly remuneration
    NATIONAL = "national"  # 国民年金: a flat monthly premium


register_labels(
    PensionScheme,
    {
        PensionScheme.EMPLOYEES: N_("Employees' pension"),
        PensionScheme.NATIONAL: N_("National pension"),
    },
)


@dataclass(frozen=True)
class PensionRefund:
    """One scheme's lump-sum withdrawal: `base` times `multiplier`, less tax withheld.

    Employees' pension: `base` is the average standard remuneration, `multiplier` the payment
    rate. National pension: `base` is half the monthly premium, `multiplier` the counted
    months."""

    scheme: PensionScheme
    months: int  # months of cover
    counted_months: int
    base: int
    multiplier: Fraction
    amount: int
    withheld: int

    @property
    def after_withholding(self) -> int:
        return self.amount - self.withheld


def counted_months(months: int, rules: LumpSumWithdrawal) -> int:
    """The months a refund counts: whole bands, capped (0 below the minimum)."""
    if months < rules.min_months:
        return 0
    return min(months // rules.band_months * rules.band_months, rules.max_months)


def _claimable(months: int, rules: LumpSumWithdrawal) -> bool:
    return rules.min_months <= months < rules.pension_months


def employees_refund(
    grades: Sequence[int], premium_rate: float, rules: LumpSumWithdrawal
) -> PensionRefund | None:
    """From the standard monthly remuneration of each month of cover (None: nothing to claim,
    too short or long enough for a pension)."""
    months = len(grades)
    if not _claimable(months, rules):
        return None
    counted = counted_months(months, rules)
    average = Fraction(sum(grades), months)
    base = floor(average + Fraction(1, 2))  # to the nearest yen
    raw = Decimal(str(premium_rate)) * counted / 2
    step = Decimal(1).scaleb(-rules.rate_decimals)
    rate = Fraction(raw.quantize(step, rounding=ROUND_HALF_UP))
    amount = floor(base * rate)
    withheld = floor(amount * exact(rules.withholding_rate))
    return PensionRefund(PensionScheme.EMPLOYEES, months, counted, base, rate, amount, withheld)


def national_refund(
    months: int, monthly_premium: int, rules: LumpSumWithdrawal
) -> PensionRefund | None:
    """From the months of national pension paid and the monthly premium (no tax withheld)."""
    if not _claimable(months, rules):
        return None
    counted = counted_months(months, rules)
    half = floor(Fraction(monthly_premium, 2))
    amount = half * counted
    return PensionRefund(
        PensionScheme.NATIONAL, months, counted, half, Fraction(counted), amount, 0
    )
