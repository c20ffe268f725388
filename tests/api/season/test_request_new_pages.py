"""A BoE files a new request on its page: inside the deadline it is filed (page and API agree);
after it the form is replaced by the deadline, and the POST is refused too. The clock is set
explicitly, so these pass on any date."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from fastapi.testclient import TestClient
from tests.api.helpers import SAME_ORIGIN, sign_in
from tests.season_world import CONTRACT_START, World, build_world

from altmatch.clock import JAPAN
from altmatch.db import Sessions
from altmatch.services.season.setup import open_season

KOBE, COORDINATOR = "kobe@example.org", "coordinator@example.org"
DEADLINE = datetime(2027, 1, 31, 23, 59, tzinfo=JAPAN)
BEFORE = datetime(2027, 1, 20, 10, 0, tzinfo=JAPAN)
AFTER = datetime(2027, 2, 1, 9, 0, tzinfo=JAPAN)
FORM = {
    "request_id": "KOBE-NEW-1",
    "capacity": "2",
    "prefecture": "Hyogo",
    "school_levels": ["elementary", "junior_high"],
    "min_jlpt": "N4",
    "min_teaching_years": "1",
    "weight_jlpt": "3",
}


@pytest.fixture
def world(sessions: Sessions) -> World:
    return build_world(sessions)


@pytest.fixture
def season(sessions: Sessions, world: World, clock: time_machine.TimeMachineFixture) -> int:
    clock.move_to(BEFORE, tick=False)
    return open_season(
        sessions,
        world.coordinator,
        name="2027",
        year=2027,
        request_deadline=DEADLINE,
        contract_start=CONTRACT_START,
    ).id


def test_a_boe_files_a_request_before_the_deadline(
    client: TestClient, world: World, season: int
) -> None:
    sign_in(client, KOBE)
    twin = client.get(f"/api/v1/seasons/{season}/requests/new").json()
    assert twin["accepting"] is True
    page = client.get(f"/seasons/{season}/requests/new?lang=ja")
    assert page.status_code == 200
    assert 'id="request-new"' in page.text
    assert "神戸市教育委員会" in page.text
    filed = client.post(
        f"/seasons/{season}/requests/new", data=FORM, headers=SAME_ORIGIN, follow_redirects=False
    )
    assert filed.status_code == 303
    assert filed.headers["location"] == f"/seasons/{season}/requests?filed=KOBE-NEW-1"
    listed = client.get(f"/api/v1/seasons/{season}/requests").json()["requests"]
    (row,) = [r for r in listed if r["request_id"] == "KOBE-NEW-1"]
    assert row["capacity"] == 2
    assert row["school_levels"] == ["elementary", "junior_high"]
    assert row["min_jlpt"] == "N4"
    assert row["boe_id"] == world.boe_ids["Kobe City BoE"]


def test_each_bad_field_is_named_in_the_readers_language(
    client: TestClient, world: World, season: int
) -> None:
    sign_in(client, KOBE)
    bad = {**FORM, "capacity": "0", "request_id": "", "weight_jlpt": "11"}
    page = client.post(f"/seasons/{season}/requests/new?lang=ja", data=bad, headers=SAME_ORIGIN)
    assert page.status_code == 422
    for name in ("capacity", "request_id", "weight_jlpt"):
        assert f'id="e-{name}"' in page.text
    assert "Input should" not in page.text
    # The same id twice in a season: refused on the id.
    client.post(f"/seasons/{season}/requests/new", data=FORM, headers=SAME_ORIGIN)
    again = client.post(f"/seasons/{season}/requests/new", data=FORM, headers=SAME_ORIGIN)
    assert again.status_code == 422
    assert 'id="e-request_id"' in again.text


def test_after_the_deadline_the_form_is_gone_and_the_post_is_refused(
    client: TestClient, world: World, season: int, clock: time_machine.TimeMachineFixture
) -> None:
    clock.move_to(AFTER, tick=False)
    sign_in(client, KOBE)
    twin = client.get(f"/api/v1/seasons/{season}/requests/new").json()
    assert twin["accepting"] is False
    page = client.get(f"/seasons/{season}/requests/new?lang=en")
    assert 'id="request-new"' not in page.text
    assert "31 Jan 2027" in page.text
    refused = client.post(f"/seasons/{season}/requests/new", data=FORM, headers=SAME_ORIGIN)
    assert refused.status_code == 409
    assert client.get(f"/api/v1/seasons/{season}/requests").json()["requests"] == []


def test_only_boe_staff_file_requests(client: TestClient, world: World, season: int) -> None:
    assert client.get(f"/api/v1/seasons/{season}/requests/new").status_code == 401
    sign_in(client, COORDINATOR)
    assert client.get(f"/api/v1/seasons/{season}/requests/new").status_code == 403
    assert client.get(f"/seasons/{season}/requests/new").status_code == 403
