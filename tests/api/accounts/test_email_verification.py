"""Confirming an address through the pages and the API (issue 15, item 3): the link page changes
nothing until its button is pressed, an unconfirmed candidate is told and can ask for a new link
(rate-limited), setting an account up through a link is under the login-CSRF check, and the
pre-hijacking scenario ends with the application in the victim's account."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient
from tests.api.helpers import PASSWORD, SAME_ORIGIN, sign_in
from tests.season_world import build_world, candidates_csv, filled_season

from altmatch.config import Settings
from altmatch.db import Sessions
from altmatch.services.accounts.mail import send_account_mail
from altmatch.services.kernel.mail import folder_messages
from altmatch.services.season.imports import import_candidates
from altmatch.web.csrf import SESSION_STARTING_PATHS

VICTIM = "victim@example.org"
FOREIGN = [{"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}]


def settings_of(client: TestClient) -> Settings:
    settings: Settings = client.app.state.settings  # type: ignore[attr-defined]
    return settings


def sign_up(client: TestClient, email: str, password: str = PASSWORD, lang: str = "en") -> None:
    version = client.get("/api/v1/signup").json()["version"]
    body = {"email": email, "display_name": "Someone", "password": password}
    answer = client.post(
        f"/api/v1/signup?lang={lang}",
        json={**body, "consent_version": version},
        headers=SAME_ORIGIN,
    )
    assert answer.status_code == 202, answer.text


def latest_token(client: TestClient, to: str) -> str:
    """The token of the newest link mailed to `to` (the app wrote it to the mail folder)."""
    found = [m for m in folder_messages(settings_of(client).mail_folder) if m.to == to]
    assert found, f"no e-mail to {to}"
    match = re.search(r"/verify-email\?token=([\w-]+)", found[-1].body)
    assert match, found[-1].body
    return match.group(1)


def confirmed(client: TestClient) -> bool:
    return client.get("/api/v1/me").json()["email_verified_at"] is not None


def test_the_sign_up_mail_is_sent_after_the_answer(client: TestClient) -> None:
    sign_up(client, "liam@example.org")
    (message,) = folder_messages(settings_of(client).mail_folder)
    assert (message.to, message.subject) == (
        "liam@example.org",
        "altmatch: confirm your e-mail address",
    )
    assert "http://127.0.0.1:8000/verify-email?token=" in message.body


def test_the_link_page_changes_nothing_until_its_button_is_pressed(client: TestClient) -> None:
    sign_up(client, "liam@example.org")
    token = latest_token(client, "liam@example.org")

    anonymous = client.get(f"/verify-email?token={token}")
    assert anonymous.status_code == 200
    assert 'id="sign-in-link"' in anonymous.text and 'id="set-up-form"' in anonymous.text
    twin = client.get("/api/v1/verify-email", params={"token": token}).json()
    assert (twin["valid"], twin["account"], twin["signed_in_as_owner"]) == (
        True,
        "unconfirmed",
        False,
    )
    sign_in(client, "liam@example.org")
    for _ in range(2):  # a mail scanner, then the person
        page = client.get(f"/verify-email?token={token}")
        assert 'id="confirm-form"' in page.text
    assert not confirmed(client)

    done = client.post("/verify-email", data={"token": token}, headers=SAME_ORIGIN)

    assert done.status_code == 200 and 'id="verify-done"' in done.text
    assert confirmed(client)
    again = client.post("/verify-email", data={"token": token}, headers=SAME_ORIGIN)
    assert again.status_code == 400 and "does not work any more" in again.text
    used = client.get("/api/v1/verify-email", params={"token": token}).json()
    assert used == {
        "valid": False,
        "purpose": None,
        "email": None,
        "account": None,
        "signed_in_as_owner": False,
        "expires_at": None,
    }


def test_signing_in_from_the_link_page_comes_back_to_it(client: TestClient) -> None:
    sign_up(client, "liam@example.org")
    token = latest_token(client, "liam@example.org")
    page = client.get(f"/verify-email?token={token}")
    link = re.search(r'href="([^"]+)" id="sign-in-link"', page.text)
    assert link
    form = client.get(html.unescape(link.group(1))).text
    target = re.search(r'name="next" value="([^"]+)"', form)
    assert target and html.unescape(target.group(1)) == f"/verify-email?token={token}"
    back = client.post(
        "/sign-in",
        data={
            "email": "liam@example.org",
            "password": PASSWORD,
            "next": html.unescape(target.group(1)),
        },
        headers=SAME_ORIGIN,
        follow_redirects=False,
    )
    assert back.status_code == 303 and back.headers["location"] == f"/verify-email?token={token}"


def test_an_unconfirmed_candidate_is_told_and_can_ask_for_a_new_link(client: TestClient) -> None:
    sign_up(client, "liam@example.org")
    sign_in(client, "liam@example.org")
    for path in ("/account", "/seasons"):
        page = client.get(path)
        assert 'id="email-status" data-confirmed="false"' in page.text, path

    sent = client.post("/verify-email/resend", headers=SAME_ORIGIN)

    assert sent.status_code == 200 and 'id="verify-sent"' in sent.text
    assert len(folder_messages(settings_of(client).mail_folder)) == 2
    limited = client.post("/api/v1/me/verification-email", headers=SAME_ORIGIN)
    assert limited.status_code == 202  # the third of the hour, sign-up's included
    refused = client.post("/api/v1/me/verification-email", headers=SAME_ORIGIN)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    page = client.post("/verify-email/resend", headers=SAME_ORIGIN)
    assert page.status_code == 429 and "Retry-After" in page.headers
    client.post(
        "/verify-email",
        data={"token": latest_token(client, "liam@example.org")},
        headers=SAME_ORIGIN,
    )
    assert 'data-confirmed="true"' in client.get("/account").text
    assert 'id="email-status"' not in client.get("/seasons").text


def test_the_link_page_speaks_the_language_of_its_mail(client: TestClient) -> None:
    sign_up(client, "kenji@example.jp", lang="ja")
    (message,) = folder_messages(settings_of(client).mail_folder)
    assert message.subject == "altmatch：メールアドレスの確認"
    link = re.search(r"(/verify-email\?\S+)", message.body)
    assert link and "lang=ja" in link.group(1)
    page = client.get(link.group(1))
    assert page.status_code == 200 and "メールアドレスの確認" in page.text
    assert "アカウントを設定し直す" in page.text

    # Switching language keeps the link's token: the English page is the same link's page.
    english = re.search(r'<a href="([^"]+)" hreflang="en"', page.text)
    assert english, "no English link in the header"
    href = html.unescape(english.group(1))
    token = latest_token(client, "kenji@example.jp")
    assert f"token={token}" in href and href.endswith("lang=en") and "lang=ja" not in href
    switched = client.get("/verify-email" + href)
    assert 'id="set-up-form"' in switched.text and "Confirm your e-mail address" in switched.text


def test_setting_an_account_up_through_a_link_is_under_the_login_csrf_check(
    client: TestClient,
) -> None:
    assert {"/verify-email/account", "/api/v1/verify-email/account"} <= SESSION_STARTING_PATHS
    sign_up(client, "liam@example.org")
    token = latest_token(client, "liam@example.org")
    version = client.get("/api/v1/signup").json()["version"]
    body = {
        "token": token,
        "display_name": "Liam",
        "password": PASSWORD,
        "consent_version": version,
    }
    form = {**body, "password_again": PASSWORD, "consent": "yes"}
    for headers in FOREIGN:
        page = client.post("/verify-email/account", data=form, headers=headers)
        api = client.post("/api/v1/verify-email/account", json=body, headers=headers)
        assert (page.status_code, api.status_code) == (403, 403)
    assert "altmatch_session" not in client.cookies

    plain = client.post("/api/v1/verify-email/account", json=body)  # no origin at all (curl)

    assert plain.status_code == 200, plain.text
    assert plain.json()["user"]["email_verified_at"] is not None
    assert "altmatch_session" in client.cookies and confirmed(client)
    forged = client.post("/verify-email", data={"token": token}, headers=FOREIGN[0])
    assert forged.status_code == 403  # signed in now: the strict check


def test_an_address_signed_up_first_by_someone_else_wins_nothing_through_the_pages(
    client: TestClient, sessions: Sessions
) -> None:
    world = build_world(sessions)
    season_id = filled_season(sessions, world)
    sign_up(client, VICTIM, password="the attacker's passphrase")  # the attacker
    attacker = sign_in(client, VICTIM, "the attacker's passphrase")
    row = ["V01", "N2", "3", "no", "", "80", "Hyogo", "", "", "yes", "Vera", VICTIM, ""]
    content = (
        candidates_csv(extra_rows=[row]).split(b"\n", 1)[0]
        + b"\n"
        + b",".join(v.encode() for v in row)
    )
    imported = import_candidates(
        sessions, world.coordinator, season_id, content=content, filename="f.csv", commit=True
    )
    assert imported.committed, imported.errors
    assert client.get(f"/api/v1/seasons/{season_id}/application").status_code == 404
    send_account_mail(sessions, settings_of(client))  # what the sweep does after the import
    client.cookies.clear()  # the victim's browser
    invitation = latest_token(client, VICTIM)
    page = client.get(f"/verify-email?token={invitation}")
    assert "Set the account up afresh" in page.text
    version = client.get("/api/v1/signup").json()["version"]
    form = {
        "token": invitation,
        "display_name": "Vera Victim",
        "password": "the victim's own passphrase",
        "password_again": "the victim's own passphrase",
        "consent": "yes",
        "consent_version": version,
    }

    done = client.post("/verify-email/account", data=form, headers=SAME_ORIGIN)

    assert done.status_code == 200 and 'id="verify-linked"' in done.text
    mine = client.get(f"/api/v1/seasons/{season_id}/application")
    assert mine.status_code == 200, mine.text
    client.cookies.clear()
    client.cookies.set("altmatch_session", attacker)  # the attacker's old session: ended
    assert client.get("/api/v1/me").status_code == 401
    refused = client.post(
        "/api/v1/session",
        json={"email": VICTIM, "password": "the attacker's passphrase"},
        headers=SAME_ORIGIN,
    )
    assert refused.status_code == 401


@pytest.mark.parametrize("path", ["/verify-email", "/api/v1/verify-email"])
def test_a_made_up_link_is_answered_plainly(client: TestClient, path: str) -> None:
    answer = client.get(path, params={"token": "x" * 5000})
    assert answer.status_code == 200
