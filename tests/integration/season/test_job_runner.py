"""Job claims, heartbeats and leases on SQLite and PostgreSQL: one winner per job, stale jobs of
dead workers failed (a live sibling's job untouched), and a failed job rerun cleanly."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, update
from tests.season_world import (
    World,
    build_world,
    filled_season,
)

from altmatch.clock import utc_now
from altmatch.config import Settings
from altmatch.db import Sessions
from altmatch.db.models import Job, MatchRun, User
from altmatch.services import jobs
from altmatch.services.jobs import run_claimed, run_job, run_queued, serve_jobs
from altmatch.services.kernel import job_queue
from altmatch.services.kernel.job_runner import (
    INTERRUPTED,
    NO_LONGER_ALLOWED,
    beat,
    claim_job,
    claim_next,
    expire_stale_jobs,
)

pytestmark = pytest.mark.date_sensitive

LEASE = 60.0


@pytest.fixture
def world(sessions: Sessions) -> World:
    return build_world(sessions)


@pytest.fixture
def season_id(sessions: Sessions, world: World) -> int:
    return filled_season(sessions, world)


def _queue(
    sessions: Sessions, world: World, season_id: int, count: int = 1, **values: Any
) -> list[int]:
    fields: dict[str, Any] = {
        "kind": "match",
        "season_id": season_id,
        "status": "queued",
        "stage": "",
        "params": {"seed": 2026},
        "created_by": world.coordinator.user_id,
        "created_at": utc_now(),
        **values,
    }
    with sessions.begin() as session:
        jobs = [Job(**fields) for _ in range(count)]
        session.add_all(jobs)
        session.flush()
        return [job.id for job in jobs]


def _job(sessions: Sessions, job_id: int) -> Job:
    with sessions() as session:
        job = session.get(Job, job_id)
        assert job is not None
        return job


def _runs(sessions: Sessions, season_id: int) -> int:
    with sessions() as session:
        return int(session.scalar(select(func.count()).where(MatchRun.season_id == season_id)) or 0)


def _race(count: int, body: Any) -> list[Any]:
    """Run `body(i)` in `count` threads released at the same moment; their results."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(i: int) -> None:
        barrier.wait()
        results[i] = body(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_a_queued_job_is_claimed_by_exactly_one_of_racing_runners(
    sessions: Sessions, world: World, season_id: int
) -> None:
    (job_id,) = _queue(sessions, world, season_id)

    won = _race(6, lambda i: claim_job(sessions, job_id, f"runner-{i}"))

    assert sum(won) == 1
    job = _job(sessions, job_id)
    assert job.status == "running" and job.worker == f"runner-{won.index(True)}"
    assert job.started_at is not None and job.heartbeat_at is not None
    assert not claim_job(sessions, job_id, "late")


def test_racing_runners_taking_the_next_job_share_the_queue_without_overlap(
    sessions: Sessions, world: World, season_id: int
) -> None:
    queued = _queue(sessions, world, season_id, count=8)

    def take_all(i: int) -> list[int]:
        taken: list[int] = []
        while (job_id := claim_next(sessions, f"runner-{i}")) is not None:
            taken.append(job_id)
        return taken

    taken = _race(4, take_all)

    everything = [job_id for part in taken for job_id in part]
    assert sorted(everything) == sorted(queued)  # every job once, none twice
    with sessions() as session:
        owners = {job_id: worker for job_id, worker in session.execute(select(Job.id, Job.worker))}
    assert all(owners[job_id] == f"runner-{i}" for i, part in enumerate(taken) for job_id in part)


def test_a_heartbeat_keeps_the_job_alive_only_for_the_worker_holding_it(
    sessions: Sessions, world: World, season_id: int
) -> None:
    (job_id,) = _queue(sessions, world, season_id)
    assert claim_job(sessions, job_id, "me")
    old = utc_now() - timedelta(seconds=LEASE + 10)
    with sessions.begin() as session:
        session.execute(update(Job).where(Job.id == job_id).values(heartbeat_at=old))

    assert not beat(sessions, job_id, "someone else")
    assert beat(sessions, job_id, "me")

    assert expire_stale_jobs(sessions, LEASE) == 0
    assert _job(sessions, job_id).status == "running"


def test_the_lease_fails_only_jobs_whose_worker_went_silent(
    sessions: Sessions, world: World, season_id: int
) -> None:
    stale, live, queued = _queue(sessions, world, season_id, count=3)
    for job_id, worker in ((stale, "dead"), (live, "sibling")):
        assert claim_job(sessions, job_id, worker)
    silent = utc_now() - timedelta(seconds=LEASE + 1)
    with sessions.begin() as session:
        session.execute(update(Job).where(Job.id == stale).values(heartbeat_at=silent))

    assert expire_stale_jobs(sessions, LEASE) == 1

    dead = _job(sessions, stale)
    assert (dead.status, dead.stage, dead.error) == ("failed", "failed", INTERRUPTED)
    assert dead.finished_at is not None
    assert _job(sessions, live).status == "running" and _job(sessions, live).error is None
    assert _job(sessions, queued).status == "queued"
    # the dead worker, should it wake up, can no longer touch the job
    assert not beat(sessions, stale, "dead")


def test_a_running_job_heartbeats_while_it_works(
    sessions: Sessions, world: World, season_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    (job_id,) = _queue(sessions, world, season_id)
    assert claim_job(sessions, job_id, "me")
    first = _job(sessions, job_id).heartbeat_at
    assert first is not None
    beats: list[Any] = []

    def slow(*args: object, **kwargs: object) -> object:
        time.sleep(0.5)
        beats.append(_job(sessions, job_id).heartbeat_at)
        raise RuntimeError("stop here")

    monkeypatch.setattr("altmatch.services.season.runs.run_match", slow)
    run_claimed(sessions, job_id, "me", lease_seconds=0.3)  # beats every 0.1 s

    assert beats[0] is not None and beats[0] > first
    assert _job(sessions, job_id).status == "failed"


def test_a_job_failing_halfway_publishes_nothing_and_a_rerun_completes(
    sessions: Sessions, world: World, season_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from altmatch.services.season import placement

    real = placement.run_match

    def dies_after_matching(files: Any, seed: Any = None, *, progress: Any = None) -> Any:
        real(files, seed, progress=progress)  # the whole match, then the process "dies"
        raise RuntimeError("killed")

    monkeypatch.setattr("altmatch.services.season.runs.run_match", dies_after_matching)
    (first,) = _queue(sessions, world, season_id)
    assert run_job(sessions, first, lease_seconds=LEASE)
    assert _job(sessions, first).status == "failed"
    assert _runs(sessions, season_id) == 0  # nothing half made is stored

    monkeypatch.setattr("altmatch.services.season.runs.run_match", real)
    (again,) = _queue(sessions, world, season_id)
    assert run_job(sessions, again, lease_seconds=LEASE)

    done = _job(sessions, again)
    assert done.status == "done" and done.run_id is not None
    assert _runs(sessions, season_id) == 1
    with sessions() as session:
        run = session.get(MatchRun, done.run_id)
        assert run is not None and run.seed == 2026 and run.status == "draft"


def test_a_job_is_run_as_its_starter_and_refused_once_they_are_disabled(
    sessions: Sessions, world: World, season_id: int
) -> None:
    (job_id,) = _queue(sessions, world, season_id)
    with sessions.begin() as session:
        session.execute(
            update(User).where(User.id == world.coordinator.user_id).values(disabled=True)
        )

    assert run_job(sessions, job_id, lease_seconds=LEASE)

    job = _job(sessions, job_id)
    assert job.status == "failed" and job.error == NO_LONGER_ALLOWED
    assert _runs(sessions, season_id) == 0


def test_queued_jobs_a_stopped_process_left_are_run_once_each(
    sessions: Sessions, world: World, season_id: int
) -> None:
    queued = _queue(sessions, world, season_id, count=2)

    assert run_queued(sessions, lease_seconds=LEASE) == 2
    assert run_queued(sessions, lease_seconds=LEASE) == 0

    assert [_job(sessions, job_id).status for job_id in queued] == ["done", "done"]
    assert _runs(sessions, season_id) == 2


class _LateExecutor(Executor):
    """Holds what is submitted until `start`: a pool thread that begins late on a busy machine."""

    def __init__(self) -> None:
        self.held: list[tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any]]] = []

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        self.held.append((fn, args, kwargs))
        return Future()

    def start(self) -> None:
        for fn, args, kwargs in self.held:
            fn(*args, **kwargs)


def test_start_up_runs_only_the_jobs_left_before_it_even_when_its_thread_starts_late(
    sessions: Sessions,
    world: World,
    season_id: int,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    late = _LateExecutor()
    monkeypatch.setattr(job_queue, "EXECUTOR", late)
    jobs.configure(settings)
    (left,) = _queue(sessions, world, season_id)

    jobs.recover_jobs(sessions)
    (new,) = _queue(sessions, world, season_id)  # its own hand_on runs it, not start-up
    late.start()

    assert _job(sessions, left).status == "done"
    assert _job(sessions, new).status == "queued"


def test_a_worker_runs_jobs_from_the_database_when_redis_is_unreachable(
    sessions: Sessions, world: World, season_id: int, settings: Settings
) -> None:
    (job_id,) = _queue(sessions, world, season_id)
    dead_redis = settings.model_copy(update={"redis_url": "redis://127.0.0.1:1/0"})
    config = job_queue.QueueConfig(LEASE, dead_redis.redis_url, job_queue.queue_key(settings))
    assert not job_queue.notify(config, job_id)  # the web process only logs it
    stop = threading.Event()
    worker = threading.Thread(target=serve_jobs, args=(sessions, config, stop))
    worker.start()
    try:
        deadline = time.monotonic() + 60
        while _job(sessions, job_id).status != "done" and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        worker.join(timeout=30)

    assert _job(sessions, job_id).status == "done"
    assert not worker.is_alive()
