"""The months of a contract and the gross pay of each, as a payroll would see them.

A contract year is twelve calendar months from the start month; a start on any day counts as
the whole month. Gross by month, from the path's pay in the rulebook:

- a JET-style schedule pays each year's salary in twelve equal monthly payments (whole yen,
  the odd yen spread so the year adds up);
- a monthly range pays its midpoint, raised by `annual_raise` each contract year, times the
  calendar month's factor (`month_factors`, 1 when not listed: reduced summer or winter pay).

Taxes depend on whole calendar years, so someone already living and earning in Japan gets
*outside* months too: every month of the two calendar years before the start (and of the start
year before it) at the pay of the same calendar month in contract year 1, and the rest of the
last calendar year at the pay of the same month in the last contract year. They stand for the
earlier job and for staying on, feed only the taxes, and never count in a contract year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from altmatch.domain.yen import exact, floor
from altmatch.rulebook.schema import JetPay, RangePay

MONTHS = 12


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month."""

    year: int
    month: int

    @classmethod
    def of(cls, day: dt.date) -> Month:
        return cls(day.year, day.month)

    def plus(self, months: int) -> Month:
        year, month = divmod(self.year * MONTHS + self.month - 1 + months, MONTHS)
        return Month(year, month + 1)

    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True)
class PayMonth:
    """One month's gross pay. `contract_year` is None for an outside month, which copies the
    pay (and later the premiums) of the contract month `like`."""

    month: Month
    gross: int
    contract_year: int | None
    like: Month


def regular_pay(pay: JetPay | RangePay, year: int) -> Fraction:
    """The full monthly pay agreed for contract `year` (what enrolment grades are set from)."""
    if isinstance(pay, JetPay):
        return Fraction(_annual(pay, year), MONTHS)
    if year < 1:
        raise ValueError("contract years start at 1")
    return Fraction(pay.monthly_min + pay.monthly_max, 2) + pay.annual_raise * (year - 1)


def contract_months(pay: JetPay | RangePay, start: Month, *, years: int) -> list[PayMonth]:
    """Gross for every month of the first `years` contract years from `start`."""
    months: list[PayMonth] = []
    for year in range(1, years + 1):
        first = start.plus(MONTHS * (year - 1))
        for i, gross in enumerate(_year_gross(pay, year, first)):
            month = first.plus(i)
            months.append(PayMonth(month, gross, year, month))
    return months


def with_outside_months(contract: list[PayMonth]) -> list[PayMonth]:
    """`contract` plus the outside months of someone who earned in Japan before and stays on
    after (see module docstring), in calendar order."""
    first, last = contract[0].month, contract[-1].month
    by_month = {m.month: m for m in contract}
    before = []
    month = Month(first.year - 2, 1)
    while month < first:
        like = first.plus((month.month - first.month) % MONTHS)
        before.append(PayMonth(month, by_month[like].gross, None, like))
        month = month.plus(1)
    after = []
    month = last.plus(1)
    while month.year == last.year:
        like = last.plus(-((last.month - month.month) % MONTHS))
        after.append(PayMonth(month, by_month[like].gross, None, like))
        month = month.plus(1)
    return before + contract + after


def _annual(pay: JetPay, year: int) -> int:
    if not 1 <= year <= len(pay.annual_by_year):
        raise ValueError(f"the JET schedule covers years 1-{len(pay.annual_by_year)}")
    return pay.annual_by_year[year - 1]


def _year_gross(pay: JetPay | RangePay, year: int, first: Month) -> list[int]:
    if isinstance(pay, JetPay):
        annual = _annual(pay, year)
        return [annual * (i + 1) // MONTHS - annual * i // MONTHS for i in range(MONTHS)]
    base = regular_pay(pay, year)
    factors = {month: exact(f) for month, f in pay.month_factors.items()}
    return [floor(base * factors.get(first.plus(i).month, Fraction(1))) for i in range(MONTHS)]
