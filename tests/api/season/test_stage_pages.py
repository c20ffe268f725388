"""The coordinator's stage board: the page and its JSON twin agree, the bulk move goes through
a confirmation step, and other roles are refused."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from tests.api.helpers import SAME_ORIGIN, sign_in
from tests.season_world import CANDIDATE_EMAILS, World, build_world, filled_season

from altmatch.db import Sessions

pytestmark = pytest.mark.date_sensitive

COORDINATOR, KOBE = "coordinator@example.org", "kobe@example.org"


@pytest.fixture
def world(sessions: Sessions) -> World:
    return build_world(sessions)


@pytest.fixture
def season(sessions: Sessions, world: World) -> int:
    return filled_season(sessions, world)


def test_the_page_and_its_twin_list_the_same_page_of_applications(
    client: TestClient, world: World, season: int
) -> None:
    sign_in(client, COORDINATOR)
    query = "?stage=submitted&q=candidate&page=1"
    twin = client.get(f"/api/v1/seasons/{season}/stages{query}").json()
    page = client.get(f"/seasons/{season}/stages{query}&lang=ja")
    assert page.status_code == 200
    ids = re.findall(r'<tr id="app-(\d+)"', page.text)
    assert [int(i) for i in ids] == [r["id"] for r in twin["rows"]]
    assert twin["total"] == 9  # C03..C12 without the named C07
    assert "選考段階" in page.text
    assert f'rel="alternate" type="application/json" href="/api/v1/seasons/{season}/stages?' in (
        page.text
    )


def test_a_coordinator_confirms_then_moves_two_applications(
    client: TestClient, world: World, season: int
) -> None:
    sign_in(client, COORDINATOR)
    rows = client.get(f"/api/v1/seasons/{season}/stages?q=C0").json()["rows"][:2]
    picks = [f"{r['id']}:{r['version']}" for r in rows]
    confirm = client.post(
        f"/seasons/{season}/stages/confirm?lang=en",
        data={"app": picks, "to_stage": "screened", "stage": "", "q": "", "page": "1"},
        headers=SAME_ORIGIN,
    )
    assert confirm.status_code == 200
    assert "2 applications will move to the stage Screened" in confirm.text
    assert rows[0]["name"] in confirm.text
    # Without a reason nothing moves.
    refused = client.post(
        f"/seasons/{season}/stages/move",
        data={"app": picks, "to_stage": "screened", "reason": ""},
        headers=SAME_ORIGIN,
    )
    assert refused.status_code == 422
    assert 'id="e-reason"' in refused.text
    moved = client.post(
        f"/seasons/{season}/stages/move",
        data={"app": picks, "to_stage": "screened", "reason": "Checked", "stage": "submitted"},
        headers=SAME_ORIGIN,
        follow_redirects=False,
    )
    assert moved.status_code == 303
    assert moved.headers["location"] == f"/seasons/{season}/stages?stage=submitted&moved=2"
    after = client.get(f"/api/v1/seasons/{season}/stages?stage=screened").json()
    assert {r["id"] for r in after["rows"]} == {r["id"] for r in rows}
    assert after["rows"][0]["history"][0]["reason"] == "Checked"
    # The same (now stale) versions again: nothing changes, and the page says why (409).
    stale = client.post(
        f"/seasons/{season}/stages/move",
        data={"app": picks, "to_stage": "interviewed", "reason": "Again"},
        headers=SAME_ORIGIN,
    )
    assert stale.status_code == 409
    assert "Someone else changed this" in stale.text
    api = client.post(
        f"/api/v1/seasons/{season}/stages/moves",
        json={
            "to_stage": "interviewed",
            "reason": "x",
            "applications": [{"id": r["id"], "version": r["version"]} for r in rows],
        },
        headers=SAME_ORIGIN,
    )
    assert api.status_code == 409


def test_other_roles_are_refused(client: TestClient, world: World, season: int) -> None:
    assert client.get(f"/api/v1/seasons/{season}/stages").status_code == 401
    for email in (KOBE, CANDIDATE_EMAILS["C01"]):
        sign_in(client, email)
        assert client.get(f"/api/v1/seasons/{season}/stages").status_code == 403
        assert client.get(f"/seasons/{season}/stages").status_code == 403
