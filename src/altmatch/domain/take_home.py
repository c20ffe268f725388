"""Take-home pay: what an ALT keeps of a year's gross pay after insurance and taxes.

Every figure (rates, caps, bands, deductions) comes from the rulebook's `TakeHome`; the code
knows only the shape of the rules, twelve months a year and the rounding units the National
Tax Agency (NTA) and the insurers use. Amounts are whole yen, computed exactly with fractions.

The rules, for one person with no dependants and no other income:

- Social insurance, per month on gross / 12: health insurance, welfare pension and the child
  support levy at half the total rate on the pay capped at the scheme's highest standard
  monthly remuneration; employment insurance at the employee's rate on all pay. Each monthly
  share is rounded as payroll does (50 sen or less down, more up), then times twelve.
- Income tax: employment income = gross - employment income deduction (below the NTA table
  limit the rate bands apply to gross rounded down to the table step); taxable = employment
  income - social insurance - basic deduction (banded by employment income), floored to
  ¥1,000; the bracket's rate and add give the tax, times (1 + reconstruction surtax), floored
  to ¥100.
- Resident tax, paid this year on last year's income: 10% of (last year's employment income -
  last year's social insurance - ¥430,000, floored to ¥1,000), less the adjustment deduction,
  floored to ¥100, plus the per-capita levy. None when there was no previous year in Japan.

Approximations, each small for an ALT's pay and stated so the estimate is not over-trusted:

- Premiums use gross / 12 instead of the standard monthly remuneration grade, spread evenly
  over the year (bonuses included); nursing-care insurance (ages 40-64) is left out.
- A contract year is treated as a calendar year: resident tax for year n uses year n-1's gross,
  and a first-year resident is assumed to have earned the same the year before.
- Resident tax uses this edition's employment income deduction for last year's pay, adds the
  municipal and prefectural shares before rounding (within ¥200 of the real split), and
  ignores the non-taxable limit for very low incomes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TypeVar

from altmatch.rulebook.schema import (
    AmountBand,
    Bracket,
    EmploymentIncomeDeduction,
    JetPay,
    RangePay,
    SocialInsurance,
    TakeHome,
)

_MONTHS = 12
_B = TypeVar("_B", Bracket, AmountBand)


@dataclass(frozen=True)
class Deductions:
    """Everything taken from one year's gross pay, in yen."""

    health_insurance: int
    welfare_pension: int
    employment_insurance: int
    child_support: int
    income_tax: int  # including the reconstruction surtax
    resident_tax: int

    @property
    def social_insurance(self) -> int:
        """The premiums, which are themselves deductible from taxable income."""
        return (
            self.health_insurance
            + self.welfare_pension
            + self.employment_insurance
            + self.child_support
        )

    @property
    def total(self) -> int:
        return self.social_insurance + self.income_tax + self.resident_tax

    def as_dict(self) -> dict[str, int]:
        """Each deduction by name, in payslip order (for tables and JSON)."""
        return {
            "health_insurance": self.health_insurance,
            "welfare_pension": self.welfare_pension,
            "employment_insurance": self.employment_insurance,
            "child_support": self.child_support,
            "income_tax": self.income_tax,
            "resident_tax": self.resident_tax,
        }


@dataclass(frozen=True)
class YearPay:
    """One contract year: gross pay, what is deducted, and what is left."""

    year: int
    gross: int
    deductions: Deductions

    @property
    def take_home(self) -> int:
        return self.gross - self.deductions.total


def year_pay(year: int, gross: int, rules: TakeHome, *, previous_gross: int | None) -> YearPay:
    """Take-home for one year of `gross` pay.

    `previous_gross` is last year's gross pay in Japan, on which this year's resident tax is
    levied; None means the person was not resident last year, so no resident tax is due.
    """
    if gross < 0 or (previous_gross is not None and previous_gross < 0):
        raise ValueError("gross pay cannot be negative")
    health, pension, employment, child = _social_insurance(gross, rules.social_insurance)
    social = health + pension + employment + child
    return YearPay(
        year=year,
        gross=gross,
        deductions=Deductions(
            health_insurance=health,
            welfare_pension=pension,
            employment_insurance=employment,
            child_support=child,
            income_tax=_income_tax(gross, social, rules),
            resident_tax=0 if previous_gross is None else _resident_tax(previous_gross, rules),
        ),
    )


def pay_by_year(
    pay: JetPay | RangePay,
    rules: TakeHome,
    *,
    years: int = 5,
    first_year_resident_tax: bool,
) -> list[YearPay]:
    """Take-home for each of the first `years` contract years on a path.

    A schedule gives each year's gross directly; a monthly range uses its midpoint, raised by
    `annual_raise` each year, times the paid months plus bonus months. Resident tax in year
    n is on year n-1's gross; in year 1 it is due only if `first_year_resident_tax` (the person
    already lived and earned in Japan, assumed at the same pay).
    """
    grosses = [_gross(pay, n) for n in range(1, years + 1)]
    result: list[YearPay] = []
    for n, gross in enumerate(grosses, start=1):
        if n > 1:
            previous: int | None = grosses[n - 2]
        else:
            previous = gross if first_year_resident_tax else None
        result.append(year_pay(n, gross, rules, previous_gross=previous))
    return result


# --- gross pay --------------------------------------------------------------------------------


def _gross(pay: JetPay | RangePay, year: int) -> int:
    if isinstance(pay, JetPay):
        if not 1 <= year <= len(pay.annual_by_year):
            raise ValueError(f"the JET schedule covers years 1-{len(pay.annual_by_year)}")
        return pay.annual_by_year[year - 1]
    if year < 1:
        raise ValueError("contract years start at 1")
    monthly = Fraction(pay.monthly_min + pay.monthly_max, 2) + pay.annual_raise * (year - 1)
    months = _exact(pay.paid_months) + _exact(pay.bonus_months)
    return _floor(monthly * months)


# --- social insurance -------------------------------------------------------------------------


def _social_insurance(gross: int, rules: SocialInsurance) -> tuple[int, int, int, int]:
    """Employee's yearly health, pension, employment-insurance and child-support shares."""
    monthly = Fraction(gross, _MONTHS)
    health_base = min(monthly, Fraction(rules.health.monthly_cap))
    pension_base = min(monthly, Fraction(rules.pension.monthly_cap))
    half = Fraction(1, 2)
    return (
        _MONTHS * _payroll_round(health_base * _exact(rules.health.rate) * half),
        _MONTHS * _payroll_round(pension_base * _exact(rules.pension.rate) * half),
        _MONTHS * _payroll_round(monthly * _exact(rules.employment.employee_rate)),
        _MONTHS * _payroll_round(health_base * _exact(rules.child_support.rate) * half),
    )


# --- income tax -------------------------------------------------------------------------------


def _income_tax(gross: int, social: int, rules: TakeHome) -> int:
    income = _employment_income(gross, rules.employment_income_deduction)
    basic = _band(rules.income_tax.basic_deduction.bands, income).amount
    taxable = _floor_to(income - social - basic, 1000)
    if taxable <= 0:
        return 0
    bracket = _band(rules.income_tax.brackets, taxable)
    tax = taxable * _exact(bracket.rate) + bracket.add
    with_surtax = tax * (1 + _exact(rules.income_tax.reconstruction_surtax_rate))
    return _floor_to(_floor(with_surtax), 100)


def _employment_income(gross: int, rules: EmploymentIncomeDeduction) -> int:
    """Gross pay less the employment income deduction (給与所得), as the NTA computes it."""
    band = _band(rules.bands, gross)
    base = gross
    if band.rate and rules.table_below is not None and gross < rules.table_below:
        base = _floor_to(gross, rules.table_step)
    deduction = _floor(base * _exact(band.rate)) + band.add
    return max(base - deduction, 0)


# --- resident tax -----------------------------------------------------------------------------


def _resident_tax(previous_gross: int, rules: TakeHome) -> int:
    resident = rules.resident_tax
    income = _employment_income(previous_gross, rules.employment_income_deduction)
    social = sum(_social_insurance(previous_gross, rules.social_insurance))
    taxable = max(_floor_to(income - social - resident.basic_deduction, 1000), 0)
    levy = taxable * _exact(resident.income_rate)
    credit = min(Fraction(resident.adjustment_credit), taxable * _exact(resident.adjustment_rate))
    income_part = _floor_to(_floor(max(levy - credit, Fraction(0))), 100)
    return income_part + resident.per_capita


# --- helpers ----------------------------------------------------------------------------------


def _band(bands: Sequence[_B], amount: int) -> _B:
    """The first band whose upper bound covers `amount` (the rulebook orders and closes them)."""
    for band in bands:
        if band.up_to is None or amount <= band.up_to:
            return band
    raise ValueError("bands must end with an unbounded band")


def _exact(rate: float) -> Fraction:
    """A rulebook decimal as written (0.0985 is 985/10000, not the nearest binary float)."""
    return Fraction(str(rate))


def _floor(x: Fraction) -> int:
    return x.numerator // x.denominator


def _floor_to(amount: int, unit: int) -> int:
    """Round down to a whole `unit` (negative amounts round towards minus infinity)."""
    return amount // unit * unit


def _payroll_round(x: Fraction) -> int:
    """Employee's share of a premium: 50 sen or less is dropped, more than 50 sen rounds up."""
    whole = _floor(x)
    return whole + 1 if x - whole > Fraction(1, 2) else whole
