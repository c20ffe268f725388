"""Helpers for API tests: the test password, same-origin headers, signing in over HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.routing import BaseRoute

from altmatch.db import Sessions
from altmatch.domain.access import OPERATOR, OrgKind, Role
from altmatch.services.accounts.users import create_organisation, create_user

T = TypeVar("T")

PASSWORD = "correct horse battery"
# What a browser sends with a same-origin form post or fetch; the CSRF check needs one of them.
SAME_ORIGIN = {"Origin": "http://testserver"}

MakeAccount = Callable[..., str]


def flat_routes(app: FastAPI) -> Iterator[tuple[BaseRoute, str | None]]:
    """Every route of the app with its full path, also inside included routers."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # FastAPI before included routers became lazy
        for route in app.routes:
            yield route, getattr(route, "path", None)
        return
    for context in iter_route_contexts(app.routes):
        yield context.original_route, context.path


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> str:
    """Sign in through the API; returns the session token the cookie now holds."""
    response = client.post(
        "/api/v1/session", json={"email": email, "password": password}, headers=SAME_ORIGIN
    )
    assert response.status_code == 200, response.text
    token = client.cookies.get("altmatch_session")
    assert token
    return token


def sign_in_as_other_programme(client: TestClient, sessions: Sessions) -> None:
    """Sign in as the coordinator of another programme: someone who must see none of ours."""
    other = create_organisation(
        sessions, actor=OPERATOR, kind=OrgKind.PROGRAMME, name_en="Other", name_ja="他"
    )
    create_user(
        sessions,
        actor=OPERATOR,
        email="other@example.org",
        display_name="Other Coordinator",
        role=Role.COORDINATOR,
        password=PASSWORD,
        organisation_id=other.id,
    )
    sign_in(client, "other@example.org")


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run `coroutine` to its end on an event loop of its own thread: a browser test earlier on
    the same pytest worker may have left Playwright's loop running in the main thread, where
    asyncio.run refuses to start another."""
    with ThreadPoolExecutor(max_workers=1) as own:
        return own.submit(asyncio.run, coroutine).result()
