"""Saved comparisons: stored in the database, reopened only by their unguessable token."""

from __future__ import annotations

import html
import re
from typing import Any

from fastapi.testclient import TestClient

PROFILE: dict[str, Any] = {"degree": "bachelor", "citizenship": "NZ", "english": "native"}


def test_a_saved_comparison_reopens_with_the_same_answer(client: TestClient) -> None:
    created = client.post("/api/v1/advice/saved", json=PROFILE)
    assert created.status_code == 201
    token = created.json()["token"]
    assert len(token) == 32
    reopened = client.get(f"/api/v1/advice/saved/{token}")
    assert reopened.status_code == 200
    assert reopened.json()["advice"] == created.json()["advice"]
    assert reopened.json()["profile"]["citizenship"] == "NZ"


def test_a_saved_comparison_reopens_in_another_language(client: TestClient) -> None:
    token = client.post("/api/v1/advice/saved", json=PROFILE).json()["token"]
    body = client.get(f"/api/v1/advice/saved/{token}?lang=ja").json()
    assert body["advice"]["locale"] == "ja"


def test_an_unknown_token_is_404(client: TestClient) -> None:
    assert client.get("/api/v1/advice/saved/" + "x" * 32).status_code == 404


def test_an_invalid_profile_is_not_saved(client: TestClient) -> None:
    response = client.post("/api/v1/advice/saved", json={**PROFILE, "jlpt": "N9"})
    assert response.status_code == 422


def test_the_page_saves_and_redirects_to_a_private_link(client: TestClient) -> None:
    form = {"degree": "bachelor", "citizenship": "NZ", "english": "native"}
    result = client.post("/advisor", data=form)
    assert result.status_code == 200
    assert 'action="/advisor/save"' in result.text
    hidden = re.search(r'name="profile" value="([^"]+)"', result.text)
    assert hidden
    saved = client.post(
        "/advisor/save", data={"profile": html.unescape(hidden.group(1))}, follow_redirects=False
    )
    assert saved.status_code == 303
    link = saved.headers["location"]
    page = client.get(link)
    assert page.status_code == 200 and link in page.text
    assert client.get("/advisor/saved/" + "y" * 32).status_code == 404
