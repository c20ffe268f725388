"""A season import run by a real `altmatch worker` from the job queue: the web side records the
job with its file in the database (all a worker on another machine shares), the worker imports
every row or none, keeps the report in the job and deletes the file.

Needs PostgreSQL and Redis on 127.0.0.1, as tests/integration/season/test_job_workers.py does.
"""

from __future__ import annotations

import csv
import io
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from tests.queue_world import queue_sessions, queue_settings, start_worker
from tests.season_world import (
    CONTRACT_START,
    build_world,
    future_deadline,
    requests_csv,
)

from altmatch.config import Settings
from altmatch.db import Sessions
from altmatch.db.models import Job, JobFile, SeasonCandidate, SeasonRequest
from altmatch.io.limits import ImportLimits
from altmatch.services.season.jobs import job_status, start_import_job
from altmatch.services.season.setup import open_season

pytestmark = pytest.mark.postgres

LEASE = 5.0
CANDIDATES = 3000
HEADER = [
    "candidate_id",
    "jlpt",
    "teaching_years",
    "driving_licence",
    "school_experience",
    "interview_score",
    "preferred_prefectures",
    "preferred_area",
    "preferred_school_levels",
    "accepts_anywhere",
]


@pytest.fixture
def settings(postgres_url: str, tmp_path: Path) -> Settings:
    return queue_settings(postgres_url, tmp_path, LEASE)


@pytest.fixture
def sessions(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Sessions]:
    yield from queue_sessions(settings, monkeypatch)


def _candidates(rows: int, prefix: str = "C", bad_row: int | None = None) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for i in range(rows):
        jlpt = "N9" if i == bad_row else ("N1", "N2", "N3", "N4", "N5")[i % 5]
        writer.writerow([f"{prefix}{i:05d}", jlpt, i % 6, "yes", "", 70, "Hyogo", "", "", "yes"])
    return out.getvalue().encode()


def _count(sessions: Sessions, model: type[object]) -> int:
    with sessions() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _until(check: Callable[[], bool], seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.05)


def _finished(sessions: Sessions, job_id: int) -> bool:
    with sessions() as session:
        job = session.get(Job, job_id)
        return job is not None and job.status in ("done", "failed")


def test_a_worker_runs_queued_import_jobs_all_or_nothing_and_deletes_their_files(
    settings: Settings, sessions: Sessions, tmp_path: Path
) -> None:
    world = build_world(sessions)
    season = open_season(
        sessions,
        world.coordinator,
        name="Imported season",
        year=2027,
        request_deadline=future_deadline(),
        contract_start=CONTRACT_START,
    ).id
    limits = ImportLimits.from_settings(settings)

    def start(target: str, content: bytes) -> int:
        job = start_import_job(
            sessions,
            world.coordinator,
            season,
            "candidates" if target == "candidates" else "requests",
            content=content,
            filename=f"{target}.csv",
            limits=limits,
        )
        assert job.status == "queued"  # the web side only records it and rings Redis
        return job.id

    requests = start("requests", requests_csv())
    good = start("candidates", _candidates(CANDIDATES))
    bad = start("candidates", _candidates(CANDIDATES, "B", bad_row=7))
    assert _count(sessions, JobFile) == 3 and _count(sessions, SeasonCandidate) == 0

    worker = start_worker(settings, tmp_path)
    try:
        _until(lambda: all(_finished(sessions, job) for job in (requests, good, bad)))
    finally:
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=30) == 0

    log = (tmp_path / "worker.log").read_text()
    done = job_status(sessions, world.coordinator, season, good)
    assert done.status == "done", (done.error, log)
    assert done.result is not None and done.result.committed and done.result.rows == CANDIDATES
    assert job_status(sessions, world.coordinator, season, requests).status == "done"
    failed = job_status(sessions, world.coordinator, season, bad)
    assert (
        failed.status == "failed" and failed.error == "The file has errors; nothing was imported."
    )
    assert failed.result is not None and not failed.result.committed
    assert [(e.row, e.column) for e in failed.result.errors] == [(9, "jlpt")]
    with sessions() as session:
        holders = {session.get(Job, job).worker for job in (requests, good, bad)}  # type: ignore[union-attr]
    assert len(holders) == 1 and str(worker.pid) in str(holders.pop())
    assert _count(sessions, SeasonCandidate) == CANDIDATES  # only the good file's rows
    assert _count(sessions, SeasonRequest) == 5
    assert _count(sessions, JobFile) == 0
