"""The paths' own pages (/paths, /paths/{path}) and their JSON twins: who may apply with each
rule's source, the next round as of the clock, and the whole-decision guidance about that
path, in English and Japanese. The clock is 15 October 2026: the 2026 rounds are open."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from fastapi.testclient import TestClient

from altmatch.clock import JAPAN
from altmatch.rulebook import load_rulebook
from altmatch.rulebook.vocabulary import HiringPath


@pytest.fixture(autouse=True)
def mid_october(clock: time_machine.TimeMachineFixture) -> None:
    clock.move_to(dt.datetime(2026, 10, 15, 9, 0, tzinfo=JAPAN), tick=False)


def test_the_index_lists_the_three_paths_and_links_each(client: TestClient) -> None:
    body = client.get("/api/v1/paths?lang=ja").json()
    assert [p["path"] for p in body["paths"]] == ["jet", "dispatch", "direct_hire"]
    assert body["paths"][0]["name"] == "JETプログラム"
    page = client.get("/paths?lang=ja")
    assert page.status_code == 200
    for p in body["paths"]:
        assert f'<a href="/paths/{p["path"]}">{p["name"]}</a>' in page.text
    assert '<link rel="alternate" type="application/json" href="/api/v1/paths">' in page.text


def test_jets_page_gives_the_next_round_and_every_rule_with_its_source(
    client: TestClient,
) -> None:
    body = client.get("/api/v1/paths/jet?lang=en").json()
    # The general round of autumn 2026 (rulebook: opens 17 Sep, closes 15 Nov to 5 Dec,
    # starts 25 July 2027) is the next one on 15 October 2026.
    assert body["next_window"] == {
        "opens": "2026-09-17",
        "closes": "2026-11-15",
        "closes_latest": "2026-12-05",
        "starts": "2027-07-25",
    }
    assert body["year_round"] is False
    book = load_rulebook()
    rules = book.paths[HiringPath.JET].eligibility
    assert [r["id"] for r in body["eligibility"]] == [r.id for r in rules]
    assert all(r["source"].startswith("http") for r in body["eligibility"])
    nationality = next(r for r in body["eligibility"] if r["id"] == "jet.japanese_nationality")
    assert nationality["advisory"] is True
    uk = next(c for c in body["country_windows"] if c["countries"] == ["GB"])
    assert uk["names"] == ["United Kingdom"]
    assert uk["windows"][0]["closes"] == "2026-11-27"
    assert [g["topic"] for g in body["guidance"]] == [k for k, _ in book.guidance.topics()]
    page = client.get("/paths/jet?lang=en")
    assert page.status_code == 200
    assert 'id="rule-jet.degree"' in page.text
    assert "close between 15 Nov 2026 and 5 Dec 2026, depending on your country" in re.sub(
        r"\s+", " ", page.text
    )


def test_a_round_past_its_last_day_gives_way_to_the_next(
    client: TestClient, clock: time_machine.TimeMachineFixture
) -> None:
    clock.move_to(dt.datetime(2026, 12, 6, 9, 0, tzinfo=JAPAN), tick=False)
    body = client.get("/api/v1/paths/jet").json()
    assert body["next_window"]["opens"] == "2027-09-17"
    assert body["next_window"]["starts"] == "2028-07-25"
    uk = next(c for c in body["country_windows"] if c["countries"] == ["GB"])
    assert [w["closes"] for w in uk["windows"]] == ["2027-11-26"]


def test_dispatch_hires_all_year_in_the_readers_language(client: TestClient) -> None:
    body = client.get("/api/v1/paths/dispatch?lang=ja").json()
    assert body["year_round"] is True
    assert body["next_window"] is None
    assert body["start_months"] == [4, 8, 9]
    assert body["start_month_names"] == ["4月", "8月", "9月"]
    page = client.get("/paths/dispatch?lang=ja")
    assert "通年で募集" in page.text
    assert "4月、8月、9月" in page.text
    assert [o["path"] for o in body["others"]] == ["jet", "direct_hire"]
    assert body["ratings"][0] == {**body["ratings"][0], "dimension": "stability", "name": "安定性"}


def test_an_unknown_path_is_not_found(client: TestClient) -> None:
    assert client.get("/api/v1/paths/eikaiwa").status_code == 404
    assert client.get("/paths/eikaiwa").status_code == 404
