"""Runs the package's own Alembic migrations, whatever the working directory."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

from altmatch.config import Settings
from altmatch.db.engine import make_engine


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic config from the alembic.ini shipped inside `altmatch.db`.

    With `connection`, env.py migrates over it (and leaves logging alone); without one, as
    from the `alembic` command line, env.py connects using `Settings()`.
    """
    ini_path = Path(str(resources.files("altmatch.db"))) / "alembic.ini"
    config = Config(ini_path)
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str | None:
    """The newest migration shipped with the package."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


# A migration module setting this to True rebuilds a table other tables reference (SQLite drops
# and re-creates a table to change a constraint). With SQLite's foreign keys on, that drop would
# cascade into every referencing table, so such a migration runs with them off and checked after,
# SQLite's own procedure. Every other migration runs with them on: some rely on their cascades.
FOREIGN_KEYS_OFF = "sqlite_foreign_keys_off"


def upgrade_database(settings: Settings, revision: str = "head") -> None:
    """Migrate the configured database up to `revision`, in one transaction where supported."""
    _migrate(settings, revision, up=True)


def downgrade_database(settings: Settings, revision: str) -> None:
    """Migrate the configured database down to `revision` (`"base"` removes every table)."""
    _migrate(settings, revision, up=False)


def _migrate(settings: Settings, revision: str, *, up: bool) -> None:
    engine = make_engine(settings)
    try:
        with engine.connect() as connection:
            legs = _legs(connection, revision, up=up) if settings.is_sqlite else None
            for target, keys_off in legs or [(revision, False)]:
                _leg(connection, target, up=up, keys_off=keys_off)
    finally:
        engine.dispose()


def _legs(connection: Connection, revision: str, *, up: bool) -> list[tuple[str, bool]]:
    """The way to `revision` in legs that each keep SQLite's foreign keys on or off: where each
    leg ends, and whether they are off for it (FOREIGN_KEYS_OFF)."""
    script = ScriptDirectory.from_config(alembic_config(connection))
    current = MigrationContext.configure(connection).get_current_revision()
    connection.commit()  # reading the revision began a transaction; a leg begins its own
    if up:
        steps = list(reversed(list(script.iterate_revisions(revision, current))))
    elif current is None:
        return []
    else:
        steps = list(script.iterate_revisions(current, revision))
    legs: list[tuple[str, bool]] = []
    for step in steps:
        off = bool(getattr(step.module, FOREIGN_KEYS_OFF, False))
        down = step.down_revision
        end = step.revision if up else (down if isinstance(down, str) else "base")
        if legs and legs[-1][1] == off:
            legs[-1] = (end, off)
        else:
            legs.append((end, off))
    return legs


def _leg(connection: Connection, target: str, *, up: bool, keys_off: bool) -> None:
    if keys_off:  # outside any transaction, where SQLite honours the pragma
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.commit()
    try:
        with connection.begin():
            config = alembic_config(connection)
            if up:
                command.upgrade(config, target)
            else:
                command.downgrade(config, target)
            if keys_off:
                _check_foreign_keys(connection)
    finally:
        if keys_off:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()


def _check_foreign_keys(connection: Connection) -> None:
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        tables = sorted({str(row[0]) for row in broken})
        raise RuntimeError(f"migration left rows with broken foreign keys in {', '.join(tables)}")


def current_revision(settings: Settings) -> str | None:
    """The revision the database is at, or None if it was never migrated."""
    engine = make_engine(settings)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()
