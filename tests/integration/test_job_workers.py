"""Real `altmatch worker` processes on one Redis queue: several share the jobs, each run once;
SIGTERM lets the job in hand finish; a worker killed halfway through a match stores nothing, its
job is failed once the lease runs out, and the same match run again on a new worker completes.

Needs PostgreSQL and Redis on 127.0.0.1; the Redis list is named after the test's own throwaway
database, so parallel tests never share it.
"""

from __future__ import annotations

import csv
import io
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from tests.integration.conftest import REQUIRE_POSTGRES
from tests.season_world import (
    CONTRACT_START,
    World,
    build_world,
    filled_season,
    future_deadline,
    requests_csv,
)

from altmatch.config import Settings
from altmatch.db import make_engine, session_factory
from altmatch.db.models import Job, MatchRun
from altmatch.services import job_queue
from altmatch.services.season_import import import_candidates, import_requests
from altmatch.services.season_jobs import INTERRUPTED, job_status, start_match_job
from altmatch.services.season_setup import open_season
from altmatch.services.setup import prepare_installation

pytestmark = pytest.mark.postgres

REDIS_URL = "redis://127.0.0.1:6379/0"
LEASE = 2.0
CANDIDATES = 4000  # a match of a few seconds, so the kill lands mid-way
MID_WAY = ("deriving preference lists", "matching", "checking stability", "explaining")
WORKER = "import typer; from altmatch.cli.worker import worker_command; typer.run(worker_command)"

Sessions = sessionmaker[Session]


@pytest.fixture
def settings(postgres_url: str, tmp_path: Path) -> Settings:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        if REQUIRE_POSTGRES:  # CI needs the real queue as much as the real database
            pytest.fail(f"Redis at {REDIS_URL} is unreachable: {exc} (ALTMATCH_REQUIRE_POSTGRES=1)")
        pytest.skip(f"Redis at {REDIS_URL} is unreachable: {exc}")
    return Settings(
        data_dir=tmp_path / "data",
        database_url=postgres_url,
        redis_url=REDIS_URL,
        job_lease_seconds=LEASE,
    )


@pytest.fixture
def sessions(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Sessions]:
    prepare_installation(settings)
    monkeypatch.setattr(job_queue, "_current", job_queue.current())  # restored afterwards
    job_queue.configure(settings)
    engine = make_engine(settings)
    yield session_factory(engine)
    redis.Redis.from_url(REDIS_URL).delete(job_queue.queue_key(settings))
    engine.dispose()


def _worker(settings: Settings, tmp_path: Path, name: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "ALTMATCH_DATA_DIR": str(settings.data_dir),
        "ALTMATCH_DATABASE_URL": settings.database_url,
        "ALTMATCH_REDIS_URL": REDIS_URL,
        "ALTMATCH_JOB_LEASE_SECONDS": str(LEASE),
    }
    log = (tmp_path / f"{name}.log").open("wb")
    return subprocess.Popen([sys.executable, "-c", WORKER], env=env, stdout=log, stderr=log)


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
    first = _worker(settings, tmp_path, "first")
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

    second = _worker(settings, tmp_path, "second")
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
    workers = [_worker(settings, tmp_path, f"w{i}") for i in range(3)]
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
    worker = _worker(settings, tmp_path, "graceful")
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
