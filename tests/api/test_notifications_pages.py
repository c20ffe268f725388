"""The notifications page and its JSON twin for every role (issue 17, item 9): the unread count
every page gets, opening a notice marks it read and goes to its link, "mark all as read", paging,
and nobody can mark or open another person's notice; the e-mail preferences on /account and
their twin."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from tests.api.helpers import SAME_ORIGIN, MakeAccount, sign_in

from altmatch.db import Sessions
from altmatch.db import accounts as accounts_repo
from altmatch.domain.access import Role
from altmatch.i18n import Message
from altmatch.services.notifications import PAGE_SIZE, notify
from altmatch.services.season.notices import PLACED

pytestmark = pytest.mark.date_sensitive


def _user_id(sessions: Sessions, email: str) -> int:
    with sessions() as session:
        user = accounts_repo.get_user_by_email(session, email)
        assert user is not None
        return user.id


def _notify(sessions: Sessions, user_id: int, count: int = 1, link: str | None = None) -> None:
    with sessions.begin() as session:
        for _ in range(count):
            notify(
                session,
                [user_id],
                kind="outcome_published",
                message=Message(PLACED, {"year": 2027}),
                link=link,
            )


@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.COORDINATOR, Role.ADMIN, Role.BOE_STAFF])
def test_every_role_reads_its_notices_with_links_on_the_page_and_its_twin(
    client: TestClient, sessions: Sessions, make_account: MakeAccount, role: Role
) -> None:
    email = make_account(role)
    _notify(sessions, _user_id(sessions, email), 2, link="/seasons/1/application")
    sign_in(client, email)
    for lang, words in (("en", "you have a placement"), ("ja", "配置先が決まりました")):
        page = client.get(f"/my/notifications?lang={lang}")
        twin = client.get(f"/api/v1/me/notifications?lang={lang}").json()
        assert page.status_code == 200 and twin["unread"] == 2 and twin["total"] == 2
        assert [n["link"] for n in twin["notifications"]] == ["/seasons/1/application"] * 2
        assert words in page.text and words in twin["notifications"][0]["text"]
        ids = [int(i) for i in re.findall(r'data-notification="(\d+)"', page.text)]
        assert ids == [n["id"] for n in twin["notifications"]] and ids == sorted(ids, reverse=True)
        assert 'id="mark-all-read"' in page.text


def test_every_page_gets_the_unread_count_of_the_signed_in_user(
    client: TestClient, sessions: Sessions, make_account: MakeAccount
) -> None:
    email = make_account(Role.BOE_STAFF)
    _notify(sessions, _user_id(sessions, email), 3)
    sign_in(client, email)
    page = client.get("/account")
    assert page.status_code == 200
    # base.html shows the badge on the Notifications link from `unread_count`.
    assert re.search(r'<span class="count" aria-hidden="true">3</span>', page.text)
    client.post("/my/notifications/read-all", headers=SAME_ORIGIN)
    assert '<span class="count"' not in client.get("/account").text


def test_opening_a_notice_marks_it_read_and_goes_to_its_link(
    client: TestClient, sessions: Sessions, make_account: MakeAccount
) -> None:
    email = make_account(Role.CANDIDATE)
    _notify(sessions, _user_id(sessions, email), 1, link="/seasons/7/application")
    sign_in(client, email)
    [notice] = client.get("/api/v1/me/notifications").json()["notifications"]
    page = client.get("/my/notifications").text
    assert f'action="/my/notifications/{notice["id"]}/open"' in page
    opened = client.post(
        f"/my/notifications/{notice['id']}/open", headers=SAME_ORIGIN, follow_redirects=False
    )
    assert opened.status_code == 303 and opened.headers["location"] == "/seasons/7/application"
    twin = client.get("/api/v1/me/notifications").json()
    assert twin["unread"] == 0 and twin["notifications"][0]["read_at"] is not None
    # Read: a plain link now, no form.
    page = client.get("/my/notifications").text
    assert 'href="/seasons/7/application"' in page and "/open" not in page


def test_a_form_post_from_another_site_is_refused(
    client: TestClient, sessions: Sessions, make_account: MakeAccount
) -> None:
    email = make_account(Role.CANDIDATE)
    _notify(sessions, _user_id(sessions, email), 2)
    sign_in(client, email)
    refused = client.post("/my/notifications/read-all", headers={"Origin": "https://evil.example"})
    assert refused.status_code == 403
    assert client.get("/api/v1/me/notifications").json()["unread"] == 2


def test_marking_read_is_scoped_to_the_owner(
    client: TestClient, sessions: Sessions, make_account: MakeAccount
) -> None:
    mine = make_account(Role.CANDIDATE, "mine@example.org")
    theirs = make_account(Role.ALT, "theirs@example.org")
    _notify(sessions, _user_id(sessions, mine), 2)
    _notify(sessions, _user_id(sessions, theirs), 2, link="/my/placement")
    sign_in(client, theirs)
    their_ids = [n["id"] for n in client.get("/api/v1/me/notifications").json()["notifications"]]

    sign_in(client, mine)
    for path in (
        f"/my/notifications/{their_ids[0]}/read",
        f"/my/notifications/{their_ids[0]}/open",
        f"/api/v1/me/notifications/{their_ids[0]}/read",
    ):
        response = client.post(path, headers=SAME_ORIGIN, follow_redirects=False)
        assert response.status_code == 404, path
    marked = client.post("/api/v1/me/notifications/read-all", headers=SAME_ORIGIN)
    assert marked.status_code == 200 and marked.json() == {"marked": 2}
    assert client.get("/api/v1/me/notifications").json()["unread"] == 0

    sign_in(client, theirs)
    twin = client.get("/api/v1/me/notifications").json()
    assert twin["unread"] == 2 and [n["id"] for n in twin["notifications"]] == their_ids


def test_a_long_list_is_paged_on_the_page_and_its_twin(
    client: TestClient, sessions: Sessions, make_account: MakeAccount
) -> None:
    email = make_account(Role.COORDINATOR)
    _notify(sessions, _user_id(sessions, email), PAGE_SIZE + 3)
    sign_in(client, email)
    first = client.get("/api/v1/me/notifications").json()
    second = client.get("/api/v1/me/notifications?page=2").json()
    assert (first["pages"], first["total"], len(first["notifications"])) == (2, PAGE_SIZE + 3, 50)
    assert len(second["notifications"]) == 3 and second["page"] == 2
    assert min(n["id"] for n in first["notifications"]) > max(
        n["id"] for n in second["notifications"]
    )
    page = client.get("/my/notifications?page=2").text
    ids = [int(i) for i in re.findall(r'data-notification="(\d+)"', page)]
    assert ids == [n["id"] for n in second["notifications"]]
    assert 'id="notifications-pager-prev"' in page
    assert client.get("/my/notifications?page=0").status_code == 422


# --- e-mail preferences ---------------------------------------------------------------------


def test_preferences_default_to_email_and_are_chosen_on_the_account_page_and_its_twin(
    client: TestClient, sessions: Sessions, make_account: MakeAccount
) -> None:
    email = make_account(Role.CANDIDATE)
    sign_in(client, email)
    start = client.get("/api/v1/me/notification-preferences").json()["preferences"]
    assert [(p["group"], p["email"]) for p in start] == [
        ("season", True),
        ("transfers", True),
        ("compliance", True),
        ("retention", True),
        ("support", True),
        ("account", True),
    ]
    assert [p["always"] for p in start] == [False, False, False, False, False, True]
    page = client.get("/account?lang=ja").text
    assert 'id="email-season"' in page and "シーズンの結果" in page

    saved = client.post(
        "/account/notifications", data={"emailed": ["support", "account"]}, headers=SAME_ORIGIN
    )
    assert saved.status_code == 200 and 'id="account-notice"' in saved.text
    chosen = client.get("/api/v1/me/notification-preferences").json()["preferences"]
    assert {p["group"]: p["email"] for p in chosen} == {
        "season": False,
        "transfers": False,
        "compliance": False,
        "retention": False,
        "support": True,
        "account": True,
    }
    assert re.search(r'id="email-season"(?![^>]*checked)', saved.text)

    put = client.put(
        "/api/v1/me/notification-preferences", json={"emailed": ["season"]}, headers=SAME_ORIGIN
    )
    assert put.status_code == 200
    assert [p["group"] for p in put.json()["preferences"] if p["email"]] == ["season"]
    bad = client.put(
        "/api/v1/me/notification-preferences", json={"emailed": ["gossip"]}, headers=SAME_ORIGIN
    )
    assert bad.status_code == 422
    refused = client.post(
        "/account/notifications", data={"emailed": ["gossip"]}, headers=SAME_ORIGIN
    )
    assert refused.status_code == 400
    after = client.get("/api/v1/me/notification-preferences").json()["preferences"]
    assert [p["group"] for p in after if p["email"]] == ["season"]  # nothing saved
