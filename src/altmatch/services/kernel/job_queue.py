"""Where a started job goes (`hand_on`): this process's executor by default, or a Redis list
that `altmatch worker` processes wait on when `redis_url` is set.

The database stays the source of truth: a job is a `jobs` row with everything needed to run it,
and Redis only wakes a worker. A lost or unsent Redis message strands nothing, because a worker
also claims queued jobs it finds in the database every `POLL_SECONDS`.

Each process configures its queue once (services.jobs.configure, from `create_app` or
`altmatch worker`), with the runner that knows every kind of job; the Redis key is derived from
the database, so installations sharing one Redis server never take each other's jobs.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, ParamSpec, Protocol, TypeVar

import redis

from altmatch.config import Settings
from altmatch.db import Sessions

log = logging.getLogger(__name__)

POLL_SECONDS = 2.0  # how long a worker waits on Redis before looking in the database anyway
REDIS_TIMEOUT = 3.0  # seconds to connect or answer, so a down Redis never hangs a request
P = ParamSpec("P")
T = TypeVar("T")


class LocalRunner(Protocol):
    """What runs jobs inside this process (services.jobs.RUNNER)."""

    def run_job(self, sessions: Sessions, job_id: int, *, lease_seconds: float) -> bool: ...


class InlineExecutor(Executor):
    """Runs each job at once in the caller's thread: for tests and scripts that want the
    result before the request returns."""

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        future: Future[T] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:
            future.set_exception(exc)
        return future


# One worker: a season run uses a whole core for seconds, and jobs queue rather than compete.
# Tests swap in InlineExecutor (monkeypatch `job_queue.EXECUTOR`, the `inline_jobs` fixture).
EXECUTOR: Executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="altmatch-job")


@dataclass(frozen=True)
class QueueConfig:
    """How this process hands jobs on: the lease, the Redis list if there is one, and else
    the runner that runs them here."""

    lease_seconds: float = 60.0
    redis_url: str | None = None
    key: str = ""
    runner: LocalRunner | None = None

    @property
    def external(self) -> bool:
        """Jobs run in `altmatch worker` processes rather than in this one."""
        return self.redis_url is not None


_current = QueueConfig()


def configure(settings: Settings, runner: LocalRunner | None = None) -> QueueConfig:
    """Set this process's queue from `settings`, with the runner of jobs run here; returns it."""
    global _current
    _current = QueueConfig(
        settings.job_lease_seconds, settings.redis_url, queue_key(settings), runner
    )
    return _current


def current() -> QueueConfig:
    return _current


def queue_key(settings: Settings) -> str:
    """The Redis list of one installation: named after its database, never its password."""
    url = settings.safe_database_url
    return f"altmatch:jobs:{hashlib.sha256(url.encode()).hexdigest()[:16]}"


def connect(url: str) -> redis.Redis:
    """A Redis client with short timeouts; connecting is lazy."""
    return redis.Redis.from_url(
        url, socket_connect_timeout=REDIS_TIMEOUT, socket_timeout=REDIS_TIMEOUT + POLL_SECONDS
    )


def notify(config: QueueConfig, job_id: int) -> bool:
    """Wake a worker for `job_id`; False (logged) if Redis cannot be reached. The job is then
    still queued in the database, and a worker's next look there runs it."""
    if config.redis_url is None:
        return False
    client = connect(config.redis_url)
    try:
        client.lpush(config.key, str(job_id))
        return True
    except redis.RedisError as exc:
        log.warning("job %d stays queued: Redis unreachable (%s)", job_id, exc)
        return False
    finally:
        client.close()


def wait_for_job(client: redis.Redis, key: str, timeout: float = POLL_SECONDS) -> int | None:
    """The next job id pushed onto `key`, or None after `timeout` seconds (or a bad entry)."""
    popped = client.brpop([key], timeout=timeout)
    if popped is None:
        return None
    raw = popped[1]
    try:
        return int(raw.decode() if isinstance(raw, bytes) else raw)
    except ValueError:
        log.warning("ignoring a malformed job id on %s: %r", key, raw)
        return None


def hand_on(sessions: Sessions, job_id: int) -> None:
    """Start the recorded (queued) job: ring a worker through Redis (if Redis is down the job
    waits in the database for a worker's next look), or run it on this process's executor."""
    config = current()
    if config.external:
        notify(config, job_id)
    elif config.runner is None:
        log.warning("job %d stays queued: this process was given no job runner", job_id)
    else:
        future = EXECUTOR.submit(
            config.runner.run_job, sessions, job_id, lease_seconds=config.lease_seconds
        )
        future.add_done_callback(log_failure)


def run_left_jobs(sessions: Sessions, job_ids: list[int]) -> None:
    """Run here, in the background, the queued jobs a stopped process left (with a job queue,
    `altmatch worker` picks those up instead). Only those named: a job queued after start has
    its own `hand_on`, and a late-starting thread claiming it too would race that."""
    config = current()
    if config.external or config.runner is None:
        return
    for job_id in job_ids:
        future = EXECUTOR.submit(
            config.runner.run_job, sessions, job_id, lease_seconds=config.lease_seconds
        )
        future.add_done_callback(log_failure)


def log_failure(future: Future[Any]) -> None:
    """A job that could not even be claimed (the database is down) stays queued; say why."""
    if (problem := future.exception()) is not None:
        log.error("a queued job could not be started: %r", problem)
