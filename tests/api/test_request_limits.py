"""Request bodies: small for every route but the file uploads, refused with 413 before they are
read; and a refused input is never echoed back."""

from __future__ import annotations

import json
import time
from types import SimpleNamespace
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.api.helpers import SAME_ORIGIN, run_async, sign_in
from tests.season_world import build_world, candidates_csv, future_deadline

from altmatch.config import Settings
from altmatch.db import Sessions
from altmatch.web.app import create_app
from altmatch.web.uploads import BodyLimit, upload_routes

MIB = 1024 * 1024


def test_a_large_json_body_to_an_anonymous_route_gets_413_quickly(client: TestClient) -> None:
    body = json.dumps(["x" * 1000] * (2 * MIB // 1000)).encode()
    assert len(body) > 2 * MIB
    started = time.monotonic()
    refused = client.post(
        "/api/v1/signup", content=body, headers={"content-type": "application/json"}
    )
    assert refused.status_code == 413
    assert time.monotonic() - started < 2
    assert refused.json() == {"detail": "This request is too large, so it was refused."}
    page = client.post("/sign-in", content=body, headers={"content-type": "text/plain"})
    assert page.status_code == 413 and page.headers["content-type"].startswith("text/plain")
    ja = client.post("/api/v1/advice?lang=ja", content=body)
    assert ja.status_code == 413 and "大きすぎる" in ja.json()["detail"]


class Recorder:
    """An app that reads its whole body, recording how many chunks it was given."""

    def __init__(self) -> None:
        self.called = False
        self.chunks = 0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        self.called = True
        more = True
        while more:
            message = await receive()
            self.chunks += 1
            more = message.get("more_body", False)
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


def _run(limit: BodyLimit, scope: dict[str, Any], chunks: list[bytes]) -> tuple[list[Any], int]:
    given = 0
    sent: list[Any] = []

    async def receive() -> dict[str, Any]:
        nonlocal given
        given += 1
        body = chunks[given - 1]
        return {"type": "http.request", "body": body, "more_body": given < len(chunks)}

    async def send(message: Any) -> None:
        sent.append(message)

    run_async(limit(scope, receive, send))
    return sent, given


APP = SimpleNamespace(state=SimpleNamespace(settings=Settings(database_url="sqlite://")))


def _scope(path: str, headers: list[tuple[bytes, bytes]]) -> dict[str, Any]:
    return {
        "type": "http",
        "method": "POST",
        "path": path,
        "headers": headers,
        "root_path": "",
        "query_string": b"",
        "app": APP,  # what Starlette sets before any middleware runs
    }


def test_a_declared_length_over_the_limit_is_refused_before_the_app_runs() -> None:
    app = Recorder()
    limit = BodyLimit(app, max_bytes=MIB)
    scope = _scope("/api/v1/signup", [(b"content-length", str(2 * MIB).encode())])
    sent, given = _run(limit, scope, [b"x" * (2 * MIB)])
    assert sent[0]["status"] == 413 and not app.called and given == 0


def test_a_chunked_body_is_cut_off_as_soon_as_it_passes_the_limit() -> None:
    app = Recorder()
    limit = BodyLimit(app, max_bytes=MIB)
    chunks = [b"x" * (64 * 1024)] * 64  # 4 MiB, no Content-Length
    sent, given = _run(limit, _scope("/api/v1/advice", []), chunks)
    assert [m["status"] for m in sent if m["type"] == "http.response.start"] == [413]
    assert given == 17  # 16 chunks make 1 MiB; the 17th is one too many, and the rest is unread


def test_only_the_upload_routes_get_the_large_limit() -> None:
    app = create_app(Settings(database_url="sqlite://"))
    routes = upload_routes(app.routes)
    paths = {route.path for route in routes}
    assert {
        "/api/v1/seasons/{season_id}/candidates/import",
        "/api/v1/dispatch/roster/import",
        "/api/v1/me/cases",
        "/seasons/{season_id}/import/{kind}",
        "/dispatch/roster/import",
        "/my/cases",
    } <= paths
    assert not {"/api/v1/session", "/api/v1/signup", "/sign-in", "/api/v1/advice"} & paths
    limit = BodyLimit(Recorder(), max_bytes=MIB, upload_max_bytes=50 * MIB, upload_routes=routes)
    assert limit.limit(_scope("/api/v1/seasons/7/candidates/import", [])) == 50 * MIB
    assert limit.limit(_scope("/my/cases", [])) == 50 * MIB
    assert limit.limit({**_scope("/my/cases", []), "method": "GET"}) == MIB
    assert limit.limit(_scope("/api/v1/signup", [])) == MIB
    app.state.engine.dispose()


@pytest.mark.date_sensitive
def test_an_upload_route_still_takes_a_file_of_several_mib(
    client: TestClient, sessions: Sessions
) -> None:
    build_world(sessions)
    sign_in(client, "coordinator@example.org")
    body = {
        "name": "2027 season",
        "year": 2027,
        "request_deadline": future_deadline().isoformat(),
        "contract_start": "2027-07-25",
    }
    season = client.post("/api/v1/seasons", json=body, headers=SAME_ORIGIN).json()["id"]
    content = candidates_csv() + b"\r\n" * (3 * MIB // 2)  # 3 MiB: blank lines after the rows
    assert len(content) > 3 * MIB
    preview = client.post(
        f"/api/v1/seasons/{season}/candidates/import?commit=false",
        files={"file": ("candidates.csv", content)},
        headers=SAME_ORIGIN,
    )
    assert preview.status_code in (200, 422), preview.text
    assert "committed" in preview.json()  # the importer read it


def test_a_refused_body_is_never_echoed(client: TestClient) -> None:
    marker = "EchoMe" * 50_000  # 300 kB, under the cap
    refused = client.post(
        "/api/v1/advice",
        json={"degree": marker, "citizenship": "GB", "english": "native"},
        headers=SAME_ORIGIN,
    )
    assert refused.status_code == 422
    assert len(refused.content) < 4096 and "EchoMe" not in refused.text
    for error in refused.json()["detail"]:
        assert set(error) == {"loc", "msg", "type"}
    broken = client.post(
        "/api/v1/advice",
        content=b'{"degree": "' + marker.encode() + b'"',
        headers={"content-type": "application/json", **SAME_ORIGIN},
    )
    assert broken.status_code == 422
    assert len(broken.content) < 4096 and "EchoMe" not in broken.text
