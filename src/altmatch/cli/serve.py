"""`altmatch serve`: migrate the database, then serve the web app and API."""

from __future__ import annotations

import typer
import uvicorn

from altmatch.config import Settings
from altmatch.db import make_engine, session_factory
from altmatch.services.setup import prepare_installation
from altmatch.services.support_sweep import SupportSweeper
from altmatch.web.app import create_app


def serve_command(
    host: str | None = typer.Option(None, help="Address to listen on (default 127.0.0.1)."),
    port: int | None = typer.Option(None, help="Port to listen on (default 8000)."),
) -> None:
    """Start the web app (pages and /api/v1) on the configured database."""
    overrides: dict[str, object] = {}
    if host:
        overrides["host"] = host
    if port:
        overrides["port"] = port
    settings = Settings(**overrides)  # type: ignore[arg-type]
    prepare_installation(settings)
    typer.echo(
        f"altmatch on http://{settings.host}:{settings.port}/"
        f"  (database: {settings.safe_database_url})"
    )
    sweeper = None
    if settings.support_sweep_minutes > 0:
        engine = make_engine(settings)
        sweeper = SupportSweeper(session_factory(engine), settings, settings.support_sweep_minutes)
        sweeper.start()
    try:
        uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="info")
    finally:
        if sweeper is not None:
            sweeper.stop()
