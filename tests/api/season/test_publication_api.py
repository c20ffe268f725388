"""Publishing over the API and the pages: the checks as JSON, overrides in the body, and the
publication page in Japanese, all asking the same service."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from tests.api.helpers import SAME_ORIGIN, sign_in
from tests.season_world import World, build_world, filled_season

from altmatch.db import Sessions
from altmatch.services.season.runs import run_season_match

pytestmark = pytest.mark.date_sensitive

COORDINATOR, KOBE = "coordinator@example.org", "kobe@example.org"
API = "/api/v1/seasons"


@pytest.fixture
def world(sessions: Sessions) -> World:
    return build_world(sessions)


@pytest.fixture
def drafted(sessions: Sessions, world: World) -> tuple[int, int]:
    season = filled_season(sessions, world)
    return season, run_season_match(sessions, world.coordinator, season, seed=3).run.id


def test_the_publication_twin_lists_the_checks_and_the_page_shows_the_same(
    client: TestClient, drafted: tuple[int, int]
) -> None:
    season, run = drafted
    sign_in(client, COORDINATOR)
    twin = client.get(f"{API}/{season}/runs/{run}/publication?lang=ja")
    assert twin.status_code == 200
    body = twin.json()
    failed = [c["check"] for c in body["checks"] if not c["passed"]]
    assert "deadline_passed" in failed and body["needs_reasons"] == failed
    assert body["placed"] + body["alternates"] + body["not_selected"] == 12

    page = client.get(f"/seasons/{season}/runs/{run}/publish?lang=ja")
    assert page.status_code == 200
    for check in body["checks"]:
        assert f'data-check="{check["check"]}"' in page.text
        assert check["name"] in page.text  # the same words, in Japanese
    assert 'name="overrides.deadline_passed"' in page.text
    assert "依頼の締切を過ぎている" in page.text
    assert f'<dd id="count-placed">{body["placed"]}</dd>' in page.text


def test_publishing_over_the_api_needs_a_reason_for_each_failed_check(
    client: TestClient, drafted: tuple[int, int]
) -> None:
    season, run = drafted
    sign_in(client, COORDINATOR)
    url = f"{API}/{season}/runs/{run}/publish"

    refused = client.post(url, headers=SAME_ORIGIN)
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "overrides.deadline_passed"]
    failed = client.get(f"{API}/{season}/runs/{run}/publication").json()["needs_reasons"]
    reasons = {check: "agreed with the programme office" for check in failed}
    done = client.post(url, json={"overrides": reasons}, headers=SAME_ORIGIN)
    assert done.status_code == 200 and done.json()["run"]["status"] == "published"


def test_a_board_of_education_cannot_see_or_publish_a_run(
    client: TestClient, drafted: tuple[int, int]
) -> None:
    season, run = drafted
    sign_in(client, KOBE)
    assert client.get(f"{API}/{season}/runs/{run}/publication").status_code == 403
    assert client.get(f"/seasons/{season}/runs/{run}/publish").status_code == 403
    form = {"confirm": "yes"}
    posted = client.post(f"/seasons/{season}/runs/{run}/publish", data=form, headers=SAME_ORIGIN)
    assert posted.status_code == 403
