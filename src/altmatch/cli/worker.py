"""`altmatch worker`: run the jobs the web processes queue on Redis, until stopped."""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType

import typer

from altmatch.config import Settings
from altmatch.db import make_engine, session_factory
from altmatch.services.jobs import configure, serve_jobs


def worker_command() -> None:
    """Run queued jobs: matches, chances and imports (needs ALTMATCH_REDIS_URL); start as many
    as you like.

    SIGTERM or Ctrl-C stops it after the job in hand; a worker killed outright leaves its job
    to be failed when its lease (ALTMATCH_JOB_LEASE_SECONDS) runs out.
    """
    settings = Settings()
    if settings.redis_url is None:
        typer.echo(
            "altmatch worker needs a job queue: set ALTMATCH_REDIS_URL "
            "(e.g. redis://127.0.0.1:6379/0). Without it, jobs run inside `altmatch serve`.",
            err=True,
        )
        raise typer.Exit(2)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    config = configure(settings)
    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    engine = make_engine(settings)
    typer.echo(f"altmatch worker on {settings.safe_database_url}, queue {config.key}")
    try:
        done = serve_jobs(session_factory(engine), config, stop)
    finally:
        engine.dispose()
    typer.echo(f"altmatch worker stopped after {done} job(s)")
