"""`/` and its JSON twin /api/v1/home: a signed-in person's next steps, in English and Japanese;
visitors keep the landing page, and the API refuses them."""

from __future__ import annotations

import html

import pytest
from fastapi.testclient import TestClient
from tests.api.helpers import PASSWORD, SAME_ORIGIN, MakeAccount, sign_in

from altmatch.domain.access import Role

LANDING = "Open the path advisor"


def test_an_anonymous_visitor_gets_the_landing_page_and_no_home_twin(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and LANDING in page.text
    assert 'id="next-steps"' not in page.text and 'id="nav-home"' not in page.text
    assert client.get("/api/v1/home").status_code == 401
    assert "進路アドバイザーを開く" in client.get("/?lang=ja").text


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_every_role_gets_a_home_and_its_twin_shows_the_same_steps(
    client: TestClient, make_account: MakeAccount, role: Role
) -> None:
    sign_in(client, make_account(role))
    twin = client.get("/api/v1/home")
    page = client.get("/")

    assert twin.status_code == 200 and twin.json()["role"] == role.value
    steps = twin.json()["steps"]
    assert steps, f"{role} has no next step"
    assert page.status_code == 200 and 'id="next-steps"' in page.text
    assert LANDING not in page.text and 'id="nav-home"' in page.text
    text = html.unescape(page.text)
    for step in steps:
        assert step["title"] in text and f'href="{step["href"]}"' in text


def test_a_coordinator_without_an_open_season_is_asked_to_open_one_in_both_languages(
    client: TestClient, make_account: MakeAccount
) -> None:
    sign_in(client, make_account(Role.COORDINATOR))
    (step,) = client.get("/api/v1/home").json()["steps"]
    assert step == {
        "key": "open-season",
        "title": "Open a placement season",
        "detail": "No season of your programme is open.",
        "href": "/seasons",
        "status": "todo",
        "due": None,
    }
    (ja,) = client.get("/api/v1/home?lang=ja").json()["steps"]
    assert ja["title"] == "配置シーズンを開始する" and ja["status"] == "todo"
    page = client.get("/?lang=ja").text
    assert "次にすること" in page and "配置シーズンを開始する" in page and "未対応" in page
    assert ">ホーム</a>" in page


def test_signing_in_without_a_destination_lands_on_the_home_page(
    client: TestClient, make_account: MakeAccount
) -> None:
    email = make_account(Role.CANDIDATE)
    form = {"email": email, "password": PASSWORD, "next": ""}
    signed_in = client.post("/sign-in", data=form, headers=SAME_ORIGIN, follow_redirects=False)
    assert signed_in.status_code == 303 and signed_in.headers["location"] == "/"
    assert 'id="next-steps"' in client.get("/").text
