"""Two-factor sign-in for staff over HTTP: enrolment, both sign-in steps, rate limits, expiry,
`staff_two_factor=required`, the operator's reset and the Japanese page."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyotp
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from tests.api.helpers import PASSWORD, SAME_ORIGIN, MakeAccount, sign_in
from typer.testing import CliRunner

from altmatch.cli import app as cli_app
from altmatch.config import Settings
from altmatch.db import Sessions
from altmatch.db.models import AuditEntry, SignInChallenge
from altmatch.domain.access import Role
from altmatch.i18n import render
from altmatch.services.setup import prepare_installation
from altmatch.web.app import create_app

pytestmark = pytest.mark.date_sensitive

COOKIE = "altmatch_session"
CHALLENGE = "altmatch_challenge"


def settle() -> None:
    """Keep clear of a 30-second step's end, so a code made now is still current when the
    server checks it (at most a few seconds' wait)."""
    left = 30 - time.time() % 30
    if left < 3:
        time.sleep(left + 0.2)


def code(secret: str, steps_ahead: int = 0) -> str:
    """The code of the step `steps_ahead` from now (the server accepts -1..+1); each step is
    accepted once, so successive uses in one test take successive steps."""
    return pyotp.TOTP(secret).at(time.time() + 30 * steps_ahead)


def enrol(client: TestClient) -> tuple[str, list[str]]:
    """Switch two-factor sign-in on for the signed-in user: (secret, recovery codes)."""
    status = client.get("/api/v1/me/two-factor").json()
    secret = status["setup"]["secret"]
    settle()
    enabled = client.post(
        "/api/v1/me/two-factor", json={"code": code(secret, -1)}, headers=SAME_ORIGIN
    )
    assert enabled.status_code == 200, enabled.text
    return secret, enabled.json()["recovery_codes"]


def actions(sessions: Sessions) -> list[str]:
    with sessions() as session:
        return list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


@pytest.fixture
def staff(client: TestClient, make_account: MakeAccount) -> Iterator[tuple[str, str, list[str]]]:
    """A BoE staff member with two-factor sign-in on, signed out again."""
    email = make_account(Role.BOE_STAFF)
    sign_in(client, email)
    secret, codes = enrol(client)
    client.delete("/api/v1/session", headers=SAME_ORIGIN)
    yield email, secret, codes


# Enrolment


def test_staff_enrol_with_a_qr_code_and_get_recovery_codes_once(
    client: TestClient, make_account: MakeAccount, sessions: Sessions
) -> None:
    sign_in(client, make_account(Role.COORDINATOR))
    page = client.get("/account/two-factor")
    assert page.status_code == 200 and "<svg" in page.text and 'class="qr"' in page.text
    secret = page.text.split('<code id="totp-secret">', 1)[1].split("<", 1)[0]
    assert client.get("/api/v1/me/two-factor").json()["setup"]["secret"] == secret
    wrong = client.post("/account/two-factor", data={"code": "000000"}, headers=SAME_ORIGIN)
    assert wrong.status_code == 400 and 'id="enable-error"' in wrong.text
    settle()
    done = client.post("/account/two-factor", data={"code": code(secret)}, headers=SAME_ORIGIN)
    assert done.status_code == 200 and 'id="recovery-codes"' in done.text
    assert done.text.count("<li><code>") == 10
    again = client.get("/account/two-factor")
    assert 'id="recovery-codes"' not in again.text and 'data-enabled="true"' in again.text
    status = client.get("/api/v1/me/two-factor").json()
    assert status["enabled"] and status["setup"] is None and status["recovery_codes_left"] == 10
    assert "two_factor.enabled" in actions(sessions)


def test_turning_it_on_ends_the_other_sessions_but_not_this_one(
    client: TestClient, make_account: MakeAccount
) -> None:
    email = make_account(Role.BOE_STAFF)
    sign_in(client, email)
    other = TestClient(client.app)
    sign_in(other, email)
    enrol(client)
    assert client.get("/api/v1/me").status_code == 200
    assert other.get("/api/v1/me").status_code == 401


@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.ALT])
def test_candidates_and_alts_are_refused(
    client: TestClient, make_account: MakeAccount, role: Role
) -> None:
    sign_in(client, make_account(role))
    assert client.get("/api/v1/me/two-factor").status_code == 403
    assert client.get("/account/two-factor").status_code == 403
    assert "/account/two-factor" not in client.get("/account").text


def test_the_account_page_links_staff_to_two_factor(
    client: TestClient, make_account: MakeAccount
) -> None:
    sign_in(client, make_account(Role.ADMIN))
    assert 'href="/account/two-factor"' in client.get("/account").text


def test_recovery_codes_are_renewed_and_two_factor_turned_off_with_a_code_only(
    client: TestClient, staff: tuple[str, str, list[str]]
) -> None:
    email, secret, old = staff
    sign_in_with_code(client, email, code(secret, 0))
    for body in ({"password": PASSWORD}, {"code": "", "password": PASSWORD}, {"code": "000000"}):
        refused = client.post(
            "/api/v1/me/two-factor/recovery-codes", json=body, headers=SAME_ORIGIN
        )
        assert refused.status_code == 422, body
    page = client.post(
        "/account/two-factor/recovery-codes?lang=ja",
        data={"password": PASSWORD},
        headers=SAME_ORIGIN,
    )
    assert page.status_code == 400 and 'id="renew-error"' in page.text
    assert 'id="recovery-codes"' not in page.text
    renewed = client.post(
        "/api/v1/me/two-factor/recovery-codes", json={"code": old[0]}, headers=SAME_ORIGIN
    )
    assert renewed.status_code == 200 and not set(renewed.json()["recovery_codes"]) & set(old)
    new_codes = renewed.json()["recovery_codes"]
    for body in ({"password": PASSWORD}, {"code": "", "password": PASSWORD}, {"code": "000000"}):
        refused = client.post("/api/v1/me/two-factor/disable", json=body, headers=SAME_ORIGIN)
        assert refused.status_code == 422, body
    page = client.post(
        "/account/two-factor/disable?lang=ja", data={"password": PASSWORD}, headers=SAME_ORIGIN
    )
    assert page.status_code == 400 and 'data-enabled="true"' in page.text
    assert 'id="off-error"' in page.text and "リカバリーコード" in page.text
    off = client.post(
        "/account/two-factor/disable", data={"code": new_codes[0]}, headers=SAME_ORIGIN
    )
    assert off.status_code == 200 and 'data-enabled="false"' in off.text
    client.delete("/api/v1/session", headers=SAME_ORIGIN)
    sign_in(client, email)  # the password alone is enough again


# Signing in


def sign_in_with_code(client: TestClient, email: str, second: str) -> None:
    first = client.post(
        "/api/v1/session", json={"email": email, "password": PASSWORD}, headers=SAME_ORIGIN
    )
    assert first.status_code == 202, first.text
    body = {"challenge": first.json()["challenge"], "code": second}
    done = client.post("/api/v1/session/second-factor", json=body, headers=SAME_ORIGIN)
    assert done.status_code == 200, done.text


def test_the_api_asks_for_the_code_before_opening_a_session(
    client: TestClient, staff: tuple[str, str, list[str]], sessions: Sessions
) -> None:
    email, secret, _ = staff
    first = client.post(
        "/api/v1/session", json={"email": email, "password": PASSWORD}, headers=SAME_ORIGIN
    )
    assert first.status_code == 202
    body = first.json()
    assert body["second_factor_required"] is True and body["challenge"] and body["detail"]
    assert COOKIE not in client.cookies
    assert client.get("/api/v1/me").status_code == 401
    with sessions() as session:
        stored = session.scalars(select(SignInChallenge.token_hash)).one()
    assert stored != body["challenge"]
    done = client.post(
        "/api/v1/session/second-factor",
        json={"challenge": body["challenge"], "code": code(secret, 0)},
        headers=SAME_ORIGIN,
    )
    assert done.status_code == 200 and done.json()["user"]["email"] == email
    assert client.get("/api/v1/me").status_code == 200
    assert actions(sessions)[-2:] == ["sign_in.challenged", "sign_in"]


def test_the_openapi_document_describes_both_steps(client: TestClient) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    post = schema["paths"]["/api/v1/session"]["post"]
    assert "202" in post["responses"] and "200" in post["responses"]
    assert "/api/v1/session/second-factor" in schema["paths"]
    assert "SecondFactorNeededOut" in schema["components"]["schemas"]


def test_the_sign_in_page_asks_for_the_code_then_signs_in(
    client: TestClient, staff: tuple[str, str, list[str]]
) -> None:
    email, secret, _ = staff
    form = {"email": email, "password": PASSWORD, "next": "/seasons"}
    first = client.post("/sign-in", data=form, headers=SAME_ORIGIN, follow_redirects=False)
    assert first.status_code == 200 and 'action="/sign-in/code"' in first.text
    cookie = first.headers["set-cookie"]
    assert cookie.startswith(f"{CHALLENGE}=") and "HttpOnly" in cookie
    assert "Path=/sign-in" in cookie and "Max-Age=300" in cookie
    assert COOKIE not in client.cookies
    wrong = client.post(
        "/sign-in/code", data={"code": "000000", "next": "/seasons"}, headers=SAME_ORIGIN
    )
    assert wrong.status_code == 400 and "Wrong code" in wrong.text
    japanese = client.get("/sign-in/code?lang=ja&next=/seasons")  # the language switch
    assert japanese.status_code == 200 and 'action="/sign-in/code"' in japanese.text
    done = client.post(
        "/sign-in/code",
        data={"code": code(secret, 0), "next": "/seasons"},
        headers=SAME_ORIGIN,
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == "/seasons"
    assert client.cookies.get(COOKIE)
    assert client.get("/api/v1/me").json()["email"] == email


def test_a_recovery_code_signs_in_once(
    client: TestClient, staff: tuple[str, str, list[str]], sessions: Sessions
) -> None:
    email, _, codes = staff
    sign_in_with_code(client, email, codes[3])
    client.delete("/api/v1/session", headers=SAME_ORIGIN)
    first = client.post("/api/v1/session", json={"email": email, "password": PASSWORD})
    again = client.post(
        "/api/v1/session/second-factor",
        json={"challenge": first.json()["challenge"], "code": codes[3]},
    )
    assert again.status_code == 401
    assert "two_factor.recovery_code_used" in actions(sessions)


def test_staff_without_two_factor_sign_in_with_the_password_alone(
    client: TestClient, make_account: MakeAccount
) -> None:
    sign_in(client, make_account(Role.COMPANY_STAFF))  # asserts 200, not 202
    assert client.get("/api/v1/me/two-factor").json()["enabled"] is False


def test_session_fixation_protection_holds_through_the_second_step(
    client: TestClient,
    staff: tuple[str, str, list[str]],
    make_account: MakeAccount,
    sessions: Sessions,
) -> None:
    email, secret, _ = staff
    planted = sign_in(client, make_account(Role.CANDIDATE))
    sign_in_with_code(client, email, code(secret, 0))
    assert client.cookies.get(COOKIE) != planted
    fresh = TestClient(client.app, cookies={COOKIE: planted})
    assert fresh.get("/api/v1/me").status_code == 401


@pytest.fixture
def strict_limits(tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(data_dir=tmp_path / "limits", login_max_failures_per_email=3)
    prepare_installation(settings)
    with TestClient(create_app(settings)) as limited:
        yield limited


def test_wrong_codes_are_rate_limited_like_wrong_passwords(strict_limits: TestClient) -> None:
    client = strict_limits
    from altmatch.domain.access import OPERATOR, OrgKind
    from altmatch.services.accounts.users import create_organisation, create_user

    sessions = client.app.state.sessions  # type: ignore[attr-defined]
    org = create_organisation(
        sessions, actor=OPERATOR, kind=OrgKind.COMPANY, name_en="Sakura", name_ja="さくら"
    ).id
    create_user(
        sessions,
        actor=OPERATOR,
        email="sato@sakura.example",
        display_name="Sato",
        role=Role.COMPANY_STAFF,
        password=PASSWORD,
        organisation_id=org,
    )
    sign_in(client, "sato@sakura.example")
    enrol(client)
    client.delete("/api/v1/session", headers=SAME_ORIGIN)
    statuses = []
    for _ in range(4):
        first = client.post(
            "/api/v1/session", json={"email": "sato@sakura.example", "password": PASSWORD}
        )
        if first.status_code != 202:
            statuses.append(first.status_code)
            break
        wrong = client.post(
            "/api/v1/session/second-factor",
            json={"challenge": first.json()["challenge"], "code": "000000"},
        )
        statuses.append(wrong.status_code)
    assert statuses == [401, 401, 401, 429]
    limited = client.post(
        "/api/v1/session", json={"email": "sato@sakura.example", "password": PASSWORD}
    )
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0
    page = client.post("/sign-in", data={"email": "sato@sakura.example", "password": PASSWORD})
    assert page.status_code == 429 and "Retry-After" in page.headers


def test_an_expired_challenge_sends_the_person_back_to_the_password(
    client: TestClient, staff: tuple[str, str, list[str]], sessions: Sessions
) -> None:
    email, secret, _ = staff
    first = client.post(
        "/sign-in", data={"email": email, "password": PASSWORD}, headers=SAME_ORIGIN
    )
    assert first.status_code == 200
    with sessions.begin() as session:
        past = datetime.now(UTC) - timedelta(seconds=1)
        session.execute(update(SignInChallenge).values(expires_at=past))
    late = client.post("/sign-in/code", data={"code": code(secret, 0)}, headers=SAME_ORIGIN)
    assert late.status_code == 400 and "expired" in late.text and 'name="password"' in late.text
    api = client.post(
        "/api/v1/session/second-factor", json={"challenge": "made-up", "code": code(secret, 0)}
    )
    assert api.status_code == 401 and "expired" in api.json()["detail"]
    gone = client.get("/sign-in/code")  # the cookie was cleared: the password form
    assert gone.status_code == 200 and 'name="password"' in gone.text


# staff_two_factor=required


@pytest.fixture
def required(tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(data_dir=tmp_path / "required", staff_two_factor="required")
    prepare_installation(settings)
    with TestClient(create_app(settings)) as strict:
        yield strict


def _account(client: TestClient, role: Role, email: str) -> None:
    from altmatch.domain.access import OPERATOR, ROLE_ORG_KIND, OrgKind
    from altmatch.services.accounts.users import create_organisation, create_user

    sessions = client.app.state.sessions  # type: ignore[attr-defined]
    kind = ROLE_ORG_KIND[role]
    org = None
    if kind is not None:
        org = create_organisation(
            sessions, actor=OPERATOR, kind=kind, name_en=email, name_ja=email
        ).id
    assert kind is None or isinstance(kind, OrgKind)
    create_user(
        sessions,
        actor=OPERATOR,
        email=email,
        display_name="X",
        role=role,
        password=PASSWORD,
        organisation_id=org,
    )


def test_required_mode_lets_staff_without_it_only_set_it_up(required: TestClient) -> None:
    client = required
    _account(client, Role.BOE_STAFF, "kobe@example.org")
    sign_in(client, "kobe@example.org")
    for page in ("/", "/account", "/seasons", "/boe/postings"):
        response = client.get(page, follow_redirects=False)
        assert response.status_code == 303, page
        assert response.headers["location"] == "/account/two-factor"
    api = client.get("/api/v1/me")
    assert api.status_code == 403 and "two-factor" in api.json()["detail"]
    assert client.get("/api/v1/seasons").status_code == 403
    setup = client.get("/account/two-factor")
    assert setup.status_code == 200 and 'id="two-factor-required"' in setup.text
    assert client.get("/static/site.css").status_code == 200
    assert client.get("/api/v1/me/two-factor").json()["required"] is True
    enrol(client)
    assert client.get("/api/v1/me").status_code == 200
    assert client.get("/account", follow_redirects=False).status_code == 200
    out = client.post("/sign-out", headers=SAME_ORIGIN, follow_redirects=False)
    assert out.status_code == 303 and COOKIE not in client.cookies


def test_required_mode_holds_assessors_too_who_read_applicants_statements(
    required: TestClient,
) -> None:
    client = required
    _account(client, Role.ASSESSOR, "panel@example.org")
    sign_in(client, "panel@example.org")
    response = client.get("/assessing", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/account/two-factor"
    assert client.get("/api/v1/assessing").status_code == 403
    enrol(client)
    assert client.get("/api/v1/assessing").status_code == 200


def test_required_mode_leaves_candidates_alone_and_allows_signing_out(
    required: TestClient,
) -> None:
    client = required
    _account(client, Role.CANDIDATE, "emily@example.org")
    sign_in(client, "emily@example.org")
    assert client.get("/api/v1/me").status_code == 200
    _account(client, Role.ADMIN, "admin@example.org")
    sign_in(client, "admin@example.org")
    assert client.get("/api/v1/me").status_code == 403
    assert client.delete("/api/v1/session", headers=SAME_ORIGIN).status_code == 204


# The operator's reset


def test_the_operator_resets_a_lost_phone_from_the_command_line(
    client: TestClient,
    settings: Settings,
    staff: tuple[str, str, list[str]],
    sessions: Sessions,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    email, _, _ = staff
    monkeypatch.setenv("ALTMATCH_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("ALTMATCH_DATABASE_URL", settings.database_url)
    result = CliRunner().invoke(cli_app, ["users", "reset-two-factor", email.upper()])
    assert result.exit_code == 0, result.output
    assert "was on, now off" in result.output
    assert "two_factor.reset" in actions(sessions)
    sign_in(client, email)  # the password alone works again: 200, not 202
    assert client.get("/api/v1/me/two-factor").json()["enabled"] is False
    unknown = CliRunner().invoke(cli_app, ["users", "reset-two-factor", "nobody@example.org"])
    assert unknown.exit_code == 2


# Japanese


def test_the_set_up_page_renders_in_japanese(client: TestClient, make_account: MakeAccount) -> None:
    sign_in(client, make_account(Role.BOE_STAFF))
    page = client.get("/account/two-factor?lang=ja")
    assert page.status_code == 200 and '<html lang="ja">' in page.text
    assert render("Two-factor sign-in", "ja") in page.text
    assert render("Enter the 6-digit code the app now shows, to check it works.", "ja") in page.text
