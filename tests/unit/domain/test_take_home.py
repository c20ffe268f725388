"""Take-home pay, month by month: worked examples computed by hand from the 2026 edition.

The model changed deliberately for issue 18 (items 8-12), so the old examples (premiums on
gross / 12, contract year = calendar year, Tokyo's rate, no nursing care) were replaced: each
case below is worked out payslip-style in its docstring.

Figures used (2026 edition, `take_home`), employee shares:
  health: national average 9.90% (Hyogo 10.12%) / 2 on the health grade; nursing care 1.62% / 2
  (ages 40-64); child support 0.23% / 2 on the health grade; pension 18.3% / 2 on the pension
  grade; employment insurance 0.5% of each month's actual pay.
  Grades (pay band → grade): 230,000-250,000 → 240,000; 270,000-290,000 → 280,000;
  290,000-310,000 → 300,000; 310,000-330,000 → 320,000; 330,000-350,000 → 340,000.
  Payroll rounding of each monthly share: 50 sen or less down, more up.
  Employment income deduction: pay ≤ ¥2.2M: ¥740,000; ≤ ¥3.6M: 30% + ¥80,000;
  ≤ ¥6.6M: 20% + ¥440,000 (below ¥6.6M on pay rounded down to ¥4,000).
  Income tax: basic deduction ¥1,040,000 (income ≤ ¥4.89M); 5% to ¥1.95M, then
  10% - ¥97,500; surtax 2.1%; floored to ¥100.
  Resident tax: 10% of (income - premiums - ¥430,000, floored to ¥1,000), less 5% of that
  up to ¥2,500, floored to ¥100, plus ¥5,000; none when income ≤ ¥450,000. Instalments
  June-May: levy / 12 rounded down to ¥100, the remainder in June.
  National health insurance (Namegawa): 8.00% + ¥42,000 and 2.90% + ¥16,000 on income less
  ¥430,000, flat parts cut by 70% for income ≤ ¥430,000; national pension ¥17,920 a month.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from altmatch.domain.take_home import (
    Deductions,
    PayEstimate,
    YearPay,
    employment_income,
    estimate_pay,
    health_rate,
    income_tax,
    resident_tax,
)
from altmatch.rulebook.loader import load_rulebook
from altmatch.rulebook.prefectures import load_prefectures
from altmatch.rulebook.schema import JetPay, RangePay, TakeHome
from altmatch.rulebook.vocabulary import HiringPath

BOOK = load_rulebook(2026)
RULES: TakeHome = BOOK.take_home
JET = BOOK.paths[HiringPath.JET].pay
DISPATCH = BOOK.paths[HiringPath.DISPATCH].pay
DIRECT = BOOK.paths[HiringPath.DIRECT_HIRE].pay
AUGUST_2027 = dt.date(2027, 8, 1)


def _jet(age: int | None = None, prefecture: str | None = None) -> PayEstimate:
    assert isinstance(JET, JetPay)
    return estimate_pay(
        JET, RULES, start=AUGUST_2027, resident=False, age=age, prefecture=prefecture
    )


def _dispatch(
    start: dt.date = AUGUST_2027, age: int | None = 28, prefecture: str | None = None
) -> PayEstimate:
    assert isinstance(DISPATCH, RangePay)
    return estimate_pay(
        DISPATCH, RULES, start=start, resident=False, age=age, prefecture=prefecture
    )


# --- JET arriving in August: the first year, and the shapes of years 2 and 5 --------------------


def test_a_jet_arriving_in_august_keeps_2_841_194_yen_in_year_1() -> None:
    """Year 1 = August 2027 - July 2028, ¥280,000 a month; no prefecture, so 9.90%.

    Grade: enrolment at ¥280,000 → 280,000 (to August 2028). Each month:
      health   280,000 × 9.90% / 2 = 13,860      pension 280,000 × 18.3% / 2 = 25,620
      child    280,000 × 0.23% / 2 =    322      employment 280,000 × 0.5%  =  1,400
      × 12 = 166,320 / 307,440 / 3,864 / 16,800
    Income tax, calendar 2027 (Aug-Dec, ¥1,400,000): income 1,400,000 - 740,000 = 660,000 is
      below the basic deduction → 0.
    Calendar 2028: Jan-Jul 7 × 280,000 + Aug-Dec 5 × 300,000 = 3,460,000.
      Premiums paid in 2028: Jan-Jul 7 × 41,202 = 288,414; Aug-Dec on the same 280,000 grade
      (the review of Apr-Jun 2028, ¥280,000, applies from September) with employment
      insurance on 300,000: 5 × 41,302 = 206,510; total 494,924.
      Income 3,460,000 - (30% + 80,000 = 1,118,000) = 2,342,000;
      taxable 2,342,000 - 494,924 - 1,040,000 = 807,076 → 807,000; 5% = 40,350;
      × 1.021 = 41,197.35 → 41,100. Spread by gross, Jan-Jul carries
      41,100 × 1,960,000 / 3,460,000 = 23,282.08 → 23,282 (in year 1).
    Resident tax: living in Japan on 1 January 2028, so a levy on 2027's pay:
      660,000 - 5 × 41,202 (= 206,010) - 430,000 = 23,990 → 23,000; 10% = 2,300;
      adjustment 5% × 23,000 = 1,150 → 1,150 → 1,100; + 5,000 = 6,100. Instalments
      6,100 / 12 = 508 → 500; June 6,100 - 11 × 500 = 600; year 1 holds June and July 2028:
      600 + 500 = 1,100.
    Take-home 3,360,000 - (166,320 + 307,440 + 16,800 + 3,864 + 23,282 + 1,100) = 2,841,194.
    """
    year = _jet().years[0]

    assert year.deductions == Deductions(
        premiums={
            "health_insurance": 166_320,
            "nursing_care": 0,
            "welfare_pension": 307_440,
            "employment_insurance": 16_800,
            "child_support": 3_864,
        },
        income_tax=23_282,
        resident_tax=1_100,
    )
    assert year.take_home == 2_841_194


def test_jet_year_2_pays_ten_small_instalments_then_the_first_full_levy() -> None:
    """Year 2 = August 2028 - July 2029.

    Aug 2028 - May 2029: ten instalments of the small levy on Aug-Dec 2027 = 10 × 500 = 5,000.
    June-July 2029: the levy on all of 2028 (income 2,342,000, premiums 494,924, see year 1):
      2,342,000 - 494,924 - 430,000 = 1,417,076 → 1,417,000; 10% = 141,700; - 2,500 = 139,200;
      + 5,000 = 144,200. 144,200 / 12 = 12,016 → 12,000; June 144,200 - 11 × 12,000 = 12,200.
    Resident tax in year 2: 5,000 + 12,200 + 12,000 = 29,200 (the old model charged the whole
    137,300 here, understating year 2's take-home by about ¥108,000).
    """
    assert _jet().years[1].deductions.resident_tax == 29_200


def test_jet_year_5_ends_with_the_last_levy_taken_in_one_sum() -> None:
    """Year 5 = August 2031 - July 2032; the JET leaves Japan at the end of July 2032.

    Levy on 2030 (collected June 2031 - May 2032): pay Jan-Jul 7 × 325,000 + Aug-Dec
      5 × 330,000 = 3,925,000. Premiums 2030: Jan-Aug on the 300,000 grade (Apr-Jun 2029
      average 300,000): 14,850 + 27,450 + 345 + employment (1,625 to July, 1,650 in August)
      = 7 × 44,270 + 44,295 = 354,185; Sep-Dec on the 320,000 grade (Apr-Jun 2030: 325,000):
      15,840 + 29,280 + 368 + 1,650 = 47,138 × 4 = 188,552; total 542,737.
      Income: pay rounded to 3,924,000; 20% + 440,000 = 1,224,800; 2,699,200.
      2,699,200 - 542,737 - 430,000 = 1,726,463 → 1,726,000; 172,600 - 2,500 + 5,000 = 175,100;
      instalments 14,500 (June 15,600). Year 5 holds Aug 2031 - May 2032: 10 × 14,500 = 145,000.
    Levy on 2031 (living in Japan on 1 January 2032): pay 12 × 330,000 = 3,960,000; premiums
      Jan-Aug 8 × 47,138 = 377,104, Sep-Dec on the 340,000 grade 16,830 + 31,110 + 391 +
      1,650 = 49,981 × 4 = 199,924; total 577,028. Income 3,960,000 - 1,232,000 = 2,728,000;
      2,728,000 - 577,028 - 430,000 = 1,720,972 → 1,720,000; 172,000 - 2,500 + 5,000 = 174,500.
      June and July 2032 are deducted as usual (15,000 + 14,500) and the other ten
      instalments (10 × 14,500 = 145,000) in one sum from the July pay: all 174,500.
    Resident tax in year 5: 145,000 + 174,500 = 319,500.
    """
    assert _jet().years[4].deductions.resident_tax == 319_500


def test_over_five_years_a_newcomer_pays_every_levy_of_each_first_of_january() -> None:
    """Levies on 2027 (6,100), 2028 (144,200), 2030 (175,100), 2031 (174,500), see above, and
    2029: pay Jan-Jul 7 × 300,000 + Aug-Dec 5 × 325,000 = 3,725,000; premiums Jan-Aug on the
    280,000 grade (39,802 + employment 1,500, 1,625 in August) = 7 × 41,302 + 41,427 = 330,541,
    Sep-Dec on the 300,000 grade 42,645 + 1,625 = 44,270 × 4 = 177,080; total 507,621.
    Income 3,724,000 - (20% + 440,000 = 1,184,800) = 2,539,200; 2,539,200 - 507,621 -
    430,000 = 1,601,579 → 1,601,000; 160,100 - 2,500 + 5,000 = 162,600.
    All five fall inside the five years, the last through the final lump sum: 662,500."""
    assert sum(y.deductions.resident_tax for y in _jet().years) == 662_500


# --- dispatch: reduced months, premiums on the grade ------------------------------------------


def test_a_dispatch_alt_pays_full_premiums_in_the_half_paid_august() -> None:
    """Dispatch, arriving August 2027, age 28, no prefecture: midpoint ¥230,000, August at 50%,
    December at 75%, no raise.

    Gross, year 1: Aug 115,000; Sep-Nov 3 × 230,000; Dec 172,500; Jan-Jul 7 × 230,000
      = 2,587,500.
    Grade 240,000 (230,000-250,000) at enrolment and at the July 2028 review (Apr-Jun
      average 230,000), so every month, August included:
      health 240,000 × 9.90% / 2 = 11,880 × 12 = 142,560
      pension 240,000 × 18.3% / 2 = 21,960 × 12 = 263,520
      child 240,000 × 0.23% / 2 = 276 × 12 = 3,312
    (On August's actual ¥115,000 health alone would have been 5,693: the grade costs 6,187 more.)
    Employment on actual pay: Aug 575; Sep-Nov 3 × 1,150; Dec 862.50 → 862 (50 sen: down);
      Jan-Jul 7 × 1,150 → 575 + 3,450 + 862 + 8,050 = 12,937.
    Income tax: 2027 (¥977,500) → income 237,500, nothing taxable. 2028 (¥2,587,500): premiums
      12 × 34,116 + 12,937 = 422,329; income: 2,584,000 - (30% + 80,000 = 855,200) = 1,728,800;
      taxable 1,728,800 - 422,329 - 1,040,000 = 266,471 → 266,000; 13,300 × 1.021 = 13,579.3
      → 13,500; Jan-Jul's share 13,500 × 1,610,000 / 2,587,500 = 8,400.
    Resident tax: 2027's income 237,500 is within the ¥450,000 limit → no levy.
    Take-home 2,587,500 - (142,560 + 263,520 + 12,937 + 3,312 + 8,400) = 2,156,771.
    """
    year = _dispatch().years[0]

    assert year.gross == 2_587_500
    assert year.deductions.as_dict() == {
        "health_insurance": 142_560,
        "nursing_care": 0,
        "welfare_pension": 263_520,
        "employment_insurance": 12_937,
        "child_support": 3_312,
        "income_tax": 8_400,
        "resident_tax": 0,
    }
    assert year.take_home == 2_156_771


def test_a_dispatch_alt_leaving_in_march_owes_the_levy_of_the_january_they_spent_in_japan() -> None:
    """Dispatch from April 2027, leaving Japan at the end of March 2032 (year 5 = Apr 2031 -
    Mar 2032). Each full calendar year 2028-2031 has the same pay and premiums:
      income 1,728,800, premiums 422,329 (see above); 1,728,800 - 422,329 - 430,000 = 876,471
      → 876,000; 87,600 - 2,500 + 5,000 = 90,100; instalments 7,500 (June 7,600).
    Year 5 pays: April-May 2031 of the levy on 2029 (2 × 7,500 = 15,000); all of the levy on
    2030 (June 2031 - March 2032 as usual, April-May 2032 in the final sum) = 90,100; and the
    levy on 2031, due because they lived in Japan on 1 January 2032 though collection would only
    start in June, all in the final sum = 90,100. Total 15,000 + 90,100 + 90,100 = 195,200.
    """
    assert _dispatch(start=dt.date(2027, 4, 1)).years[4].deductions.resident_tax == 195_200


# --- nursing care, by age ---------------------------------------------------------------------


def test_a_45_year_old_jet_pays_nursing_care_every_year() -> None:
    """Age 45 at the start: 45-49 over the five years, all within 40-64. Year 1 on the
    280,000 grade: 280,000 × 1.62% / 2 = 2,268 × 12 = 27,216; it is deductible, so income tax
    and the take-home fall too."""
    older, younger = _jet(age=45), _jet(age=23)

    assert older.years[0].deductions.premiums["nursing_care"] == 27_216
    assert all(y.deductions.premiums["nursing_care"] > 0 for y in older.years)
    assert older.basis.nursing_care_years == (1, 2, 3, 4, 5)
    assert older.years[0].take_home < younger.years[0].take_home - 27_216 + 1_000


@pytest.mark.parametrize(
    ("age", "years"),
    [(None, ()), (38, (3, 4, 5)), (39, (2, 3, 4, 5)), (62, (1, 2, 3)), (65, ())],
)
def test_nursing_care_follows_the_age_in_each_contract_year(
    age: int | None, years: tuple[int, ...]
) -> None:
    """Age in contract year n = age + n - 1; charged when that is 40 to 64; an unknown age is
    taken as under 40."""
    estimate = _jet(age=age)

    charged = tuple(y.year for y in estimate.years if y.deductions.premiums["nursing_care"])
    assert charged == years == estimate.basis.nursing_care_years


# --- health insurance by prefecture -----------------------------------------------------------


def test_hyogo_uses_its_own_rate_and_says_so() -> None:
    """Hyogo 10.12%: 240,000 × 10.12% / 2 = 12,144 × 12 = 145,728 a year, against 11,880 ×
    12 = 142,560 at the national average 9.90% assumed when no prefecture is given."""
    hyogo, unknown = _dispatch(prefecture="Hyogo"), _dispatch()

    assert hyogo.years[0].deductions.premiums["health_insurance"] == 145_728
    assert unknown.years[0].deductions.premiums["health_insurance"] == 142_560
    assert (hyogo.basis.prefecture, hyogo.basis.health_rate) == ("Hyogo", 0.1012)
    assert (unknown.basis.prefecture, unknown.basis.health_rate) == (None, 0.099)


def test_a_prefecture_is_matched_by_name_in_any_case_and_an_unknown_one_falls_back() -> None:
    assert health_rate(RULES, "hyogo") == ("Hyogo", 0.1012)
    assert health_rate(RULES, "Atlantis") == (None, 0.099)


def test_the_rulebook_has_a_rate_for_each_of_the_47_prefectures() -> None:
    names = {p.en for p in load_prefectures().prefectures}
    rates = RULES.social_insurance.health.by_prefecture

    assert set(rates) == names
    assert min(rates.values()) == rates["Niigata"] == 0.0921
    assert max(rates.values()) == rates["Saga"] == 0.1055
    assert min(rates.values()) < RULES.social_insurance.health.default_rate < max(rates.values())


def test_the_grade_tables_have_50_and_32_grades() -> None:
    health = RULES.social_insurance.health.grades.grades
    pension = RULES.social_insurance.pension.grades.grades

    assert (len(health), health[0], health[-1]) == (50, (58_000, 0), (1_390_000, 1_355_000))
    assert (len(pension), pension[0], pension[-1]) == (32, (88_000, 0), (650_000, 635_000))
    assert pension[1:] == health[4:35]  # the same pay bands as health grades 5-35


# --- without employees' insurance -------------------------------------------------------------


def test_dispatch_without_employee_insurance_pays_the_national_schemes() -> None:
    """Same dispatch ALT (August 2027, age 28) on national health insurance and pension.

    NHI, fiscal year April-March, on the previous calendar year's income:
      FY2027 (on 2026: nothing in Japan) and FY2028 (on 2027: income 237,500), both
      ≤ 430,000 → flat parts cut by 70%: (42,000 + 16,000) × 30% = 17,400 a year, 1,450 a
      month; year 1 (8 months of FY2027, 4 of FY2028) = 17,400.
    National pension 12 × 17,920 = 215,040. Employment insurance 12,937 as before.
    Income tax 2028: premiums 17,400 + 215,040 + 12,937 = 245,377; taxable 1,728,800 -
      245,377 - 1,040,000 = 443,423 → 443,000; 22,150 × 1.021 = 22,615.15 → 22,600;
      Jan-Jul's share 22,600 × 1,610,000 / 2,587,500 = 14,062.2 → 14,062.
    Take-home 2,587,500 - (17,400 + 215,040 + 12,937 + 14,062) = 2,328,061.
    From FY2029 NHI is on a full year's income 1,728,800: base 1,298,800; 8.00% = 103,904 +
      42,000; 2.90% = 37,665.2 + 16,000; 199,569.2 → 199,500 (year 3, both fiscal years).
    """
    national = _dispatch().without_employee_insurance
    assert national is not None

    assert national[0].deductions.as_dict() == {
        "national_health_insurance": 17_400,
        "nursing_care": 0,
        "national_pension": 215_040,
        "employment_insurance": 12_937,
        "income_tax": 14_062,
        "resident_tax": 0,
    }
    assert national[0].take_home == 2_328_061
    assert national[2].deductions.premiums["national_health_insurance"] == 199_500


def test_only_paths_where_enrolment_varies_get_the_national_alternative() -> None:
    assert _jet().without_employee_insurance is None
    assert isinstance(DIRECT, RangePay)
    direct = estimate_pay(DIRECT, RULES, start=dt.date(2027, 4, 1), resident=True)
    assert direct.without_employee_insurance is None


# --- someone already in Japan -----------------------------------------------------------------


def test_a_resident_direct_hire_pays_a_full_years_resident_tax_from_year_1() -> None:
    """Direct hire from April 2027, already working in Japan at the same pay, age 35.
    Midpoint ¥290,000 (grade 300,000: 290,000-310,000). A year's earlier pay:
      premiums 12 × (14,850 + 27,450 + 345 + 1,450) = 529,140;
      income 3,480,000 - (30% + 80,000 = 1,124,000) = 2,356,000;
      2,356,000 - 529,140 - 430,000 = 1,396,860 → 1,396,000; 139,600 - 2,500 + 5,000 = 142,100.
    Year 1 (April 2027 - March 2028) holds April-May of the levy on 2025 (2 × 11,800) and
    June-March of the same-sized levy on 2026 (142,100 - 2 × 11,800): 142,100 in all.
    """
    assert isinstance(DIRECT, RangePay)
    estimate = estimate_pay(DIRECT, RULES, start=dt.date(2027, 4, 1), resident=True, age=35)

    assert estimate.years[0].deductions.resident_tax == 142_100
    assert estimate.basis.earlier_income and not estimate.basis.departs


# --- the yearly tax rules, unchanged from the previous model ----------------------------------


def test_pay_between_two_table_steps_is_taxed_as_at_the_step_below() -> None:
    """¥2,647,999: the NTA table floors pay to ¥4,000 → 2,644,000; income 2,644,000 - 873,200
    = 1,770,800 (without the table 1,773,600). With premiums of 388,992: taxable 341,808 →
    341,000; 17,050 × 1.021 = 17,408.05 → 17,400."""
    assert employment_income(2_647_999, RULES.employment_income_deduction) == 1_770_800
    assert income_tax(2_647_999, 388_992, RULES) == 17_400


def test_the_full_basic_deduction_ends_at_an_employment_income_of_4_89_million() -> None:
    """¥6,655,555 (above ¥6.6M, no table): deduction 665,555 + 1,100,000 → income exactly
    4,890,000, basic deduction 1,040,000; with premiums 977,712: taxable 2,872,000 → 189,700 ×
    1.021 → 193,600. One yen more: basic deduction 670,000, taxable 3,242,000 → 231,400."""
    assert income_tax(6_655_555, 977_712, RULES) == 193_600
    assert income_tax(6_655_556, 977_712, RULES) == 231_400


def test_a_levy_on_six_million() -> None:
    """Income 4,360,000 - 881,400 - 430,000 = 3,048,600 → 3,048,000; 304,800 - 2,500 + 5,000."""
    assert resident_tax(6_000_000, 881_400, RULES) == 307_300


def test_no_levy_within_the_non_taxable_limit() -> None:
    """Pay ¥1,190,000 → income 450,000: none. ¥1,194,000 → 454,000: taxable 24,000; 2,400 -
    5% × 24,000 (1,200) = 1,200; + 5,000 = 6,200."""
    assert resident_tax(1_190_000, 0, RULES) == 0
    assert resident_tax(1_194_000, 0, RULES) == 6_200


def test_month_factors_outside_a_calendar_are_refused() -> None:
    assert isinstance(DISPATCH, RangePay)
    with pytest.raises(ValueError, match="month_factors"):
        RangePay.model_validate(DISPATCH.model_dump() | {"month_factors": {13: 0.5}})


def test_the_jet_schedule_has_no_sixth_year() -> None:
    assert isinstance(JET, JetPay)
    with pytest.raises(ValueError, match="years 1-5"):
        estimate_pay(JET, RULES, start=AUGUST_2027, resident=False, years=6)


# --- properties -------------------------------------------------------------------------------

STARTS = st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2030, 12, 31))
AGES = st.none() | st.integers(min_value=18, max_value=70)
PATHS = st.sampled_from([JET, DISPATCH, DIRECT])


@settings(max_examples=40, deadline=None)
@given(pay=PATHS, start=STARTS, age=AGES, resident=st.booleans())
def test_every_year_adds_up_and_no_deduction_is_negative(
    pay: JetPay | RangePay, start: dt.date, age: int | None, resident: bool
) -> None:
    estimate = estimate_pay(pay, RULES, start=start, resident=resident, age=age)

    schemes = [estimate.years]
    if estimate.without_employee_insurance is not None:
        schemes.append(estimate.without_employee_insurance)
    for years in schemes:
        assert [y.year for y in years] == [1, 2, 3, 4, 5]
        for y in years:
            assert y.take_home == y.gross - sum(y.deductions.as_dict().values())
            assert all(amount >= 0 for amount in y.deductions.as_dict().values())
            assert 0 < y.take_home < y.gross


@settings(max_examples=25, deadline=None)
@given(start=STARTS, age=AGES)
def test_a_newcomers_first_year_has_at_most_a_small_levy(start: dt.date, age: int | None) -> None:
    """Whatever the month of arrival, year 1 holds at most the first levy's instalments on a
    part-year (under a fifth of a full year's levy) or none."""
    assert isinstance(JET, JetPay)
    estimate = estimate_pay(JET, RULES, start=start, resident=False, age=age)

    assert estimate.years[0].deductions.resident_tax < estimate.years[2].deductions.resident_tax / 5


def test_year_pay_is_a_frozen_value() -> None:
    year = _jet().years[0]

    assert isinstance(year, YearPay)
    with pytest.raises(AttributeError):
        year.gross = 0  # type: ignore[misc]
