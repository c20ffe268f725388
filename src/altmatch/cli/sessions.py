"""The database for commands that act on it: migrated first, as `altmatch serve` does."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from altmatch.config import Settings
from altmatch.db import Sessions, make_engine, session_factory
from altmatch.services.setup import prepare_installation


@contextmanager
def cli_sessions() -> Iterator[Sessions]:
    """Sessions on the configured database (ALTMATCH_DATABASE_URL), migrated first."""
    settings = Settings()
    prepare_installation(settings)
    engine = make_engine(settings)
    try:
        yield session_factory(engine)
    finally:
        engine.dispose()
