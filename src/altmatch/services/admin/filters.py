"""Filter values as a list's query string carries them: a form left blank sends an empty
string, which means "any"; so does a value that names nothing."""

from __future__ import annotations

from datetime import date

from altmatch.services.kernel.bounds import MAX_DB_INT


def parse_id(value: str) -> int | None:
    """A row id, or None (blank or not an id)."""
    text = value.strip()
    return int(text) if text.isdigit() and 0 < int(text) <= MAX_DB_INT else None


def parse_day(value: str) -> date | None:
    """A YYYY-MM-DD day, or None (blank or not a date)."""
    try:
        return date.fromisoformat(value.strip()) if value.strip() else None
    except ValueError:
        return None
