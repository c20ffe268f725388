"""The pension refund on leaving Japan (脱退一時金), worked by hand from the 2026 edition:
employees' pension 18.3% (payment rate = 18.3% x 1/2 x counted months, to one decimal place:
6 → 0.5, 12 → 1.1, 60 → 5.5), 20.42% withheld; national pension ¥17,920 a month, half of it
per counted month; months count in bands of 6, at most 60, nothing under 6 or from 120."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from altmatch.domain.pension_refund import (
    PensionScheme,
    counted_months,
    employees_refund,
    national_refund,
)
from altmatch.domain.take_home import estimate_pay
from altmatch.rulebook.loader import load_rulebook
from altmatch.rulebook.schema import JetPay, RangePay
from altmatch.rulebook.vocabulary import HiringPath

BOOK = load_rulebook(2026)
RULES = BOOK.take_home.lump_sum_withdrawal
RATE = BOOK.take_home.social_insurance.pension.rate
AUGUST_2027 = dt.date(2027, 8, 1)


@pytest.mark.parametrize(
    ("months", "counted"), [(5, 0), (6, 6), (11, 6), (12, 12), (59, 54), (60, 60), (100, 60)]
)
def test_months_count_in_whole_bands_up_to_sixty(months: int, counted: int) -> None:
    assert counted_months(months, RULES) == counted


def test_five_years_at_the_240_000_grade_give_back_1_320_000_yen() -> None:
    """240,000 x (0.183 x 1/2 x 60 = 5.49 → 5.5) = 1,320,000; withheld 1,320,000 x 20.42%
    = 269,544; 1,050,456 paid before reclaiming the tax."""
    refund = employees_refund([240_000] * 60, RATE, RULES)
    assert refund is not None
    assert refund.scheme is PensionScheme.EMPLOYEES
    assert (refund.base, refund.multiplier, refund.amount) == (240_000, Fraction(11, 2), 1_320_000)
    assert (refund.withheld, refund.after_withholding) == (269_544, 1_050_456)


def test_the_rate_is_rounded_to_one_decimal_place() -> None:
    """Six months at 260,000: 0.183 x 1/2 x 6 = 0.549 → 0.5, so 130,000 (not 142,740): the
    figure published for that grade. Twelve months, half at 280,000 and half at 300,000:
    average 290,000 x (1.098 → 1.1) = 319,000."""
    six = employees_refund([260_000] * 6, RATE, RULES)
    assert six is not None and six.amount == 130_000
    twelve = employees_refund([280_000] * 6 + [300_000] * 6, RATE, RULES)
    assert twelve is not None
    assert (twelve.base, twelve.multiplier, twelve.amount) == (290_000, Fraction(11, 10), 319_000)


def test_too_short_or_long_enough_for_a_pension_gives_nothing() -> None:
    assert employees_refund([240_000] * 5, RATE, RULES) is None
    assert employees_refund([240_000] * 120, RATE, RULES) is None
    assert national_refund(5, 17_920, RULES) is None
    assert national_refund(120, 17_920, RULES) is None


def test_the_national_pension_returns_half_its_premium_a_month_untaxed() -> None:
    """17,920 / 2 = 8,960 x 60 = 537,600; 59 months count 54: 483,840."""
    refund = national_refund(60, 17_920, RULES)
    assert refund is not None
    assert (refund.scheme, refund.amount, refund.withheld) == (
        PensionScheme.NATIONAL,
        537_600,
        0,
    )
    fewer = national_refund(59, 17_920, RULES)
    assert fewer is not None and fewer.amount == 483_840


def test_a_jet_leaving_after_five_years_averages_the_grades_of_each_month() -> None:
    """JET from August 2027 (¥280,000 a month, then 300,000, 325,000, 330,000, 330,000): the
    pension grade is 280,000 from enrolment, and each September takes April-June's pay:
    Aug 2027-Aug 2029 25 x 280,000; Sep 2029-Aug 2030 12 x 300,000; Sep 2030-Aug 2031
    12 x 320,000 (325,000 is in 310,000-330,000); Sep 2031-Jul 2032 11 x 340,000.
    Average (7,000,000 + 3,600,000 + 3,840,000 + 3,740,000) / 60 = 303,000; x 5.5
    = 1,666,500; withheld 340,299."""
    pay = BOOK.paths[HiringPath.JET].pay
    assert isinstance(pay, JetPay)
    estimate = estimate_pay(pay, BOOK.take_home, start=AUGUST_2027, resident=False)
    refund = estimate.refund
    assert refund is not None
    assert (refund.months, refund.base, refund.amount, refund.withheld) == (
        60,
        303_000,
        1_666_500,
        340_299,
    )
    assert estimate.refund_without_employee_insurance is None  # JET always enrols its ALTs


def test_dispatch_compares_both_schemes_and_a_resident_claims_nothing() -> None:
    """Dispatch at the 240,000 grade all five years: 1,320,000; without employees' insurance,
    a 28-year-old pays the national pension all 60 months: 537,600. Someone already living
    in Japan is not leaving: no refund in either scheme."""
    pay = BOOK.paths[HiringPath.DISPATCH].pay
    assert isinstance(pay, RangePay)
    leaving = estimate_pay(pay, BOOK.take_home, start=AUGUST_2027, resident=False, age=28)
    assert leaving.refund is not None and leaving.refund.amount == 1_320_000
    national = leaving.refund_without_employee_insurance
    assert national is not None and national.amount == 537_600
    staying = estimate_pay(pay, BOOK.take_home, start=AUGUST_2027, resident=True, age=28)
    assert staying.refund is None and staying.refund_without_employee_insurance is None
