"""The support queue as a long list over HTTP: the page and its JSON twin show the same cases
for one query string, a BoE never sees cases not routed to it whatever the filter, and a sort
the list does not have is 422 on both."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.api.helpers import SAME_ORIGIN, sign_in
from tests.support_world import SupportWorld, build_support_world

from altmatch.db import Sessions

pytestmark = pytest.mark.date_sensitive


@pytest.fixture
def world(sessions: Sessions) -> SupportWorld:
    return build_support_world(sessions)


def _as(client: TestClient, world: SupportWorld, name: str) -> None:
    client.cookies.clear()
    sign_in(client, world.emails[name])


def _open(client: TestClient, world: SupportWorld, alt: str, subject: str, **fields: str) -> int:
    _as(client, world, alt)
    case = {
        "category": "pay_contract",
        "urgency": "normal",
        "subject": subject,
        "description": "Please help.",
        "language": "en",
    }
    response = client.post("/api/v1/me/cases", json=case | fields, headers=SAME_ORIGIN)
    assert response.status_code == 201, response.text
    made: dict[str, Any] = response.json()
    return int(made["id"])


def _rows(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<tr data-case="(\d+)"', html)]


def test_the_queue_page_and_its_twin_agree_and_keep_each_handler_to_their_cases(
    client: TestClient, world: SupportWorld
) -> None:
    kobe = [
        _open(client, world, "jet_alt", "Overtime not paid", urgency="high"),
        _open(client, world, "direct_alt", "Housing deposit", category="housing"),
        _open(client, world, "jet_alt", "Overtime again", urgency="low"),
    ]
    company = _open(client, world, "dispatch_alt", "Overtime at the company", urgency="high")

    _as(client, world, "kobe_supervisor")
    query = "q=overtime&sort=urgency&dir=desc&per_page=1"
    data = client.get(f"/api/v1/cases?{query}").json()
    assert [c["id"] for c in data["cases"]] == [kobe[0]]
    assert data["listing"] | {"filters": None} == {
        "total": 2,
        "page": 1,
        "per_page": 1,
        "pages": 2,
        "sort": "urgency",
        "dir": "desc",
        "q": "overtime",
        "filters": None,
    }
    for lang in ("ja", "en"):
        page = client.get(f"/cases?{query}&lang={lang}")
        assert page.status_code == 200
        assert _rows(page.text) == [kobe[0]]
        assert 'aria-sort="descending"' in page.text and 'id="queue-next"' in page.text
    second = client.get(f"/api/v1/cases?{query}&page=2").json()
    assert [c["id"] for c in second["cases"]] == [kobe[2]]
    assert _rows(client.get(f"/cases?{query}&page=2").text) == [kobe[2]]
    housing = client.get("/api/v1/cases?category=housing").json()["cases"]
    assert [c["id"] for c in housing] == [kobe[1]]
    by_number = client.get(f"/api/v1/cases?q=%23{company}").json()["cases"]
    assert by_number == []  # the company's case is not routed to a BoE
    for params in (f"q={company}", "urgency=high", "q=company", "include_resolved=true", ""):
        ids = {c["id"] for c in client.get(f"/api/v1/cases?{params}").json()["cases"]}
        assert company not in ids and ids <= set(kobe), params
        assert company not in _rows(client.get(f"/cases?{params}").text), params
    for name in ("osaka_staff", "other_company_staff"):
        _as(client, world, name)
        for params in ("urgency=high", "q=overtime", "include_resolved=true"):
            assert client.get(f"/api/v1/cases?{params}").json()["cases"] == [], (name, params)
    _as(client, world, "company_desk")
    mine = client.get("/api/v1/cases?q=overtime").json()["cases"]
    assert [c["id"] for c in mine] == [company]
    for url in ("/api/v1/cases?sort=salary", "/cases?sort=salary", "/cases?overdue=maybe"):
        refused = client.get(url)
        assert refused.status_code == 422, url
