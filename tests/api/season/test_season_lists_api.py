"""The season's long lists on a season of thousands: pages stay small, a page and its JSON twin
answer the same query string with the same rows, the run is explained, a coordinator opens any
candidate's page, and a BoE sees nothing of another BoE's."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from tests.api.helpers import sign_in, sign_in_as_other_programme
from tests.season_world import PUBLISH_ANYWAY

from altmatch.db import Sessions
from altmatch.db import season as repo
from altmatch.demo import DEMO_PASSWORD, generate_demo, persona
from altmatch.demo.seed_database import seed_demo_database
from altmatch.domain.access import OPERATOR
from altmatch.services.accounts.authentication import act_as
from altmatch.services.season.publish import publish_run
from altmatch.services.season.runs import run_season_match

MAX_PAGE_BYTES = 250_000
COORDINATOR = persona("programme_coordinator").login
KOBE = persona("kobe_boe_staff").login
TOYOOKA = persona("toyooka_boe_staff").login


@dataclass(frozen=True)
class Big:
    season: int
    run: int


@pytest.fixture
def big(sessions: Sessions) -> Big:
    """The demo season with 2,500 candidates and 657 requests, matched and published."""
    seed_demo_database(sessions, generate_demo(candidates=2500))
    coordinator = act_as(sessions, OPERATOR, COORDINATOR)
    run = run_season_match(sessions, coordinator, 1, seed=5, limit=0).run.id
    publish_run(sessions, coordinator, 1, run, overrides=PUBLISH_ANYWAY)
    return Big(1, run)


def _candidate_links(html: str) -> list[str]:
    return re.findall(r'href="/seasons/\d+/candidates/\d+[^"]*">([^<]+)</a>', html)


def test_long_lists_stay_small_and_agree_with_their_twins(client: TestClient, big: Big) -> None:
    sign_in(client, COORDINATOR, DEMO_PASSWORD)
    s, r = big.season, big.run
    pages = {
        f"/seasons/{s}/runs/{r}": f"/api/v1/seasons/{s}/runs/{r}",
        f"/seasons/{s}/placements": f"/api/v1/seasons/{s}/placements",
        f"/seasons/{s}/requests": f"/api/v1/seasons/{s}/requests",
        f"/seasons/{s}": f"/api/v1/seasons/{s}",
    }
    for page in pages:
        for lang in ("ja", "en"):  # English last: the language is remembered
            html = client.get(f"{page}?lang={lang}&per_page=200")
            assert html.status_code == 200, page
            assert len(html.content) < MAX_PAGE_BYTES, (page, lang, len(html.content))

    # the demo's interview round binds its match: few couples stay unplaced, so pages of 3
    query = "outcome=unplaced&couple=yes&sort=name&dir=desc&per_page=3&page=2"
    html = client.get(f"/seasons/{s}/runs/{r}?{query}").text
    data = client.get(f"/api/v1/seasons/{s}/runs/{r}?{query}").json()
    ids = [p["candidate_id"] for p in data["placements"]]
    assert 0 < len(ids) <= 3 and all(
        p["couple"] and not p["request_id"] for p in data["placements"]
    )
    assert _candidate_links(html) == ids
    assert data["listing"] | {"filters": None} == {
        "total": data["listing"]["total"],
        "page": 2,
        "per_page": 3,
        "pages": -(-data["listing"]["total"] // 3),
        "sort": "name",
        "dir": "desc",
        "q": "",
        "filters": None,
    }
    assert data["listing"]["filters"] == {"outcome": "unplaced", "couple": "yes"}
    total = f"of {data['listing']['total']:,}"
    assert total in html and 'aria-sort="descending"' in html
    assert (
        f'<link rel="alternate" type="application/json" href="/api/v1/seasons/{s}/runs/{r}?' in html
    )

    query = "sort=choice&dir=desc&per_page=5"
    html = client.get(f"/seasons/{s}/placements?{query}").text
    data = client.get(f"/api/v1/seasons/{s}/placements?{query}").json()
    assert _candidate_links(html) == [p["candidate_id"] for p in data["placements"]]
    ranks = [p["candidate_rank"] for p in data["placements"]]
    assert ranks == sorted(ranks, reverse=True) and len(ranks) == 5

    refused = client.get(f"/api/v1/seasons/{s}/runs/{r}?sort=salary")
    assert refused.status_code == 422 and "sort" in refused.text
    assert client.get(f"/seasons/{s}/runs/{r}?sort=salary").status_code == 422


def test_the_run_summary_explains_couples_and_the_unplaced(client: TestClient, big: Big) -> None:
    sign_in(client, COORDINATOR, DEMO_PASSWORD)
    data = client.get(f"/api/v1/seasons/{big.season}/runs/{big.run}").json()
    counts, explained = data["summary"]["counts"], data["explained"]
    assert (
        explained["unplaced"] == counts["unplaced"] == sum(explained["unplaced_by_reason"].values())
    )
    couples = explained["couples"]
    assert couples["total"] == counts["couples"]
    assert couples["placed_together"] == counts["couples_placed"]
    assert sum(couples["not_placed"].values()) == couples["total"] - couples["placed_together"]
    html = client.get(f"/seasons/{big.season}/runs/{big.run}").text
    assert f"{couples['placed_together']} of {couples['total']} couples are placed together" in html
    for reason, n in explained["unplaced_by_reason"].items():
        if n:
            assert f'data-reason="{reason}"' in html


def test_the_candidate_page_shows_outcome_why_not_and_alternates(
    client: TestClient, big: Big, sessions: Sessions
) -> None:
    sign_in(client, COORDINATOR, DEMO_PASSWORD)
    s = big.season
    waiting = client.get(f"/api/v1/seasons/{s}/runs/{big.run}?outcome=alternate&sort=alternate")
    first = waiting.json()["placements"][0]
    review = client.get(f"/api/v1/seasons/{s}/candidates/{first['candidate']}/review").json()
    page = client.get(f"/seasons/{s}/candidates/{first['candidate']}")

    outcome = review["outcome"]
    assert review["run"]["id"] == big.run and outcome["placed"] is False
    assert outcome["alternate_request_id"] == first["alternate_request_id"]
    assert (first["alternate_request_id"], first["alternate_position"]) in {
        (w["request_id"], w["position"]) for w in outcome["waiting"]
    }
    assert outcome["why_not"] and outcome["reason"]
    assert page.status_code == 200
    for why in outcome["why_not"]:
        assert f"<td>{why['request_id']}</td>" in page.text
    assert 'id="waiting"' in page.text and f'data-reason="{outcome["reason"]}"' in page.text

    placed = client.get(f"/api/v1/seasons/{s}/runs/{big.run}?outcome=placed&per_page=1").json()
    one = placed["placements"][0]
    again = client.get(f"/seasons/{s}/candidates/{one['candidate']}?lang=ja").text
    assert one["request_id"] in again and 'id="outcome-text"' in again


def test_a_boe_sees_neither_candidates_nor_another_boes_requests(
    client: TestClient, big: Big, sessions: Sessions
) -> None:
    s = big.season
    sign_in(client, COORDINATOR, DEMO_PASSWORD)
    everything = client.get(f"/api/v1/seasons/{s}/requests?per_page=200").json()
    toyooka = next(b["id"] for b in everything["choices"]["boes"] if "Toyooka" in b["name"])
    candidate = client.get(f"/api/v1/seasons/{s}/runs/{big.run}").json()["placements"][0]

    sign_in(client, KOBE, DEMO_PASSWORD)
    assert client.get(f"/seasons/{s}/candidates/{candidate['candidate']}").status_code == 403
    review = f"/api/v1/seasons/{s}/candidates/{candidate['candidate']}/review"
    assert client.get(review).status_code == 403
    assert client.get(f"/api/v1/seasons/{s}/runs/{big.run}").status_code == 403
    own = client.get(f"/api/v1/seasons/{s}/requests").json()
    assert own["listing"]["total"] > 0
    assert {r["boe"] for r in own["requests"]} == {"Kobe City BoE"}
    assert [b["name"] for b in own["choices"]["boes"]] == ["Kobe City BoE"]
    theirs = client.get(f"/api/v1/seasons/{s}/requests?boe={toyooka}").json()
    assert theirs["listing"]["total"] == 0 and theirs["requests"] == []
    placed = client.get(f"/api/v1/seasons/{s}/placements?boe={toyooka}&per_page=200").json()
    assert placed["placements"] == [] and placed["alternates"] == []
    with sessions() as session:
        other = next(r for r in repo.requests(session, s) if r.boe_id == toyooka)
    assert client.get(f"/seasons/{s}/requests?edit={other.id}").status_code == 404

    sign_in_as_other_programme(client, sessions)
    for url in (
        f"/seasons/{s}/candidates/{candidate['candidate']}",
        review,
        f"/api/v1/seasons/{s}/runs/{big.run}?q=C",
        f"/api/v1/seasons/{s}/requests?per_page=5",
    ):
        assert client.get(url).status_code == 404, url
