"""`altmatch serve`: migrate the database, then serve the web app and API in N processes."""

from __future__ import annotations

import typer
import uvicorn

from altmatch.config import Settings
from altmatch.db import make_engine, session_factory
from altmatch.services.setup import prepare_installation
from altmatch.services.support.sweep import SupportSweeper

APP_FACTORY = "altmatch.web.app:create_app"
WORKER_HEALTHCHECK_SECONDS = 30
SQLITE_ONE_WORKER = (
    "--workers {workers} needs PostgreSQL: SQLite lets one process write at a time, so several "
    "would wait on each other and time out. Set ALTMATCH_DATABASE_URL, or use --workers 1."
)


def serve_command(
    host: str | None = typer.Option(None, help="Address to listen on (default 127.0.0.1)."),
    port: int | None = typer.Option(None, help="Port to listen on (default 8000)."),
    workers: int | None = typer.Option(
        None,
        min=1,
        max=64,
        help="Web processes behind the one port (default 1; >1 needs PostgreSQL).",
    ),
) -> None:
    """Start the web app (pages and /api/v1) on the configured database."""
    overrides: dict[str, object] = {}
    if host:
        overrides["host"] = host
    if port:
        overrides["port"] = port
    if workers:
        overrides["workers"] = workers
    settings = Settings(**overrides)  # type: ignore[arg-type]
    if settings.workers > 1 and settings.is_sqlite:
        typer.echo(SQLITE_ONE_WORKER.format(workers=settings.workers), err=True)
        raise typer.Exit(2)
    prepare_installation(settings)
    typer.echo(
        f"altmatch on http://{settings.host}:{settings.port}/"
        f"  (database: {settings.safe_database_url}, {settings.workers} worker(s))"
    )
    # The sweep runs here, in the one parent process, never once per web worker.
    sweeper = None
    if settings.support_sweep_minutes > 0:
        engine = make_engine(settings)
        sweeper = SupportSweeper(session_factory(engine), settings, settings.support_sweep_minutes)
        sweeper.start()
    try:
        # Each worker process builds the app from the environment (create_app() as a factory);
        # the options given here are the only settings not read from there.
        uvicorn.run(
            APP_FACTORY,
            factory=True,
            host=settings.host,
            port=settings.port,
            workers=settings.workers,
            # uvicorn restarts a worker silent for 5 s by default; a long request (a big
            # export, a chances read) holding the GIL must not get the worker killed mid-answer.
            timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS,
            log_level="info",
        )
    finally:
        if sweeper is not None:
            sweeper.stop()
