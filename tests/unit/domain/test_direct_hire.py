"""Direct hire in pure code: requirements against declared facts, the stage machine, pay."""

from __future__ import annotations

import datetime as dt

import pytest

from altmatch.domain.direct_hire import (
    Declared,
    PostingStage,
    Requirements,
    allowed_moves,
    appointment_end,
    move_refusal,
    pay_refusal,
    unknown_benefits,
    unmet_requirements,
    work_capable_statuses,
)
from altmatch.domain.profile import Profile
from altmatch.i18n import render
from altmatch.rulebook import load_rulebook
from altmatch.rulebook.schema import RangePay
from altmatch.rulebook.vocabulary import (
    Degree,
    English,
    HiringPath,
    Jlpt,
    Residence,
    StatusOfResidence,
)

pytestmark = pytest.mark.date_sensitive

PATH = load_rulebook().paths[HiringPath.DIRECT_HIRE]
WORK = work_capable_statuses(PATH)
STRICT = Requirements(
    min_alt_years=2,
    min_jlpt=Jlpt.N2,
    requires_residence_in_japan=True,
    requires_driving_licence=True,
)
QUALIFIED = Declared(
    alt_years=3,
    jlpt=Jlpt.N1,
    residence=Residence.JAPAN,
    status_of_residence=StatusOfResidence.INSTRUCTOR,
    driving_licence=True,
)


def test_work_capable_statuses_come_from_the_rulebooks_direct_hire_status_rule() -> None:
    assert StatusOfResidence.INSTRUCTOR in WORK
    assert StatusOfResidence.PERMANENT_RESIDENT in WORK
    assert StatusOfResidence.STUDENT not in WORK
    assert StatusOfResidence.DESIGNATED_ACTIVITIES not in WORK


def test_someone_meeting_every_requirement_has_nothing_unmet() -> None:
    assert unmet_requirements(STRICT, QUALIFIED, WORK) == []


def test_every_unmet_requirement_is_named_with_a_reason_and_a_fix() -> None:
    declared = Declared(alt_years=1, jlpt=Jlpt.N3, residence=Residence.OVERSEAS)
    unmet = unmet_requirements(STRICT, declared, WORK)
    assert [u.requirement for u in unmet] == [
        "alt_years",
        "jlpt",
        "residence",
        "status_of_residence",
        "driving_licence",
    ]
    jlpt = unmet[1]
    assert render(jlpt.reason, "en") == "This post needs JLPT N2; you declared N3."
    assert "N2" in render(jlpt.fix, "en")
    years = render(unmet[0].reason, "en")
    assert "2" in years and "1" in years
    assert all(render(u.fix, "en") for u in unmet)


def test_jlpt_none_is_shown_as_a_word_not_a_code() -> None:
    unmet = unmet_requirements(STRICT, Declared(jlpt=Jlpt.NONE), WORK)
    reason = render(next(u for u in unmet if u.requirement == "jlpt").reason, "en")
    assert reason == "This post needs JLPT N2; you declared No JLPT."


def test_a_posting_naming_statuses_accepts_only_those() -> None:
    only_spouses = Requirements(allowed_statuses=frozenset({StatusOfResidence.SPOUSE}))
    unmet = unmet_requirements(only_spouses, QUALIFIED, WORK)
    assert [u.requirement for u in unmet] == ["status_of_residence"]
    reason = render(unmet[0].reason, "en")
    assert "Spouse or child of a Japanese national" in reason and "Instructor" in reason
    spouse = Declared(residence=Residence.JAPAN, status_of_residence=StatusOfResidence.SPOUSE)
    assert unmet_requirements(only_spouses, spouse, WORK) == []


def test_no_statuses_named_means_any_work_capable_status() -> None:
    student = Declared(residence=Residence.JAPAN, status_of_residence=StatusOfResidence.STUDENT)
    unmet = unmet_requirements(Requirements(), student, WORK)
    assert [u.requirement for u in unmet] == ["status_of_residence"]
    resident = Declared(
        residence=Residence.JAPAN, status_of_residence=StatusOfResidence.PERMANENT_RESIDENT
    )
    assert unmet_requirements(Requirements(), resident, WORK) == []


def test_a_posting_open_to_applicants_abroad_does_not_ask_them_for_a_status() -> None:
    abroad = Requirements(requires_residence_in_japan=False)
    assert unmet_requirements(abroad, Declared(residence=Residence.OVERSEAS), WORK) == []


def test_declared_facts_come_straight_from_an_advisor_profile() -> None:
    profile = Profile(
        degree=Degree.BACHELOR,
        citizenship="GB",
        english=English.NATIVE,
        alt_years=3,
        jlpt=Jlpt.N2,
        residence=Residence.JAPAN,
        status_of_residence=StatusOfResidence.INSTRUCTOR,
        driving_licence=True,
    )
    assert unmet_requirements(STRICT, Declared.from_profile(profile), WORK) == []


def test_reasons_render_in_japanese() -> None:
    unmet = unmet_requirements(STRICT, Declared(jlpt=Jlpt.N3), WORK)
    reason = render(next(u for u in unmet if u.requirement == "jlpt").reason, "ja")
    assert "N2" in reason and "N3" in reason


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (PostingStage.APPLIED, PostingStage.SCREENING),
        (PostingStage.SCREENING, PostingStage.INTERVIEW),
        (PostingStage.INTERVIEW, PostingStage.OFFERED),
        (PostingStage.OFFERED, PostingStage.HIRED),
        (PostingStage.APPLIED, PostingStage.REJECTED),
        (PostingStage.OFFERED, PostingStage.REJECTED),
    ],
)
def test_staff_move_an_application_one_stage_on_or_reject_it(
    current: PostingStage, target: PostingStage
) -> None:
    assert move_refusal(current, target, by_applicant=False) is None
    assert target in allowed_moves(current)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (PostingStage.APPLIED, PostingStage.HIRED),
        (PostingStage.APPLIED, PostingStage.OFFERED),
        (PostingStage.INTERVIEW, PostingStage.SCREENING),
        (PostingStage.APPLIED, PostingStage.APPLIED),
        (PostingStage.SCREENING, PostingStage.WITHDRAWN),
    ],
)
def test_staff_cannot_skip_go_back_or_withdraw(current: PostingStage, target: PostingStage) -> None:
    refusal = move_refusal(current, target, by_applicant=False)
    assert refusal is not None
    assert render(refusal, "en")


def test_the_refusal_says_where_the_application_may_go() -> None:
    refusal = move_refusal(PostingStage.APPLIED, PostingStage.HIRED, by_applicant=False)
    assert refusal is not None
    assert render(refusal, "en") == (
        "An application at Applied can move only to Screening or be rejected, not to Hired."
    )


@pytest.mark.parametrize(
    "final", [PostingStage.HIRED, PostingStage.REJECTED, PostingStage.WITHDRAWN]
)
def test_final_stages_never_move(final: PostingStage) -> None:
    assert allowed_moves(final) == ()
    for target in PostingStage:
        assert move_refusal(final, target, by_applicant=False) is not None
        assert move_refusal(final, target, by_applicant=True) is not None


@pytest.mark.parametrize(
    "current",
    [PostingStage.APPLIED, PostingStage.SCREENING, PostingStage.INTERVIEW, PostingStage.OFFERED],
)
def test_the_applicant_may_withdraw_from_any_open_stage_and_do_nothing_else(
    current: PostingStage,
) -> None:
    assert move_refusal(current, PostingStage.WITHDRAWN, by_applicant=True) is None
    assert move_refusal(current, PostingStage.HIRED, by_applicant=True) is not None


def test_pay_must_lie_within_the_rulebooks_range() -> None:
    pay = PATH.pay
    assert isinstance(pay, RangePay)
    assert pay_refusal(pay.monthly_min, pay) is None
    assert pay_refusal(pay.monthly_max, pay) is None
    too_low = pay_refusal(pay.monthly_min - 1, pay)
    assert too_low is not None
    assert f"{pay.monthly_min:,}" in render(too_low, "en")
    assert pay_refusal(pay.monthly_max + 1, pay) is not None


def test_benefits_must_be_the_rulebooks() -> None:
    assert unknown_benefits(["housing", "paid_leave"], PATH) == []
    assert unknown_benefits(["housing", "free_car"], PATH) == ["free_car"]


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (dt.date(2027, 4, 1), dt.date(2028, 3, 31)),
        (dt.date(2027, 8, 20), dt.date(2028, 3, 31)),
        (dt.date(2028, 1, 10), dt.date(2028, 3, 31)),
    ],
)
def test_an_appointment_runs_to_the_end_of_its_fiscal_year(start: dt.date, end: dt.date) -> None:
    assert PATH.timeline.start_months[0] == 4
    assert appointment_end(start, PATH.timeline.start_months[0]) == end
