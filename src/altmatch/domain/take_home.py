"""Take-home pay: what an ALT keeps of each contract year's gross after insurance and taxes.

Every figure comes from the rulebook's `TakeHome`; the code knows the shape of the rules and
the rounding units the National Tax Agency (NTA), municipalities and insurers use. Amounts are
whole yen, computed exactly with fractions. One person, no dependants, no other income.

The model runs month by month (months and gross: `pay_calendar`; premiums: `premiums`) and adds
the months of each contract year:

- Income tax is settled per calendar year on that year's pay in Japan, as the year-end
  adjustment does (at departure for someone leaving): employment income = gross - employment
  income deduction (below the NTA table limit the rate bands apply to gross rounded down to
  the table step); taxable = employment income - premiums paid that year - basic deduction
  (banded by employment income), floored to ¥1,000; bracket rate and add, times
  (1 + reconstruction surtax), floored to ¥100. The year's tax is spread over its months in
  proportion to each month's gross (withholding in fact runs ahead and the adjustment settles
  it in December; the yearly total is the same).
- Resident tax for a fiscal year is levied on the previous calendar year's income, only on
  someone living in Japan on 1 January: 10% of (employment income - premiums - ¥430,000,
  floored to ¥1,000), less the adjustment deduction, floored to ¥100, plus the per-capita levy;
  nothing when that income is within the non-taxable limit. It is collected in monthly
  instalments from June (rulebook `collection`). Someone arriving from abroad pays nothing
  until the June after their first 1 January, and then a small levy on the part-year. Someone
  leaving Japan after the last contract year pays every instalment still due, including a
  levy not yet begun for a 1 January they spent in Japan, in one sum from the final pay.
- Someone already living and earning in Japan is assumed to have earned the same pay in the
  years before and to stay after the last year shown (no departure): see `pay_calendar`.

Approximations kept, each small for an ALT's pay: premium and grade simplifications listed in
`premiums`; resident tax uses this edition's employment income deduction for last year's
pay, adds the municipal and prefectural shares before rounding (within ¥200 of the real
split) and takes the non-taxable limit of the largest group of municipalities; rates in force
in the rulebook's year are kept for every later year; a start on any day counts as the whole
month; departure is placed at the end of the last year shown (leaving earlier settles the
levies due then in the same way, just sooner).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from altmatch.domain.pay_calendar import (
    Month,
    PayMonth,
    contract_months,
    regular_pay,
    with_outside_months,
)
from altmatch.domain.pension_refund import PensionRefund, employees_refund, national_refund
from altmatch.domain.premiums import (
    EMPLOYEE_KEYS,
    NATIONAL_KEYS,
    Premiums,
    employee_premiums,
    national_premiums,
    pension_grades,
)
from altmatch.domain.yen import band, exact, floor, floor_to, spread
from altmatch.rulebook.schema import (
    EmploymentIncomeDeduction,
    JetPay,
    RangePay,
    TakeHome,
)


@dataclass(frozen=True)
class Deductions:
    """Everything taken from one year's gross pay, in yen; `premiums` in payslip order."""

    premiums: Mapping[str, int]
    income_tax: int  # including the reconstruction surtax
    resident_tax: int

    @property
    def social_insurance(self) -> int:
        """The premiums, which are themselves deductible from taxable income."""
        return sum(self.premiums.values())

    @property
    def total(self) -> int:
        return self.social_insurance + self.income_tax + self.resident_tax

    def as_dict(self) -> dict[str, int]:
        """Each deduction by name, in payslip order (for tables and JSON)."""
        return {**self.premiums, "income_tax": self.income_tax, "resident_tax": self.resident_tax}


@dataclass(frozen=True)
class YearPay:
    """One contract year: gross pay, what is deducted, and what is left."""

    year: int
    gross: int
    deductions: Deductions

    @property
    def take_home(self) -> int:
        return self.gross - self.deductions.total


@dataclass(frozen=True)
class PayBasis:
    """What an estimate assumed, so it can be said next to the figures."""

    start: Month
    start_assumed: bool  # no start date known: the path's usual start month next year
    health_rate: float  # kyōkai kenpo's total rate used (the employee pays half)
    prefecture: str | None  # whose rate that is; None = the national average
    age: int | None  # at the start; None = not given, taken as under 40
    nursing_care_years: tuple[int, ...]  # contract years with nursing-care insurance
    earlier_income: bool  # lived and earned in Japan before, at the same pay
    departs: bool  # leaves Japan after the last year shown
    reduced_months: Mapping[int, float] = field(default_factory=dict)  # calendar month: share


@dataclass(frozen=True)
class PayEstimate:
    years: tuple[YearPay, ...]
    basis: PayBasis
    # The same pay under national health insurance and pension, for paths where employers
    # may not enrol their ALTs in employees' insurance; None otherwise.
    without_employee_insurance: tuple[YearPay, ...] | None = None
    # What someone leaving Japan after the last year can claim back of their pension
    # premiums (None: staying, or too little cover); and the same under the national scheme.
    refund: PensionRefund | None = None
    refund_without_employee_insurance: PensionRefund | None = None


def health_rate(rules: TakeHome, prefecture: str | None) -> tuple[str | None, float]:
    """The prefecture whose kyōkai kenpo rate applies (None: unknown, national average) and
    that rate."""
    rates = rules.social_insurance.health.by_prefecture
    if prefecture:
        for name, rate in rates.items():
            if name.casefold() == prefecture.strip().casefold():
                return name, rate
    return None, rules.social_insurance.health.default_rate


def estimate_pay(
    pay: JetPay | RangePay,
    rules: TakeHome,
    *,
    start: dt.date,
    resident: bool,
    age: int | None = None,
    prefecture: str | None = None,
    years: int = 5,
    start_assumed: bool = False,
) -> PayEstimate:
    """Take-home for each of the first `years` contract years from `start`'s month.

    `resident` is True when the person already lives and earns in Japan (earlier years at the
    same pay, no departure); False for someone arriving from abroad, who leaves after the last
    year. `age` is whole years at the start (None: taken as under 40).
    """
    if years < 1:
        raise ValueError("at least one contract year")
    if age is not None and age < 0:
        raise ValueError("age cannot be negative")
    first = Month.of(start)
    contract = contract_months(pay, first, years=years)
    months = with_outside_months(contract) if resident else contract
    ages = {n: None if age is None else age + n - 1 for n in range(1, years + 1)}
    named, rate = health_rate(rules, prefecture)
    social = rules.social_insurance
    employee = employee_premiums(
        contract, social, enrolment_pay=regular_pay(pay, 1), health_rate=exact(rate), ages=ages
    )
    result = _by_year(contract, months, employee, EMPLOYEE_KEYS, rules, departs=not resident)
    leaving = rules.lump_sum_withdrawal
    refund = refund_without = None
    if not resident:
        grades = pension_grades(contract, social, enrolment_pay=regular_pay(pay, 1))
        refund = employees_refund(grades, social.pension.rate, leaving)
    without = None
    if isinstance(pay, RangePay) and pay.employee_insurance_varies:
        national = national_premiums(
            contract,
            rules.national_insurance,
            social,
            ages=ages,
            income_of=_income_of(months, rules.employment_income_deduction),
        )
        without = _by_year(contract, months, national, NATIONAL_KEYS, rules, departs=not resident)
        if not resident:
            paid = sum(1 for m in contract if national[m.month]["national_pension"] > 0)
            monthly = rules.national_insurance.pension.monthly
            refund_without = national_refund(paid, monthly, leaving)
    care = social.nursing_care
    basis = PayBasis(
        start=first,
        start_assumed=start_assumed,
        health_rate=rate,
        prefecture=named,
        age=age,
        nursing_care_years=tuple(
            n for n, a in ages.items() if a is not None and care.from_age <= a <= care.to_age
        ),
        earlier_income=resident,
        departs=not resident,
        reduced_months=dict(pay.month_factors) if isinstance(pay, RangePay) else {},
    )
    return PayEstimate(result, basis, without, refund, refund_without)


# --- adding up -----------------------------------------------------------------------------


def _by_year(
    contract: list[PayMonth],
    months: list[PayMonth],
    premiums: Premiums,
    keys: tuple[str, ...],
    rules: TakeHome,
    *,
    departs: bool,
) -> tuple[YearPay, ...]:
    """Taxes on top of the premiums, then every contract month added into its year."""
    monthly = {m.month: premiums[m.like] for m in months}  # outside months copy their like
    withheld = _income_tax_by_month(months, monthly, rules)
    resident = _resident_tax_by_month(
        months, monthly, rules, last=contract[-1].month, departs=departs
    )
    totals: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(keys, 0))
    gross: dict[int, int] = defaultdict(int)
    taxes: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for m in contract:
        year = m.contract_year or 0
        gross[year] += m.gross
        for key in keys:
            totals[year][key] += monthly[m.month][key]
        taxes[year][0] += withheld[m.month]
        taxes[year][1] += resident.get(m.month, 0)
    return tuple(
        YearPay(year, gross[year], Deductions(totals[year], taxes[year][0], taxes[year][1]))
        for year in sorted(gross)
    )


def _calendar_totals(
    months: list[PayMonth], monthly: Premiums
) -> tuple[dict[int, int], dict[int, int]]:
    """Gross and premiums paid per calendar year."""
    gross: dict[int, int] = defaultdict(int)
    social: dict[int, int] = defaultdict(int)
    for m in months:
        gross[m.month.year] += m.gross
        social[m.month.year] += sum(monthly[m.month].values())
    return gross, social


def _income_of(months: list[PayMonth], rules: EmploymentIncomeDeduction) -> Callable[[int], int]:
    """Employment income earned in Japan in a calendar year (0 for a year with no months)."""
    gross: dict[int, int] = defaultdict(int)
    for m in months:
        gross[m.month.year] += m.gross
    return lambda year: employment_income(gross[year], rules) if year in gross else 0


# --- income tax -------------------------------------------------------------------------------


def _income_tax_by_month(
    months: list[PayMonth], monthly: Premiums, rules: TakeHome
) -> dict[Month, int]:
    gross, social = _calendar_totals(months, monthly)
    out: dict[Month, int] = {}
    for year in gross:
        in_year = [m for m in months if m.month.year == year]
        tax = income_tax(gross[year], social[year], rules)
        for m, share in zip(in_year, spread(tax, [m.gross for m in in_year]), strict=True):
            out[m.month] = share
    return out


def income_tax(gross: int, social: int, rules: TakeHome) -> int:
    """Income tax with the surtax on one calendar year's `gross` pay and `social` premiums."""
    income = employment_income(gross, rules.employment_income_deduction)
    basic = band(rules.income_tax.basic_deduction.bands, income).amount
    taxable = floor_to(income - social - basic, 1000)
    if taxable <= 0:
        return 0
    bracket = band(rules.income_tax.brackets, taxable)
    tax = taxable * exact(bracket.rate) + bracket.add
    with_surtax = tax * (1 + exact(rules.income_tax.reconstruction_surtax_rate))
    return floor_to(floor(with_surtax), 100)


def employment_income(gross: int, rules: EmploymentIncomeDeduction) -> int:
    """Gross pay less the employment income deduction (給与所得), as the NTA computes it."""
    if gross <= 0:
        return 0
    bracket = band(rules.bands, gross)
    base = gross
    if bracket.rate and rules.table_below is not None and gross < rules.table_below:
        base = floor_to(gross, rules.table_step)
    deduction = floor(base * exact(bracket.rate)) + bracket.add
    return max(base - deduction, 0)


# --- resident tax -----------------------------------------------------------------------------


def _resident_tax_by_month(
    months: list[PayMonth], monthly: Premiums, rules: TakeHome, *, last: Month, departs: bool
) -> dict[Month, int]:
    """Each levy's instalments in the months they are collected; after a departure, whatever
    falls later is collected from the last month's pay."""
    present = {m.month for m in months}
    gross, social = _calendar_totals(months, monthly)
    collection = rules.resident_tax.collection
    out: dict[Month, int] = defaultdict(int)
    for earned in sorted(gross):
        levy_year = earned + 1
        if Month(earned, 12) not in present or Month(levy_year, 1) not in present:
            continue  # not living in Japan on 1 January: no levy on that year's income
        levy = resident_tax(gross[earned], social[earned], rules)
        first = Month(levy_year, collection.first_month)
        for i, amount in enumerate(_instalments(levy, collection.instalments)):
            month = first.plus(i)
            out[min(month, last) if departs else month] += amount
    return dict(out)


def _instalments(levy: int, count: int) -> list[int]:
    """Equal instalments in whole ¥100, the remainder in the first."""
    each = floor_to(levy // count, 100)
    return [levy - each * (count - 1)] + [each] * (count - 1)


def resident_tax(gross: int, social: int, rules: TakeHome) -> int:
    """The levy on one calendar year's pay and premiums."""
    resident = rules.resident_tax
    income = employment_income(gross, rules.employment_income_deduction)
    if income <= resident.non_taxable.total_income_up_to:
        return 0
    taxable = max(floor_to(income - social - resident.basic_deduction, 1000), 0)
    levy = taxable * exact(resident.income_rate)
    credit = min(Fraction(resident.adjustment_credit), taxable * exact(resident.adjustment_rate))
    income_part = floor_to(floor(max(levy - credit, Fraction(0))), 100)
    return income_part + resident.per_capita
