"""Every eligibility rule of the current rulebook, passed and failed at its boundary."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from altmatch.domain.eligibility import Outcome, assess, failed_rules, outcome, passes
from altmatch.domain.profile import Profile
from altmatch.rulebook import load_rulebook
from altmatch.rulebook.schema import (
    AltYearsAtLeast,
    AnyOf,
    DegreeAtLeast,
    EnglishEducationYearsAtLeast,
    JlptAtLeast,
    PriorJetYearsAtMost,
    StatusOfResidenceIn,
    TeachingYearsAtLeast,
    YearsInJapanRecentAtMost,
)
from altmatch.rulebook.vocabulary import (
    Degree,
    English,
    HiringPath,
    Jlpt,
    Residence,
    StatusOfResidence,
)

BOOK = load_rulebook(2026)

OVERSEAS_GRADUATE = Profile(
    degree=Degree.BACHELOR, citizenship="GB", english=English.NATIVE, english_education_years=13
)
EXPERIENCED_RESIDENT = Profile(
    degree=Degree.BACHELOR,
    citizenship="US",
    english=English.NATIVE,
    english_education_years=13,
    alt_years=3,
    jlpt=Jlpt.N2,
    residence=Residence.JAPAN,
    status_of_residence=StatusOfResidence.INSTRUCTOR,
    years_in_japan_recent=3,
)


def rule_ids(path: HiringPath, profile: Profile) -> list[str]:
    return [r.id for r in failed_rules(BOOK.paths[path], profile)]


def caveats(
    path: HiringPath, profile: Profile, start: dt.date | None = None
) -> list[tuple[str, bool]]:
    """(rule id, unanswered) for each rule that leaves the path open but needs attention."""
    found = assess(BOOK.paths[path], profile, start=start).caveats
    return [(c.rule.id, c.unanswered) for c in found]


def rule(rule_id: str) -> object:
    return next(r.check for p in BOOK.paths.values() for r in p.eligibility if r.id == rule_id)


def test_an_overseas_graduate_from_a_participating_country_meets_every_jet_rule() -> None:
    assert rule_ids(HiringPath.JET, OVERSEAS_GRADUATE) == []


def test_an_overseas_graduate_meets_every_dispatch_rule() -> None:
    assert rule_ids(HiringPath.DISPATCH, OVERSEAS_GRADUATE) == []


def test_an_experienced_resident_with_n2_meets_every_direct_hire_rule() -> None:
    assert rule_ids(HiringPath.DIRECT_HIRE, EXPERIENCED_RESIDENT) == []


@pytest.mark.parametrize("degree", [Degree.NONE, Degree.ASSOCIATE])
def test_jet_needs_a_bachelors_degree(degree: Degree) -> None:
    profile = dataclasses.replace(OVERSEAS_GRADUATE, degree=degree)
    assert rule_ids(HiringPath.JET, profile) == ["jet.degree"]


def test_jet_takes_a_three_year_teacher_training_certificate_instead_of_a_degree() -> None:
    """Issue 18, item 7: the programme's criteria accept a three-year course qualifying the
    applicant as a teacher in place of a bachelor's degree."""
    profile = dataclasses.replace(OVERSEAS_GRADUATE, degree=Degree.TEACHER_TRAINING)
    assert rule_ids(HiringPath.JET, profile) == []


def test_jet_accepts_a_higher_degree() -> None:
    profile = dataclasses.replace(OVERSEAS_GRADUATE, degree=Degree.DOCTORATE)
    assert rule_ids(HiringPath.JET, profile) == []


def test_jet_rejects_a_citizenship_outside_the_recruiting_countries() -> None:
    profile = dataclasses.replace(OVERSEAS_GRADUATE, citizenship="JP")
    assert rule_ids(HiringPath.JET, profile) == ["jet.citizenship"]


def test_jet_and_dispatch_need_native_or_fluent_english() -> None:
    profile = dataclasses.replace(OVERSEAS_GRADUATE, english=English.OTHER)
    assert "jet.english" in rule_ids(HiringPath.JET, profile)
    assert "dispatch.english" in rule_ids(HiringPath.DISPATCH, profile)
    fluent = dataclasses.replace(OVERSEAS_GRADUATE, english=English.FLUENT)
    assert rule_ids(HiringPath.JET, fluent) == []


def test_jet_prior_participation_limit_is_inclusive() -> None:
    check = rule("jet.prior_participation")
    assert isinstance(check, PriorJetYearsAtMost)
    at_limit = dataclasses.replace(OVERSEAS_GRADUATE, prior_jet_years=check.value)
    over = dataclasses.replace(OVERSEAS_GRADUATE, prior_jet_years=check.value + 1)
    assert rule_ids(HiringPath.JET, at_limit) == []
    assert rule_ids(HiringPath.JET, over) == ["jet.prior_participation"]


def test_jet_years_in_japan_limit_is_inclusive() -> None:
    check = rule("jet.years_in_japan")
    assert isinstance(check, YearsInJapanRecentAtMost)
    assert check.value == 5  # "six years or more in the past ten" disqualifies
    at_limit = dataclasses.replace(OVERSEAS_GRADUATE, years_in_japan_recent=5)
    over = dataclasses.replace(OVERSEAS_GRADUATE, years_in_japan_recent=6)
    assert rule_ids(HiringPath.JET, at_limit) == []
    assert rule_ids(HiringPath.JET, over) == ["jet.years_in_japan"]


def test_dispatch_without_a_degree_opens_with_a_work_capable_status() -> None:
    no_degree = dataclasses.replace(OVERSEAS_GRADUATE, degree=Degree.NONE)
    assert rule_ids(HiringPath.DISPATCH, no_degree) == ["dispatch.work_visa"]
    spouse = dataclasses.replace(
        no_degree, residence=Residence.JAPAN, status_of_residence=StatusOfResidence.SPOUSE
    )
    assert rule_ids(HiringPath.DISPATCH, spouse) == []
    student = dataclasses.replace(
        no_degree, residence=Residence.JAPAN, status_of_residence=StatusOfResidence.STUDENT
    )
    assert rule_ids(HiringPath.DISPATCH, student) == ["dispatch.work_visa"]


def test_direct_hire_needs_alt_experience() -> None:
    check = rule("direct_hire.alt_experience")
    assert isinstance(check, AltYearsAtLeast)
    short = dataclasses.replace(EXPERIENCED_RESIDENT, alt_years=check.value - 1)
    assert rule_ids(HiringPath.DIRECT_HIRE, short) == ["direct_hire.alt_experience"]


def test_direct_hire_warns_below_the_typical_japanese_level_but_stays_open() -> None:
    """Issue 18, item 3: N2 is what BoEs typically ask, not a rule (Hyuga City asks for
    everyday conversation), so below it the path stays open with an advisory caveat."""
    check = rule("direct_hire.japanese")
    assert isinstance(check, JlptAtLeast)
    below = list(Jlpt)[check.value.rank - 1]
    weak = dataclasses.replace(EXPERIENCED_RESIDENT, jlpt=below)
    assert rule_ids(HiringPath.DIRECT_HIRE, weak) == []
    assert caveats(HiringPath.DIRECT_HIRE, weak) == [("direct_hire.japanese", False)]
    strong = dataclasses.replace(EXPERIENCED_RESIDENT, jlpt=Jlpt.N1)
    assert caveats(HiringPath.DIRECT_HIRE, strong) == []


def test_direct_hire_needs_residence_in_japan_and_a_suitable_status() -> None:
    assert rule_ids(
        HiringPath.DIRECT_HIRE,
        dataclasses.replace(
            EXPERIENCED_RESIDENT, residence=Residence.OVERSEAS, status_of_residence=None
        ),
    ) == ["direct_hire.resident", "direct_hire.status"]
    holiday = dataclasses.replace(
        EXPERIENCED_RESIDENT, status_of_residence=StatusOfResidence.DESIGNATED_ACTIVITIES
    )
    assert rule_ids(HiringPath.DIRECT_HIRE, holiday) == ["direct_hire.status"]


def test_each_check_kind_compares_the_right_way() -> None:
    p = dataclasses.replace(OVERSEAS_GRADUATE, teaching_years=2, jlpt=Jlpt.N3)
    assert passes(TeachingYearsAtLeast(kind="teaching_years_at_least", value=2), p)
    assert not passes(TeachingYearsAtLeast(kind="teaching_years_at_least", value=3), p)
    assert passes(JlptAtLeast(kind="jlpt_at_least", value=Jlpt.N3), p)
    assert not passes(JlptAtLeast(kind="jlpt_at_least", value=Jlpt.N2), p)
    either = AnyOf(
        kind="any_of",
        checks=[
            DegreeAtLeast(kind="degree_at_least", value=Degree.MASTER),
            StatusOfResidenceIn(
                kind="status_of_residence_in", values=[StatusOfResidence.PERMANENT_RESIDENT]
            ),
        ],
    )
    assert not passes(either, p)
    assert passes(either, dataclasses.replace(p, degree=Degree.MASTER))


# --- issue 18: the rules the advisor did not check ---------------------------------------------

SUMMER_2027 = dt.date(2027, 7, 25)  # the JET intake after the autumn-2026 window


def test_a_fluent_graduate_schooled_in_french_cannot_get_the_instructor_visa() -> None:
    """Issue 18, item 1. A French citizen with a bachelor's degree and fluent English, whose
    schooling was in French except 6 years in English, meets the visa's degree rule but not
    its language rule (12 or more years of education in the language taught): dispatch is
    closed. The same person with 12 years is open; without saying, the rule is unanswered."""
    french = Profile(
        degree=Degree.BACHELOR, citizenship="FR", english=English.FLUENT, english_education_years=6
    )
    assert rule_ids(HiringPath.DISPATCH, french) == ["dispatch.language_schooling"]
    twelve = dataclasses.replace(french, english_education_years=12)
    assert rule_ids(HiringPath.DISPATCH, twelve) == []
    silent = dataclasses.replace(french, english_education_years=None)
    assert rule_ids(HiringPath.DISPATCH, silent) == []
    assert caveats(HiringPath.DISPATCH, silent) == [("dispatch.language_schooling", True)]


def test_a_status_without_work_limits_needs_no_schooling_in_english() -> None:
    """The language rule belongs to the Instructor status: a spouse of a Japanese national
    (no activity limit) or a Japanese national (no status at all) is not held to it."""
    french = Profile(
        degree=Degree.BACHELOR, citizenship="FR", english=English.FLUENT, english_education_years=6
    )
    spouse = dataclasses.replace(
        french, residence=Residence.JAPAN, status_of_residence=StatusOfResidence.SPOUSE
    )
    assert rule_ids(HiringPath.DISPATCH, spouse) == []
    assert rule_ids(HiringPath.DISPATCH, dataclasses.replace(french, japanese_national=True)) == []


def test_an_associate_degree_counts_for_the_instructor_visa_but_not_for_jet() -> None:
    """Issue 18, item 2: immigration counts a junior-college (短期大学) degree as a university
    degree for the Instructor status; JET still asks for a bachelor's degree."""
    associate = dataclasses.replace(OVERSEAS_GRADUATE, degree=Degree.ASSOCIATE)
    assert rule_ids(HiringPath.DISPATCH, associate) == []
    assert rule_ids(HiringPath.JET, associate) == ["jet.degree"]


@pytest.mark.parametrize(
    ("left", "closed"),
    [(2025, True), (2024, False), (2020, False)],
)
def test_a_former_jet_must_have_left_three_years_before_the_departure_year(
    left: int, closed: bool
) -> None:
    """Issue 18, item 4. Departure in summer 2027: 2027 - 2025 = 2 years, too soon; 2027 -
    2024 = 3, allowed (the New York JET office's example: finished summer 2007, eligible for
    the 2010 programme)."""
    former = dataclasses.replace(OVERSEAS_GRADUATE, prior_jet_years=2, jet_left_year=left)
    failed = [r.id for r in failed_rules(BOOK.paths[HiringPath.JET], former, start=SUMMER_2027)]
    assert failed == (["jet.reapply_gap"] if closed else [])


def test_a_former_jet_who_does_not_say_when_they_left_is_asked() -> None:
    former = dataclasses.replace(OVERSEAS_GRADUATE, prior_jet_years=2)
    assert caveats(HiringPath.JET, former, SUMMER_2027) == [("jet.reapply_gap", True)]
    assert caveats(HiringPath.JET, OVERSEAS_GRADUATE, SUMMER_2027) == []


@pytest.mark.parametrize(("declined", "closed"), [(2026, True), (2025, False), (None, False)])
def test_declining_a_placement_bars_the_next_years_intake(
    declined: int | None, closed: bool
) -> None:
    """Issue 18, item 4. Declining the 2026 placement bars the 2027 intake (2027 - 2026 = 1
    < 2); declining in 2025 allows 2027 (the Vancouver consulate's example: withdrawing in 2015
    allows the 2017 programme)."""
    profile = dataclasses.replace(OVERSEAS_GRADUATE, jet_declined_year=declined)
    failed = [r.id for r in failed_rules(BOOK.paths[HiringPath.JET], profile, start=SUMMER_2027)]
    assert failed == (["jet.declined_placement"] if closed else [])


@pytest.mark.parametrize("country", ["AG", "KN", "LC", "VC"])
def test_the_eastern_caribbean_recruiting_countries_are_participating(country: str) -> None:
    """Issue 18, item 5: the Embassy of Japan in Trinidad and Tobago recruits from these."""
    profile = dataclasses.replace(OVERSEAS_GRADUATE, citizenship=country)
    assert rule_ids(HiringPath.JET, profile) == []


def test_a_dual_national_is_told_to_apply_under_the_other_nationality() -> None:
    """Issue 18, item 5: a British-Japanese dual national may apply through the UK but must
    give up Japanese nationality before departure: open, with that advisory caveat. Being
    Japanese, dispatch needs no visa even without a degree."""
    dual = dataclasses.replace(OVERSEAS_GRADUATE, japanese_national=True)
    assert rule_ids(HiringPath.JET, dual) == []
    assert caveats(HiringPath.JET, dual) == [("jet.japanese_nationality", False)]
    no_degree = dataclasses.replace(dual, degree=Degree.NONE, english_education_years=None)
    assert rule_ids(HiringPath.DISPATCH, no_degree) == []
    assert caveats(HiringPath.DISPATCH, no_degree) == []


def test_specialist_in_humanities_holders_are_warned_about_the_instructor_status() -> None:
    """Issue 18, item 6: the path stays open, with a caveat that public-school ALT work
    normally needs the Instructor status; the language rule then applies to them too."""
    holder = dataclasses.replace(
        EXPERIENCED_RESIDENT, status_of_residence=StatusOfResidence.SPECIALIST_HUMANITIES
    )
    assert rule_ids(HiringPath.DISPATCH, holder) == []
    assert caveats(HiringPath.DISPATCH, holder) == [("dispatch.specialist_humanities", False)]
    assert caveats(HiringPath.DIRECT_HIRE, holder) == [("direct_hire.specialist_humanities", False)]
    unschooled = dataclasses.replace(holder, english_education_years=4)
    assert rule_ids(HiringPath.DISPATCH, unschooled) == ["dispatch.language_schooling"]


def test_any_of_is_unknown_only_when_nothing_is_met_and_something_is_unknown() -> None:
    either = AnyOf(
        kind="any_of",
        checks=[
            EnglishEducationYearsAtLeast(kind="english_education_years_at_least", value=12),
            DegreeAtLeast(kind="degree_at_least", value=Degree.MASTER),
        ],
    )
    silent = dataclasses.replace(OVERSEAS_GRADUATE, english_education_years=None)
    assert outcome(either, silent) is Outcome.UNKNOWN
    assert outcome(either, dataclasses.replace(silent, degree=Degree.MASTER)) is Outcome.MET
    assert outcome(either, dataclasses.replace(silent, english_education_years=3)) is (
        Outcome.NOT_MET
    )
