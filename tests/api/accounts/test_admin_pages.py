"""The administrator's pages: each agrees with its JSON twin, the consequential actions go
through a confirmation page, forms name each bad field in the reader's language, and other
roles are refused."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlalchemy import update
from tests.api.helpers import SAME_ORIGIN, MakeAccount, sign_in

from altmatch.db import Sessions
from altmatch.db.models import User
from altmatch.domain.access import Role

PAGES = ("/admin/users", "/admin/organisations", "/admin/audit")


def _ids(html: str, prefix: str) -> list[int]:
    return [int(i) for i in re.findall(rf'<tr id="{prefix}-(\d+)"', html)]


def test_each_list_page_shows_what_its_twin_lists(
    client: TestClient, make_account: MakeAccount
) -> None:
    for role in Role:
        make_account(role)
    sign_in(client, "admin@example.org")
    query = "?q=example&role=boe_staff&two_factor=off&status=active&page=1"
    twin = client.get(f"/api/v1/admin/users{query}").json()
    page = client.get(f"/admin/users{query}&lang=ja")
    assert page.status_code == 200
    assert _ids(page.text, "user") == [r["id"] for r in twin["rows"]]
    assert [r["email"] for r in twin["rows"]] == ["boe_staff@example.org"]
    assert "神戸市教育委員会" in page.text
    assert '<link rel="alternate" type="application/json" href="/api/v1/admin/users?' in page.text
    organisations = client.get("/api/v1/admin/organisations?kind=boe").json()
    page = client.get("/admin/organisations?kind=boe")
    assert _ids(page.text, "organisation") == [r["id"] for r in organisations["rows"]]
    audit = client.get("/api/v1/admin/audit?action=user.created").json()
    page = client.get("/admin/audit?action=user.created&since=&until=&actor_id=&lang=en")
    assert page.status_code == 200
    assert _ids(page.text, "audit") == [r["id"] for r in audit["rows"]]
    assert audit["total"] == len(Role)
    # The log names each action in words (the code stays beside it, and in the JSON twin).
    assert audit["rows"][0]["action"] == "user.created"
    assert 'data-action="user.created">New account created<br>' in page.text
    page = client.get("/admin/audit?action=user.created&lang=ja")
    assert 'data-action="user.created">アカウントを新規作成<br>' in page.text
    assert '<option value="user.created" selected>アカウントを新規作成</option>' in page.text


def test_an_admin_changes_a_role_after_confirming(
    client: TestClient, make_account: MakeAccount, sessions: Sessions
) -> None:
    make_account(Role.ADMIN)
    make_account(Role.CANDIDATE)
    sign_in(client, "admin@example.org")
    user = client.get("/api/v1/admin/users?role=candidate").json()["rows"][0]
    confirm = client.get(f"/admin/users/{user['id']}/role?role=alt&lang=en")
    assert confirm.status_code == 200
    assert "role will change from Candidate to Assistant Language Teacher" in confirm.text
    assert client.get(f"/api/v1/admin/users/{user['id']}").json()["user"]["role"] == "candidate"
    done = client.post(
        f"/admin/users/{user['id']}/role",
        data={"role": "alt", "expected_role": "candidate", "reason": "Hired"},
        headers=SAME_ORIGIN,
        follow_redirects=False,
    )
    assert done.status_code == 303
    detail = client.get(f"/api/v1/admin/users/{user['id']}").json()
    assert detail["user"]["role"] == "alt"
    assert detail["audit"][0]["action"] == "user.role_changed"
    # The confirmation page posted again (stale: the role is no longer "candidate").
    again = client.post(
        f"/admin/users/{user['id']}/role?lang=ja",
        data={"role": "admin", "expected_role": "candidate", "reason": "x"},
        headers=SAME_ORIGIN,
    )
    assert again.status_code == 409


def test_an_admin_resets_two_factor_after_confirming_and_needs_a_reason(
    client: TestClient, make_account: MakeAccount, sessions: Sessions
) -> None:
    make_account(Role.ADMIN)
    make_account(Role.BOE_STAFF)
    with sessions.begin() as session:
        session.execute(
            update(User)
            .where(User.email == "boe_staff@example.org")
            .values(
                totp_secret="JBSWY3DPEHPK3PXP", totp_enabled_at=datetime(2026, 1, 1, tzinfo=UTC)
            )
        )
    sign_in(client, "admin@example.org")
    user = client.get("/api/v1/admin/users?two_factor=on").json()["rows"][0]
    confirm = client.get(f"/admin/users/{user['id']}/two-factor/reset?lang=ja")
    assert 'id="confirm-two-factor-go"' in confirm.text
    refused = client.post(
        f"/admin/users/{user['id']}/two-factor/reset?lang=ja",
        data={"reason": ""},
        headers=SAME_ORIGIN,
    )
    assert refused.status_code == 422
    assert 'id="e-reason"' in refused.text
    assert client.get(f"/api/v1/admin/users/{user['id']}").json()["user"]["two_factor"] is True
    done = client.post(
        f"/api/v1/admin/users/{user['id']}/two-factor/reset",
        json={"reason": "Lost phone"},
        headers=SAME_ORIGIN,
    )
    assert done.status_code == 200
    assert done.json()["user"]["two_factor"] is False


def test_the_organisation_form_names_each_bad_field_in_japanese(
    client: TestClient, make_account: MakeAccount
) -> None:
    make_account(Role.ADMIN)
    sign_in(client, "admin@example.org")
    page = client.post(
        "/admin/organisations/new?lang=ja",
        data={"kind": "boe", "name_en": "", "name_ja": "", "programme_id": ""},
        headers=SAME_ORIGIN,
    )
    assert page.status_code == 422
    for name in ("name_en", "name_ja", "programme_id"):
        assert f'id="e-{name}"' in page.text
    assert "This field is required." not in page.text
    api = client.post(
        "/api/v1/admin/organisations",
        json={"kind": "boe", "name_en": "", "name_ja": ""},
        headers=SAME_ORIGIN,
    )
    assert api.status_code == 422
    assert [d["loc"][1] for d in api.json()["detail"]] == ["name_en", "name_ja", "programme_id"]
    made = client.post(
        "/admin/organisations/new",
        data={"kind": "company", "name_en": "Maple ALT", "name_ja": "メープルALT"},
        headers=SAME_ORIGIN,
        follow_redirects=False,
    )
    assert made.status_code == 303
    found = client.get("/api/v1/admin/organisations?q=maple").json()["rows"]
    assert [o["name_ja"] for o in found] == ["メープルALT"]


def test_other_roles_are_refused_and_seasons_help_the_administrator(
    client: TestClient, make_account: MakeAccount
) -> None:
    for page in PAGES:
        assert client.get(f"/api{'/v1'}{page}").status_code == 401
    make_account(Role.BOE_STAFF)
    sign_in(client, "boe_staff@example.org")
    for page in PAGES:
        assert client.get(f"/api/v1{page}").status_code == 403
        assert client.get(page).status_code == 403
    make_account(Role.ADMIN)
    sign_in(client, "admin@example.org")
    seasons = client.get("/seasons?lang=en")
    assert seasons.status_code == 200
    assert 'id="seasons-admin"' in seasons.text
    assert 'href="/admin/users?role=coordinator"' in seasons.text
