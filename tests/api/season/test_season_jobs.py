"""Match and chances runs as background jobs: lifecycle, failures, isolation, restarts, page."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.api.helpers import SAME_ORIGIN, sign_in, sign_in_as_other_programme
from tests.season_world import (
    World,
    build_world,
    candidates_csv,
    filled_season,
    future_deadline,
    requests_csv,
)

from altmatch.clock import utc_now
from altmatch.config import Settings
from altmatch.db import Sessions
from altmatch.db.models import Job, User
from altmatch.services.jobs import run_queued
from altmatch.services.kernel import job_queue
from altmatch.services.season.jobs import INTERRUPTED
from altmatch.services.season.runs import MATCH_STAGES, run_season_match
from altmatch.services.setup import prepare_installation
from altmatch.web.app import create_app

pytestmark = pytest.mark.date_sensitive

COORDINATOR = "coordinator@example.org"
API = "/api/v1/seasons"


@pytest.fixture
def world(sessions: Sessions) -> World:
    return build_world(sessions)


def _open_season(client: TestClient, *, with_candidates: bool = True) -> int:
    sign_in(client, COORDINATOR)
    body = {
        "name": "2027 season",
        "year": 2027,
        "request_deadline": future_deadline().isoformat(),
        "contract_start": "2027-07-25",
    }
    season_id: int = client.post(API, json=body, headers=SAME_ORIGIN).json()["id"]
    files = [("requests", requests_csv())]
    if with_candidates:
        files.append(("candidates", candidates_csv()))
    for kind, content in files:
        done = client.post(
            f"{API}/{season_id}/{kind}/import?commit=true",
            files={"file": (f"{kind}.csv", content)},
            headers=SAME_ORIGIN,
        )
        assert done.status_code == 200, done.text
    return season_id


def _start_match(client: TestClient, season: int, seed: int = 2026) -> dict[str, Any]:
    started = client.post(f"{API}/{season}/jobs/match", json={"seed": seed}, headers=SAME_ORIGIN)
    assert started.status_code == 202, started.text
    job: dict[str, Any] = started.json()
    return job


def _wait(client: TestClient, season: int, job_id: int) -> dict[str, Any]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.get(f"{API}/{season}/jobs/{job_id}").json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} never finished")


def test_a_match_job_runs_in_the_background_and_ends_done_with_its_run(
    client: TestClient, world: World
) -> None:
    season = _open_season(client)
    job = _start_match(client, season)
    assert job["status"] in ("queued", "running", "done") and job["kind"] == "match"

    finished = _wait(client, season, job["id"])

    assert finished["status"] == "done", finished
    assert finished["done_steps"] == finished["total_steps"] == len(MATCH_STAGES)
    assert finished["percent"] == 100 and finished["finished_at"] is not None
    run = client.get(f"{API}/{season}/runs/{finished['run_id']}").json()
    assert run["run"]["seed"] == 2026 and run["run"]["status"] == "draft"


def test_an_inline_match_job_is_done_when_the_request_returns(
    client: TestClient, world: World, inline_jobs: None
) -> None:
    season = _open_season(client)
    job = _start_match(client, season)
    status = client.get(f"{API}/{season}/jobs/{job['id']}").json()
    assert status["status"] == "done" and status["stage"] == "done"
    assert status["run_id"] is not None and status["error"] is None


def test_a_chances_job_adds_chances_to_the_same_draft_run(
    client: TestClient, world: World, inline_jobs: None
) -> None:
    season = _open_season(client)
    run_id = client.get(f"{API}/{season}/jobs/{_start_match(client, season)['id']}").json()[
        "run_id"
    ]
    started = client.post(f"{API}/{season}/runs/{run_id}/jobs/chances", headers=SAME_ORIGIN)
    assert started.status_code == 202, started.text

    status = client.get(f"{API}/{season}/jobs/{started.json()['id']}").json()

    assert status["kind"] == "chances" and status["status"] == "done"
    assert status["run_id"] == run_id
    assert client.get(f"{API}/{season}/runs/{run_id}").json()["chances"] is not None


def test_the_run_reports_each_stage_to_its_progress_callback(
    sessions: Sessions, world: World
) -> None:
    season_id = filled_season(sessions, world, "s")
    stages: list[str] = []

    run_season_match(sessions, world.coordinator, season_id, seed=1, progress=stages.append)

    assert stages == list(MATCH_STAGES)


def test_a_failed_job_records_why_in_the_readers_language(
    client: TestClient, world: World, inline_jobs: None
) -> None:
    season = _open_season(client, with_candidates=False)
    job = _start_match(client, season)

    status = client.get(f"{API}/{season}/jobs/{job['id']}").json()
    in_japanese = client.get(f"{API}/{season}/jobs/{job['id']}?lang=ja").json()

    assert status["status"] == "failed" and status["run_id"] is None
    assert status["error"] == "Import candidates and requests before running a match."
    assert in_japanese["error"] != status["error"] and in_japanese["error"]


def test_an_unexpected_error_fails_the_job_instead_of_leaving_it_running(
    client: TestClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> object:
        raise RuntimeError("disk on fire")

    season = _open_season(client)
    monkeypatch.setattr("altmatch.services.season.runs.run_match", broken)
    finished = _wait(client, season, _start_match(client, season)["id"])

    assert finished["status"] == "failed"
    assert "RuntimeError: disk on fire" in finished["error"]


def test_another_programmes_coordinator_gets_404_for_the_job(
    client: TestClient, world: World, sessions: Sessions, inline_jobs: None
) -> None:
    season = _open_season(client)
    job = _start_match(client, season)
    sign_in_as_other_programme(client, sessions)

    assert client.get(f"{API}/{season}/jobs/{job['id']}").status_code == 404
    assert client.get(f"/seasons/{season}/jobs/{job['id']}").status_code == 404
    started = client.post(f"{API}/{season}/jobs/match", json={}, headers=SAME_ORIGIN)
    assert started.status_code == 404


def test_a_job_of_another_season_is_not_found_under_this_one(
    client: TestClient, world: World, inline_jobs: None
) -> None:
    first, second = _open_season(client), _open_season(client)
    job = _start_match(client, first)
    assert client.get(f"{API}/{second}/jobs/{job['id']}").status_code == 404


def test_on_start_dead_workers_jobs_fail_and_a_live_siblings_job_is_left_alone(
    client: TestClient, world: World, sessions: Sessions, settings: Settings
) -> None:
    season = _open_season(client)
    long_ago = utc_now() - timedelta(seconds=settings.job_lease_seconds + 5)
    with sessions.begin() as session:
        for status, heartbeat in (("running", long_ago), ("running", utc_now()), ("done", None)):
            session.add(
                Job(
                    kind="match",
                    season_id=season,
                    status=status,
                    stage="matching",
                    created_at=long_ago,
                    heartbeat_at=heartbeat,
                )
            )

    with TestClient(create_app(settings)):
        pass

    with sessions() as session:
        jobs = list(session.scalars(select(Job).order_by(Job.id)))
    statuses = [(job.status, job.error) for job in jobs]
    assert statuses == [("failed", INTERRUPTED), ("running", None), ("done", None)]
    assert jobs[0].finished_at is not None and jobs[1].finished_at is None


def test_a_job_left_queued_by_a_stopped_server_runs_when_the_next_one_starts(
    client: TestClient, world: World, sessions: Sessions, settings: Settings
) -> None:
    season = _open_season(client)
    with sessions() as session:
        coordinator = session.scalars(select(User).where(User.email == COORDINATOR)).one()
    with sessions.begin() as session:
        job = Job(
            kind="match",
            season_id=season,
            status="queued",
            stage="",
            params={"seed": 7},
            created_by=coordinator.id,
            created_at=utc_now(),
        )
        session.add(job)

    with TestClient(create_app(settings)):
        finished = _wait(client, season, job.id)

    assert finished["status"] == "done", finished
    assert client.get(f"{API}/{season}/runs/{finished['run_id']}").json()["run"]["seed"] == 7


def test_reading_a_job_whose_worker_went_silent_fails_it_so_it_can_be_rerun(
    client: TestClient, world: World, sessions: Sessions, settings: Settings
) -> None:
    season = _open_season(client)
    silent = utc_now() - timedelta(seconds=settings.job_lease_seconds + 1)
    with sessions.begin() as session:
        job = Job(
            kind="match",
            season_id=season,
            status="running",
            stage="matching",
            worker="gone:1:1",
            created_at=silent,
            heartbeat_at=silent,
        )
        session.add(job)

    status = client.get(f"{API}/{season}/jobs/{job.id}").json()

    assert status["status"] == "failed" and status["stage"] == "failed"
    assert status["error"] == INTERRUPTED
    assert _wait(client, season, _start_match(client, season)["id"])["status"] == "done"


def test_the_progress_page_polls_every_second_and_finally_redirects_to_the_run(
    client: TestClient, world: World, sessions: Sessions, inline_jobs: None
) -> None:
    season = _open_season(client)
    run_id = client.get(f"{API}/{season}/jobs/{_start_match(client, season)['id']}").json()[
        "run_id"
    ]
    with sessions.begin() as session:
        job = Job(kind="match", season_id=season, status="running", stage="matching")
        job.done_steps, job.total_steps, job.created_at = 2, len(MATCH_STAGES), utc_now()
        session.add(job)
    url = f"/seasons/{season}/jobs/{job.id}"

    page = client.get(url)
    assert page.status_code == 200 and "<html" in page.text
    assert f'hx-get="{url}"' in page.text and 'hx-trigger="every 1s"' in page.text
    assert 'id="job-stage">Matching<' in page.text and 'value="2"' in page.text
    assert 'id="check-again"' in page.text  # without JavaScript: a plain link
    fragment = client.get(url, headers={"HX-Request": "true"})
    assert "<html" not in fragment.text and 'id="job-progress"' in fragment.text
    assert "HX-Redirect" not in fragment.headers

    with sessions.begin() as session:
        row = session.get(Job, job.id)
        assert row is not None
        row.status, row.stage, row.run_id = "done", "done", run_id
    done = client.get(url, headers={"HX-Request": "true"})
    assert done.headers["HX-Redirect"] == f"/seasons/{season}/runs/{run_id}"
    plain = client.get(url)
    assert f'href="/seasons/{season}/runs/{run_id}" id="open-run"' in plain.text
    assert 'hx-trigger="load"' in plain.text  # with htmx, a page opened late moves on at once


def test_the_run_button_redirects_to_the_progress_page_which_shows_a_failure(
    client: TestClient, world: World, inline_jobs: None
) -> None:
    season = _open_season(client, with_candidates=False)
    started = client.post(
        f"/seasons/{season}/runs?lang=ja",
        data={"seed": "1"},
        headers=SAME_ORIGIN,
        follow_redirects=False,
    )
    assert started.status_code == 303
    assert started.headers["location"].startswith(f"/seasons/{season}/jobs/")

    page = client.get(started.headers["location"])
    assert 'id="job-error"' in page.text and 'data-status="failed"' in page.text
    assert "Import candidates and requests before running a match." in page.text
    assert "hx-trigger" not in page.text


def test_with_redis_down_a_started_job_stays_queued_until_a_worker_finds_it(
    world: World,
    sessions: Sessions,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(job_queue, "_current", job_queue.current())  # restored afterwards
    down = settings.model_copy(update={"redis_url": "redis://127.0.0.1:1/0"})
    prepare_installation(down)
    with TestClient(create_app(down)) as client:
        season = _open_season(client)
        job = _start_match(client, season)
        time.sleep(0.5)
        waiting = client.get(f"{API}/{season}/jobs/{job['id']}").json()

        assert job["status"] == waiting["status"] == "queued"  # recorded, not lost, not run here
        assert waiting["stage_label"] == "Waiting to start"

        assert run_queued(sessions, lease_seconds=60) == 1  # what `altmatch worker` does
        assert client.get(f"{API}/{season}/jobs/{job['id']}").json()["status"] == "done"
