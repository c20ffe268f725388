"""`altmatch serve --workers 3` on one PostgreSQL database, as deployed: a session, a stale
edit, the sign-in rate limit and a job start behave the same whichever process answers; and two
processes sweeping e-mail at once send each notice once.

Every request opens its own connection, so the kernel hands them to the three processes in
turn; nothing in the app says which process answered.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from tests.api.helpers import PASSWORD
from tests.integration.conftest import skip_without_postgres, throwaway_postgres
from tests.schema_template import SchemaTemplate
from tests.season_world import build_world, candidates_csv, future_deadline, requests_csv
from tests.smtp_sink import Sink, free_port, running_sink

from altmatch.config import Settings
from altmatch.db import Sessions, make_engine, session_factory
from altmatch.db.models import Job, MatchRun, Notification
from altmatch.domain.access import OPERATOR, Role
from altmatch.i18n import Message
from altmatch.services.accounts.users import create_user
from altmatch.services.setup import prepare_installation
from altmatch.services.support.email import send_pending_emails
from altmatch.services.support.notifications import notify

pytestmark = pytest.mark.postgres

WORKERS = 3
COORDINATOR = "coordinator@example.org"
KOBE = "kobe@example.org"
API = "/api/v1/seasons"


@dataclass(frozen=True)
class Served:
    base: str
    origin: dict[str, str]
    sessions: Sessions
    settings: Settings
    season: int


@pytest.fixture(scope="module")
def database(postgres_unavailable: str | None, schema_template: SchemaTemplate) -> Iterator[str]:
    """One throwaway PostgreSQL database for the module (the served processes share it)."""
    skip_without_postgres(postgres_unavailable)
    with throwaway_postgres(schema_template, migrated=False) as url:
        yield url


@pytest.fixture(scope="module")
def served(database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    data_dir = tmp_path_factory.mktemp("several") / "data"
    settings = Settings(data_dir=data_dir, database_url=database, support_sweep_minutes=0)
    prepare_installation(settings)
    engine = make_engine(settings)
    sessions = session_factory(engine)
    build_world(sessions)  # real password hashes: the served processes verify them
    port = free_port()
    env = {
        **os.environ,
        "ALTMATCH_DATA_DIR": str(data_dir),
        "ALTMATCH_DATABASE_URL": database,
        "ALTMATCH_SUPPORT_SWEEP_MINUTES": "0",
    }
    env.pop("ALTMATCH_REDIS_URL", None)
    log = (data_dir.parent / "serve.log").open("wb")
    command = ["-m", "altmatch", "serve", "--port", str(port), "--workers", str(WORKERS)]
    process = subprocess.Popen([sys.executable, *command], env=env, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(base, process, data_dir.parent / "serve.log")
        origin = {"Origin": base}
        season = _open_season(base, origin)
        yield Served(base, origin, sessions, settings, season)
    finally:
        process.terminate()
        process.wait(timeout=30)
        engine.dispose()


def _wait_until_serving(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(base + "/", timeout=2)
        except httpx.HTTPError:
            if time.monotonic() > deadline or process.poll() is not None:
                raise AssertionError(log.read_text()) from None
            time.sleep(0.2)
            continue
        started = log.read_text().count("Application startup complete")
        if started >= WORKERS:  # every process is up, not just the first
            return
        time.sleep(0.2)


def _sign_in(base: str, email: str) -> httpx.Cookies:
    response = httpx.post(
        base + "/api/v1/session",
        json={"email": email, "password": PASSWORD},
        headers={"Origin": base},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return response.cookies


def _open_season(base: str, origin: dict[str, str]) -> int:
    with httpx.Client(base_url=base, cookies=_sign_in(base, COORDINATOR), timeout=60) as client:
        body = {
            "name": "2027 season",
            "year": 2027,
            "request_deadline": future_deadline().isoformat(),
            "contract_start": "2027-07-25",
        }
        season: int = client.post(API, json=body, headers=origin).json()["id"]
        for kind, content in (("requests", requests_csv()), ("candidates", candidates_csv())):
            done = client.post(
                f"{API}/{season}/{kind}/import?commit=true",
                files={"file": (f"{kind}.csv", content)},
                headers=origin,
            )
            assert done.status_code == 200, done.text
    return season


def _at_once(count: int, call: Callable[[int], Any]) -> list[Any]:
    """`call(i)` from `count` threads released together, each on its own connection."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(i: int) -> None:
        barrier.wait()
        results[i] = call(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_one_sign_in_holds_across_many_requests_to_every_process(served: Served) -> None:
    cookies = _sign_in(served.base, KOBE)

    statuses = _at_once(
        30,
        lambda i: httpx.get(f"{served.base}{API}", cookies=cookies, timeout=60).status_code,
    )

    assert statuses == [200] * 30
    assert httpx.get(f"{served.base}{API}", timeout=30).status_code == 401  # no cookie, no data


def test_concurrent_edits_from_one_version_let_exactly_one_win(served: Served) -> None:
    cookies = _sign_in(served.base, KOBE)
    listed = httpx.get(f"{served.base}{API}/{served.season}/requests", cookies=cookies)
    request = listed.json()["requests"][0]
    url = f"{served.base}{API}/{served.season}/requests/{request['id']}"

    def edit(i: int) -> int:
        body = request | {"capacity": 3 + i}
        response = httpx.put(url, json=body, cookies=cookies, headers=served.origin, timeout=60)
        return response.status_code

    statuses = _at_once(6, edit)

    assert sorted(statuses) == [200] + [409] * 5, statuses
    after = httpx.get(f"{served.base}{API}/{served.season}/requests", cookies=cookies).json()
    assert after["requests"][0]["version"] == request["version"] + 1


def test_the_sign_in_limit_counts_failures_made_to_any_process(served: Served) -> None:
    email = f"limited-{secrets.token_hex(3)}@example.org"
    create_user(
        served.sessions,
        actor=OPERATOR,
        email=email,
        display_name="Limited",
        role=Role.CANDIDATE,
        password=PASSWORD,
    )
    wrong = {"email": email, "password": "not the password"}
    url = served.base + "/api/v1/session"
    limit = served.settings.login_max_failures_per_email

    failures = _at_once(limit, lambda i: httpx.post(url, json=wrong, timeout=60).status_code)
    right = httpx.post(url, json={"email": email, "password": PASSWORD}, timeout=60)

    assert failures == [401] * limit
    assert right.status_code == 429 and "retry-after" in right.headers


def test_two_match_jobs_started_at_once_each_run_exactly_once(served: Served) -> None:
    cookies = _sign_in(served.base, COORDINATOR)
    url = f"{served.base}{API}/{served.season}/jobs/match"

    def start(i: int) -> dict[str, Any]:
        response = httpx.post(
            url, json={"seed": 100 + i}, cookies=cookies, headers=served.origin, timeout=60
        )
        assert response.status_code == 202, response.text
        job: dict[str, Any] = response.json()
        return job

    started = _at_once(2, start)
    finished = [_wait(served, cookies, job["id"]) for job in started]

    assert [job["status"] for job in finished] == ["done", "done"], finished
    run_ids = {job["run_id"] for job in finished}
    assert len(run_ids) == 2
    with served.sessions() as session:
        seeds = session.execute(
            select(MatchRun.seed).where(MatchRun.id.in_(run_ids)).order_by(MatchRun.seed)
        ).all()
        jobs = session.scalars(select(Job).where(Job.id.in_([j["id"] for j in started]))).all()
        runs = session.scalar(select(func.count()).where(MatchRun.season_id == served.season))
    assert [seed for (seed,) in seeds] == [100, 101]  # each job ran once, with its own seed
    assert runs == 2
    assert all(job.worker and job.started_at and job.heartbeat_at for job in jobs)


def _wait(served: Served, cookies: httpx.Cookies, job_id: int) -> dict[str, Any]:
    deadline = time.monotonic() + 90
    url = f"{served.base}{API}/{served.season}/jobs/{job_id}"
    while time.monotonic() < deadline:
        job: dict[str, Any] = httpx.get(url, cookies=cookies, timeout=30).json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} never finished")


@pytest.fixture
def slow_sink() -> Iterator[tuple[Sink, int]]:
    """An SMTP sink that takes a moment per message, so racing sweeps overlap."""

    class Slow(Sink):
        async def handle_DATA(self, server: object, session: Any, envelope: Any) -> str:  # noqa: N802
            time.sleep(0.02)
            return await super().handle_DATA(server, session, envelope)

    with running_sink(Slow()) as running:
        yield running


def test_sweeps_racing_in_several_processes_send_each_notice_once(
    served: Served, slow_sink: tuple[Sink, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    sink, port = slow_sink
    readers = [
        create_user(
            served.sessions,
            actor=OPERATOR,
            email=f"reader{i}-{secrets.token_hex(3)}@example.org",
            display_name=f"Reader {i}",
            role=Role.ALT,
            password=None,
        ).id
        for i in range(20)
    ]
    with served.sessions.begin() as session:
        notify(session, readers, kind="case_update", message=Message("Hello {n}", {"n": 1}))
    settings = served.settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": port})
    # Each "process" its own engine and pool, as separate processes would have.
    engines = [make_engine(settings) for _ in range(4)]
    try:
        sent = _at_once(
            4, lambda i: send_pending_emails(session_factory(engines[i]), settings).sent
        )
    finally:
        for engine in engines:
            engine.dispose()

    recipients = [str(message["To"]) for message in sink.received]
    assert sum(sent) == len(readers) == len(recipients)
    assert len(set(recipients)) == len(readers)  # nobody got the notice twice
    with served.sessions() as session:
        pending = session.scalar(
            select(func.count()).where(
                Notification.user_id.in_(readers), Notification.emailed_at.is_(None)
            )
        )
    assert pending == 0
    assert max(sent) < len(readers)  # the sweeps really overlapped and shared the work


def test_serve_refuses_several_workers_on_sqlite(tmp_path: Path) -> None:
    env = {**os.environ, "ALTMATCH_DATA_DIR": str(tmp_path / "data")}
    env.pop("ALTMATCH_DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "altmatch", "serve", "--workers", "2", "--port", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "--workers 2 needs PostgreSQL" in done.stderr
    assert not (tmp_path / "data" / "altmatch.sqlite3").exists()  # refused before migrating
