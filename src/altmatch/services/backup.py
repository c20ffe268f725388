"""Back up and restore a whole installation: the configured database to one file and back."""

from __future__ import annotations

from pathlib import Path

from altmatch import __version__
from altmatch.clock import utc_now
from altmatch.config import Settings
from altmatch.db import head_revision
from altmatch.db.backup import (
    BackupError,
    Manifest,
    TableDigest,
    backup_engine,
    export_database,
    import_database,
)

__all__ = ["BackupError", "Manifest", "TableDigest", "export_installation", "import_installation"]


def export_installation(settings: Settings, path: Path) -> Manifest:
    """Write every table of the configured database to `path` (a zip); needs the schema at
    the code's head revision, so a backup always says exactly which schema it holds."""
    engine = backup_engine(settings)
    try:
        return export_database(
            engine, path, version=__version__, head=head_revision(), now=utc_now()
        )
    finally:
        engine.dispose()


def import_installation(
    settings: Settings, path: Path, *, replace: bool
) -> tuple[TableDigest, ...]:
    """Load the backup at `path` into the configured database in one transaction, verified
    table by table against the manifest; `replace` wipes a non-empty database first."""
    engine = backup_engine(settings)
    try:
        return import_database(engine, path, replace=replace)
    finally:
        engine.dispose()
