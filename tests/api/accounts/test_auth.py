"""Signing in, out and up over HTTP: cookies, expiry, fixation, CSRF, rate limits, APPI rights."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from tests.api.helpers import PASSWORD, SAME_ORIGIN, MakeAccount, sign_in

from altmatch.config import Settings
from altmatch.db import Sessions
from altmatch.db.models import AuditEntry, User, UserSession
from altmatch.domain.access import OPERATOR, AccessDeniedError, NotFoundError, Role
from altmatch.services.accounts.my_account import sign_up_candidate
from altmatch.services.accounts.users import set_user_disabled
from altmatch.services.setup import prepare_installation
from altmatch.web.app import create_app

pytestmark = pytest.mark.date_sensitive

COOKIE = "altmatch_session"


def plant(client: TestClient, token: str) -> None:
    """Put a session cookie in the client as the browser would hold it (one per name)."""
    client.cookies.set(COOKIE, token, domain="testserver.local")


def actions(sessions: Sessions) -> list[str]:
    with sessions() as session:
        return list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


# Signing in and out


def test_signing_in_sets_an_http_only_same_site_cookie_that_expires(
    client: TestClient, make_account: MakeAccount
) -> None:
    email = make_account(Role.CANDIDATE)
    response = client.post(
        "/api/v1/session", json={"email": email.upper(), "password": PASSWORD}, headers=SAME_ORIGIN
    )
    assert response.status_code == 200
    assert response.json()["user"]["email"] == email
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "expires=" in cookie
    assert "Secure" not in cookie  # plain http, and ALTMATCH_SECURE_COOKIES=auto
    me = client.get("/api/v1/me")
    assert me.status_code == 200 and me.json()["role"] == "candidate"


@pytest.mark.parametrize(
    ("setting", "base_url", "secure"),
    [("auto", "https://testserver", True), ("always", "http://testserver", True),
     ("never", "https://testserver", False)],
)  # fmt: skip
def test_the_cookie_is_secure_as_configured(
    tmp_path: Path, setting: str, base_url: str, secure: bool
) -> None:
    settings = Settings(data_dir=tmp_path, secure_cookies=setting)  # type: ignore[arg-type]
    prepare_installation(settings)
    with TestClient(create_app(settings), base_url=base_url) as client:
        sessions: Sessions = client.app.state.sessions  # type: ignore[attr-defined]
        sign_up_candidate(
            sessions,
            email="a@example.org",
            display_name="A",
            password=PASSWORD,
            locale="en",
            consent_version=client.get("/api/v1/signup").json()["version"],
            ip="testclient",
        )
        response = client.post(
            "/api/v1/session",
            json={"email": "a@example.org", "password": PASSWORD},
            headers={"Origin": base_url},
        )
    assert response.status_code == 200
    assert ("Secure" in response.headers["set-cookie"]) is secure


def test_a_wrong_password_and_an_unknown_email_are_refused_alike(
    client: TestClient, make_account: MakeAccount, sessions: Sessions
) -> None:
    email = make_account(Role.CANDIDATE)
    wrong = client.post("/api/v1/session", json={"email": email, "password": "nope nope nope"})
    unknown = client.post("/api/v1/session", json={"email": "x@y.org", "password": PASSWORD})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json() == {"detail": "Wrong email or password."}
    assert COOKIE not in client.cookies
    assert "sign_in.failed" not in actions(sessions)  # login_attempts holds them


def test_a_refusal_is_worded_in_the_requests_language(
    client: TestClient, make_account: MakeAccount
) -> None:
    email = make_account(Role.CANDIDATE)
    wrong = client.post("/api/v1/session?lang=ja", json={"email": email, "password": "x" * 12})
    assert wrong.json()["detail"] == "メールアドレスまたはパスワードが違います。"


def test_a_disabled_user_is_refused_and_their_session_stops_working(
    client: TestClient, make_account: MakeAccount, sessions: Sessions
) -> None:
    email = make_account(Role.CANDIDATE)
    sign_in(client, email)
    set_user_disabled(sessions, actor=OPERATOR, email=email, disabled=True)
    assert client.get("/api/v1/me").status_code == 401
    body = {"email": email, "password": PASSWORD}
    response = client.post("/api/v1/session", json=body, headers=SAME_ORIGIN)
    assert response.status_code == 401 and "disabled" in response.json()["detail"]


def test_an_expired_session_signs_nobody_in(
    client: TestClient, make_account: MakeAccount, sessions: Sessions
) -> None:
    sign_in(client, make_account(Role.CANDIDATE))
    with sessions.begin() as session:
        past = datetime.now(UTC) - timedelta(seconds=1)
        session.execute(update(UserSession).values(expires_at=past))
    assert client.get("/api/v1/me").status_code == 401
    page = client.get("/account?tab=data", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"] == "/sign-in?next=%2Faccount%3Ftab%3Ddata"


def test_signing_out_revokes_the_session_on_the_server(
    client: TestClient, make_account: MakeAccount, sessions: Sessions
) -> None:
    token = sign_in(client, make_account(Role.CANDIDATE))
    response = client.delete("/api/v1/session", headers=SAME_ORIGIN)
    assert response.status_code == 204 and COOKIE not in client.cookies
    plant(client, token)  # a copy of the cookie kept by someone else
    assert client.get("/api/v1/me").status_code == 401
    with sessions() as session:
        assert session.scalars(select(UserSession.revoked_at)).one() is not None
    assert "sign_out" in actions(sessions)


def test_the_sign_out_button_revokes_and_goes_home(
    client: TestClient, make_account: MakeAccount
) -> None:
    token = sign_in(client, make_account(Role.CANDIDATE))
    response = client.post("/sign-out", headers=SAME_ORIGIN, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/"
    plant(client, token)
    assert client.get("/api/v1/me").status_code == 401


def test_a_cookie_planted_before_sign_in_is_never_reused(
    client: TestClient, make_account: MakeAccount
) -> None:
    email = make_account(Role.CANDIDATE)
    plant(client, "planted-by-an-attacker")
    token = sign_in(client, email)
    assert token != "planted-by-an-attacker"
    # A live session from before is revoked, not carried over.
    second = sign_in(client, email)
    assert second != token
    plant(client, token)
    assert client.get("/api/v1/me").status_code == 401


def test_the_sign_in_page_signs_in_and_follows_next_on_this_site_only(
    client: TestClient, make_account: MakeAccount
) -> None:
    email = make_account(Role.CANDIDATE)
    form = {"email": email, "password": PASSWORD}
    ok = client.post(
        "/sign-in", data={**form, "next": "/advisor"}, headers=SAME_ORIGIN, follow_redirects=False
    )
    assert ok.status_code == 303 and ok.headers["location"] == "/advisor"
    for target in ("https://evil.example/", "//evil.example", "/\\evil.example"):
        away = client.post(
            "/sign-in", data={**form, "next": target}, headers=SAME_ORIGIN, follow_redirects=False
        )
        assert away.headers["location"] == "/", target  # the home page


def test_the_sign_in_page_shows_the_refusal_next_to_the_form(
    client: TestClient, make_account: MakeAccount
) -> None:
    email = make_account(Role.CANDIDATE)
    page = client.post("/sign-in?lang=ja", data={"email": email, "password": "wrong password"})
    assert page.status_code == 400
    assert 'id="sign-in-error"' in page.text and "パスワードが違います" in page.text
    assert f'value="{email}"' in page.text


def test_the_header_shows_who_is_signed_in(client: TestClient, make_account: MakeAccount) -> None:
    assert 'href="/sign-in"' in client.get("/").text
    sign_in(client, make_account(Role.CANDIDATE, name="Emily Carter"))
    home = client.get("/?lang=ja")
    assert 'id="nav-user">Emily Carter<' in home.text and "ログアウト" in home.text


# CSRF


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site", "Origin": "http://testserver"},
    ],
)
def test_an_unsafe_request_with_the_cookie_from_elsewhere_is_refused(
    client: TestClient, make_account: MakeAccount, headers: dict[str, str]
) -> None:
    sign_in(client, make_account(Role.CANDIDATE))
    response = client.delete("/api/v1/session", headers=headers)
    assert response.status_code == 403
    assert "did not come from an altmatch page" in response.json()["detail"]
    assert client.get("/api/v1/me").status_code == 200  # still signed in
    page = client.post("/sign-out", headers=headers)
    assert page.status_code == 403 and page.headers["content-type"].startswith("text/plain")


@pytest.mark.parametrize(
    "headers", [SAME_ORIGIN, {"Sec-Fetch-Site": "same-origin"}, {"Sec-Fetch-Site": "none"}]
)
def test_an_unsafe_request_from_this_site_passes(
    client: TestClient, make_account: MakeAccount, headers: dict[str, str]
) -> None:
    sign_in(client, make_account(Role.CANDIDATE))
    assert client.delete("/api/v1/session", headers=headers).status_code == 204


def test_another_site_cannot_sign_a_visitor_in_but_scripts_can(
    client: TestClient, make_account: MakeAccount
) -> None:
    email = make_account(Role.CANDIDATE)
    body = {"email": email, "password": PASSWORD}
    forged = client.post("/api/v1/session", json=body, headers={"Sec-Fetch-Site": "cross-site"})
    assert forged.status_code == 403
    assert client.post("/api/v1/session", json=body).status_code == 200  # curl sends neither


def test_safe_requests_and_requests_without_the_cookie_are_not_checked(
    client: TestClient,
) -> None:
    profile = {"degree": "bachelor", "citizenship": "GB", "english": "native"}
    foreign = {"Origin": "https://evil.example"}
    assert client.post("/api/v1/advice", json=profile, headers=foreign).status_code == 200
    plant(client, "whatever")
    assert client.get("/api/v1/advice/options", headers=foreign).status_code == 200


# Rate limits


def test_repeated_failures_are_refused_with_429_and_retry_after(
    client: TestClient, make_account: MakeAccount, sessions: Sessions
) -> None:
    email = make_account(Role.CANDIDATE)
    for _ in range(5):
        wrong = client.post("/api/v1/session", json={"email": email, "password": "bad password"})
        assert wrong.status_code == 401
    limited = client.post("/api/v1/session", json={"email": email, "password": PASSWORD})
    assert limited.status_code == 429
    assert 0 < int(limited.headers["retry-after"]) <= 30  # the first delay
    assert "Too many failed sign-ins" in limited.json()["detail"]
    page = client.post("/sign-in", data={"email": email, "password": PASSWORD})
    assert page.status_code == 429 and "retry-after" in page.headers
    assert actions(sessions).count("sign_in.throttled") == 1


def test_the_limits_come_from_settings(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, login_max_failures_per_ip=2)
    prepare_installation(settings)
    with TestClient(create_app(settings)) as client:
        for n in range(2):
            client.post("/api/v1/session", json={"email": f"{n}@x.org", "password": "x" * 10})
        third = client.post("/api/v1/session", json={"email": "c@x.org", "password": "x" * 10})
    assert third.status_code == 429


# Sign-up


def test_a_candidate_signs_up_through_the_api_with_the_consent_version(
    client: TestClient, sessions: Sessions
) -> None:
    consent = client.get("/api/v1/signup?lang=ja").json()
    assert consent["title"] == "altmatchにおける個人情報の取り扱い"
    body = {"email": "Liam@Example.org", "display_name": "Liam", "password": PASSWORD}
    refused = client.post("/api/v1/signup", json={**body, "consent_version": "1999-01-01"})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "consent"]
    created = client.post("/api/v1/signup", json={**body, "consent_version": consent["version"]})
    assert created.status_code == 202 and created.json()["detail"].startswith("Thank you.")
    assert COOKIE not in client.cookies  # no session: they sign in like everyone
    sign_in(client, "liam@example.org")
    user = client.get("/api/v1/me").json()
    assert (user["email"], user["role"], user["consent_version"]) == (
        "liam@example.org",
        "candidate",
        consent["version"],
    )
    assert actions(sessions) == ["user.created", "user.consented", "sign_in"]


def test_the_sign_up_page_shows_the_consent_and_needs_the_box_ticked(client: TestClient) -> None:
    page = client.get("/sign-up?lang=ja")
    assert page.status_code == 200 and "利用目的" in page.text and 'name="consent"' in page.text
    version = page.text.split('name="consent_version" value="', 1)[1].split('"', 1)[0]
    form = {
        "email": "liam@example.org",
        "display_name": "Liam",
        "password": PASSWORD,
        "password_again": PASSWORD,
        "consent_version": version,
    }
    unticked = client.post("/sign-up?lang=en", data=form, headers=SAME_ORIGIN)
    assert unticked.status_code == 400 and "accept the consent text" in unticked.text
    mismatch = client.post(
        "/sign-up?lang=en",
        data={**form, "consent": "yes", "password_again": "other"},
        headers=SAME_ORIGIN,
    )
    assert mismatch.status_code == 400 and "The two passwords differ." in mismatch.text
    created = client.post(
        "/sign-up", data={**form, "consent": "yes"}, headers=SAME_ORIGIN, follow_redirects=False
    )
    assert created.status_code == 200 and 'id="sign-up-notice"' in created.text
    assert 'action="/sign-in"' in created.text and 'value="liam@example.org"' in created.text
    signed_in = client.post(
        "/sign-in",
        data={"email": "liam@example.org", "password": PASSWORD, "next": "/account"},
        headers=SAME_ORIGIN,
        follow_redirects=False,
    )
    assert signed_in.status_code == 303 and signed_in.headers["location"] == "/account"
    account = client.get("/account")
    assert account.status_code == 200 and "liam@example.org" in account.text


def _sign_up(client: TestClient, email: str, *, page: bool = False) -> Any:
    version = client.get("/api/v1/signup").json()["version"]
    body = {"email": email, "display_name": "Someone", "password": "another passphrase"}
    headers = SAME_ORIGIN
    if page:
        form = {**body, "password_again": body["password"], "consent": "yes"}
        return client.post(
            "/sign-up?lang=ja", data={**form, "consent_version": version}, headers=headers
        )
    return client.post("/api/v1/signup", json={**body, "consent_version": version}, headers=headers)


@pytest.mark.parametrize("page", [False, True], ids=["api", "page"])
def test_sign_up_answers_alike_whether_or_not_the_email_has_an_account(
    client: TestClient, make_account: MakeAccount, sessions: Sessions, page: bool
) -> None:
    staff = make_account(Role.BOE_STAFF, email="tanaka@kobe.example.jp")
    with sessions() as session:
        before = session.scalars(select(User).where(User.email == staff)).one()
        users_before = len(session.scalars(select(User)).all())
    taken = _sign_up(client, "Tanaka@Kobe.example.jp", page=page)
    free = _sign_up(client, "tanaka@kobe.example.jp".replace("tanaka", "sato"), page=page)
    assert taken.status_code == free.status_code == (200 if page else 202)
    assert COOKIE not in taken.headers.get("set-cookie", "") + free.headers.get("set-cookie", "")
    assert taken.content.replace(b"Tanaka@Kobe", b"sato@kobe") == free.content
    assert sorted(taken.headers) == sorted(free.headers)
    with sessions() as session:
        after = session.scalars(select(User).where(User.email == staff)).one()
        assert len(session.scalars(select(User)).all()) == users_before + 1  # sato only
    assert (after.password_hash, after.display_name, after.role) == (
        before.password_hash,
        before.display_name,
        before.role,
    )
    assert actions(sessions)[-3:] == ["user.sign_up_repeated", "user.created", "user.consented"]
    sign_in(client, staff)  # the owner's password still works


def test_sign_up_is_limited_per_address(client: TestClient, sessions: Sessions) -> None:
    answers = [_sign_up(client, "liam@example.org").status_code for _ in range(4)]
    assert answers == [202, 202, 202, 429]
    limited = _sign_up(client, "liam@example.org", page=True)
    assert limited.status_code == 429 and 0 < int(limited.headers["retry-after"]) <= 3600
    assert "試行が多すぎます" in limited.text
    assert _sign_up(client, "someone.else@example.org").status_code == 202
    with sessions() as session:
        assert len(session.scalars(select(User)).all()) == 2


def test_the_sign_up_limits_come_from_settings(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, sign_up_max_per_email=1, sign_up_max_per_ip=2)
    prepare_installation(settings)
    with TestClient(create_app(settings)) as client:
        same_address = [_sign_up(client, "mia@example.org").status_code for _ in range(2)]
        third_address = _sign_up(client, "noah@example.org").status_code
        over_client = _sign_up(client, "olivia@example.org")
    assert same_address == [202, 429]
    assert third_address == 202
    assert over_client.status_code == 429 and int(over_client.headers["retry-after"]) <= 3600


# My data: export and deletion


def test_i_can_export_everything_stored_about_me(
    client: TestClient, make_account: MakeAccount
) -> None:
    email = make_account(Role.CANDIDATE)
    sign_in(client, email)
    data = client.get("/api/v1/me/export?format=json").json()
    assert data["account"]["email"] == email
    assert [e["action"] for e in data["audit_log"]] == ["user.created", "sign_in"]
    for url in ("/account/export", "/api/v1/me/export"):
        download = client.get(url)
        assert download.status_code == 200, url
        assert download.headers["content-type"] == "application/zip"
        assert "attachment" in download.headers["content-disposition"]
        with zipfile.ZipFile(io.BytesIO(download.content)) as archive:
            index = json.loads(archive.read("index.json"))
            assert json.loads(archive.read("account.json")) == data["account"]
        assert index["sections"] == data["index"]["sections"]


def test_a_candidate_deletes_their_account_after_confirming(
    client: TestClient, make_account: MakeAccount, sessions: Sessions
) -> None:
    email = make_account(Role.CANDIDATE)
    sign_in(client, email)
    wrong = client.delete("/api/v1/me?confirm_email=other@x.org", headers=SAME_ORIGIN)
    assert wrong.status_code == 422
    response = client.delete(f"/api/v1/me?confirm_email={email}", headers=SAME_ORIGIN)
    assert response.status_code == 204 and COOKIE not in client.cookies
    assert (
        client.post("/api/v1/session", json={"email": email, "password": PASSWORD}).status_code
        == 401
    )
    with sessions() as session:
        assert session.scalars(select(User)).all() == []
    assert "user.deleted" in actions(sessions)


def test_the_account_page_deletes_only_with_the_right_email(
    client: TestClient, make_account: MakeAccount
) -> None:
    email = make_account(Role.CANDIDATE)
    sign_in(client, email)
    page = client.get("/account")
    assert 'href="/account/delete"' in page.text and "Emily Carter" in page.text
    page = client.get("/account/delete")
    assert 'action="/account/delete"' in page.text and 'id="kept"' in page.text
    wrong = client.post("/account/delete", data={"confirm_email": "x@y.org"}, headers=SAME_ORIGIN)
    assert wrong.status_code == 400 and "exactly" in wrong.text
    done = client.post("/account/delete", data={"confirm_email": email}, headers=SAME_ORIGIN)
    assert done.status_code == 200 and 'id="account-deleted"' in done.text
    assert 'href="/sign-in"' in done.text  # the header no longer names the deleted user
    assert client.get("/api/v1/me").status_code == 401


def test_an_alt_deletes_their_account_after_confirming(
    client: TestClient, make_account: MakeAccount, sessions: Sessions
) -> None:
    email = make_account(Role.ALT)
    sign_in(client, email)
    assert 'href="/account/delete"' in client.get("/account").text
    notice = client.get("/api/v1/me/deletion").json()
    assert notice["can_delete"] and notice["told"] == []
    assert {k["kind"] for k in notice["kept"]} >= {"employment_record", "support_case"}
    response = client.delete(f"/api/v1/me?confirm_email={email}", headers=SAME_ORIGIN)
    assert response.status_code == 204 and COOKIE not in client.cookies
    with sessions() as session:
        assert session.scalars(select(User).where(User.email == email)).all() == []


def test_the_deletion_page_lists_what_is_kept_in_japanese(
    client: TestClient, make_account: MakeAccount
) -> None:
    sign_in(client, make_account(Role.ALT))
    page = client.get("/account/delete?lang=ja")
    assert page.status_code == 200
    assert "残るもの" in page.text or "保存" in page.text
    assert "労働基準法第109条" in page.text  # the rulebook's legal basis, in Japanese
    assert "雇用が終了した日から3年間" in page.text  # and its period
    assert 'data-kind="employment_record"' in page.text
    assert 'data-kind="support_case"' in page.text


def test_staff_cannot_delete_their_own_account(
    client: TestClient, make_account: MakeAccount
) -> None:
    email = make_account(Role.BOE_STAFF)
    sign_in(client, email)
    page = client.get("/account")
    assert 'href="/account/delete"' not in page.text and "神戸" not in page.text
    assert 'action="/account/delete"' not in client.get("/account/delete").text
    assert "Kobe City BoE" in page.text
    refused = client.delete(f"/api/v1/me?confirm_email={email}", headers=SAME_ORIGIN)
    assert refused.status_code == 403


# Administration and the audit log


def test_an_administrator_creates_organisations_and_users_through_the_api(
    client: TestClient, make_account: MakeAccount, sessions: Sessions
) -> None:
    sign_in(client, make_account(Role.ADMIN))
    org = client.post(
        "/api/v1/organisations",
        json={"kind": "company", "name_en": "Fuji ALT", "name_ja": "富士ALT"},
        headers=SAME_ORIGIN,
    )
    assert org.status_code == 201
    user = {"email": "sato@fuji.example", "display_name": "佐藤", "password": PASSWORD}
    mismatch = client.post(
        "/api/v1/users",
        json={**user, "role": "boe_staff", "organisation_id": org.json()["id"]},
        headers=SAME_ORIGIN,
    )
    assert mismatch.status_code == 422
    assert mismatch.json()["detail"][0]["loc"] == ["body", "organisation_id"]
    created = client.post(
        "/api/v1/users",
        json={**user, "role": "company_staff", "organisation_id": org.json()["id"]},
        headers=SAME_ORIGIN,
    )
    assert created.status_code == 201
    emails = [u["email"] for u in client.get("/api/v1/users").json()]
    assert "sato@fuji.example" in emails
    audit = client.get("/api/v1/audit").json()
    created_entry = next(e for e in audit if e["action"] == "user.created" and e["actor_user_id"])
    assert created_entry["tenant_id"] == org.json()["id"]


def test_a_coordinator_sees_the_audit_of_their_programme_only(
    client: TestClient, make_account: MakeAccount
) -> None:
    sign_in(client, make_account(Role.COMPANY_STAFF))  # a tenant outside the programme
    sign_in(client, make_account(Role.BOE_STAFF))  # a BoE in the programme
    sign_in(client, make_account(Role.COORDINATOR))
    entries = client.get("/api/v1/audit").json()
    sign_ins = [e for e in entries if e["action"] == "sign_in"]
    assert len(sign_ins) == 2  # the BoE's and their own, not the company's


# How refusals are answered


@pytest.fixture
def probe_client(client: TestClient, make_account: MakeAccount) -> Iterator[TestClient]:
    app: FastAPI = client.app  # type: ignore[assignment]

    def hidden() -> None:
        raise NotFoundError("request 7 of another BoE")

    def forbidden() -> None:
        raise AccessDeniedError("season.manage")

    for prefix in ("/api/v1/_probe", "/_probe"):
        app.add_api_route(f"{prefix}/hidden", hidden)
        app.add_api_route(f"{prefix}/forbidden", forbidden)
    yield client


def test_a_hidden_object_is_404_and_a_forbidden_action_403(probe_client: TestClient) -> None:
    assert probe_client.get("/api/v1/_probe/hidden").json() == {"detail": "Not found."}
    assert probe_client.get("/api/v1/_probe/hidden").status_code == 404
    assert probe_client.get("/api/v1/_probe/forbidden").status_code == 403
    assert probe_client.get("/_probe/hidden").status_code == 404
    page = probe_client.get("/_probe/forbidden?lang=ja")
    assert page.status_code == 403 and "許可されていません" in page.text


# Password change and signing out everywhere


def _other_browser(client: TestClient, email: str) -> TestClient:
    other = TestClient(client.app)
    sign_in(other, email)
    return other


def test_changing_the_password_needs_the_current_one_and_ends_other_sessions(
    client: TestClient, make_account: MakeAccount
) -> None:
    email = make_account(Role.CANDIDATE)
    sign_in(client, email)
    other = _other_browser(client, email)
    body = {"current_password": "wrong password", "new_password": "a new passphrase"}
    refused = client.post("/api/v1/me/password", json=body, headers=SAME_ORIGIN)
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"] == [
        "body",
        "current_password",
    ]
    form = {
        "current_password": PASSWORD,
        "new_password": "a new passphrase",
        "new_password_again": "a different one",
    }
    page = client.post("/account/password?lang=ja", data=form, headers=SAME_ORIGIN)
    assert page.status_code == 400 and 'id="password-error"' in page.text
    assert other.get("/api/v1/me").status_code == 200
    form["new_password_again"] = form["new_password"]
    changed = client.post("/account/password", data=form, headers=SAME_ORIGIN)
    assert changed.status_code == 200 and 'id="account-notice"' in changed.text
    assert client.get("/api/v1/me").status_code == 200  # this browser stays signed in
    assert other.get("/api/v1/me").status_code == 401
    body = {"current_password": "a new passphrase", "new_password": PASSWORD}
    again = client.post("/api/v1/me/password", json=body, headers=SAME_ORIGIN)
    assert again.status_code == 200 and again.json() == {"sessions_ended": 0}


def test_signing_out_everywhere_ends_every_session(
    client: TestClient, make_account: MakeAccount, sessions: Sessions
) -> None:
    email = make_account(Role.BOE_STAFF)
    sign_in(client, email)
    page = client.get("/account")
    assert 'action="/account/sign-out-everywhere"' in page.text and "data-confirm=" in page.text
    other = _other_browser(client, email)
    ended = other.post("/api/v1/me/sign-out-everywhere", headers=SAME_ORIGIN)
    assert ended.status_code == 200 and ended.json() == {"sessions_ended": 2}
    assert COOKIE not in other.cookies
    assert client.get("/api/v1/me").status_code == 401
    sign_in(client, email)
    third = _other_browser(client, email)
    out = client.post("/account/sign-out-everywhere", headers=SAME_ORIGIN, follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/"
    assert client.get("/api/v1/me").status_code == third.get("/api/v1/me").status_code == 401
    assert actions(sessions).count("sign_out.everywhere") == 2
