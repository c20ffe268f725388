"""Login CSRF covers both sign-in steps: another site can no more finish a sign-in with a second
factor (page or API) than start one, while clients that send no origin still can."""

from __future__ import annotations

import pyotp
import pytest
from fastapi.testclient import TestClient
from tests.api.helpers import SAME_ORIGIN, MakeAccount, sign_in

from altmatch.domain.access import Role
from altmatch.web.csrf import SESSION_STARTING_PATHS

FOREIGN = [{"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}]


def test_every_sign_in_and_sign_up_route_is_checked() -> None:
    assert {"/sign-in/code", "/api/v1/session/second-factor"} <= SESSION_STARTING_PATHS


@pytest.fixture
def challenged(client: TestClient, make_account: MakeAccount) -> tuple[str, str]:
    """A staff member with two-factor on, half-way through signing in: (secret, challenge)."""
    email = make_account(Role.BOE_STAFF)
    sign_in(client, email)
    secret = client.get("/api/v1/me/two-factor").json()["setup"]["secret"]
    code = pyotp.TOTP(secret).now()
    on = client.post("/api/v1/me/two-factor", json={"code": code}, headers=SAME_ORIGIN)
    assert on.status_code == 200, on.text
    client.delete("/api/v1/session", headers=SAME_ORIGIN)
    body = {"email": email, "password": "correct horse battery"}
    started = client.post("/api/v1/session", json=body, headers=SAME_ORIGIN)
    assert started.status_code == 202, started.text
    return secret, started.json()["challenge"]


@pytest.mark.parametrize("headers", FOREIGN)
def test_another_site_cannot_complete_the_second_factor_through_the_api(
    client: TestClient, challenged: tuple[str, str], headers: dict[str, str]
) -> None:
    _, challenge = challenged
    body = {"challenge": challenge, "code": "000000"}
    forged = client.post("/api/v1/session/second-factor", json=body, headers=headers)
    assert forged.status_code == 403
    assert "did not come from an altmatch page" in forged.json()["detail"]
    # a client sending no origin at all (curl) is still answered: a wrong code is 401
    plain = client.post("/api/v1/session/second-factor", json=body)
    assert plain.status_code == 401


@pytest.mark.parametrize("headers", FOREIGN)
def test_another_site_cannot_post_the_second_factor_page(
    client: TestClient, headers: dict[str, str]
) -> None:
    forged = client.post("/sign-in/code", data={"code": "000000"}, headers=headers)
    assert forged.status_code == 403
    assert forged.headers["content-type"].startswith("text/plain")
    same = client.post("/sign-in/code", data={"code": "000000"}, headers=SAME_ORIGIN)
    assert same.status_code != 403
