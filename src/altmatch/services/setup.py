"""Make an installation ready to serve: the database schema brought up to date."""

from __future__ import annotations

from altmatch.config import Settings
from altmatch.db import current_revision, upgrade_database


def prepare_installation(settings: Settings) -> str | None:
    """Apply pending migrations (idempotent) and return the revision now in force."""
    upgrade_database(settings)
    return current_revision(settings)
