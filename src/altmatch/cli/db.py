"""`altmatch db`: bring the database schema up to date."""

from __future__ import annotations

import typer

from altmatch.config import Settings
from altmatch.services.setup import prepare_installation

db_app = typer.Typer(help="Database schema management.", no_args_is_help=True)


@db_app.command("upgrade")
def upgrade_command() -> None:
    """Apply every pending migration to the configured database."""
    settings = Settings()
    revision = prepare_installation(settings)
    typer.echo(f"database at revision {revision} ({settings.safe_database_url})")
