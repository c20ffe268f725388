"""`altmatch serve`: migrate the database, then serve the web app and API in N processes."""

from __future__ import annotations

from typing import Any

import typer
import uvicorn
from sqlalchemy.exc import DBAPIError

from altmatch.cli.sweep import periodic_tasks
from altmatch.config import Settings
from altmatch.db import make_engine, session_factory
from altmatch.db.problems import StorageProblem, storage_problem
from altmatch.services.accounts.mail import MailSweeper
from altmatch.services.setup import prepare_installation
from altmatch.services.support.sweep import SupportSweeper

APP_FACTORY = "altmatch.web.app:create_app"
WORKER_HEALTHCHECK_SECONDS = 30
SQLITE_ONE_WORKER = (
    "--workers {workers} needs PostgreSQL: SQLite lets one process write at a time, so several "
    "would wait on each other and time out. Set ALTMATCH_DATABASE_URL, or use --workers 1."
)


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """How `altmatch serve` runs uvicorn (besides the app factory)."""
    return {
        "host": settings.host,
        "port": settings.port,
        "workers": settings.workers,
        # uvicorn restarts a worker silent for 5 s by default; a long request (a big export,
        # a chances read) holding the GIL must not get the worker killed mid-answer.
        "timeout_worker_healthcheck": WORKER_HEALTHCHECK_SECONDS,
        "log_level": "info",
        # No `server: uvicorn` header naming the software to attackers.
        "server_header": False,
        # The app reads X-Forwarded-For itself, from ALTMATCH_TRUSTED_PROXIES only
        # (web/hosts.py); uvicorn's own handling would believe any local client.
        "proxy_headers": False,
    }


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
    try:
        prepare_installation(settings)  # migrating is the first write: it finds storage problems
    except (OSError, DBAPIError) as exc:
        typer.echo(cannot_prepare(settings, exc), err=True)
        raise typer.Exit(1) from None
    typer.echo(
        f"altmatch on http://{settings.host}:{settings.port}/"
        f"  (database: {settings.safe_database_url}, {settings.workers} worker(s))"
    )
    if settings.smtp_host is None:
        typer.echo(
            f"account e-mails go to {settings.mail_folder} (no SMTP server is set): "
            "read them with `altmatch mail list` and `altmatch mail show`"
        )
    # The sweeps (support escalation and e-mail, account e-mail, and the privacy purge of kept
    # records whose retention has ended) run here, in the one parent process, never once per
    # web worker.
    sweeper = None
    if settings.support_sweep_minutes > 0:
        sessions = session_factory(make_engine(settings))
        sweeper = SupportSweeper(
            sessions,
            settings,
            settings.support_sweep_minutes,
            also=periodic_tasks(sessions, settings),
        )
        sweeper.start()
    mail_sweeper = None
    if settings.mail_sweep_seconds > 0:
        mail_sweeper = MailSweeper(session_factory(make_engine(settings)), settings)
        mail_sweeper.start()
    try:
        # Each worker process builds the app from the environment (create_app() as a factory);
        # the options given here are the only settings not read from there.
        uvicorn.run(APP_FACTORY, factory=True, **uvicorn_options(settings))
    finally:
        if sweeper is not None:
            sweeper.stop()
        if mail_sweeper is not None:
            mail_sweeper.stop()


def cannot_prepare(settings: Settings, exc: OSError | DBAPIError) -> str:
    """One line saying why the database could not be migrated (for an operator, not a
    traceback); a database error that is not about the storage is raised on as the bug it is."""
    where = settings.safe_database_url
    if isinstance(exc, OSError):
        return f"altmatch: cannot prepare the database {where}: {exc.strerror or exc}"
    problem = storage_problem(exc)
    reason = " ".join(str(exc.orig).split())[:200]
    if problem is StorageProblem.STORAGE:
        return (
            f"altmatch: cannot write to the database {where}: its disk is full, or the file or "
            f"its folder is read-only ({reason})"
        )
    if problem is StorageProblem.BUSY:
        return (
            f"altmatch: the database {where} is busy (another process holds its write lock); "
            f"try again ({reason})"
        )
    if problem is StorageProblem.UNREACHABLE:
        return f"altmatch: cannot reach the database {where} ({reason})"
    raise exc
