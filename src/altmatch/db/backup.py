"""Whole-installation backups: every table into one zip of JSON Lines, and back, verified.

The file holds `manifest.json` (format, Alembic revision, altmatch version, time, and per
table its columns, row count and SHA-256) and `tables/<name>.jsonl`, one row per line in
primary-key order. Each line is the row's *canonical form* (UTC ISO datetimes, JSON with
sorted keys, bytes as base64 ...), so SQLite and PostgreSQL holding the same data give the same
digest, and an import can prove what it wrote by reading it back from the target.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, event, func, inspect, select, table, text
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import ConnectionPoolEntry

from altmatch.config import Settings
from altmatch.db.backup_rows import (
    Kind,
    TableDigest,
    canonical_line,
    canonical_rows,
    current_tables,
    decode,
    kind_named,
    measure,
    table_clause,
)
from altmatch.db.engine import make_engine
from altmatch.db.migrate import alembic_config

__all__ = ["BackupError", "Kind", "Manifest", "TableDigest", "export_database", "import_database"]

FORMAT = 1
MANIFEST = "manifest.json"
BATCH = 500  # rows per INSERT: bounded memory, few round trips


class BackupError(Exception):
    """The backup cannot be written or loaded; nothing was changed."""


@dataclass(frozen=True)
class Manifest:
    format: int
    revision: str
    version: str
    created_at: str
    database: str
    tables: tuple[TableDigest, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "revision": self.revision,
            "version": self.version,
            "created_at": self.created_at,
            "database": self.database,
            "tables": [
                {
                    "name": t.name,
                    "columns": [[name, kind] for name, kind in t.columns],
                    "rows": t.rows,
                    "sha256": t.sha256,
                }
                for t in self.tables
            ],
        }


def backup_engine(settings: Settings) -> Engine:
    """An engine whose transactions also cover DDL on SQLite.

    pysqlite only opens a transaction before DML, so a migration or wipe would otherwise be
    committed statement by statement; emitting BEGIN ourselves makes the whole import atomic.
    """
    engine = make_engine(settings)
    if settings.is_sqlite:
        event.listen(engine, "connect", _sqlite_manual_transactions)
        event.listen(engine, "begin", lambda connection: connection.exec_driver_sql("BEGIN"))
    return engine


def _sqlite_manual_transactions(
    dbapi_connection: DBAPIConnection, connection_record: ConnectionPoolEntry
) -> None:
    dbapi_connection.isolation_level = None


def _revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


# --- export ---------------------------------------------------------------------------------


def export_database(
    engine: Engine, path: Path, *, version: str, head: str | None, now: datetime
) -> Manifest:
    """Write every table to `path` from one consistent snapshot; returns the manifest.

    The file is written beside `path` and renamed at the end, so a failed export leaves no
    half-written backup behind.
    """
    partial = path.with_name(path.name + ".partial")
    # PostgreSQL: one snapshot for every table; SQLite's read transaction already is one.
    snapshot = (
        engine.execution_options(isolation_level="REPEATABLE READ")
        if engine.dialect.name == "postgresql"
        else engine
    )
    try:
        with (
            snapshot.begin() as connection,
            zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        ):
            revision = _revision(connection)
            if revision is None or revision != head:
                raise BackupError(
                    f"the database is at revision {revision}, the code at {head}: "
                    "run `altmatch db upgrade` first"
                )
            written = tuple(_export_table(connection, archive, t) for t in current_tables())
            manifest = Manifest(
                FORMAT,
                revision,
                version,
                now.astimezone(UTC).isoformat(),
                engine.dialect.name,
                written,
            )
            archive.writestr(MANIFEST, json.dumps(manifest.to_json(), indent=2))
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return manifest


def _export_table(
    connection: Connection, archive: zipfile.ZipFile, digest: TableDigest
) -> TableDigest:
    sha = hashlib.sha256()
    count = 0
    with archive.open(f"tables/{digest.name}.jsonl", "w") as out:
        for line in canonical_rows(connection, digest):
            out.write(line)
            sha.update(line)
            count += 1
    return TableDigest(digest.name, digest.columns, count, sha.hexdigest())


# --- import ---------------------------------------------------------------------------------


def read_manifest(archive: zipfile.ZipFile) -> Manifest:
    """The manifest, checked for shape; any damage is a BackupError."""
    try:
        raw = json.loads(archive.read(MANIFEST))
        tables = tuple(
            TableDigest(
                str(t["name"]),
                tuple((str(n), kind_named(k)) for n, k in t["columns"]),
                int(t["rows"]),
                str(t["sha256"]),
            )
            for t in raw["tables"]
        )
        manifest = Manifest(
            int(raw["format"]),
            str(raw["revision"]),
            str(raw["version"]),
            str(raw["created_at"]),
            str(raw.get("database", "")),
            tables,
        )
    except (KeyError, TypeError, ValueError) as error:
        raise BackupError(f"the backup's manifest is damaged or missing: {error}") from error
    if manifest.format != FORMAT:
        raise BackupError(f"unknown backup format {manifest.format} (this altmatch reads {FORMAT})")
    return manifest


def open_backup(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        raise BackupError(f"{path} is not a readable altmatch backup: {error}") from error


def import_database(engine: Engine, path: Path, *, replace: bool) -> tuple[TableDigest, ...]:
    """Load the backup at `path` into the database behind `engine`, all or nothing.

    An empty target is migrated to the backup's revision first; a target holding rows is
    refused unless `replace`, which empties it in the same transaction. After loading, every
    table is counted and hashed again from the target and compared with the manifest.
    Returns the tables as measured in the target.
    """
    with open_backup(path) as archive:
        manifest = read_manifest(archive)
        _check_revision_known(manifest.revision)
        try:
            with engine.begin() as connection:
                _prepare_target(connection, manifest.revision, replace=replace)
                for digest in manifest.tables:
                    _load_table(connection, archive, digest)
                _reset_sequences(connection, manifest.tables)
                measured = tuple(measure(connection, t) for t in manifest.tables)
                _compare(manifest.tables, measured, "in the database after loading")
        except (zipfile.BadZipFile, zlib.error, EOFError, UnicodeDecodeError) as error:
            raise BackupError(f"the backup file is damaged: {error}") from error
        except SQLAlchemyError as error:
            reason = " ".join(str(error.orig if hasattr(error, "orig") else error).split())
            raise BackupError(f"the database refused the backup's rows: {reason}") from error
    return measured


def _check_revision_known(revision: str) -> None:
    try:
        known = ScriptDirectory.from_config(alembic_config()).get_revision(revision)
    except CommandError:
        known = None
    if known is None:
        raise BackupError(
            f"the backup is at revision {revision}, which this altmatch does not know "
            "(it was made by a newer version): upgrade altmatch first"
        )


def _prepare_target(connection: Connection, revision: str, *, replace: bool) -> None:
    current = _revision(connection)
    if current is not None:
        names = _tables_in(connection)
        filled = [n for n in names if connection.scalar(select(func.count()).select_from(table(n)))]
        if filled and not replace:
            raise BackupError(
                f"the database is not empty ({', '.join(filled[:5])} ...): import into an "
                "empty database, or pass --replace to wipe it first"
            )
        for name in reversed(names):
            connection.execute(table(name).delete())
    if current == revision:
        return
    config = alembic_config(connection)
    if current is not None:
        command.downgrade(config, "base")
    command.upgrade(config, revision)


def _tables_in(connection: Connection) -> list[str]:
    """The target's tables, parents before children, without Alembic's own."""
    ordered = inspect(connection).get_sorted_table_and_fkc_names()
    return [name for name, _ in ordered if name is not None and name != "alembic_version"]


def _load_table(connection: Connection, archive: zipfile.ZipFile, digest: TableDigest) -> None:
    clause = table_clause(digest)
    names = {name for name, _ in digest.columns}
    sha = hashlib.sha256()
    count = 0
    batch: list[dict[str, Any]] = []
    try:
        member = archive.open(f"tables/{digest.name}.jsonl")
    except KeyError as error:
        raise BackupError(f"the backup has no rows file for table {digest.name}") from error
    with member, io.TextIOWrapper(member, encoding="utf-8", newline="\n") as lines:
        for number, line in enumerate(lines, start=1):
            row = _parse(line, names, digest.name, number)
            sha.update(canonical_line(row))
            count += 1
            try:
                batch.append({n: decode(k, row[n]) for n, k in digest.columns})
            except (TypeError, ValueError) as error:
                raise BackupError(f"{digest.name} line {number}: {error}") from error
            if len(batch) >= BATCH:
                connection.execute(clause.insert(), batch)
                batch = []
    if batch:
        connection.execute(clause.insert(), batch)
    _compare(
        (digest,),
        (TableDigest(digest.name, digest.columns, count, sha.hexdigest()),),
        "in the file",
    )


def _parse(line: str, names: set[str], name: str, number: int) -> dict[str, Any]:
    try:
        row = json.loads(line)
    except ValueError as error:
        raise BackupError(f"{name} line {number} is not JSON: {error}") from error
    if not isinstance(row, dict) or set(row) != names:
        raise BackupError(f"{name} line {number} does not have the manifest's columns")
    return row


def _compare(expected: Sequence[TableDigest], found: Sequence[TableDigest], where: str) -> None:
    for want, got in zip(expected, found, strict=True):
        if want.rows != got.rows:
            raise BackupError(
                f"{want.name}: the manifest says {want.rows} rows, {got.rows} {where}"
            )
        if want.sha256 != got.sha256:
            raise BackupError(f"{want.name}: the checksum {where} differs from the manifest's")


def _reset_sequences(connection: Connection, tables: Sequence[TableDigest]) -> None:
    """Move each PostgreSQL id sequence past the loaded ids, so new rows do not clash."""
    if connection.dialect.name != "postgresql":
        return  # SQLite picks max(rowid) + 1 by itself
    quote = connection.dialect.identifier_preparer.quote
    for digest in tables:
        if ("id", "int") not in digest.columns:
            continue
        sequence = connection.scalar(
            text("SELECT pg_get_serial_sequence(:table, 'id')"), {"table": quote(digest.name)}
        )
        if sequence is None:
            continue
        connection.execute(
            text(
                f"SELECT setval(:sequence, COALESCE((SELECT MAX(id) FROM {quote(digest.name)}),"
                " 0) + 1, false)"
            ),
            {"sequence": sequence},
        )
