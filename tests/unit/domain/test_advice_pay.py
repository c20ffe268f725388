"""The advisor's pay: which start, age, prefecture and residence each path's estimate uses."""

from __future__ import annotations

import datetime as dt

from altmatch.domain.advice import advise
from altmatch.domain.pay_calendar import Month
from altmatch.domain.profile import Priorities, Profile
from altmatch.domain.take_home import estimate_pay
from altmatch.rulebook.loader import load_rulebook
from altmatch.rulebook.vocabulary import Degree, English, HiringPath, Residence

BOOK = load_rulebook(2026)
GRADUATE = Profile(degree=Degree.BACHELOR, citizenship="GB", english=English.NATIVE)


def test_each_path_is_estimated_from_the_start_the_advice_proposes() -> None:
    advice = advise(GRADUATE, Priorities(), BOOK, today=dt.date(2026, 12, 6))

    for p in advice.paths:
        assert p.next_step.start is not None
        assert p.pay_basis is not None
        assert p.pay_basis.start == Month.of(p.next_step.start)
        assert not p.pay_basis.start_assumed


def test_without_a_published_start_the_usual_start_month_next_year_is_assumed() -> None:
    """The rulebook lists JET windows only up to 2028, so in 2029 none is late enough: the
    first of JET's start months (April) in 2030 is assumed, and said to be."""
    advice = advise(GRADUATE, Priorities(), BOOK, today=dt.date(2029, 1, 10))
    jet = advice.for_path(HiringPath.JET)

    assert jet.next_step.start is None
    assert jet.pay_basis is not None
    assert jet.pay_basis.start_assumed
    assert jet.pay_basis.start == Month(2030, BOOK.paths[HiringPath.JET].timeline.start_months[0])


def test_age_prefecture_and_residence_reach_the_estimate() -> None:
    profile = Profile(
        degree=Degree.BACHELOR,
        citizenship="GB",
        english=English.NATIVE,
        age=45,
        prefecture="Hyogo",
        residence=Residence.JAPAN,
    )
    advice = advise(profile, Priorities(), BOOK, today=dt.date(2026, 12, 6))
    dispatch = advice.for_path(HiringPath.DISPATCH)
    assert dispatch.pay_basis is not None and dispatch.next_step.start is not None

    expected = estimate_pay(
        BOOK.paths[HiringPath.DISPATCH].pay,
        BOOK.take_home,
        start=dispatch.next_step.start,
        resident=True,
        age=45,
        prefecture="Hyogo",
    )
    assert dispatch.pay == expected.years
    assert dispatch.pay_without_employee_insurance == expected.without_employee_insurance
    assert dispatch.pay_basis.prefecture == "Hyogo"
    assert dispatch.pay_basis.nursing_care_years == (1, 2, 3, 4, 5)
    assert dispatch.pay_basis.earlier_income and not dispatch.pay_basis.departs


def test_a_newcomer_is_modelled_leaving_and_a_direct_hire_staying() -> None:
    advice = advise(GRADUATE, Priorities(), BOOK, today=dt.date(2026, 12, 6))
    jet, direct = advice.for_path(HiringPath.JET), advice.for_path(HiringPath.DIRECT_HIRE)
    assert jet.pay_basis is not None and direct.pay_basis is not None

    assert jet.pay_basis.departs and not jet.pay_basis.earlier_income
    assert direct.pay_basis.earlier_income and not direct.pay_basis.departs
    assert jet.pay_without_employee_insurance is None
    assert advice.for_path(HiringPath.DISPATCH).pay_without_employee_insurance is not None
