"""Real `altmatch worker` processes on one Redis queue: several share the jobs, each run once;
SIGTERM lets the job in hand finish; a worker killed halfway through a match stores nothing, its
job is failed once the lease runs out, and the same match run again on a new worker completes.

Needs PostgreSQL and Redis on 127.0.0.1; the Redis list is named after the test's own throwaway
database, so parallel tests never share it.
"""

from __future__ import annotations

import csv
import io
import random
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from tests.queue_world import queue_sessions, queue_settings, start_worker
from tests.season_world import (
    CONTRACT_START,
    World,
    build_world,
    filled_season,
    future_deadline,
    requests_csv,
)

from altmatch.config import Settings
from altmatch.db import Sessions
from altmatch.db.models import Job, MatchRun
from altmatch.services.season.imports import import_candidates, import_requests
from altmatch.services.season.jobs import INTERRUPTED, job_status, start_match_job
from altmatch.services.season.setup import open_season

pytestmark = pytest.mark.postgres

LEASE = 2.0
CANDIDATES = 4000  # a match of a few seconds, so the kill lands mid-way
MID_WAY = ("deriving preference lists", "matching", "checking stability", "explaining")


@pytest.fixture
def settings(postgres_url: str, tmp_path: Path) -> Settings:
    return queue_settings(postgres_url, tmp_path, LEASE)


@pytest.fixture
def sessions(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Sessions]:
    yield from queue_sessions(settings, monkeypatch)


def _big_season(sessions: Sessions, world: World) -> int:
    season = open_season(
        sessions,
        world.coordinator,
        name="Big season",
        year=2027,
        request_deadline=future_deadline(),
        contract_start=CONTRACT_START,
    )
    rows = list(csv.reader(requests_csv().decode().splitlines()))
    requests = io.StringIO()
    writer = csv.writer(requests, lineterminator="\n")
    writer.writerow(rows[0])
    for row in rows[1:]:
        writer.writerow([row[0], str(CANDIDATES // 5), *row[2:]])
    rng = random.Random(8)
    candidates = io.StringIO()
    writer = csv.writer(candidates, lineterminator="\n")
    writer.writerow(
        [
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
    )
    for i in range(CANDIDATES):
        jlpt = rng.choice(["N1", "N2", "N3", "N4", "N5"])
        licence = rng.choice(["yes", "no"])
        writer.writerow(
            [f"C{i:05d}", jlpt, rng.randint(0, 5), licence, "", 70, "Hyogo", "", "", "yes"]
        )
    for importer, text in ((import_requests, requests), (import_candidates, candidates)):
        importer(
            sessions,
            world.coordinator,
            season.id,
            content=text.getvalue().encode(),
            filename="f.csv",
            commit=True,
        )
    return season.id


def _job(sessions: Sessions, job_id: int) -> Job:
    with sessions() as session:
        job = session.get(Job, job_id)
        assert job is not None
        return job


def _runs(sessions: Sessions, season_id: int) -> int:
    with sessions() as session:
        count = session.scalar(select(func.count()).where(MatchRun.season_id == season_id))
        return int(count or 0)


def _until(check: object, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while not check():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.01)


def test_a_worker_killed_mid_match_leaves_nothing_and_the_match_reruns_on_a_new_worker(
    settings: Settings, sessions: Sessions, tmp_path: Path
) -> None:
    world = build_world(sessions)
    season_id = _big_season(sessions, world)
    first = start_worker(settings, tmp_path, "first")
    try:
        job = start_match_job(sessions, world.coordinator, season_id, seed=11)
        assert job.status == "queued"  # the web side only records it and rings Redis
        _until(lambda: _job(sessions, job.id).stage in MID_WAY)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()

    killed = _job(sessions, job.id)
    assert killed.status == "running" and killed.stage in MID_WAY
    assert killed.worker is not None and killed.worker.split(":")[1] == str(first.pid)
    assert _runs(sessions, season_id) == 0  # nothing half made was stored

    time.sleep(LEASE + 0.5)
    status = job_status(sessions, world.coordinator, season_id, job.id)
    assert status.status == "failed" and status.error == INTERRUPTED
    assert _runs(sessions, season_id) == 0

    second = start_worker(settings, tmp_path, "second")
    try:
        again = start_match_job(sessions, world.coordinator, season_id, seed=11)
        _until(lambda: _job(sessions, again.id).status in ("done", "failed"))
    finally:
        second.send_signal(signal.SIGTERM)
        assert second.wait(timeout=30) == 0  # stops cleanly on SIGTERM
    done = _job(sessions, again.id)
    assert done.status == "done", (done.error, (tmp_path / "second.log").read_text())
    assert _runs(sessions, season_id) == 1
    assert _job(sessions, job.id).status == "failed"  # the killed job stays failed


def test_several_workers_share_the_queue_and_run_each_job_once(
    settings: Settings, sessions: Sessions, tmp_path: Path
) -> None:
    world = build_world(sessions)
    season_id = _small_season(sessions, world)
    workers = [start_worker(settings, tmp_path, f"w{i}") for i in range(3)]
    try:
        jobs = [
            start_match_job(sessions, world.coordinator, season_id, seed=seed).id
            for seed in range(6)
        ]
        _until(lambda: all(_job(sessions, job).status in ("done", "failed") for job in jobs))
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        codes = [worker.wait(timeout=30) for worker in workers]

    assert codes == [0, 0, 0]
    assert [_job(sessions, job).status for job in jobs] == ["done"] * 6
    with sessions() as session:
        seeds = session.scalars(select(MatchRun.seed).where(MatchRun.season_id == season_id))
        assert sorted(seeds) == list(range(6))  # six runs, one per job: none ran twice


def test_sigterm_lets_the_worker_finish_the_job_in_hand_then_stop(
    settings: Settings, sessions: Sessions, tmp_path: Path
) -> None:
    world = build_world(sessions)
    season_id = _big_season(sessions, world)
    worker = start_worker(settings, tmp_path, "graceful")
    try:
        job = start_match_job(sessions, world.coordinator, season_id, seed=3)
        _until(lambda: _job(sessions, job.id).stage in MID_WAY)
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=90) == 0
    finally:
        if worker.poll() is None:
            worker.kill()

    done = _job(sessions, job.id)
    assert done.status == "done" and done.run_id is not None
    assert _runs(sessions, season_id) == 1


def _small_season(sessions: Sessions, world: World) -> int:
    return filled_season(sessions, world, "Small season")
