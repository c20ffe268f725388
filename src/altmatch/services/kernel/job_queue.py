"""Where a started job goes: this process's executor by default, or a Redis list that
`altmatch worker` processes wait on when `redis_url` is set.

The database stays the source of truth: a job is a `jobs` row with everything needed to run it,
and Redis only wakes a worker. A lost or unsent Redis message strands nothing, because a worker
also claims queued jobs it finds in the database every `POLL_SECONDS`.

Each process configures its queue once (`configure`, from `create_app` or `altmatch worker`);
the Redis key is derived from the database, so installations sharing one Redis server never
take each other's jobs.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

import redis

from altmatch.config import Settings

log = logging.getLogger(__name__)

POLL_SECONDS = 2.0  # how long a worker waits on Redis before looking in the database anyway
REDIS_TIMEOUT = 3.0  # seconds to connect or answer, so a down Redis never hangs a request


@dataclass(frozen=True)
class QueueConfig:
    """How this process hands jobs on: the lease, and the Redis list if there is one."""

    lease_seconds: float = 60.0
    redis_url: str | None = None
    key: str = ""

    @property
    def external(self) -> bool:
        """Jobs run in `altmatch worker` processes rather than in this one."""
        return self.redis_url is not None


_current = QueueConfig()


def configure(settings: Settings) -> QueueConfig:
    """Set this process's queue from `settings`; returns it."""
    global _current
    _current = QueueConfig(settings.job_lease_seconds, settings.redis_url, queue_key(settings))
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
