"""A real job queue for tests: settings on PostgreSQL and Redis (127.0.0.1), sessions whose
process hands jobs to that queue, and real `altmatch worker` processes."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from tests.integration.conftest import REQUIRE_POSTGRES

from altmatch.config import Settings
from altmatch.db import Sessions, make_engine, session_factory
from altmatch.services.kernel import job_queue
from altmatch.services.setup import prepare_installation

REDIS_URL = "redis://127.0.0.1:6379/0"
WORKER = "import typer; from altmatch.cli.worker import worker_command; typer.run(worker_command)"


def queue_settings(postgres_url: str, tmp_path: Path, lease_seconds: float) -> Settings:
    """Settings for a throwaway PostgreSQL database with the Redis queue; skips without Redis,
    but fails under ALTMATCH_REQUIRE_POSTGRES=1 (CI needs the queue as much as the database)."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        if REQUIRE_POSTGRES:
            pytest.fail(f"Redis at {REDIS_URL} is unreachable: {exc} (ALTMATCH_REQUIRE_POSTGRES=1)")
        pytest.skip(f"Redis at {REDIS_URL} is unreachable: {exc}")
    return Settings(
        data_dir=tmp_path / "data",
        database_url=postgres_url,
        redis_url=REDIS_URL,
        job_lease_seconds=lease_seconds,
    )


def queue_sessions(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Sessions]:
    """Migrated sessions whose jobs go to the Redis queue; the queue is emptied afterwards."""
    prepare_installation(settings)
    monkeypatch.setattr(job_queue, "_current", job_queue.current())  # restored afterwards
    job_queue.configure(settings)
    engine = make_engine(settings)
    yield session_factory(engine)
    redis.Redis.from_url(REDIS_URL).delete(job_queue.queue_key(settings))
    engine.dispose()


def start_worker(
    settings: Settings, tmp_path: Path, name: str = "worker"
) -> subprocess.Popen[bytes]:
    """A real `altmatch worker` on the same database and queue, logging to tmp_path/NAME.log."""
    env = {
        **os.environ,
        "ALTMATCH_DATA_DIR": str(settings.data_dir),
        "ALTMATCH_DATABASE_URL": settings.database_url,
        "ALTMATCH_REDIS_URL": REDIS_URL,
        "ALTMATCH_JOB_LEASE_SECONDS": str(settings.job_lease_seconds),
    }
    log = (tmp_path / f"{name}.log").open("wb")
    return subprocess.Popen([sys.executable, "-c", WORKER], env=env, stdout=log, stderr=log)
