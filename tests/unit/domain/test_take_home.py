"""Take-home pay: worked examples computed by hand from the 2026 edition, plus properties.

Figures used by the worked examples (2026 edition, `take_home`):
  health 9.85% (Tokyo), pension 18.3%, child support 0.23% - employee pays half of each;
  employment insurance 0.5% (employee); caps ¥1,390,000 (health) and ¥650,000 (pension).
  Employment income deduction: pay ≤ ¥2.2M: ¥740,000; ≤ ¥3.6M: 30% + ¥80,000;
  ≤ ¥6.6M: 20% + ¥440,000 (below ¥6.6M on pay rounded down to ¥4,000).
  Basic deduction: ¥1,040,000 for employment income ≤ ¥4.89M.
  Brackets: ≤ ¥1.95M 5%; ≤ ¥3.3M 10% - ¥97,500. Surtax 2.1%.
  Resident tax: 10% of (income - premiums - ¥430,000), less the ¥2,500 adjustment
  deduction (5% of taxable income at most), plus ¥5,000 per capita.
Payroll rounding of each monthly premium share: 50 sen or less down, more up.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from altmatch.domain.take_home import Deductions, YearPay, pay_by_year, year_pay
from altmatch.rulebook.loader import load_rulebook
from altmatch.rulebook.schema import JetPay, RangePay, TakeHome
from altmatch.rulebook.vocabulary import HiringPath

BOOK = load_rulebook(2026)
RULES: TakeHome = BOOK.take_home


def test_jet_first_year_pays_no_resident_tax_and_keeps_2_828_816_yen() -> None:
    # Year 1, ¥3,360,000, newly arrived (no resident tax). Monthly pay 3,360,000 / 12 = 280,000.
    #   health   280,000 × 9.85% / 2 = 13,790.00 → 13,790 × 12 = 165,480
    #   pension  280,000 × 18.3% / 2 = 25,620.00 → 25,620 × 12 = 307,440
    #   child    280,000 × 0.23% / 2 =    322.00 →    322 × 12 =   3,864
    #   employ.  280,000 × 0.5%      =  1,400.00 →  1,400 × 12 =  16,800
    #   premiums 165,480 + 307,440 + 3,864 + 16,800 = 493,584
    # Employment income: 3,360,000 is a multiple of 4,000, so no table rounding;
    #   deduction 3,360,000 × 30% + 80,000 = 1,088,000; income 2,272,000
    # Basic deduction: 2,272,000 ≤ 4,890,000 → 1,040,000
    # Taxable 2,272,000 - 493,584 - 1,040,000 = 738,416 → 738,000 (floored to ¥1,000)
    # Tax 738,000 × 5% = 36,900; × 1.021 = 37,674.9 → 37,600 (floored to ¥100)
    # Total 493,584 + 37,600 = 531,184; take-home 3,360,000 - 531,184 = 2,828,816
    pay = year_pay(1, 3_360_000, RULES, previous_gross=None)

    assert pay.deductions == Deductions(
        health_insurance=165_480,
        welfare_pension=307_440,
        employment_insurance=16_800,
        child_support=3_864,
        income_tax=37_600,
        resident_tax=0,
    )
    assert pay.deductions.total == 531_184
    assert pay.take_home == 2_828_816


def test_jet_second_year_pays_resident_tax_on_the_first_years_pay() -> None:
    # Year 2, ¥3,600,000, resident tax on year 1's ¥3,360,000. Monthly 300,000.
    #   health   300,000 × 9.85% / 2 = 14,775 × 12 = 177,300
    #   pension  300,000 × 18.3% / 2 = 27,450 × 12 = 329,400
    #   child    300,000 × 0.23% / 2 =    345 × 12 =   4,140
    #   employ.  300,000 × 0.5%      =  1,500 × 12 =  18,000
    #   premiums 177,300 + 329,400 + 4,140 + 18,000 = 528,840
    # Employment income: deduction 3,600,000 × 30% + 80,000 = 1,160,000; income 2,440,000
    # Basic deduction 1,040,000
    # Taxable 2,440,000 - 528,840 - 1,040,000 = 871,160 → 871,000
    # Tax 871,000 × 5% = 43,550; × 1.021 = 44,464.55 → 44,400
    # Resident tax on year 1's pay: income 2,272,000, premiums 493,584 (test above)
    #   taxable 2,272,000 - 493,584 - 430,000 = 1,348,416 → 1,348,000
    #   10% = 134,800; adjustment min(2,500, 1,348,000 × 5%) = 2,500 → 132,300
    #   + per capita 5,000 = 137,300
    # Total 528,840 + 44,400 + 137,300 = 710,540; take-home 3,600,000 - 710,540 = 2,889,460
    pay = year_pay(2, 3_600_000, RULES, previous_gross=3_360_000)

    assert pay.deductions.as_dict() == {
        "health_insurance": 177_300,
        "welfare_pension": 329_400,
        "employment_insurance": 18_000,
        "child_support": 4_140,
        "income_tax": 44_400,
        "resident_tax": 137_300,
    }
    assert pay.take_home == 2_889_460


def test_dispatch_first_year_uses_the_midpoint_and_the_nta_table_rounding() -> None:
    # Dispatch pay: midpoint (210,000 + 250,000) / 2 = 230,000 × 11.5 paid months = 2,645,000.
    # Monthly 2,645,000 / 12 = 220,416.67
    #   health   2,645,000 × 9.85% / 24 = 10,855.52 → 10,856 (over 50 sen: up) × 12 = 130,272
    #   pension  2,645,000 × 18.3% / 24 = 20,168.13 → 20,168 × 12 = 242,016
    #   child    2,645,000 × 0.23% / 24 =    253.48 →    253 × 12 =   3,036
    #   employ.  2,645,000 × 0.5%  / 12 =  1,102.08 →  1,102 × 12 =  13,224
    #   premiums 130,272 + 242,016 + 3,036 + 13,224 = 388,548
    # Employment income: below ¥6.6M the table uses pay floored to ¥4,000: 2,644,000;
    #   deduction 2,644,000 × 30% + 80,000 = 873,200; income 2,644,000 - 873,200 = 1,770,800
    # Basic deduction 1,040,000
    # Taxable 1,770,800 - 388,548 - 1,040,000 = 342,252 → 342,000
    # Tax 342,000 × 5% = 17,100; × 1.021 = 17,459.1 → 17,400
    # Total 388,548 + 17,400 = 405,948; take-home 2,645,000 - 405,948 = 2,239,052
    dispatch = BOOK.paths[HiringPath.DISPATCH].pay
    assert isinstance(dispatch, RangePay)

    first = pay_by_year(dispatch, RULES, years=1, first_year_resident_tax=False)[0]

    assert first.gross == 2_645_000
    assert first.deductions == Deductions(
        health_insurance=130_272,
        welfare_pension=242_016,
        employment_insurance=13_224,
        child_support=3_036,
        income_tax=17_400,
        resident_tax=0,
    )
    assert first.take_home == 2_239_052


def test_pay_between_two_table_steps_is_taxed_as_at_the_step_below() -> None:
    # ¥2,647,999: premiums per month (÷ 24 for the half shares, ÷ 12 for employment)
    #   health 10,867.83 → 10,868 × 12 = 130,416; pension 20,190.99 → 20,191 × 12 = 242,292
    #   child 253.77 → 254 × 12 = 3,048; employment 1,103.33 → 1,103 × 12 = 13,236
    #   premiums 388,992
    # NTA table: pay floored to ¥4,000 = 2,644,000; income 2,644,000 - 873,200 = 1,770,800
    #   (without the table: 2,647,999 - 874,399 = 1,773,600, which would give ¥17,500)
    # Taxable 1,770,800 - 388,992 - 1,040,000 = 341,808 → 341,000
    # Tax 341,000 × 5% = 17,050; × 1.021 = 17,408.05 → 17,400
    deductions = year_pay(1, 2_647_999, RULES, previous_gross=None).deductions

    assert deductions.social_insurance == 388_992
    assert deductions.income_tax == 17_400


def test_pay_of_six_million_reaches_the_ten_percent_bracket() -> None:
    # ¥6,000,000, resident tax on the same pay last year. Monthly 500,000 (below both caps).
    #   health 500,000 × 9.85% / 2 = 24,625 × 12 = 295,500
    #   pension 500,000 × 18.3% / 2 = 45,750 × 12 = 549,000
    #   child 500,000 × 0.23% / 2 = 575 × 12 = 6,900; employ. 2,500 × 12 = 30,000
    #   premiums 881,400
    # Employment income: 6,000,000 × 20% + 440,000 = 1,640,000 deducted → 4,360,000
    # Basic deduction: 4,360,000 ≤ 4,890,000 → 1,040,000
    # Taxable 4,360,000 - 881,400 - 1,040,000 = 2,438,600 → 2,438,000
    # Tax 2,438,000 × 10% - 97,500 = 146,300; × 1.021 = 149,372.3 → 149,300
    # Resident: 4,360,000 - 881,400 - 430,000 = 3,048,600 → 3,048,000; 10% = 304,800
    #   - 2,500 = 302,300; + 5,000 = 307,300
    # Total 881,400 + 149,300 + 307,300 = 1,338,000; take-home 4,662,000
    pay = year_pay(3, 6_000_000, RULES, previous_gross=6_000_000)

    assert pay.deductions.income_tax == 149_300
    assert pay.deductions.resident_tax == 307_300
    assert pay.deductions.total == 1_338_000
    assert pay.take_home == 4_662_000


def test_the_full_basic_deduction_ends_at_an_employment_income_of_4_89_million() -> None:
    # ¥6,655,555 (above ¥6.6M, so no table): deduction floor(665,555.5) + 1,100,000 = 1,765,555
    #   → employment income exactly 4,890,000, still in the ¥1,040,000 band.
    # Premiums (both years): health 27,315.51 → 27,316 × 12 = 327,792;
    #   pension 50,748.61 → 50,749 × 12 = 608,988; child 637.82 → 638 × 12 = 7,656;
    #   employment 2,773.15 → 2,773 × 12 = 33,276; total 977,712
    # Taxable 4,890,000 - 977,712 - 1,040,000 = 2,872,288 → 2,872,000
    #   tax 2,872,000 × 10% - 97,500 = 189,700; × 1.021 = 193,683.7 → 193,600
    # One yen more: income 4,890,001 → basic deduction 670,000
    #   taxable 4,890,001 - 977,712 - 670,000 = 3,242,289 → 3,242,000
    #   tax 324,200 - 97,500 = 226,700; × 1.021 = 231,460.7 → 231,400
    at_limit = year_pay(1, 6_655_555, RULES, previous_gross=None).deductions
    past_limit = year_pay(1, 6_655_556, RULES, previous_gross=None).deductions

    assert at_limit.social_insurance == past_limit.social_insurance == 977_712
    assert at_limit.income_tax == 193_600
    assert past_limit.income_tax == 231_400


def test_premiums_stop_rising_at_the_monthly_caps_and_round_half_down() -> None:
    # ¥20,000,000 → 1,666,667 a month, above both caps.
    #   health 1,390,000 × 9.85% / 2 = 68,457.50 → exactly 50 sen: down → 68,457 × 12 = 821,484
    #   pension 650,000 × 18.3% / 2 = 59,475 × 12 = 713,700
    #   child 1,390,000 × 0.23% / 2 = 1,598.50 → 1,598 × 12 = 19,176
    #   employment insurance has no cap: 20,000,000 × 0.5% / 12 = 8,333.33 → 8,333 × 12 = 99,996
    deductions = year_pay(1, 20_000_000, RULES, previous_gross=None).deductions

    assert deductions.health_insurance == 821_484
    assert deductions.welfare_pension == 713_700
    assert deductions.child_support == 19_176
    assert deductions.employment_insurance == 99_996


def test_jet_schedule_gives_five_years_each_taxed_on_the_year_before() -> None:
    jet = BOOK.paths[HiringPath.JET].pay
    assert isinstance(jet, JetPay)

    years = pay_by_year(jet, RULES, first_year_resident_tax=False)

    assert [y.year for y in years] == [1, 2, 3, 4, 5]
    assert [y.gross for y in years] == jet.annual_by_year
    assert years[0].deductions.resident_tax == 0
    assert years[1] == year_pay(2, jet.annual_by_year[1], RULES, previous_gross=3_360_000)


def test_a_first_year_resident_pays_resident_tax_on_the_same_pay() -> None:
    jet = BOOK.paths[HiringPath.JET].pay
    assert isinstance(jet, JetPay)

    first = pay_by_year(jet, RULES, years=1, first_year_resident_tax=True)[0]

    assert first == year_pay(1, 3_360_000, RULES, previous_gross=3_360_000)
    assert first.deductions.resident_tax == 137_300  # as in the year-2 example above


def test_range_pay_rises_by_the_annual_raise_times_paid_months() -> None:
    direct = BOOK.paths[HiringPath.DIRECT_HIRE].pay
    assert isinstance(direct, RangePay)
    midpoint = (direct.monthly_min + direct.monthly_max) // 2

    years = pay_by_year(direct, RULES, years=3, first_year_resident_tax=True)

    assert [y.gross for y in years] == [
        int((midpoint + direct.annual_raise * n) * (direct.paid_months + direct.bonus_months))
        for n in range(3)
    ]


def test_the_jet_schedule_has_no_sixth_year() -> None:
    jet = BOOK.paths[HiringPath.JET].pay
    assert isinstance(jet, JetPay)

    with pytest.raises(ValueError, match="years 1-5"):
        pay_by_year(jet, RULES, years=6, first_year_resident_tax=False)


def test_negative_pay_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        year_pay(1, -1, RULES, previous_gross=None)


# --- properties -------------------------------------------------------------------------------

GROSS = st.integers(min_value=100_000, max_value=30_000_000)
PREVIOUS = st.none() | st.integers(min_value=0, max_value=30_000_000)


@given(gross=GROSS, previous=PREVIOUS)
def test_take_home_is_always_less_than_gross(gross: int, previous: int | None) -> None:
    pay = year_pay(1, gross, RULES, previous_gross=previous)

    assert pay.take_home < pay.gross
    assert all(amount >= 0 for amount in pay.deductions.as_dict().values())


@given(gross=GROSS)
def test_no_previous_year_in_japan_means_no_resident_tax(gross: int) -> None:
    assert year_pay(1, gross, RULES, previous_gross=None).deductions.resident_tax == 0


@settings(max_examples=300)
@given(
    gross=st.integers(min_value=1_000_000, max_value=6_500_000),
    raise_by=st.integers(min_value=10_000, max_value=1_000_000),
    previous=PREVIOUS,
)
def test_more_gross_never_means_less_take_home(
    gross: int, raise_by: int, previous: int | None
) -> None:
    # Over ALT-like pay (up to just below the ¥6.65M step in the 2026 basic deduction) a raise
    # of ¥10,000 or more always leaves more in hand. Smaller steps can cross a rounding unit
    # (¥4,000 table step, ¥1,000 taxable floor) and lose a few hundred yen, as real payroll does.
    lower = year_pay(1, gross, RULES, previous_gross=previous)
    higher = year_pay(1, gross + raise_by, RULES, previous_gross=previous)

    assert higher.take_home >= lower.take_home


@given(gross=GROSS, previous=PREVIOUS)
def test_resident_tax_depends_only_on_last_years_pay(gross: int, previous: int | None) -> None:
    this_year = year_pay(1, gross, RULES, previous_gross=previous)
    other_pay = year_pay(1, gross + 1_000_000, RULES, previous_gross=previous)

    assert this_year.deductions.resident_tax == other_pay.deductions.resident_tax


def test_year_pay_is_a_frozen_value() -> None:
    pay = year_pay(1, 3_360_000, RULES, previous_gross=None)

    assert isinstance(pay, YearPay)
    with pytest.raises(AttributeError):
        pay.gross = 0  # type: ignore[misc]
