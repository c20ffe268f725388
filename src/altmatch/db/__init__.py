"""Storage: SQLAlchemy rows, engine and sessions, repositories and Alembic migrations."""

from altmatch.db.base import Base, UTCDateTime
from altmatch.db.engine import Sessions, make_engine, session_factory
from altmatch.db.migrate import (
    alembic_config,
    current_revision,
    downgrade_database,
    head_revision,
    upgrade_database,
)
from altmatch.db.models import SavedAdvice

__all__ = [
    "Base",
    "SavedAdvice",
    "Sessions",
    "UTCDateTime",
    "alembic_config",
    "current_revision",
    "downgrade_database",
    "head_revision",
    "make_engine",
    "session_factory",
    "upgrade_database",
]
