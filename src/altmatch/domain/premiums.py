"""Social insurance premiums, month by month, under one of two schemes.

**Employees' insurance** (what an employer enrols its staff in). Health insurance, nursing care
(ages in the rulebook's range, from the age in that contract year), the child-support levy and
welfare pension are charged on the standard monthly remuneration grade, not on the month's pay:
the grade is set at enrolment from the agreed regular monthly pay, and reset every year from
the average pay of the review months (April-June, from September on; see `GradeReview`). So a
reduced summer month costs the same premiums as a full one. Employment insurance is charged on
each month's actual pay. Each employee share is rounded as payroll does (50 sen or less down,
more up) and charged in the month it covers.

**National schemes** (someone whose employer does not enrol them). National health insurance in
the rulebook's reference municipality, for the fiscal year April-March, on the previous calendar
year's income (pay less the employment income deduction) less the NHI deduction, plus flat
charges reduced for low incomes; the medical and support parts and the nursing-care part are
each rounded down to ¥100 a year and charged a twelfth a month. National pension is a flat
monthly premium between the rulebook's ages. Employment insurance is unchanged: it depends on
hours worked, not on enrolment in the other schemes.

Left out, each small for an ALT: the occasional revision (随時改定) when fixed pay moves two
grades (no raise in the rulebook does), months with under 17 paid days being dropped from the
review average, nursing care starting in the month someone turns 40 (here: from the first
contract year they are 40 at its start), premiums being deducted a month late, and health and
nursing-care shares being rounded separately (payroll rounds their sum: at most ¥1 a month).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction

from altmatch.domain.pay_calendar import MONTHS, Month, PayMonth
from altmatch.domain.yen import exact, floor, floor_to, payroll_round
from altmatch.rulebook.schema import (
    GradeReview,
    GradeTable,
    NationalHealthInsurance,
    NationalInsurance,
    NhiPart,
    SocialInsurance,
)

EMPLOYEE_KEYS = (
    "health_insurance",
    "nursing_care",
    "welfare_pension",
    "employment_insurance",
    "child_support",
)
NATIONAL_KEYS = (
    "national_health_insurance",
    "nursing_care",
    "national_pension",
    "employment_insurance",
)
FISCAL_YEAR_START = (
    4  # Japanese fiscal years, national health insurance's among them, start in April
)

Premiums = dict[Month, dict[str, int]]
_HALF = Fraction(1, 2)


def grade_amount(table: GradeTable, pay: Fraction) -> int:
    """The standard monthly remuneration of the grade `pay` falls in."""
    amount = table.grades[0][0]
    for grade, lowest in table.grades:
        if pay < lowest:
            break
        amount = grade
    return amount


def grade_basis(
    contract: Sequence[PayMonth], *, enrolment_pay: Fraction, review: GradeReview
) -> dict[Month, Fraction]:
    """The pay each contract month's grade is looked up from: the enrolment pay until the
    first review applies, then each review's average."""
    first = contract[0].month
    gross = {m.month: m.gross for m in contract}
    current = enrolment_pay
    basis: dict[Month, Fraction] = {}
    for m in contract:
        if m.month.month == review.applies_from:
            year = m.month.year
            employed_after = Month(year, max(review.months)).plus(1) in gross
            enrolled_before = first < Month(year, review.skips_if_enrolled_from)
            paid = [gross[Month(year, k)] for k in review.months if Month(year, k) in gross]
            if employed_after and enrolled_before and paid:
                current = Fraction(sum(paid), len(paid))
        basis[m.month] = current
    return basis


def employee_premiums(
    contract: Sequence[PayMonth],
    rules: SocialInsurance,
    *,
    enrolment_pay: Fraction,
    health_rate: Fraction,
    ages: Mapping[int, int | None],
) -> Premiums:
    """Employees' insurance for each contract month (see module docstring)."""
    basis = grade_basis(contract, enrolment_pay=enrolment_pay, review=rules.review)
    care = rules.nursing_care
    out: Premiums = {}
    for m in contract:
        health = grade_amount(rules.health.grades, basis[m.month])
        pension = grade_amount(rules.pension.grades, basis[m.month])
        age = ages.get(m.contract_year or 0)
        cared = age is not None and care.from_age <= age <= care.to_age
        out[m.month] = {
            "health_insurance": payroll_round(health * health_rate * _HALF),
            "nursing_care": payroll_round(health * exact(care.rate) * _HALF) if cared else 0,
            "welfare_pension": payroll_round(pension * exact(rules.pension.rate) * _HALF),
            "employment_insurance": payroll_round(m.gross * exact(rules.employment.employee_rate)),
            "child_support": payroll_round(health * exact(rules.child_support.rate) * _HALF),
        }
    return out


def pension_grades(
    contract: Sequence[PayMonth], rules: SocialInsurance, *, enrolment_pay: Fraction
) -> list[int]:
    """The welfare pension's standard monthly remuneration for each contract month (what its
    premiums were charged on, and what a pension refund averages)."""
    basis = grade_basis(contract, enrolment_pay=enrolment_pay, review=rules.review)
    return [grade_amount(rules.pension.grades, basis[m.month]) for m in contract]


def national_premiums(
    contract: Sequence[PayMonth],
    rules: NationalInsurance,
    social: SocialInsurance,
    *,
    ages: Mapping[int, int | None],
    income_of: Callable[[int], int],
) -> Premiums:
    """The national schemes for each contract month; `income_of(year)` is the total income
    (pay less the employment income deduction) earned in Japan in that calendar year."""
    care, pension = social.nursing_care, rules.pension
    yearly: dict[int, tuple[int, int]] = {}
    out: Premiums = {}
    for m in contract:
        fiscal = m.month.year if m.month.month >= FISCAL_YEAR_START else m.month.year - 1
        if fiscal not in yearly:
            yearly[fiscal] = _nhi_yearly(rules.health, income_of(fiscal - 1))
        health, nursing = yearly[fiscal]
        k = (m.month.month - FISCAL_YEAR_START) % MONTHS
        age = ages.get(m.contract_year or 0)
        cared = age is not None and care.from_age <= age <= care.to_age
        # An unknown age is taken as under 40, and so as old enough for the national pension.
        pays_pension = age is None or pension.from_age <= age <= pension.to_age
        out[m.month] = {
            "national_health_insurance": _twelfth(health, k),
            "nursing_care": _twelfth(nursing, k) if cared else 0,
            "national_pension": pension.monthly if pays_pension else 0,
            "employment_insurance": payroll_round(m.gross * exact(social.employment.employee_rate)),
        }
    return out


def _nhi_yearly(rules: NationalHealthInsurance, income: int) -> tuple[int, int]:
    """A year's national health insurance on last year's `income`: (medical and support
    parts, nursing-care part), each rounded down to ¥100."""
    base = max(income - rules.income_deduction, 0)
    kept = Fraction(1)
    for reduction in rules.reductions:
        if income <= reduction.up_to:
            kept = 1 - exact(reduction.share)
            break

    def part(p: NhiPart) -> Fraction:
        return base * exact(p.income_rate) + (p.per_capita + p.per_household) * kept

    main = floor_to(floor(part(rules.medical) + part(rules.support)), 100)
    return main, floor_to(floor(part(rules.nursing_care)), 100)


def _twelfth(yearly: int, k: int) -> int:
    """The k-th (0-based) of twelve monthly shares of `yearly`, adding up exactly."""
    return yearly * (k + 1) // MONTHS - yearly * k // MONTHS
