"""The demo's direct-hire postings and applications: deterministic, inside the rulebook's
ranges, and every application eligible when made with a consistent stage history."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest

from altmatch.demo import DemoSeason, generate_demo, persona
from altmatch.demo.direct_hire import DemoDirectHire, generate_direct_hire
from altmatch.domain.direct_hire import (
    PostingStage,
    unmet_requirements,
    work_capable_statuses,
)
from altmatch.rulebook import load_rulebook
from altmatch.rulebook.schema import RangePay
from altmatch.rulebook.vocabulary import HiringPath

pytestmark = pytest.mark.date_sensitive

TODAY = date(2026, 11, 25)
DECLARED_KEYS = {
    "alt_years",
    "jlpt",
    "residence",
    "status_of_residence",
    "driving_licence",
    "name",
    "email",
}


@pytest.fixture(scope="module")
def demo() -> DemoSeason:
    return generate_demo(candidates=30)


@pytest.fixture(scope="module")
def hire(demo: DemoSeason) -> DemoDirectHire:
    return generate_direct_hire(demo, TODAY, load_rulebook())


def test_the_same_seed_and_day_give_the_same_records(hire: DemoDirectHire) -> None:
    again = generate_direct_hire(generate_demo(candidates=30), TODAY, load_rulebook())
    assert again == hire


def test_postings_follow_the_rulebook(demo: DemoSeason, hire: DemoDirectHire) -> None:
    path = load_rulebook().paths[HiringPath.DIRECT_HIRE]
    assert isinstance(path.pay, RangePay)
    benefits = {b.id for b in path.benefits}
    boes = {b.id for b in demo.boes}
    assert 10 <= len(hire.postings) <= 20
    assert len({p.key for p in hire.postings}) == len(hire.postings)
    for p in hire.postings:
        assert path.pay.monthly_min <= p.monthly_pay <= path.pay.monthly_max
        assert set(p.benefits) <= benefits
        assert p.start == date(2027, 4, 1) and p.boe_id in boes and p.school_levels
        assert p.created_at.date() < min(p.closes_on, TODAY)
        if p.status == "open":
            assert TODAY + timedelta(days=28) <= p.closes_on <= TODAY + timedelta(days=92)
        else:
            assert p.closes_on < TODAY
    statuses = Counter(p.status for p in hire.postings)
    assert 1 <= statuses["closed"] <= 2
    requirements = [p.requirements for p in hire.postings]
    assert {r.min_jlpt.value for r in requirements} >= {"N2", "N3"}
    assert len({r.min_alt_years for r in requirements}) >= 2
    assert any(r.requires_driving_licence for r in requirements)
    assert any(r.allowed_statuses for r in requirements)


def test_kobe_has_a_posting_with_hannah_at_interview(hire: DemoDirectHire) -> None:
    (kobe,) = [p for p in hire.postings if p.boe_id == persona("kobe_boe_staff").organisation_id]
    applications = [a for a in hire.applications if a.posting_key == kobe.key]
    assert kobe.status == "open" and len(applications) >= 4
    (hannah,) = [a for a in applications if a.applicant_key == "alt_hannah"]
    assert hannah.stage is PostingStage.INTERVIEW
    assert [c.to_stage for c in hannah.history] == [
        PostingStage.APPLIED,
        PostingStage.SCREENING,
        PostingStage.INTERVIEW,
    ]


def test_every_application_was_eligible_and_has_a_consistent_history(
    hire: DemoDirectHire,
) -> None:
    work = work_capable_statuses(load_rulebook().paths[HiringPath.DIRECT_HIRE])
    postings = {p.key: p for p in hire.postings}
    applicants = {a.key: a for a in hire.applicants}
    pairs = [(a.posting_key, a.applicant_key) for a in hire.applications]
    assert len(set(pairs)) == len(pairs) >= 20
    assert len({a.stage for a in hire.applications}) >= 5
    for app in hire.applications:
        posting, applicant = postings[app.posting_key], applicants[app.applicant_key]
        assert not unmet_requirements(posting.requirements, applicant.facts, work)
        assert set(applicant.declared()) == DECLARED_KEYS
        first, *rest = app.history
        assert first.from_stage is None and first.to_stage is PostingStage.APPLIED
        assert first.by_applicant and first.at == app.created_at
        previous = first
        for change in rest:
            assert change.from_stage is previous.to_stage and previous.at <= change.at
            assert change.by_applicant == (change.to_stage is PostingStage.WITHDRAWN)
            previous = change
        assert previous.to_stage is app.stage and previous.at.date() <= TODAY
        if posting.status == "closed":
            assert app.stage in (
                PostingStage.OFFERED,
                PostingStage.REJECTED,
                PostingStage.WITHDRAWN,
            )


def test_applicants_are_demo_accounts_and_hannah_is_the_persona(hire: DemoDirectHire) -> None:
    hannah = persona("alt_hannah")
    (mine,) = [a for a in hire.applicants if a.persona]
    assert (mine.key, mine.email, mine.name) == (hannah.key, hannah.login, hannah.name)
    emails = [a.email for a in hire.applicants]
    assert len(set(emails)) == len(emails)
    assert all(e.endswith("@demo.altmatch.example") for e in emails)
    assert mine.declared()["jlpt"] == "N2" and mine.declared()["residence"] == "japan"


@pytest.mark.parametrize("today", [date(2027, 1, 20), date(2027, 3, 30), date(2027, 6, 1)])
def test_any_day_gives_postings_that_close_before_they_start(demo: DemoSeason, today: date) -> None:
    hire = generate_direct_hire(demo, today, load_rulebook())
    (start,) = {p.start for p in hire.postings}
    assert (start.month, start.day) == (4, 1) and today < start <= today + timedelta(days=412)
    for p in hire.postings:
        assert p.created_at.date() < min(p.closes_on, today) and p.closes_on < start
        assert (p.closes_on > today) == (p.status == "open")
    assert all(c.at.date() <= today for a in hire.applications for c in a.history)
