"""The demo's surveys: on any day every company has contacts, last term's round complete with
poor and good pairs, and this term's round with answers still pending; deterministic."""

from __future__ import annotations

from datetime import date

import pytest

from altmatch.demo import DemoSeason, generate_demo
from altmatch.demo.dispatch import generate_dispatch
from altmatch.domain.satisfaction import mean_score, previous_term, term_of
from altmatch.rulebook import load_rulebook

DAYS = [date(2026, 12, 6), date(2027, 4, 2), date(2027, 8, 15), date(2031, 2, 1)]
BOOK = load_rulebook()


@pytest.fixture(scope="module")
def demo() -> DemoSeason:
    return generate_demo(candidates=30)


@pytest.mark.parametrize("today", DAYS)
def test_every_company_has_a_complete_last_round_and_an_open_one(
    demo: DemoSeason, today: date
) -> None:
    ops = generate_dispatch(demo, today, BOOK)
    surveys = ops.surveys
    companies = {c.company_id for c in ops.contracts}
    assert {c.company_id for c in surveys.contacts} == companies
    positions = {(c.company_id, p.external_id) for c in ops.contracts for p in c.positions}
    assert {(c.company_id, c.position_external_id) for c in surveys.contacts} == positions
    this = term_of(today, BOOK.dispatch_surveys.school_terms)
    last = previous_term(this, BOOK.dispatch_surveys.school_terms)
    items = [i.id for i in BOOK.dispatch_surveys.school_survey.items]
    for company in companies:
        rounds = {(r.academic_year, r.term): r for r in surveys.rounds if r.company_id == company}
        assert set(rounds) == {(last.academic_year, last.number), (this.academic_year, this.number)}
        done = rounds[last.academic_year, last.number]
        schools = [i for i in done.invitations if i.kind == "school"]
        assert all(i.answered_at is not None for i in schools)
        means = [mean_score(i.answers or {}, items) for i in schools]
        assert any(m is not None and m < 3 for m in means), "a poor pair"
        assert sum(1 for m in means if m is not None and m >= 4) > len(means) / 2, "most good"
        assert any(i.answered_at is None for i in done.invitations if i.kind == "alt")
        now = rounds[this.academic_year, this.number]
        assert any(i.answered_at is None for i in now.invitations)
        assert any(i.answered_at is not None for i in now.invitations)
        for r in rounds.values():
            pairs = [(i.kind, i.alt_external_id) for i in r.invitations]
            assert len(pairs) == len(set(pairs)), "one survey per ALT and side per round"


def test_the_demo_surveys_are_deterministic(demo: DemoSeason) -> None:
    day = date(2026, 12, 6)
    assert generate_dispatch(demo, day, BOOK).surveys == generate_dispatch(demo, day, BOOK).surveys
