"""Filter values as a list's query string carries them: a form left blank sends an empty
string, which means "any"; so does a value that names nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

from altmatch.services.kernel.bounds import MAX_DB_INT

Row = TypeVar("Row")


@dataclass(frozen=True)
class ClampedPage(Generic[Row]):
    number: int  # the page shown: the one asked for, or the last one when that is past the end
    pages: int
    rows: list[Row]
    total: int


def clamped_page(
    fetch: Callable[[int, int], tuple[list[Row], int]], page: int, per_page: int
) -> ClampedPage[Row]:
    """One page of a list, `fetch(offset, limit)` giving its rows and the total; a page past the
    end (the list shrank since the link was made) shows the last page instead of nothing."""
    number = max(page, 1)
    rows, total = fetch((number - 1) * per_page, per_page)
    pages = max(1, -(-total // per_page))
    if number > pages:
        number = pages
        rows, total = fetch((number - 1) * per_page, per_page)
    return ClampedPage(number, pages, rows, total)


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
