"""Every eligibility rule of the current rulebook, passed and failed at its boundary."""

from __future__ import annotations

import dataclasses

import pytest

from altmatch.domain.eligibility import failed_rules, passes
from altmatch.domain.profile import Profile
from altmatch.rulebook import load_rulebook
from altmatch.rulebook.schema import (
    AltYearsAtLeast,
    AnyOf,
    DegreeAtLeast,
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

OVERSEAS_GRADUATE = Profile(degree=Degree.BACHELOR, citizenship="GB", english=English.NATIVE)
EXPERIENCED_RESIDENT = Profile(
    degree=Degree.BACHELOR,
    citizenship="US",
    english=English.NATIVE,
    alt_years=3,
    jlpt=Jlpt.N2,
    residence=Residence.JAPAN,
    status_of_residence=StatusOfResidence.INSTRUCTOR,
    years_in_japan_recent=3,
)


def rule_ids(path: HiringPath, profile: Profile) -> list[str]:
    return [r.id for r in failed_rules(BOOK.paths[path], profile)]


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
    no_degree = dataclasses.replace(OVERSEAS_GRADUATE, degree=Degree.ASSOCIATE)
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


def test_direct_hire_needs_japanese_at_the_rulebook_level() -> None:
    check = rule("direct_hire.japanese")
    assert isinstance(check, JlptAtLeast)
    below = list(Jlpt)[check.value.rank - 1]
    weak = dataclasses.replace(EXPERIENCED_RESIDENT, jlpt=below)
    assert rule_ids(HiringPath.DIRECT_HIRE, weak) == ["direct_hire.japanese"]
    strong = dataclasses.replace(EXPERIENCED_RESIDENT, jlpt=Jlpt.N1)
    assert rule_ids(HiringPath.DIRECT_HIRE, strong) == []


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
