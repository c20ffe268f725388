"""Runs the package's own Alembic migrations, whatever the working directory."""

from __future__ import annotations

from collections.abc import Callable
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


def upgrade_database(settings: Settings, revision: str = "head") -> None:
    """Migrate the configured database up to `revision`, in one transaction where supported."""
    _migrate(settings, lambda config: command.upgrade(config, revision))


def downgrade_database(settings: Settings, revision: str) -> None:
    """Migrate the configured database down to `revision` (`"base"` removes every table)."""
    _migrate(settings, lambda config: command.downgrade(config, revision))


def _migrate(settings: Settings, run: Callable[[Config], None]) -> None:
    """Run migrations over one connection. On SQLite, foreign keys are off for the run (SQLite's
    own procedure for rebuilding a table: a rebuilt table is dropped, and with them on the drop
    would cascade into every table that references it) and checked before they come back on."""
    engine = make_engine(settings)
    try:
        with engine.connect() as connection:
            if settings.is_sqlite:
                # Outside any transaction, where SQLite honours the pragma.
                connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
                connection.commit()
            try:
                with connection.begin():
                    run(alembic_config(connection))
                    if settings.is_sqlite:
                        _check_foreign_keys(connection)
            finally:
                if settings.is_sqlite:
                    connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                    connection.commit()
    finally:
        engine.dispose()


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
