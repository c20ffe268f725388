"""The support queue searched, filtered, sorted and paged in SQL gives what a brute-force filter
over list_queue (the whole queue, unchanged) gives, for every handler, on both databases: the
filters work only within the cases each person may see, and reading still escalates."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest
from tests.support_world import MONDAY_9, SupportWorld, monday_support_world
from time_machine import TimeMachineFixture

from altmatch.db import Sessions
from altmatch.rulebook.vocabulary import CaseCategory, Urgency
from altmatch.services.kernel.errors import RuleError
from altmatch.services.support.case_reads import (
    QUEUE,
    CaseSummaryOut,
    get_case,
    list_queue,
    queue_page,
)
from altmatch.services.support.cases import (
    CaseIn,
    MessageIn,
    ResolveIn,
    open_case,
    post_message,
    resolve_case,
)
from altmatch.web.listing import parse_list_query

pytestmark = pytest.mark.date_sensitive
SUBJECTS = ("My payslip", "Housing deposit", "Visa renewal", "100% overtime", "snake_case form")
HANDLERS = (
    "kobe_supervisor",
    "kobe_chief",
    "kobe_clerk",
    "hyogo_adviser",
    "company_desk",
    "company_clerk",
    "osaka_staff",
    "other_company_staff",
)
LATER = MONDAY_9 + timedelta(days=3, hours=5)


@pytest.fixture
def world(sessions: Sessions, clock: TimeMachineFixture) -> SupportWorld:
    world = monday_support_world(sessions, clock)
    rng = random.Random(5)
    handler = {"jet_alt": "kobe_supervisor", "direct_alt": "kobe_supervisor"}
    handler["dispatch_alt"] = "company_desk"
    for n in range(36):
        alt = ("jet_alt", "direct_alt", "dispatch_alt")[n % 3]
        body = CaseIn(
            category=rng.choice([c for c in CaseCategory if c is not CaseCategory.EMERGENCY]),
            urgency=rng.choice(list(Urgency)),
            subject=f"{rng.choice(SUBJECTS)} {n}",
            description="Please help.",
        )
        at = MONDAY_9 + timedelta(hours=3 * n)
        made = open_case(sessions, world.actors[alt], body, now=at)
        fate = n % 4  # 0, 1: left open; 2: answered; 3: resolved
        if fate >= 2:
            read = get_case(sessions, world.actors[handler[alt]], made.id, now=at)
            if fate == 2:
                post_message(
                    sessions, world.actors[handler[alt]], made.id, MessageIn(body="On it"), now=at
                )
            else:
                resolve_case(
                    sessions, world.actors[handler[alt]], made.id, ResolveIn(version=read.version)
                )
    return world


def _due(c: CaseSummaryOut) -> datetime:
    return c.first_response_due if c.first_responded_at is None else c.resolution_due


def _expected(cases: list[CaseSummaryOut], params: dict[str, str]) -> list[CaseSummaryOut]:
    found = cases  # list_queue's order: breached first, resolved last, then the deadline
    q = params.get("q", "")
    if q:
        number = q.removeprefix("#")
        found = [
            c
            for c in found
            if q.lower() in c.subject.lower() or (number.isdigit() and c.id == int(number))
        ]
    for name in ("status", "category", "urgency"):
        if params.get(name):
            found = [c for c in found if str(getattr(c, name)) == params[name]]
    if params.get("overdue"):
        found = [c for c in found if bool(c.breaches) == (params["overdue"] == "yes")]
    if not params.get("sort"):
        return found
    order = [u.value for u in Urgency]
    keys = {
        "deadline": _due,
        "opened": lambda c: c.opened_at,
        "urgency": lambda c: order.index(c.urgency.value),
        "status": lambda c: c.status,
    }
    key = keys[params["sort"]]
    return sorted(found, key=lambda c: (key(c), c.id), reverse=params.get("dir") == "desc")


def test_the_queue_pages_like_a_brute_force_filter_within_what_each_handler_sees(
    sessions: Sessions, world: SupportWorld
) -> None:
    queries: list[dict[str, str]] = [
        {},
        {"include_resolved": "true"},
        {"q": "payslip", "include_resolved": "true"},
        {"q": "#7"},
        {"q": "#123456789012"},  # beyond any case number: nothing, not an error
        {"q": "%"},  # literal
        {"q": "_case"},
        {"status": "answered", "sort": "opened", "dir": "desc"},
        {"status": "resolved", "sort": "deadline"},  # resolved cases are read for this filter
        {"overdue": "yes", "sort": "urgency", "dir": "desc"},
        {"overdue": "no", "include_resolved": "true", "sort": "status"},
        {"category": "housing", "urgency": "high"},
        {"category": "health", "include_resolved": "true", "sort": "deadline", "dir": "desc"},
    ]
    seen: dict[str, set[int]] = {}
    for name in HANDLERS:
        actor = world.actors[name]
        everything = list_queue(sessions, actor, include_resolved=True, now=LATER).cases
        unresolved = list_queue(sessions, actor, now=LATER).cases
        seen[name] = {c.id for c in everything}
        for params in queries:
            whole = (
                everything if params.get("include_resolved") or params.get("status") else unresolved
            )
            want = _expected(whole, params)
            per_page = 4
            for page in range(1, max(1, -(-len(want) // per_page)) + 2):
                lq = parse_list_query(
                    {**params, "per_page": str(per_page), "page": str(page)}, QUEUE
                )
                found = queue_page(sessions, actor, lq, now=LATER)
                chunk = want[(page - 1) * per_page : page * per_page]
                assert [c.id for c in found.cases] == [c.id for c in chunk], (name, params, page)
                assert found.listing.total == len(want), (name, params)
                assert {c.id for c in found.cases} <= seen[name]
    # the world has cases of both employers, and each side sees only its own
    assert seen["kobe_supervisor"] and seen["company_desk"]
    assert not seen["kobe_supervisor"] & seen["company_desk"]
    assert seen["osaka_staff"] == set() and seen["other_company_staff"] == set()
    assert len(seen["kobe_supervisor"]) >= 12


def test_reading_a_page_of_the_queue_escalates_overdue_cases_first(
    sessions: Sessions, world: SupportWorld
) -> None:
    lq = parse_list_query({"overdue": "yes", "per_page": "200"}, QUEUE)
    chief = world.actors["kobe_chief"]
    found = queue_page(sessions, chief, lq, now=LATER)
    assert found.cases and all(c.breaches for c in found.cases)
    # nobody ran the escalation cron: the page read itself moved them up a level
    assert all(c.level >= 2 for c in found.cases)
    again = list_queue(sessions, chief, now=LATER).cases
    assert {c.id: c.level for c in again if c.breaches} == {c.id: c.level for c in found.cases}


def test_the_queue_refuses_a_sort_or_filter_value_it_does_not_have() -> None:
    for params in ({"sort": "salary"}, {"status": "lost"}, {"overdue": "maybe"}):
        with pytest.raises(RuleError):
            parse_list_query(params, QUEUE)
