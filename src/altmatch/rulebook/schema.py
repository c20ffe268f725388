"""Typed shape of a rulebook edition: every figure carries where it came from and when."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, model_validator

from altmatch.rulebook.vocabulary import (
    CaseCategory,
    ContractType,
    Degree,
    Dimension,
    English,
    HiringPath,
    Jlpt,
    Residence,
    RetainedKind,
    RetentionStart,
    StatusOfResidence,
    Urgency,
)


class Frozen(BaseModel):
    """Base for rulebook models: immutable, and unknown keys are errors (typos in data fail)."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Text(Frozen):
    """A user-facing sentence in both interface languages."""

    en: str = Field(min_length=1)
    ja: str = Field(min_length=1)

    def get(self, locale: str) -> str:
        return self.ja if locale == "ja" else self.en


class Sourced(Frozen):
    """Anything carrying a figure: where it came from, when it was true, and whether it is firm."""

    source: HttpUrl
    as_of: dt.date
    estimate: bool = Field(
        default=False,
        description="True when the figure could not be confirmed from an official source.",
    )
    note: str | None = None


# --- eligibility checks: the logic lives in the domain, the parameters live here ---------------


class DegreeAtLeast(Frozen):
    kind: Literal["degree_at_least"]
    value: Degree


class CitizenshipIn(Frozen):
    kind: Literal["citizenship_in"]
    values: list[str] = Field(min_length=1, description="ISO 3166-1 alpha-2 codes")


class EnglishIn(Frozen):
    kind: Literal["english_in"]
    values: list[English] = Field(min_length=1)


class PriorJetYearsAtMost(Frozen):
    kind: Literal["prior_jet_years_at_most"]
    value: int = Field(ge=0)


class YearsInJapanRecentAtMost(Frozen):
    kind: Literal["years_in_japan_recent_at_most"]
    value: int = Field(ge=0)


class TeachingYearsAtLeast(Frozen):
    kind: Literal["teaching_years_at_least"]
    value: int = Field(ge=0)


class AltYearsAtLeast(Frozen):
    kind: Literal["alt_years_at_least"]
    value: int = Field(ge=0)


class JlptAtLeast(Frozen):
    kind: Literal["jlpt_at_least"]
    value: Jlpt


class ResidenceIs(Frozen):
    kind: Literal["residence_is"]
    value: Residence


class StatusOfResidenceIn(Frozen):
    kind: Literal["status_of_residence_in"]
    values: list[StatusOfResidence] = Field(min_length=1)


class StatusOfResidenceNotIn(Frozen):
    """Passes unless the person holds one of these statuses (no status passes)."""

    kind: Literal["status_of_residence_not_in"]
    values: list[StatusOfResidence] = Field(min_length=1)


class EnglishEducationYearsAtLeast(Frozen):
    """Years of schooling taught in English; unknown until the person says."""

    kind: Literal["english_education_years_at_least"]
    value: int = Field(ge=0)


class JapaneseNational(Frozen):
    """Passes when holding Japanese nationality is `value`."""

    kind: Literal["japanese_national"]
    value: bool


class JetLeftYearsBeforeStartAtLeast(Frozen):
    """A former JET's last contract ended at least `value` calendar years before the year the
    path's next intake starts; someone who was never a JET passes."""

    kind: Literal["jet_left_years_before_start_at_least"]
    value: int = Field(ge=0)


class JetDeclinedYearsBeforeStartAtLeast(Frozen):
    """A JET placement the person declined departed at least `value` years before the next
    intake; someone who never declined one passes."""

    kind: Literal["jet_declined_years_before_start_at_least"]
    value: int = Field(ge=0)


class AnyOf(Frozen):
    """Passes when any one of its checks passes (e.g. a degree OR a work-capable visa)."""

    kind: Literal["any_of"]
    checks: list[Check] = Field(min_length=2)


Check = Annotated[
    DegreeAtLeast
    | CitizenshipIn
    | EnglishIn
    | PriorJetYearsAtMost
    | YearsInJapanRecentAtMost
    | TeachingYearsAtLeast
    | AltYearsAtLeast
    | JlptAtLeast
    | ResidenceIs
    | StatusOfResidenceIn
    | StatusOfResidenceNotIn
    | EnglishEducationYearsAtLeast
    | JapaneseNational
    | JetLeftYearsBeforeStartAtLeast
    | JetDeclinedYearsBeforeStartAtLeast
    | AnyOf,
    Field(discriminator="kind"),
]
AnyOf.model_rebuild()


class EligibilityRule(Sourced):
    """One requirement of one path, with what a candidate could do to meet it."""

    id: str = Field(pattern=r"^[a-z_]+\.[a-z_]+$")
    check: Check
    description: Text
    fix: Text
    advisory: bool = Field(
        default=False,
        description="True when not meeting it is a warning to heed, not a closed path "
        "(what is typical rather than a rule).",
    )
    unanswered: Text | None = Field(
        default=None,
        description="What to tell the advisor when the profile leaves the rule uncheckable.",
    )


# --- pay and benefits ----------------------------------------------------------------------------


class JetPay(Sourced):
    """The national schedule: annual salary by contract year, before tax and insurance."""

    kind: Literal["schedule"]
    annual_by_year: list[int] = Field(min_length=5, max_length=5)


class RangePay(Sourced):
    """A typical monthly range (dispatch, direct hire) and how it moves year to year."""

    kind: Literal["monthly_range"]
    monthly_min: int = Field(gt=0)
    monthly_max: int = Field(gt=0)
    month_factors: dict[int, float] = Field(
        default_factory=dict,
        description="Share of the monthly pay paid in a calendar month (1-12), for months paid "
        "at a reduced rate such as the summer break; months not listed are paid in full.",
    )
    annual_raise: int = Field(ge=0, description="Typical monthly raise per re-contract year.")
    employee_insurance_varies: bool = Field(
        default=False,
        description="True when some employers on this path do not enrol their ALTs in "
        "employees' health insurance and pension, so the national schemes are shown too.",
    )

    @model_validator(mode="after")
    def _ordered(self) -> RangePay:
        if self.monthly_min > self.monthly_max:
            raise ValueError("monthly_min must not exceed monthly_max")
        for month, factor in self.month_factors.items():
            if not 1 <= month <= 12 or not 0 <= factor <= 1:
                raise ValueError("month_factors maps a month 1-12 to a share from 0 to 1")
        return self


PathPay = Annotated[JetPay | RangePay, Field(discriminator="kind")]


class Benefit(Sourced):
    id: str
    label: Text
    value: Text


class Rating(Sourced):
    """A 0-5 rating of a path on one qualitative dimension, with the reason for it."""

    score: float = Field(ge=0, le=5)
    reason: Text


class ApplicationWindow(Frozen):
    """One recruiting round: when applications are taken and when its entrants start.

    `closes_latest` is set when the deadline differs by country and the window stands for
    all of them: applications close between `closes` and `closes_latest`."""

    opens: dt.date
    closes: dt.date
    starts: dt.date
    closes_latest: dt.date | None = None

    @property
    def last_day(self) -> dt.date:
        return self.closes_latest or self.closes

    @model_validator(mode="after")
    def _ordered(self) -> ApplicationWindow:
        if not self.opens <= self.closes <= self.last_day <= self.starts:
            raise ValueError("need opens <= closes <= closes_latest <= starts")
        return self


class CountryWindows(Sourced):
    """The rounds as one country's recruiting office runs them (deadlines differ by country)."""

    countries: list[str] = Field(min_length=1, description="ISO 3166-1 alpha-2 codes")
    windows: list[ApplicationWindow] = Field(min_length=1)


class Timeline(Sourced):
    """When a path recruits and when its ALTs start."""

    start_months: list[int] = Field(min_length=1)
    windows: list[ApplicationWindow] = Field(
        default_factory=list,
        description="Fixed rounds (for applicants whose country has no rounds of its own); "
        "empty when hiring is year-round.",
    )
    country_windows: list[CountryWindows] = Field(
        default_factory=list, description="Rounds of the countries known to differ."
    )
    lead_months: int = Field(
        ge=0, description="Typical months from applying to starting when hiring is year-round."
    )
    summary: Text

    @model_validator(mode="after")
    def _months(self) -> Timeline:
        if any(m < 1 or m > 12 for m in self.start_months):
            raise ValueError("start_months must be 1-12")
        listed = [c.upper() for entry in self.country_windows for c in entry.countries]
        if len(listed) != len(set(listed)):
            raise ValueError("a country may have only one entry in country_windows")
        return self

    def windows_for(self, country: str | None) -> tuple[list[ApplicationWindow], bool]:
        """The rounds an applicant from `country` applies in, and whether they are that
        country's own (False: the general rounds, whose deadlines may differ by country)."""
        code = (country or "").upper()
        for entry in self.country_windows:
            if code in {c.upper() for c in entry.countries}:
                return entry.windows, True
        return self.windows, False


class PathInfo(Frozen):
    """Everything the rulebook says about one path."""

    name: Text
    employer: Text
    support_model: Text
    eligibility: list[EligibilityRule]
    pay: PathPay
    benefits: list[Benefit]
    ratings: dict[Dimension, Rating]
    timeline: Timeline
    arrives_from_overseas: bool = Field(
        description="True when a typical entrant starts their first year newly resident "
        "(no resident tax in the first year)."
    )

    @model_validator(mode="after")
    def _rated_everywhere(self) -> PathInfo:
        missing = {d for d in Dimension if d is not Dimension.PAY and d is not Dimension.SPEED}
        missing -= set(self.ratings)
        if missing:
            raise ValueError(f"ratings missing for: {sorted(missing)}")
        return self


# --- take-home --------------------------------------------------------------------------------


class Bracket(Frozen):
    """Rate and deduction that apply to amounts up to `up_to` (None = no upper bound)."""

    up_to: int | None
    rate: float = Field(ge=0, le=1)
    add: int = Field(default=0, description="Amount added after the rate (may be negative).")


class AmountBand(Frozen):
    """A fixed amount that applies when the base is at most `up_to` (None = no upper bound)."""

    up_to: int | None
    amount: int = Field(ge=0)


def _check_bands(bands: Sequence[Bracket] | Sequence[AmountBand]) -> None:
    """Lookups take the first band whose `up_to` covers the amount, so bands must rise strictly
    and end with an unbounded band; otherwise some amounts would match no band or the wrong one."""
    *bounded, last = [band.up_to for band in bands]
    if last is not None:
        raise ValueError("the last band must be unbounded (up_to: null)")
    previous = -1
    for up_to in bounded:
        if up_to is None:
            raise ValueError("only the last band may be unbounded")
        if up_to <= previous:
            raise ValueError("up_to must rise from band to band")
        previous = up_to


class BasicDeduction(Sourced):
    """Income-tax basic deduction by total income (pay minus the employment income deduction)."""

    bands: list[AmountBand] = Field(min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> BasicDeduction:
        _check_bands(self.bands)
        return self


class IncomeTax(Sourced):
    """National income tax: the quick-table brackets and the reconstruction surtax on the tax."""

    brackets: list[Bracket] = Field(min_length=1)
    reconstruction_surtax_rate: float = Field(ge=0, le=1)
    basic_deduction: BasicDeduction

    @model_validator(mode="after")
    def _ordered(self) -> IncomeTax:
        _check_bands(self.brackets)
        return self


class EmploymentIncomeDeduction(Sourced):
    """What an employee may deduct from pay before tax, by band of pay."""

    bands: list[Bracket] = Field(min_length=1)
    table_below: int | None = Field(
        default=None,
        gt=0,
        description="Pay below which the NTA table applies: bands with a rate are computed on "
        "pay rounded down to `table_step`.",
    )
    table_step: int = Field(default=1, gt=0)

    @model_validator(mode="after")
    def _ordered(self) -> EmploymentIncomeDeduction:
        _check_bands(self.bands)
        return self


class ResidentTaxExemption(Sourced):
    """No resident tax at all (neither part) for a single person with little income."""

    total_income_up_to: int = Field(ge=0, description="Last year's total income (所得), yen.")


class ResidentTaxCollection(Sourced):
    """How an employer collects the levy on last year's income from monthly pay (特別徴収)."""

    first_month: int = Field(ge=1, le=12, description="Calendar month of the first instalment.")
    instalments: int = Field(ge=1, le=12)


class ResidentTax(Sourced):
    income_rate: float = Field(ge=0, le=1)
    basic_deduction: int = Field(ge=0)
    per_capita: int = Field(ge=0, description="Flat per-person levy, including the forest tax.")
    adjustment_credit: int = Field(
        ge=0, description="Most the adjustment deduction gives a single person with no dependants."
    )
    adjustment_rate: float = Field(
        ge=0,
        le=1,
        description="Adjustment deduction as a share of taxable income, up to adjustment_credit.",
    )
    non_taxable: ResidentTaxExemption
    collection: ResidentTaxCollection


class GradeTable(Sourced):
    """Standard monthly remuneration grades (標準報酬月額): premiums are charged on a grade's
    amount, not on the pay itself. Each pair is (grade amount, lowest monthly pay in it)."""

    grades: list[tuple[int, int]] = Field(min_length=1)

    @model_validator(mode="after")
    def _rising(self) -> GradeTable:
        amounts = [amount for amount, _ in self.grades]
        floors = [floor for _, floor in self.grades]
        if floors[0] != 0 or floors != sorted(set(floors)) or amounts != sorted(set(amounts)):
            raise ValueError("grades rise strictly and the first starts at pay 0")
        return self


class HealthInsurance(Sourced):
    """Kyōkai kenpo's rates, which differ by prefecture."""

    default_rate: float = Field(
        ge=0, le=1, description="Total rate used when the prefecture is unknown; employee half."
    )
    by_prefecture: dict[str, float] = Field(
        min_length=1, description="Total rate by prefecture (English name as in prefectures.yaml)."
    )
    grades: GradeTable


class WelfarePension(Sourced):
    rate: float = Field(ge=0, le=1, description="Total rate; the employee pays half.")
    grades: GradeTable


class NursingCareInsurance(Sourced):
    """Collected with health insurance from those aged `from_age` to `to_age`."""

    rate: float = Field(ge=0, le=1, description="Total rate; the employee pays half.")
    from_age: int = Field(ge=0)
    to_age: int = Field(ge=0)


class GradeReview(Sourced):
    """The yearly review (定時決定): the average pay of `months` sets the grade used from
    `applies_from` on; someone enrolled on or after `skips_if_enrolled_from` that year is not
    reviewed until the next."""

    months: list[int] = Field(min_length=1)
    applies_from: int = Field(ge=1, le=12)
    skips_if_enrolled_from: int = Field(ge=1, le=12)


class EmploymentInsurance(Sourced):
    employee_rate: float = Field(ge=0, le=1, description="Employee's own share, on all pay.")


class ChildSupportLevy(Sourced):
    rate: float = Field(
        ge=0,
        le=1,
        description="Total rate on the health-insurance remuneration; the employee pays half.",
    )


class SocialInsurance(Frozen):
    """Employees' social insurance; each scheme is set by a different body, so each has a source."""

    health: HealthInsurance
    nursing_care: NursingCareInsurance
    pension: WelfarePension
    employment: EmploymentInsurance
    child_support: ChildSupportLevy
    review: GradeReview


class NhiPart(Frozen):
    """One part of the national health insurance premium (医療分, 支援金分, 介護分)."""

    income_rate: float = Field(ge=0, le=1, description="On last year's income less the deduction.")
    per_capita: int = Field(ge=0)
    per_household: int = Field(default=0, ge=0)


class NhiReduction(Frozen):
    """Share of the flat charges waived when last year's income is at most `up_to`."""

    up_to: int = Field(ge=0)
    share: float = Field(gt=0, le=1)


class NationalHealthInsurance(Sourced):
    """National health insurance (国民健康保険) in one stated reference municipality: rates
    differ by municipality, so the figures stand for a typical place, not every place."""

    municipality: Text
    income_deduction: int = Field(ge=0, description="Deducted from income before income_rate.")
    medical: NhiPart
    support: NhiPart
    nursing_care: NhiPart
    reductions: list[NhiReduction] = Field(
        default_factory=list, description="For a one-person household, lowest income first."
    )


class NationalPension(Sourced):
    monthly: int = Field(gt=0, description="Flat monthly premium.")
    from_age: int = Field(ge=0)
    to_age: int = Field(ge=0)


class NationalInsurance(Frozen):
    """The schemes someone employed without employees' insurance joins instead."""

    health: NationalHealthInsurance
    pension: NationalPension


class LumpSumWithdrawal(Sourced):
    """What a foreign national who leaves Japan before qualifying for a pension can claim back
    (脱退一時金): employees' pension pays the average standard remuneration times a payment
    rate (the premium rate x 1/2 x the counted months, to `rate_decimals` places); the
    national pension pays half the last fiscal year's monthly premium times the counted
    months. Counted months are the months covered, in whole bands, up to a cap."""

    min_months: int = Field(gt=0, description="Fewer months covered: nothing is paid.")
    band_months: int = Field(gt=0, description="Months covered count in whole bands of this.")
    max_months: int = Field(gt=0, description="Months beyond this add nothing.")
    pension_months: int = Field(
        gt=0, description="Covered this long, the person qualifies for a pension instead."
    )
    rate_decimals: int = Field(ge=0)
    withholding_rate: float = Field(
        ge=0, le=1, description="Income tax withheld from the employees' pension payment."
    )
    claim_within_years: int = Field(gt=0)


class TakeHome(Frozen):
    income_tax: IncomeTax
    employment_income_deduction: EmploymentIncomeDeduction
    resident_tax: ResidentTax
    social_insurance: SocialInsurance
    national_insurance: NationalInsurance
    lump_sum_withdrawal: LumpSumWithdrawal


class Reasoned(Frozen):
    """A modelling figure: a value with its rationale, the sources it rests on, and its date."""

    rationale: str = Field(min_length=1)
    sources: list[HttpUrl] = Field(min_length=1)
    as_of: dt.date
    estimate: bool = True


class Probability(Reasoned):
    value: float = Field(ge=0, le=1)


class Count(Reasoned):
    value: int = Field(ge=0)


class UncertaintyModel(Frozen):
    """Default luck in a simulated season (see altmatch.engine.chances.Uncertainty)."""

    withdrawal: Probability
    request_drop: Probability
    seat_gain: Probability
    seat_loss: Probability

    @model_validator(mode="after")
    def _one_draw(self) -> UncertaintyModel:
        if self.request_drop.value + self.seat_gain.value + self.seat_loss.value > 1:
            raise ValueError("request_drop + seat_gain + seat_loss must not exceed 1")
        return self


class ApplicantsPerPlace(Reasoned):
    """How many applicants compete for each new ALT place, as a range (calibration uncertainty)."""

    low: float = Field(ge=1)
    high: float = Field(ge=1)
    country: str | None = Field(default=None, description="ISO code; None for the world figure")

    @model_validator(mode="after")
    def _ordered(self) -> ApplicantsPerPlace:
        if self.low > self.high:
            raise ValueError("low must not exceed high")
        return self


class JetCalibration(Frozen):
    """Public programme figures a synthetic JET season is built from."""

    new_alts: Count
    prefectures: int = Field(gt=0)
    preferences: int = Field(gt=0, description="Placement preferences an applicant may state.")
    applicants_per_place: list[ApplicantsPerPlace] = Field(min_length=1)

    def ratio_for(self, country: str) -> ApplicantsPerPlace:
        """The country's own figure when published, else the world figure."""
        by_country = {a.country: a for a in self.applicants_per_place}
        return by_country.get(country.upper(), by_country.get(None, self.applicants_per_place[0]))


class Chances(Frozen):
    uncertainty: UncertaintyModel
    jet: JetCalibration


class Scoring(Frozen):
    """How the advisor turns pay and waiting time into 0-5 scores: modelling choices, not facts,
    so they carry a rationale instead of a source."""

    pay_points_per_percent_below_best: float = Field(gt=0)
    speed_points_per_month_waiting: float = Field(gt=0)
    rationale: Text


# --- dispatch operations -----------------------------------------------------------------------


class ContractTypeInfo(Sourced):
    """What a contract type means in practice: who directs the ALT, and each side's duties."""

    name: Text
    who_directs: Text
    obligations: list[Text] = Field(min_length=1)


class CommuteModel(Reasoned):
    """Estimated door-to-door travel time from straight-line distance: road distance is the
    straight line times `detour_factor`; time adds `fixed_minutes` (parking, walking, waiting)."""

    detour_factor: float = Field(ge=1)
    driving_kmh: float = Field(gt=0)
    transit_kmh: float = Field(gt=0)
    fixed_minutes: float = Field(ge=0)


class AssignmentWeights(Reasoned):
    """How the roster optimiser trades commute against continuity and preferences, in commute
    minutes (one day's one-way trip), and the longest commute it will propose at all."""

    continuity_bonus_minutes: float = Field(ge=0)
    preference_bonus_minutes: float = Field(ge=0)
    max_commute_minutes: float = Field(gt=0)


class CoverageRules(Reasoned):
    """What counts as at risk when looking ahead, and how far ahead to look."""

    horizon_months: int = Field(ge=1, le=36)
    undecided_counts_as_at_risk: bool


class ChecklistItem(Frozen):
    id: str = Field(pattern=r"^[a-z_]+$")
    label: Text


class Onboarding(Sourced):
    """The onboarding and training checklist a company tracks for each ALT."""

    items: list[ChecklistItem] = Field(min_length=1)


class DispatchOperations(Frozen):
    contract_types: dict[ContractType, ContractTypeInfo]
    commute: CommuteModel
    assignment: AssignmentWeights
    coverage: CoverageRules
    onboarding: Onboarding

    @model_validator(mode="after")
    def _every_type(self) -> DispatchOperations:
        missing = set(ContractType) - set(self.contract_types)
        if missing:
            raise ValueError(f"contract_types missing: {sorted(missing)}")
        return self


# --- support cases -------------------------------------------------------------------------------


class BusinessHours(Sourced):
    """When the offices that answer support cases work: weekdays (1 = Monday ... 7 = Sunday)
    from `opens` to `closes` Japan time, except public holidays (from the `holidays` library)
    and the listed closures (month-day ranges, inclusive, that may wrap over New Year)."""

    opens: dt.time
    closes: dt.time
    weekdays: list[int] = Field(min_length=1)
    closures: list[tuple[str, str]] = Field(
        default_factory=list, description="('MM-DD', 'MM-DD') inclusive ranges"
    )

    @model_validator(mode="after")
    def _sane(self) -> BusinessHours:
        if not self.opens < self.closes:
            raise ValueError("opens must be before closes")
        if any(d < 1 or d > 7 for d in self.weekdays):
            raise ValueError("weekdays are 1 (Monday) to 7 (Sunday)")
        for first, last in self.closures:
            for day in (first, last):
                dt.date.fromisoformat(f"2000-{day}")  # a valid month-day (2000 is a leap year)
        return self


class CaseTarget(Frozen):
    """How soon a case must be answered and resolved, in business hours and business days;
    0 for both means "at once, round the clock" (emergencies)."""

    first_response_hours: float = Field(ge=0)
    resolution_days: float = Field(ge=0)


class CaseTargets(Reasoned):
    """Targets by urgency, and stricter ones for some categories whatever the urgency."""

    by_urgency: dict[Urgency, CaseTarget]
    by_category: dict[CaseCategory, CaseTarget] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _every_urgency(self) -> CaseTargets:
        missing = set(Urgency) - set(self.by_urgency)
        if missing:
            raise ValueError(f"by_urgency missing: {sorted(missing)}")
        return self


class EmergencyContact(Sourced):
    id: str = Field(pattern=r"^[a-z_0-9]+$")
    label: Text
    number: str
    hours: Text


class SupportMetricsRules(Reasoned):
    """How many closed cases an employer needs before its support figures are shown (fewer
    would identify people), and before they feed the path advisor's support comparison."""

    min_cases_to_show: int = Field(ge=1)
    min_cases_for_advisor: int = Field(ge=1)


class AttachmentRules(Reasoned):
    max_bytes: int = Field(gt=0)
    max_files: int = Field(ge=0)
    content_types: list[str] = Field(min_length=1)


class SupportRules(Frozen):
    business_hours: BusinessHours
    targets: CaseTargets
    confidential_categories: list[CaseCategory]
    emergency_contacts: list[EmergencyContact] = Field(min_length=1)
    metrics: SupportMetricsRules
    attachments: AttachmentRules


# --- personal data: what is kept after a person deletes their account ------------------------


class RetentionRule(Sourced):
    """One kind of record kept (pseudonymised) after its person deleted their account: which
    fields stay, why, on what legal basis, and for how long. `years` None: kept for as long as
    the record it is part of (then `starts` is None too)."""

    record: Text
    kept: Text
    why: Text
    period: Text
    years: int | None = Field(default=None, ge=1, le=30)
    starts: RetentionStart | None = None

    @model_validator(mode="after")
    def _period(self) -> RetentionRule:
        if (self.years is None) != (self.starts is None):
            raise ValueError("years and starts are given together, or neither")
        return self


class PersonalDataRules(Frozen):
    """What account deletion keeps: one rule per kind of kept record (see RetainedKind)."""

    retention: dict[RetainedKind, RetentionRule]

    @model_validator(mode="after")
    def _every_kind(self) -> PersonalDataRules:
        missing = set(RetainedKind) - set(self.retention)
        if missing:
            raise ValueError(f"retention missing: {sorted(missing)}")
        return self


# Imported here rather than at the top: guidance.py builds on Frozen, Sourced and Text above.
from altmatch.rulebook.compliance import DispatchCompliance  # noqa: E402
from altmatch.rulebook.guidance import Guidance, InterviewRubric  # noqa: E402
from altmatch.rulebook.interview_conflicts import InterviewConflicts  # noqa: E402
from altmatch.rulebook.interview_scheduling import InterviewScheduling  # noqa: E402
from altmatch.rulebook.recruitment import Recruitment  # noqa: E402
from altmatch.rulebook.retention import DispatchRetention  # noqa: E402
from altmatch.rulebook.surveys import DispatchSurveys  # noqa: E402


class Rulebook(Frozen):
    """One edition: the figures in force for a programme year."""

    year: int
    as_of: dt.date
    title: Text
    paths: dict[HiringPath, PathInfo]
    take_home: TakeHome
    scoring: Scoring
    chances: Chances
    dispatch_operations: DispatchOperations
    support: SupportRules
    personal_data: PersonalDataRules
    guidance: Guidance
    interview_rubric: InterviewRubric
    dispatch_compliance: DispatchCompliance
    interview_scheduling: InterviewScheduling
    dispatch_retention: DispatchRetention
    dispatch_surveys: DispatchSurveys
    recruitment: Recruitment
    interview_conflicts: InterviewConflicts

    @model_validator(mode="after")
    def _all_paths(self) -> Rulebook:
        missing = set(HiringPath) - set(self.paths)
        if missing:
            raise ValueError(f"paths missing: {sorted(missing)}")
        ids = [r.id for p in self.paths.values() for r in p.eligibility]
        dupes = {i for i in ids if ids.count(i) > 1}
        if dupes:
            raise ValueError(f"duplicate rule ids: {sorted(dupes)}")
        return self
