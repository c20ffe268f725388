"""`altmatch export FILE` and `altmatch import FILE`: the whole installation to one file and
back, with row counts and checksums compared."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

import typer
from rich.console import Console
from rich.table import Table

from altmatch.clock import stopwatch
from altmatch.config import Settings
from altmatch.services.backup import (
    BackupError,
    TableDigest,
    export_installation,
    import_installation,
)


def export_command(
    file: Path = typer.Argument(..., help="Backup file to write (a .zip)."),
    force: bool = typer.Option(False, "--force", help="Overwrite FILE if it exists."),
) -> None:
    """Write every table of the configured database (ALTMATCH_DATABASE_URL) to FILE."""
    if file.exists() and not force:
        _fail(f"{file} exists; pass --force to overwrite it")
    settings = Settings()
    started = stopwatch()
    try:
        manifest = export_installation(settings, file)
    except BackupError as error:
        _fail(str(error))
    _print(manifest.tables, "written")
    typer.echo(
        f"Exported {sum(t.rows for t in manifest.tables)} rows in {len(manifest.tables)} tables "
        f"at revision {manifest.revision} from {settings.safe_database_url} to {file} "
        f"in {stopwatch() - started:.1f} s."
    )


def import_command(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="Backup file to load."),
    replace: bool = typer.Option(
        False, "--replace", help="Wipe a database that already holds data (same transaction)."
    ),
) -> None:
    """Load FILE into the configured database, all or nothing, and verify every table."""
    settings = Settings()
    started = stopwatch()
    try:
        tables = import_installation(settings, file, replace=replace)
    except BackupError as error:
        _fail(f"{error}; nothing was written")
    _print(tables, "checksum ok")
    typer.echo(
        f"Imported {sum(t.rows for t in tables)} rows in {len(tables)} tables into "
        f"{settings.safe_database_url} in {stopwatch() - started:.1f} s."
    )


def _print(tables: Sequence[TableDigest], status: str) -> None:
    grid = Table("table", "rows", "sha-256", "")
    for digest in tables:
        grid.add_row(digest.name, str(digest.rows), digest.sha256[:16], status)
    Console(width=100).print(grid)


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(1)
