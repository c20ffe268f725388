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


def upgrade_database(settings: Settings, revision: str = "head") -> None:
    """Migrate the configured database up to `revision`, in one transaction where supported."""
    engine = make_engine(settings)
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), revision)
    finally:
        engine.dispose()


def downgrade_database(settings: Settings, revision: str) -> None:
    """Migrate the configured database down to `revision` (`"base"` removes every table)."""
    engine = make_engine(settings)
    try:
        with engine.begin() as connection:
            command.downgrade(alembic_config(connection), revision)
    finally:
        engine.dispose()


def current_revision(settings: Settings) -> str | None:
    """The revision the database is at, or None if it was never migrated."""
    engine = make_engine(settings)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()
