"""'Our schools' and its JSON twin: the same schools, in both languages, for the right people."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from tests.api.helpers import SAME_ORIGIN, sign_in
from tests.season_world import CANDIDATE_EMAILS, World, build_world

from altmatch.db import Sessions
from altmatch.domain.access import OPERATOR
from altmatch.rulebook.vocabulary import Area, SchoolLevel
from altmatch.services.accounts.schools import SchoolFields, add_school

KOBE, TOYOOKA, COORDINATOR = "kobe@example.org", "toyooka@example.org", "coordinator@example.org"


@pytest.fixture
def world(sessions: Sessions) -> World:
    world = build_world(sessions)
    for external_id, name, name_ja, level in (
        ("k1", "Kobe Minami Elementary School", "神戸市立神戸南小学校", SchoolLevel.ELEMENTARY),
        ("k2", "Kobe Kita Junior High School", "神戸市立神戸北中学校", SchoolLevel.JUNIOR_HIGH),
    ):
        add_school(
            sessions,
            OPERATOR,
            world.boe_ids["Kobe City BoE"],
            SchoolFields(
                external_id=external_id,
                name_en=name,
                name_ja=name_ja,
                level=level,
                area=Area.URBAN,
                municipality="Kobe",
                latitude=34.69,
                longitude=135.2,
            ),
        )
    return world


def test_the_page_and_its_json_twin_show_the_same_schools_in_both_languages(
    client: TestClient, world: World
) -> None:
    sign_in(client, KOBE)
    boe = world.boe_ids["Kobe City BoE"]

    data = client.get(f"/api/v1/organisations/{boe}/schools").json()
    page = client.get(f"/organisations/{boe}/schools").text
    page_ja = client.get(f"/organisations/{boe}/schools?lang=ja").text

    assert sorted(s["name_en"] for s in data["schools"]) == sorted(
        re.findall(r'<td class="text">(Kobe [^<]+)</td>', page)
    )
    assert {s["id"] for s in data["schools"]} == {
        int(i) for i in re.findall(r'data-school-id="(\d+)"', page)
    }
    assert "神戸市立神戸南小学校" in page_ja and "所管の学校" in page_ja and "小学校" in page_ja


def test_boe_staff_reach_their_schools_from_the_nav_link(client: TestClient, world: World) -> None:
    sign_in(client, KOBE)

    home = client.get("/seasons").text
    shortcut = client.get("/boe/schools", follow_redirects=False)

    assert 'href="/boe/schools"' in home
    assert (
        shortcut.headers["location"] == f"/organisations/{world.boe_ids['Kobe City BoE']}/schools"
    )


def test_another_boes_staff_and_another_programme_get_404_and_a_candidate_403(
    client: TestClient, world: World, sessions: Sessions
) -> None:
    kobe = world.boe_ids["Kobe City BoE"]
    sign_in(client, TOYOOKA)
    assert client.get(f"/api/v1/organisations/{kobe}/schools").status_code == 404
    assert client.get(f"/organisations/{kobe}/schools").status_code == 404

    sign_in(client, CANDIDATE_EMAILS["C01"])
    assert client.get(f"/api/v1/organisations/{kobe}/schools").status_code == 403

    sign_in(client, COORDINATOR)
    assert len(client.get(f"/api/v1/organisations/{kobe}/schools").json()["schools"]) == 2


def test_staff_add_a_school_to_their_own_boe_over_the_api_only(
    client: TestClient, world: World
) -> None:
    body = {
        "external_id": "k3",
        "name_en": "Kobe Higashi Elementary School",
        "name_ja": "神戸市立神戸東小学校",
        "level": "elementary",
        "area": "urban",
        "municipality": "Kobe",
    }
    kobe, toyooka = world.boe_ids["Kobe City BoE"], world.boe_ids["Toyooka City BoE"]
    sign_in(client, KOBE)

    added = client.post(f"/api/v1/organisations/{kobe}/schools", json=body, headers=SAME_ORIGIN)
    elsewhere = client.post(
        f"/api/v1/organisations/{toyooka}/schools", json=body, headers=SAME_ORIGIN
    )
    again = client.post(f"/api/v1/organisations/{kobe}/schools", json=body, headers=SAME_ORIGIN)

    assert added.status_code == 201 and added.json()["latitude"] is None
    assert elsewhere.status_code == 404 and again.status_code == 422
