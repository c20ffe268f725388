"""The report of any import (season files, positions, roster): committed or not, and every
problem by file, row and column in the reader's language."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel

from altmatch.io.tabular import RowError


class RowErrorOut(BaseModel):
    file: str
    row: int
    column: str
    message: str


class ImportOut(BaseModel):
    """The preview (or the result) of an import. `committed` is true only when every row was
    written; with any error nothing was."""

    committed: bool
    rows: int
    errors: list[RowErrorOut]
    sha256: str


def import_result(
    upload_rows: int,
    errors: Sequence[RowError],
    sha256: str,
    committed: bool,
    locale: str = "en",
) -> ImportOut:
    """The ImportOut of any import: errors by row, each message in the reader's language."""
    ordered = sorted(errors, key=lambda e: (e.row, e.column))
    return ImportOut(
        committed=committed,
        rows=upload_rows,
        errors=[
            RowErrorOut(file=e.file, row=e.row, column=e.column, message=e.localized(locale))
            for e in ordered
        ],
        sha256=sha256,
    )
