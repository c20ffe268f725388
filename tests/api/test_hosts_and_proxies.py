"""Hosts and proxies: a foreign `Host` gets 400, `X-Forwarded-For` is believed only from the
configured proxies, and no response names the server software."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.schema_template import SchemaTemplate

from altmatch.cli.serve import uvicorn_options
from altmatch.config import Settings
from altmatch.db import Sessions
from altmatch.db.models import LoginAttempt
from altmatch.web.app import create_app
from altmatch.web.hosts import allowed_hosts, host_name, is_allowed

# Hosts


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.2", ""])
def test_a_foreign_host_gets_400(client: TestClient, host: str) -> None:
    response = client.get("/", headers={"Host": host})
    assert response.status_code == 400
    assert client.post("/api/v1/session", json={}, headers={"Host": host}).status_code == 400


@pytest.mark.parametrize("host", ["testserver", "localhost:8000", "127.0.0.1:8000", "[::1]:8000"])
def test_the_local_names_are_allowed_by_default(client: TestClient, host: str) -> None:
    assert client.get("/", headers={"Host": host}).status_code == 200


def test_the_default_names_only_this_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    """Out of the box the server answers to loopback names only ("testserver" is the tests')."""
    monkeypatch.delenv("ALTMATCH_ALLOWED_HOSTS", raising=False)
    assert Settings().allowed_hosts == ["127.0.0.1", "localhost", "::1"]


def test_the_allowed_hosts_setting_replaces_the_defaults(
    tmp_path: Path, schema_template: SchemaTemplate
) -> None:
    settings = Settings(data_dir=tmp_path, allowed_hosts="alt.example.jp, *.kobe.example")  # type: ignore[arg-type]
    assert settings.allowed_hosts == ["alt.example.jp", "*.kobe.example"]
    schema_template.install(settings)
    with TestClient(create_app(settings), base_url="https://alt.example.jp") as client:
        assert client.get("/").status_code == 200
        assert client.get("/", headers={"Host": "ALT.example.jp."}).status_code == 200
        assert client.get("/", headers={"Host": "www.kobe.example"}).status_code == 200
        assert client.get("/", headers={"Host": "kobe.example"}).status_code == 400
        assert client.get("/", headers={"Host": "testserver"}).status_code == 400
        # the address `altmatch serve` listens on is always allowed
        assert client.get("/", headers={"Host": "127.0.0.1:8000"}).status_code == 200


def test_host_names_are_parsed_and_matched() -> None:
    assert host_name("[::1]:8000") == "::1" and host_name("A.jp:80") == "a.jp"
    assert host_name("::1") == "::1" and host_name("[broken") == ""
    assert is_allowed("x.a.jp", ["*.a.jp"]) and not is_allowed("a.jp", ["*.a.jp"])
    assert is_allowed("anything", ["*"]) and not is_allowed("", ["*"])
    assert "0.0.0.0" not in allowed_hosts(Settings(host="0.0.0.0"))
    assert "10.1.2.3" in allowed_hosts(Settings(host="10.1.2.3"))


# Proxies


def _attempt_ip(settings: Settings, peer: str, forwarded: str, schema: SchemaTemplate) -> str:
    """The address a failed sign-in is counted against, for a request from `peer`."""
    schema.install(settings)
    with TestClient(create_app(settings), client=(peer, 50000)) as client:
        refused = client.post(
            "/api/v1/session",
            json={"email": "nobody@example.org", "password": "wrong password"},
            headers={"X-Forwarded-For": forwarded},
        )
        assert refused.status_code == 401
        sessions: Sessions = client.app.state.sessions  # type: ignore[attr-defined]
        with sessions() as session:
            ips = session.scalars(select(LoginAttempt.ip).order_by(LoginAttempt.id)).all()
    return ips[-1]


def test_forwarded_for_is_ignored_by_default_even_from_a_local_client(
    tmp_path: Path, schema_template: SchemaTemplate
) -> None:
    settings = Settings(data_dir=tmp_path)
    assert settings.trusted_proxies == []
    assert _attempt_ip(settings, "127.0.0.1", "203.0.113.9", schema_template) == "127.0.0.1"


def test_forwarded_for_is_believed_from_a_trusted_proxy_only(
    tmp_path: Path, schema_template: SchemaTemplate
) -> None:
    settings = Settings(data_dir=tmp_path, trusted_proxies="10.0.0.0/8, 192.0.2.5")  # type: ignore[arg-type]
    assert settings.trusted_proxies == ["10.0.0.0/8", "192.0.2.5/32"]
    # a client may put anything in front; the proxy appends the address it saw
    spoofed = "198.51.100.1, 203.0.113.9"
    assert _attempt_ip(settings, "10.0.0.7", spoofed, schema_template) == "203.0.113.9"
    assert _attempt_ip(settings, "192.0.2.5", "203.0.113.9", schema_template) == "203.0.113.9"
    assert _attempt_ip(settings, "192.0.2.6", "203.0.113.9", schema_template) == "192.0.2.6"


def test_a_malformed_proxy_address_is_refused_at_start() -> None:
    with pytest.raises(ValueError, match="not an address or network"):
        Settings(trusted_proxies="10.0.0.0/8, proxy.local")  # type: ignore[arg-type]


# The server header


def test_altmatch_serve_runs_uvicorn_without_the_server_header_or_its_proxy_headers() -> None:
    options = uvicorn_options(Settings(database_url="sqlite://"))
    assert options["server_header"] is False and options["proxy_headers"] is False


@contextmanager
def _served(settings: Settings) -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    options = uvicorn_options(settings) | {"port": port, "log_level": "warning"}
    options.pop("workers")
    options.pop("timeout_worker_healthcheck")
    server = uvicorn.Server(uvicorn.Config(create_app(settings), **options))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def test_no_response_names_the_server_software(
    tmp_path: Path, schema_template: SchemaTemplate
) -> None:
    settings = Settings(data_dir=tmp_path)
    schema_template.install(settings)
    with _served(settings) as url:
        for path in ("/", "/static/site.css", "/api/v1/me", "/no-such-page"):
            response = httpx.get(url + path)
            assert "server" not in response.headers, path
            assert "x-powered-by" not in response.headers
        assert httpx.get(url + "/", headers={"Host": "evil.example"}).status_code == 400
