"""Notifications, routing and support-quality pages: each shows what its JSON twin serves, in
English and Japanese; marking read and replacing a routing table work from the page; another
organisation's table is 404; roles outside each permission get 403; few cases show no figure."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape
from tests.api.helpers import SAME_ORIGIN, sign_in
from tests.integration.support.test_support_metrics import add_case
from tests.support_world import SupportWorld, build_support_world

from altmatch.db import Sessions
from altmatch.i18n import render
from altmatch.rulebook import load_rulebook

pytestmark = pytest.mark.date_sensitive

CASE = {
    "category": "pay_contract",
    "urgency": "normal",
    "subject": "My November pay is short",
    "description": "The payslip shows 180,000 yen instead of 250,000.",
    "language": "en",
}


@pytest.fixture
def world(sessions: Sessions) -> SupportWorld:
    return build_support_world(sessions)


def _ids(html: str, attribute: str) -> list[int]:
    return [int(found) for found in re.findall(rf'{attribute}="(\d+)"', html)]


def _open_cases(client: TestClient, world: SupportWorld, subjects: list[str]) -> list[int]:
    """The JET ALT opens a case per subject: Kobe's supervisor is notified of each."""
    sign_in(client, world.emails["jet_alt"])
    made = []
    for subject in subjects:
        response = client.post(
            "/api/v1/me/cases", json={**CASE, "subject": subject}, headers=SAME_ORIGIN
        )
        assert response.status_code == 201, response.text
        made.append(response.json()["id"])
    return made


# --- notifications ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_notifications_page_lists_the_same_notices_as_its_twin(
    client: TestClient, world: SupportWorld, lang: str
) -> None:
    cases = _open_cases(client, world, ["Pay is short", "Housing deposit"])
    sign_in(client, world.emails["kobe_supervisor"])
    page = client.get(f"/my/notifications?lang={lang}")
    twin = client.get(f"/api/v1/me/notifications?lang={lang}").json()
    assert page.status_code == 200
    assert f'<html lang="{lang}">' in page.text
    notices = twin["notifications"]
    assert len(notices) >= 2 and twin["unread"] == len(notices)
    assert _ids(page.text, "data-notification") == [n["id"] for n in notices]
    for notice in notices:
        assert str(escape(notice["text"])) in page.text
        assert f'id="mark-read-{notice["id"]}"' in page.text
    linked = {n["case_id"] for n in notices}
    assert set(cases) <= linked
    assert {f"/cases/{case_id}" for case_id in cases} <= {n["link"] for n in notices}
    for notice in notices:  # unread: opening is a POST that marks it read on the way
        assert f'action="/my/notifications/{notice["id"]}/open"' in page.text
    assert page.text.count('data-unread="true"') == len(notices)
    assert '<link rel="alternate" type="application/json" href="/api/v1/me/notifications">' in (
        page.text
    )


def test_marking_a_notice_read_from_the_page(client: TestClient, world: SupportWorld) -> None:
    _open_cases(client, world, ["Pay is short"])
    sign_in(client, world.emails["kobe_supervisor"])
    [first, *_rest] = client.get("/api/v1/me/notifications").json()["notifications"]
    marked = client.post(
        f"/my/notifications/{first['id']}/read", headers=SAME_ORIGIN, follow_redirects=False
    )
    assert marked.status_code == 303 and marked.headers["location"] == "/my/notifications"
    twin = client.get("/api/v1/me/notifications").json()
    by_id = {n["id"]: n for n in twin["notifications"]}
    assert by_id[first["id"]]["read_at"] is not None
    page = client.get("/my/notifications").text
    assert f'data-notification="{first["id"]}" data-unread="false"' in page
    assert f'id="mark-read-{first["id"]}"' not in page
    # Someone else's notice: 404, and it stays as it was.
    sign_in(client, world.emails["kobe_chief"])
    other = client.post(
        f"/my/notifications/{first['id']}/read", headers=SAME_ORIGIN, follow_redirects=False
    )
    assert other.status_code == 404


def test_a_user_without_notices_sees_an_empty_list(client: TestClient, world: SupportWorld) -> None:
    sign_in(client, world.emails["candidate"])
    page = client.get("/my/notifications")
    assert page.status_code == 200 and 'data-notification="' not in page.text
    assert client.get("/api/v1/me/notifications").json() == {
        "notifications": [],
        "unread": 0,
        "total": 0,
        "page": 1,
        "pages": 1,
    }


# --- routing -------------------------------------------------------------------------------


def test_staff_are_sent_to_their_own_organisation_s_routing_page(
    client: TestClient, world: SupportWorld
) -> None:
    sign_in(client, world.emails["company_clerk"])
    response = client.get("/support/routes", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/organisations/{world.company_id}/support-routes"
    sign_in(client, world.emails["admin"])  # no organisation of their own
    assert client.get("/support/routes", follow_redirects=False).status_code == 404


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_routing_page_shows_the_same_table_as_its_twin(
    client: TestClient, world: SupportWorld, lang: str
) -> None:
    sign_in(client, world.emails["kobe_clerk"])
    url = f"/organisations/{world.kobe_id}/support-routes"
    page = client.get(f"{url}?lang={lang}")
    twin = client.get(f"/api/v1{url}?lang={lang}").json()
    assert page.status_code == 200 and f'<html lang="{lang}">' in page.text
    assert twin["roles"] == ["supervisor", "section_chief", "programme_adviser"]
    rows = re.findall(r'data-role="(\w+)" data-level="(\d)"', page.text)
    assert rows == [(role, str(i)) for i, role in enumerate(twin["roles"], start=1)]
    assert _ids(page.text, "data-user") == [e["user_id"] for e in twin["entries"]]
    for entry in twin["entries"]:
        assert entry["name"] in page.text and entry["email"] in page.text
    for role, label in (("supervisor", "Supervisor"), ("section_chief", "Section chief")):
        row = page.text.split(f'data-role="{role}"')[1].split("</tr>")[0]
        assert f'<td class="text">{render(label, lang)}</td>' in row
    assert render("Section chief", "ja") == "課長"
    # The form is prefilled with today's handlers.
    assert world.emails["kobe_supervisor"] in page.text.split('id="f-supervisor"')[1]


def test_the_routing_form_replaces_the_table(client: TestClient, world: SupportWorld) -> None:
    sign_in(client, world.emails["kobe_clerk"])
    url = f"/organisations/{world.kobe_id}/support-routes"
    form = {
        "supervisor": f"{world.emails['kobe_clerk']}\n{world.emails['kobe_chief'].upper()}\n",
        "section_chief": world.emails["kobe_supervisor"],
        "programme_adviser": "",
    }
    saved = client.post(url, data=form, headers=SAME_ORIGIN, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"] == url
    entries = client.get(f"/api/v1{url}").json()["entries"]
    users = {name: world.actors[name].user_id for name in world.actors}
    assert sorted((e["role"], e["user_id"]) for e in entries) == sorted(
        [
            ("supervisor", users["kobe_clerk"]),
            ("supervisor", users["kobe_chief"]),
            ("section_chief", users["kobe_supervisor"]),
        ]
    )
    # Emptying a role clears it.
    cleared = client.post(
        url,
        data={"supervisor": world.emails["kobe_clerk"], "section_chief": ""},
        headers=SAME_ORIGIN,
        follow_redirects=False,
    )
    assert cleared.status_code == 303
    entries = client.get(f"/api/v1{url}").json()["entries"]
    assert [(e["role"], e["user_id"]) for e in entries] == [("supervisor", users["kobe_clerk"])]


@pytest.mark.parametrize(
    ("handler", "reason"),
    [
        ("osaka_staff", "is not active staff of this organisation"),  # another BoE's staff
        (None, "There is no user with the e-mail"),
    ],
)
def test_an_invalid_handler_is_refused_and_nothing_changes(
    client: TestClient, world: SupportWorld, handler: str | None, reason: str
) -> None:
    sign_in(client, world.emails["kobe_clerk"])
    url = f"/organisations/{world.kobe_id}/support-routes"
    before = client.get(f"/api/v1{url}").json()
    email = world.emails[handler] if handler else "nobody@example.org"
    form = {"supervisor": world.emails["kobe_clerk"], "section_chief": email}
    refused = client.post(url, data=form, headers=SAME_ORIGIN, follow_redirects=False)
    assert refused.status_code == 422
    assert 'id="form-error"' in refused.text and reason in refused.text
    assert email in refused.text.split('id="f-section_chief"')[1]  # the input is kept
    assert client.get(f"/api/v1{url}").json() == before


def test_another_organisation_s_routing_page_is_not_found(
    client: TestClient, world: SupportWorld
) -> None:
    sign_in(client, world.emails["kobe_clerk"])
    for org in (world.osaka_id, world.company_id):
        url = f"/organisations/{org}/support-routes"
        assert client.get(url).status_code == 404
        posted = client.post(
            url, data={"support_desk": world.emails["kobe_clerk"]}, headers=SAME_ORIGIN
        )
        assert posted.status_code == 404
    sign_in(client, world.emails["company_desk"])
    assert client.get(f"/organisations/{world.kobe_id}/support-routes").status_code == 404
    sign_in(client, world.emails["admin"])  # administrators keep any employer's table
    assert client.get(f"/organisations/{world.osaka_id}/support-routes").status_code == 200


@pytest.mark.parametrize("who", ["jet_alt", "coordinator", "candidate"])
def test_roles_outside_routing_are_refused(
    client: TestClient, world: SupportWorld, who: str
) -> None:
    sign_in(client, world.emails[who])
    assert client.get("/support/routes", follow_redirects=False).status_code == 403
    url = f"/organisations/{world.kobe_id}/support-routes"
    assert client.get(url).status_code == 403
    assert client.post(url, data={"supervisor": ""}, headers=SAME_ORIGIN).status_code == 403


# --- metrics -------------------------------------------------------------------------------


@pytest.fixture
def closed_cases(sessions: Sessions, world: SupportWorld) -> None:
    """Five closed cases at Kobe (enough), two at the company (too few)."""
    alt = world.actors["jet_alt"].user_id
    for hours in (1, 2, 3, 4, 5):
        add_case(sessions, alt=alt, employer=world.kobe_id, response_hours=hours)
    for _ in range(2):
        add_case(sessions, alt=alt, employer=world.company_id, path="dispatch", reopened=1)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_metrics_page_shows_the_twin_s_figures_and_hides_them_below_the_threshold(
    client: TestClient, world: SupportWorld, closed_cases: None, lang: str
) -> None:
    sign_in(client, world.emails["admin"])
    page = client.get(f"/support/metrics?lang={lang}")
    twin = client.get(f"/api/v1/support/metrics?lang={lang}").json()
    assert page.status_code == 200 and f'<html lang="{lang}">' in page.text
    assert _ids(page.text, "data-organisation") == [e["organisation_id"] for e in twin["employers"]]
    by_id = {e["organisation_id"]: e for e in twin["employers"]}
    kobe, company = by_id[world.kobe_id], by_id[world.company_id]
    assert (kobe["shown"], kobe["cases"], kobe["median_first_response_hours"]) == (True, 5, 3.0)
    row = page.text.split(f'data-organisation="{world.kobe_id}" data-shown="true"')[1]
    row = row.split("</tr>")[0]
    assert '<td class="cases">5</td>' in row and '<td class="median">3.0</td>' in row
    assert '<td class="within">100%</td>' in row and '<td class="reopen">0%</td>' in row
    assert company["shown"] is False and company["cases"] is None
    hidden = page.text.split(f'data-organisation="{world.company_id}" data-shown="false"')[1]
    hidden = hidden.split("</tr>")[0]
    assert 'class="cases"' not in hidden and "%" not in hidden
    assert str(escape(company["note"])) in hidden
    minimum = load_rulebook().support.metrics.min_cases_to_show
    assert twin["min_cases_to_show"] == minimum
    assert str(minimum) in page.text.split('id="min-cases"')[1].split("</li>")[0]


def test_staff_see_their_own_figures_and_org_narrows_to_one(
    client: TestClient, world: SupportWorld, closed_cases: None
) -> None:
    sign_in(client, world.emails["kobe_clerk"])
    page = client.get("/support/metrics")
    assert _ids(page.text, "data-organisation") == [world.kobe_id]
    one = client.get(f"/support/metrics?org={world.kobe_id}")
    assert one.status_code == 200 and f"/api/v1/support/metrics?org={world.kobe_id}" in one.text
    assert client.get(f"/support/metrics?org={world.company_id}").status_code == 404


@pytest.mark.parametrize("who", ["jet_alt", "candidate"])
def test_roles_outside_metrics_are_refused(
    client: TestClient, world: SupportWorld, who: str
) -> None:
    sign_in(client, world.emails[who])
    assert client.get("/support/metrics").status_code == 403


def test_the_queue_links_to_routing_and_quality(client: TestClient, world: SupportWorld) -> None:
    sign_in(client, world.emails["company_desk"])
    page = client.get("/cases").text
    assert 'href="/support/routes"' in page and 'href="/support/metrics"' in page
