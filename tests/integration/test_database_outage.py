"""A database that goes away: a clean 503 with Retry-After (JSON for the API, a page otherwise),
logged once, nothing half-written, and the app serving again once PostgreSQL is back.

The app reaches PostgreSQL through a small TCP relay on 127.0.0.1 that a test can stop (new
connections refused), cut (every open connection reset) or arm to cut just after a given
statement went through, i.e. in the middle of a service's transaction."""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from tests.api.helpers import SAME_ORIGIN, sign_in
from tests.season_world import build_world, candidates_csv, future_deadline

from altmatch.config import Settings
from altmatch.db import make_engine, session_factory
from altmatch.db.models import AuditEntry, SeasonCandidate
from altmatch.services.setup import prepare_installation
from altmatch.web.app import create_app

COORDINATOR = "coordinator@example.org"
POSTGRES = ("127.0.0.1", 5432)


class Relay:
    """TCP relay 127.0.0.1:port → PostgreSQL, two threads per connection."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._listener: socket.socket | None = None
        self.port = 0
        self.cut_after: bytes | None = None  # the app's next message after this one is never sent
        self.tripped = threading.Event()
        self.start()

    def start(self) -> None:
        """Accept connections (again, on the same port)."""
        listener = socket.create_server(("127.0.0.1", self.port))  # SO_REUSEADDR on POSIX
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def stop(self) -> None:
        """Refuse new connections and reset the open ones: the server is down."""
        if self._listener is not None:
            # shutdown() first: a bare close() does not wake the thread blocked in accept(),
            # which would go on accepting on the "closed" socket.
            with contextlib.suppress(OSError):
                self._listener.shutdown(socket.SHUT_RDWR)
            self._listener.close()
            self._listener = None
        self.cut()

    def cut(self) -> None:
        """Reset every open connection, as a crash or a network failure would."""
        with self._lock:
            doomed, self._open = self._open, set()
        for sock in doomed:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(POSTGRES)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._open |= {client, server}
            threading.Thread(target=self._pump, args=(client, server, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, False), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket, from_app: bool) -> None:
        armed = False
        while True:
            try:
                data = source.recv(65536)
            except OSError:
                break
            if not data:
                break
            if from_app and armed:
                self.tripped.set()
                self.cut()
                return
            if from_app and self.cut_after is not None and self.cut_after in data:
                armed = True
            try:
                target.sendall(data)
            except OSError:
                break
        for sock in (source, target):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


@dataclass
class Outage:
    relay: Relay
    client: TestClient
    direct: Engine  # straight to PostgreSQL, to see what was really written
    season_id: int

    def candidates(self) -> int:
        with self.direct.connect() as connection:
            return connection.scalar(select(func.count()).select_from(SeasonCandidate)) or 0

    def audited(self, action: str) -> int:
        query = select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action)
        with self.direct.connect() as connection:
            return connection.scalar(query) or 0


@pytest.fixture
def outage(postgres_url: str, tmp_path: Path) -> Iterator[Outage]:
    """A season with its world on PostgreSQL, and the app reaching it through the relay,
    signed in as the coordinator."""
    direct = Settings(data_dir=tmp_path / "direct", database_url=postgres_url)
    prepare_installation(direct)
    engine = make_engine(direct)
    build_world(session_factory(engine))
    relay = Relay()
    relayed = postgres_url.replace(":5432/", f":{relay.port}/")
    settings = Settings(data_dir=tmp_path / "app", database_url=relayed)
    try:
        with TestClient(create_app(settings)) as client:
            sign_in(client, COORDINATOR)
            body = {
                "name": "2027 season",
                "year": 2027,
                "request_deadline": future_deadline().isoformat(),
                "contract_start": "2027-07-25",
            }
            created = client.post("/api/v1/seasons", json=body, headers=SAME_ORIGIN)
            assert created.status_code == 201, created.text
            yield Outage(relay, client, engine, created.json()["id"])
            client.app.state.engine.dispose()  # type: ignore[attr-defined]
    finally:
        relay.stop()
        engine.dispose()


def _import(outage: Outage) -> httpx.Response:
    response: httpx.Response = outage.client.post(
        f"/api/v1/seasons/{outage.season_id}/candidates/import?commit=true",
        files={"file": ("candidates.csv", candidates_csv())},
        headers=SAME_ORIGIN,
    )
    return response


def _outage_logs(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if "database unavailable" in r.getMessage()]


@pytest.mark.postgres
def test_a_connection_lost_in_the_middle_of_an_import_gives_503_and_writes_nothing(
    outage: Outage, caplog: pytest.LogCaptureFixture
) -> None:
    outage.relay.cut_after = b"INSERT INTO season_candidates"
    with caplog.at_level(logging.WARNING):
        lost = _import(outage)
    outage.relay.cut_after = None
    written = outage.candidates()
    audited = outage.audited("season.candidates_imported")
    again = _import(outage)

    assert outage.relay.tripped.is_set()  # the candidates' INSERT reached PostgreSQL first
    assert lost.status_code == 503, lost.text
    assert lost.headers["Retry-After"].isdigit()
    assert "try again" in lost.json()["detail"]
    assert "Traceback" not in lost.text
    assert len(_outage_logs(caplog)) == 1
    assert (written, audited) == (0, 0)
    assert again.status_code == 200, again.text
    assert outage.candidates() == again.json()["rows"] > 0


@pytest.mark.postgres
def test_with_the_server_down_a_page_and_an_api_route_answer_503_then_recover(
    outage: Outage, caplog: pytest.LogCaptureFixture
) -> None:
    outage.relay.stop()
    with caplog.at_level(logging.WARNING):
        page = outage.client.get("/seasons")
        api = outage.client.get("/api/v1/seasons")
    outage.relay.start()
    page_back = outage.client.get("/seasons")
    api_back = outage.client.get("/api/v1/seasons")

    assert page.status_code == 503 and page.headers["Retry-After"].isdigit()
    assert page.headers["content-type"].startswith("text/html")
    assert "Temporarily unavailable" in page.text and "Traceback" not in page.text
    assert api.status_code == 503 and api.headers["Retry-After"].isdigit()
    assert api.json()["detail"].startswith("The database cannot be reached")
    assert len(_outage_logs(caplog)) == 2  # once per failed request
    assert page_back.status_code == 200 and api_back.status_code == 200


def test_other_database_errors_stay_errors_and_are_not_reported_as_an_outage() -> None:
    from sqlalchemy.exc import IntegrityError, OperationalError

    from altmatch.web.errors import is_outage

    lost = OperationalError("SELECT 1", {}, Exception("server closed the connection"))
    broken = IntegrityError("INSERT", {}, Exception("duplicate key"))
    invalidated = IntegrityError("INSERT", {}, Exception("reset"), connection_invalidated=True)

    assert is_outage(lost) and is_outage(invalidated) and not is_outage(broken)


@pytest.mark.postgres
def test_after_a_restart_while_idle_the_first_request_is_served(outage: Outage) -> None:
    assert outage.client.get("/api/v1/seasons").status_code == 200  # a pooled connection
    outage.relay.cut()  # PostgreSQL restarted while nobody was asking

    first = outage.client.get("/api/v1/seasons")

    assert first.status_code == 200, first.text
