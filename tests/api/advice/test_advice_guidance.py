"""The whole decision in the advice format and on the advisor page: `guidance` (the sourced
topics and the interview rubric) and `plan` (the person's dated steps), in English and Japanese.
The clock is set to 15 October 2026, inside the UK's JET window (1 Oct - 27 Nov 2026)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from fastapi.testclient import TestClient

from altmatch.clock import JAPAN
from altmatch.i18n import render
from altmatch.rulebook import load_rulebook

GRADUATE: dict[str, Any] = {"degree": "bachelor", "citizenship": "GB", "english": "native"}
FORM = {"degree": "bachelor", "citizenship": "GB", "english": "native"}


@pytest.fixture(autouse=True)
def mid_october(clock: time_machine.TimeMachineFixture) -> None:
    clock.move_to(dt.datetime(2026, 10, 15, 9, 0, tzinfo=JAPAN), tick=False)


def test_the_advice_carries_the_topics_and_the_rubric_with_their_sources(
    client: TestClient,
) -> None:
    body = client.post("/api/v1/advice", json=GRADUATE).json()

    topics = body["guidance"]["topics"]
    assert [t["id"] for t in topics] == [
        "alumni",
        "training",
        "transfers",
        "supervisor",
        "interview",
        "strategy",
    ]
    for topic in topics:
        assert [p["path"] for p in topic["paths"]] == ["jet", "dispatch", "direct_hire"]
        for note in [topic["summary"], *topic["paths"], *topic["points"], *topic["self_check"]]:
            assert note["text"] and note["source"].startswith("http"), topic["id"]
            assert dt.date.fromisoformat(note["as_of"]) <= dt.date(2026, 12, 31)
    interview = next(t for t in topics if t["id"] == "interview")
    assert interview["self_check"]
    rubric = body["guidance"]["rubric"]
    assert (rubric["min_score"], rubric["max_score"]) == (1, 5)
    for criterion in rubric["criteria"]:
        assert [a["score"] for a in criterion["anchors"]] == [1, 2, 3, 4, 5]
        assert criterion["questions"]


def test_the_plan_follows_the_jet_path_and_keeps_dispatch_as_the_fallback(
    client: TestClient,
) -> None:
    """A British graduate on 15 Oct 2026: JET closes 27 Nov 2026 (the UK office's last Friday
    of November), interviews from January 2027, departure 25 Jul 2027 - the same dates the
    advice's JET next step gives. Dispatch is applied for alongside, four months before its
    first start. Direct hire is not open to a graduate abroad, so it has no step."""
    body = client.post("/api/v1/advice", json=GRADUATE).json()

    jet = next(p for p in body["paths"] if p["path"] == "jet")
    dispatch = next(p for p in body["paths"] if p["path"] == "dispatch")
    steps = {(s["path"], s["kind"]): s for s in body["plan"]}
    assert steps["jet", "apply_by"]["date"] == jet["next_step"]["apply_by"]
    assert steps["jet", "start"]["date"] == jet["next_step"]["start"]
    assert steps["dispatch", "start"]["date"] == dispatch["next_step"]["start"]
    assert steps["jet", "interviews"] == {
        "date": "2027-01-01",
        "precision": "month",
        "when": "January 2027",
        "path": "jet",
        "kind": "interviews",
        "branch": None,
        "text": "JET interviews, for those invited: January 2027 to February 2027.",
    }
    assert steps["jet", "alternate_upgrades"]["branch"] == "if_alternate"
    assert all(s["path"] != "direct_hire" for s in body["plan"])
    dates = [s["date"] for s in body["plan"]]
    assert dates == sorted(dates) and dates[0] >= "2026-10-15"


def test_in_japanese_the_guidance_comes_from_the_rulebook_and_the_months_read_the_japanese_way(
    client: TestClient,
) -> None:
    book = load_rulebook()
    body = client.post("/api/v1/advice?lang=ja", json=GRADUATE).json()

    titles = [t["title"] for t in body["guidance"]["topics"]]
    assert titles == [topic.title.ja for _, topic in book.guidance.topics()]
    alumni = body["guidance"]["topics"][0]
    assert alumni["paths"][0]["name"] == "JETプログラム"
    assert alumni["summary"]["text"] == book.guidance.alumni.summary.text.ja
    first = body["guidance"]["rubric"]["criteria"][0]
    assert first["name"] == "コミュニケーション"
    assert first["anchors"][0]["text"] == book.interview_rubric.criteria[0].anchors[0].text.ja
    interviews = next(s for s in body["plan"] if s["kind"] == "interviews")
    assert interviews["when"] == "2027年1月"
    assert "2027年1月" in interviews["text"] and "2027年2月" in interviews["text"]
    apply_by = next(s for s in body["plan"] if s["kind"] == "apply_by" and s["path"] == "jet")
    deadline = dt.date.fromisoformat(apply_by["date"])
    assert apply_by["when"] == f"{deadline.year}年{deadline.month}月{deadline.day}日"


def test_the_advisor_page_shows_the_plan_and_the_rubric_in_japanese(client: TestClient) -> None:
    book = load_rulebook()
    twin = client.post("/api/v1/advice?lang=ja", json=GRADUATE).json()
    deadline = next(s for s in twin["plan"] if s["kind"] == "apply_by" and s["path"] == "jet")
    page = client.post("/advisor?lang=ja", data=FORM)

    assert page.status_code == 200
    html = page.text
    plan = re.search(r'<section id="plan".*?</section>', html, re.S)
    assert plan, "the plan follows the paths"
    assert html.index('<ol class="paths">') < plan.start()
    assert render("Your plan", "ja") in plan.group(0)
    assert '<time datetime="2027-01">2027年1月</time>' in plan.group(0)
    assert f'<time datetime="{deadline["date"]}">{deadline["when"]}</time>' in plan.group(0)
    decision = re.search(r'<section id="decision".*?</section>', html, re.S)
    assert decision
    for _, topic in book.guidance.topics():
        assert topic.title.ja in decision.group(0)
    rubric = re.search(r'<table class="list cards rubric".*?</table>', decision.group(0), re.S)
    assert rubric, "the rubric is a table that stacks into cards on a phone"
    for criterion in book.interview_rubric.criteria:
        assert criterion.name.ja in rubric.group(0)
        for anchor in criterion.anchors:
            assert anchor.text.ja in rubric.group(0)
    assert f'data-label="{render("Score {n}", "ja").format(n=5)}"' in rubric.group(0)
    assert book.interview_rubric.criteria[0].questions[0].ja in decision.group(0)
    assert book.guidance.interview.self_check[0].text.ja in decision.group(0)
    assert 'href="http://jetprogramme.org/en/eligibility/" rel="external"' in decision.group(0)
