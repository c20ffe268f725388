"""Season imports as background jobs: 202, then done (all rows) or failed (none), with a report."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.api.helpers import SAME_ORIGIN, sign_in, sign_in_as_other_programme
from tests.season_world import World, build_world, candidates_csv, future_deadline, requests_csv

from altmatch.clock import utc_now
from altmatch.config import Settings
from altmatch.db import Sessions
from altmatch.db.models import Job, JobFile, SeasonCandidate, SeasonRequest
from altmatch.services.kernel.job_runner import expire_stale_jobs
from altmatch.services.setup import prepare_installation
from altmatch.web.app import create_app

pytestmark = pytest.mark.date_sensitive

COORDINATOR = "coordinator@example.org"
API = "/api/v1/seasons"
EXAMPLE_CANDIDATES = 12
EXAMPLE_REQUESTS = 5
BAD_ROW = ["C99", "N9", "two", "yes", "", "80", "Hyogo", "", "", "no", "Bad Row", "", ""]


@pytest.fixture
def world(sessions: Sessions) -> World:
    return build_world(sessions)


def _open_season(client: TestClient) -> int:
    sign_in(client, COORDINATOR)
    body = {
        "name": "2027 season",
        "year": 2027,
        "request_deadline": future_deadline().isoformat(),
        "contract_start": "2027-07-25",
    }
    season_id: int = client.post(API, json=body, headers=SAME_ORIGIN).json()["id"]
    return season_id


def _start(client: TestClient, season: int, kind: str, content: bytes, name: str = "") -> Any:
    return client.post(
        f"{API}/{season}/{kind}/import/jobs",
        files={"file": (name or f"{kind}.csv", content)},
        headers=SAME_ORIGIN,
    )


def _count(sessions: Sessions, model: type[Any]) -> int:
    with sessions() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_a_good_candidates_file_is_imported_by_a_job_that_ends_done_with_its_report(
    client: TestClient, world: World, sessions: Sessions, inline_jobs: None
) -> None:
    season = _open_season(client)
    assert _start(client, season, "requests", requests_csv()).status_code == 202

    started = _start(client, season, "candidates", candidates_csv())

    assert started.status_code == 202, started.text
    job = started.json()
    assert job["kind"] == "import" and job["run_id"] is None
    status = client.get(f"{API}/{season}/jobs/{job['id']}").json()
    assert status["status"] == "done" and status["stage"] == "done", status
    assert status["percent"] == 100 and status["error"] is None
    report = status["result"]
    assert report["committed"] is True and report["rows"] == EXAMPLE_CANDIDATES
    assert report["errors"] == [] and len(report["sha256"]) == 64
    assert _count(sessions, SeasonCandidate) == EXAMPLE_CANDIDATES
    assert _count(sessions, SeasonRequest) == EXAMPLE_REQUESTS


def test_the_progress_page_of_an_import_job_shows_its_report_and_leads_back_to_the_season(
    client: TestClient, world: World, inline_jobs: None
) -> None:
    season = _open_season(client)
    job = _start(client, season, "requests", requests_csv()).json()

    page = client.get(f"/seasons/{season}/jobs/{job['id']}")
    poll = client.get(f"/seasons/{season}/jobs/{job['id']}", headers={"HX-Request": "true"})

    assert page.status_code == 200 and 'id="job-back">' in page.text
    assert f'href="/seasons/{season}" id="job-back"' in page.text
    assert "/runs/None" not in page.text
    assert f"Imported {EXAMPLE_REQUESTS} rows." in page.text
    # An import makes no run to go on to: the poll stays on the report, and stops polling.
    assert "HX-Redirect" not in poll.headers and "hx-trigger" not in poll.text
    assert 'id="import-committed"' in poll.text


def test_a_file_with_errors_fails_the_job_stores_nothing_and_names_each_row_and_column(
    client: TestClient, world: World, sessions: Sessions, inline_jobs: None
) -> None:
    season = _open_season(client)
    content = candidates_csv(extra_rows=[BAD_ROW])

    job = _start(client, season, "candidates", content).json()
    status = client.get(f"{API}/{season}/jobs/{job['id']}").json()

    assert status["status"] == "failed" and status["stage"] == "failed"
    assert status["error"] == "The file has errors; nothing was imported."
    report = status["result"]
    assert report["committed"] is False and report["rows"] == EXAMPLE_CANDIDATES + 1
    bad_row = EXAMPLE_CANDIDATES + 2  # the header is row 1
    assert {(e["row"], e["column"]) for e in report["errors"]} >= {
        (bad_row, "jlpt"),
        (bad_row, "teaching_years"),
    }
    assert all(e["file"] == "candidates.csv" and e["message"] for e in report["errors"])
    assert _count(sessions, SeasonCandidate) == 0


def test_the_report_matches_the_synchronous_preview(
    client: TestClient, world: World, inline_jobs: None
) -> None:
    season = _open_season(client)
    content = candidates_csv(extra_rows=[BAD_ROW])
    preview = client.post(
        f"{API}/{season}/candidates/import",
        files={"file": ("candidates.csv", content)},
        headers=SAME_ORIGIN,
    ).json()

    job = _start(client, season, "candidates", content).json()

    assert client.get(f"{API}/{season}/jobs/{job['id']}").json()["result"] == preview


def test_the_stored_file_is_deleted_once_the_job_has_run(
    client: TestClient, world: World, sessions: Sessions, inline_jobs: None
) -> None:
    season = _open_season(client)
    _start(client, season, "requests", requests_csv())
    _start(client, season, "candidates", candidates_csv(extra_rows=[BAD_ROW]))

    with sessions() as session:
        statuses = sorted(session.scalars(select(Job.status)).all())
    assert statuses == ["done", "failed"]
    assert _count(sessions, JobFile) == 0


def test_a_queued_import_keeps_its_file_in_the_database_until_it_runs(
    client: TestClient, world: World, sessions: Sessions, monkeypatch: Any
) -> None:
    """With a job queue the request only records the job: the bytes wait in job_files."""
    from altmatch.services.kernel import job_queue

    monkeypatch.setattr(job_queue, "hand_on", lambda sessions, job_id: None)
    season = _open_season(client)
    content = requests_csv()

    job = _start(client, season, "requests", content, "wishes.csv").json()

    assert job["status"] == "queued" and job["result"] is None
    with sessions() as session:
        stored = session.scalars(select(JobFile)).one()
        assert (stored.job_id, stored.filename, stored.content) == (
            job["id"],
            "wishes.csv",
            content,
        )


def test_another_programmes_coordinator_cannot_import_into_the_season(
    client: TestClient, world: World, sessions: Sessions, inline_jobs: None
) -> None:
    season = _open_season(client)
    sign_in_as_other_programme(client, sessions)

    assert _start(client, season, "candidates", candidates_csv()).status_code == 404
    assert _start(client, season, "requests", requests_csv()).status_code == 404
    assert _count(sessions, Job) == 0 and _count(sessions, JobFile) == 0


def test_a_boe_user_may_not_start_an_import_job(
    client: TestClient, world: World, sessions: Sessions, inline_jobs: None
) -> None:
    season = _open_season(client)
    client.post("/api/v1/session/sign-out", headers=SAME_ORIGIN)
    sign_in(client, "kobe@example.org")

    assert _start(client, season, "requests", requests_csv()).status_code == 403
    assert _count(sessions, Job) == 0 and _count(sessions, SeasonRequest) == 0


@pytest.fixture
def small_limit_client(tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(data_dir=tmp_path / "small", import_max_bytes=1024)
    prepare_installation(settings)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def test_a_file_over_the_size_limit_is_refused_as_the_synchronous_import_refuses_it(
    small_limit_client: TestClient, inline_jobs: None
) -> None:
    client = small_limit_client
    sessions: Sessions = client.app.state.sessions  # type: ignore[attr-defined]
    build_world(sessions)
    season = _open_season(client)
    content = candidates_csv(extra_rows=[BAD_ROW] * 20)
    assert len(content) > 1024

    refused = _start(client, season, "candidates", content)
    synchronous = client.post(
        f"{API}/{season}/candidates/import?commit=true",
        files={"file": ("candidates.csv", content)},
        headers=SAME_ORIGIN,
    )
    way_over = _start(client, season, "candidates", b"x" * (2 * 1024 * 1024))

    assert refused.status_code == synchronous.status_code == 422
    assert refused.json() == synchronous.json()
    assert refused.json()["errors"][0]["message"].startswith("the file is")
    assert way_over.status_code == 413  # past the request body limit: never read
    assert _count(sessions, Job) == 0 and _count(sessions, JobFile) == 0


def test_the_file_of_an_import_whose_worker_died_is_deleted_when_the_job_is_failed(
    client: TestClient, world: World, sessions: Sessions, monkeypatch: Any
) -> None:
    from altmatch.services.kernel import job_queue

    monkeypatch.setattr(job_queue, "hand_on", lambda sessions, job_id: None)
    season = _open_season(client)
    job = _start(client, season, "requests", requests_csv()).json()
    long_ago = utc_now() - timedelta(hours=1)
    with sessions.begin() as session:
        row = session.get(Job, job["id"])
        assert row is not None
        row.status, row.worker, row.started_at, row.heartbeat_at = "running", "gone", long_ago, None

    assert expire_stale_jobs(sessions, 60) == 1

    assert client.get(f"{API}/{season}/jobs/{job['id']}").json()["status"] == "failed"
    assert _count(sessions, JobFile) == 0 and _count(sessions, SeasonRequest) == 0
