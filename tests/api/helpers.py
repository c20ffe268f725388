"""Helpers for API tests: the test password, same-origin headers, signing in over HTTP."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

PASSWORD = "correct horse battery"
# What a browser sends with a same-origin form post or fetch; the CSRF check needs one of them.
SAME_ORIGIN = {"Origin": "http://testserver"}

MakeAccount = Callable[..., str]


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> str:
    """Sign in through the API; returns the session token the cookie now holds."""
    response = client.post(
        "/api/v1/session", json={"email": email, "password": password}, headers=SAME_ORIGIN
    )
    assert response.status_code == 200, response.text
    token = client.cookies.get("altmatch_session")
    assert token
    return token
