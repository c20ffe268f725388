"""Reads CSV (UTF-8 with or without BOM, or CP932) and XLSX into rows that keep their row number.

Japanese Excel saves CSV as CP932 (Shift_JIS) unless told "CSV UTF-8", which adds a BOM; both
are accepted. Anything else gets an error that says how to re-save the file, never mojibake.
Every problem is a `RowError` pointing at the file, row and column, so a person can fix it.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TypeVar

from altmatch.i18n import N_
from altmatch.io.csv_rows import csv_rows
from altmatch.io.errors import FILE, RowError, TableError, file_error, refuse
from altmatch.io.limits import DEFAULT_LIMITS, ImportLimits

__all__ = [
    "FILE",
    "MAX_BYTES",
    "MAX_CELL_CHARS",
    "MAX_ROWS",
    "SUFFIXES",
    "Cells",
    "ImportLimits",
    "Row",
    "RowError",
    "Table",
    "TableError",
    "read_table",
    "read_table_bytes",
]

MAX_BYTES = DEFAULT_LIMITS.max_bytes  # what a web upload reads at most (plus one byte)
MAX_ROWS = DEFAULT_LIMITS.max_rows
MAX_CELL_CHARS = DEFAULT_LIMITS.max_cell_chars
TRUE_WORDS = frozenset({"true", "yes", "y", "1"})
FALSE_WORDS = frozenset({"false", "no", "n", "0", ""})  # an empty cell is "no"
_INTEGER = re.compile(r"-?[0-9]+")
T = TypeVar("T")
SUFFIXES = (".csv", ".xlsx")


@dataclass(frozen=True)
class Row:
    number: int  # row number in the file (the header row is usually 1)
    cells: tuple[str, ...]  # stripped text, one per header column


@dataclass(frozen=True)
class Table:
    """A header and its rows; column names are stripped and lower-cased."""

    file: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    header_row: int
    sha256: str

    @cached_property
    def _position(self) -> dict[str, int]:
        return {name: i for i, name in enumerate(self.columns)}

    def value(self, row: Row, column: str) -> str:
        """The cell of `row` under `column` ('' when the table has no such column)."""
        i = self._position.get(column)
        return "" if i is None else row.cells[i]

    def error(self, row: Row | int, column: str, template: str, /, **params: object) -> RowError:
        """A problem in one cell; `template` is an N_() msgid, so the reader's language shows."""
        number = row.number if isinstance(row, Row) else row
        return file_error(self.file, number, column, template, **params)


class Cells:
    """One row's cells, parsed; each bad cell appends a RowError and yields a stand-in,
    so a whole file is checked in one pass and every problem is reported."""

    def __init__(self, table: Table, row: Row, errors: list[RowError]) -> None:
        self.table, self.row, self.errors = table, row, errors

    def fail(self, column: str, template: str, fallback: T, /, **params: object) -> T:
        """Record a problem (`template` an N_() msgid with {placeholders}) and go on."""
        self.errors.append(self.table.error(self.row, column, template, **params))
        return fallback

    def text(self, column: str) -> str:
        return self.table.value(self.row, column)

    def required(self, column: str) -> str:
        return self.text(column) or self.fail(column, N_("must not be empty"), "")

    def integer(self, column: str, lo: int, hi: int, *, default: int | None = None) -> int:
        text = unicodedata.normalize("NFKC", self.text(column))  # full-width digits too
        if not text and default is not None:
            return default
        if not _INTEGER.fullmatch(text):
            return self.fail(
                column, N_("expected a whole number, got {value}"), lo, value=repr(text)
            )
        value = int(text)
        if not lo <= value <= hi:
            template = N_("must be between {lo} and {hi}, got {value}")
            return self.fail(column, template, lo, lo=lo, hi=hi, value=value)
        return value

    def boolean(self, column: str) -> bool:
        text = self.text(column).casefold()
        if text in TRUE_WORDS:
            return True
        if text not in FALSE_WORDS:
            given = repr(self.text(column))
            self.fail(column, N_("expected yes or no, got {value}"), None, value=given)
        return False

    def _one_of(self, column: str, text: str, allowed: tuple[str, ...]) -> str:
        if text.casefold() in allowed:
            return text.casefold()
        template = N_("choose one of: {allowed} (you gave {value})")
        return self.fail(column, template, "", allowed=", ".join(allowed), value=repr(text))

    def choice(self, column: str, allowed: tuple[str, ...]) -> str | None:
        text = self.text(column)
        return self._one_of(column, text, allowed) or None if text else None

    def choices(self, column: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
        text = self.text(column)
        valid = _valid_choices(text, allowed)  # a season repeats a few values thousands of times
        if valid is not None:
            return valid
        parts = [p.strip() for p in text.split(";") if p.strip()]
        chosen = (self._one_of(column, p, allowed) for p in parts)
        return tuple(dict.fromkeys(c for c in chosen if c))

    def names(self, column: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p.strip() for p in self.text(column).split(";") if p.strip()))


@lru_cache(maxsize=4096)
def _valid_choices(text: str, allowed: tuple[str, ...]) -> tuple[str, ...] | None:
    """`text`'s choices, each once in the order given, when every one is allowed; else None
    (Cells.choices then reports the bad ones)."""
    parts = [p.strip().casefold() for p in text.split(";") if p.strip()]
    if not all(p in allowed for p in parts):
        return None
    return tuple(dict.fromkeys(parts))


def read_table(
    path: Path,
    *,
    name: str | None = None,
    limits: ImportLimits = DEFAULT_LIMITS,
    max_bytes: int | None = None,
    max_rows: int | None = None,
) -> Table:
    """Read a .csv or .xlsx file (first sheet); blank rows are skipped, numbering is kept.

    The header is the first non-blank row. Raises TableError for an unreadable file, a bad
    encoding, a bad header, a row wider than the header, or a file over the limits; the size
    is checked before a byte is read.
    """
    limits = _override(limits, max_bytes, max_rows)
    label = name or str(path)
    if path.suffix.lower() not in SUFFIXES:
        raise refuse(label, 0, FILE, N_("expected a .csv or .xlsx file"))
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            raise _too_big(label, size, limits)
        with path.open("rb") as handle:
            data = handle.read(limits.max_bytes + 1)  # the file may grow after stat()
    except FileNotFoundError as exc:
        raise refuse(label, 0, FILE, N_("file not found")) from exc
    except OSError as exc:
        problem = exc.strerror or str(exc)
        raise refuse(label, 0, FILE, N_("cannot read: {problem}"), problem=problem) from exc
    return read_table_bytes(data, label, limits=limits)


def read_table_bytes(
    data: bytes,
    name: str,
    *,
    limits: ImportLimits = DEFAULT_LIMITS,
    max_bytes: int | None = None,
    max_rows: int | None = None,
) -> Table:
    """Read an uploaded file's content as `read_table` reads a file; `name` gives the suffix
    (.csv or .xlsx) and labels every RowError. Rows are counted while streaming, so a file
    over the row limit is refused without being read to its end."""
    limits = _override(limits, max_bytes, max_rows)
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise refuse(name, 0, FILE, N_("expected a .csv or .xlsx file"))
    if len(data) > limits.max_bytes:
        raise _too_big(name, len(data), limits)
    digest = hashlib.sha256(data).hexdigest()
    if suffix == ".xlsx":
        from altmatch.io.xlsx_rows import xlsx_rows as reader  # openpyxl: only for workbooks
    else:
        reader = csv_rows
    return _tabulate(reader(data, name, limits), name, digest, limits)


def _override(limits: ImportLimits, max_bytes: int | None, max_rows: int | None) -> ImportLimits:
    if max_bytes is not None:
        limits = limits.with_(max_bytes=max_bytes)
    if max_rows is not None:
        limits = limits.with_(max_rows=max_rows)
    return limits


def _too_big(label: str, size: int, limits: ImportLimits) -> TableError:
    template = N_("the file is {size:,} bytes; the limit is {limit:,}")
    return refuse(label, 0, FILE, template, size=size, limit=limits.max_bytes)


def _tabulate(
    raw: Iterable[tuple[int, list[str]]], label: str, digest: str, limits: ImportLimits
) -> Table:
    header: tuple[str, ...] | None = None
    header_row = 0
    rows: list[Row] = []
    errors: list[RowError] = []
    for number, cells in raw:
        if number > limits.max_physical_rows:
            raise refuse(
                label,
                number,
                FILE,
                N_("more than {limit:,} rows, blank ones included"),
                limit=limits.max_physical_rows,
            )
        stripped = [c.strip() for c in cells]
        if not any(stripped):
            continue
        if len(stripped) > limits.max_columns and any(stripped[limits.max_columns :]):
            raise refuse(
                label,
                number,
                FILE,
                N_("more than {limit} columns"),
                limit=limits.max_columns,
            )
        long = [i for i, c in enumerate(stripped) if len(c) > limits.max_cell_chars]
        if long:
            errors.extend(_long_cell(label, number, header, i, limits) for i in long)
            continue
        if header is None:
            header, header_row = _header(stripped, label, number), number
            continue
        if len(rows) >= limits.max_rows:
            raise refuse(label, number, FILE, N_("more than {limit:,} rows"), limit=limits.max_rows)
        extra = stripped[len(header) :]
        if any(extra):
            errors.append(
                file_error(
                    label,
                    number,
                    FILE,
                    N_("{cells} cells but the header has {columns} columns"),
                    cells=len(stripped),
                    columns=len(header),
                )
            )
            continue
        cells_out = stripped[: len(header)] + [""] * (len(header) - len(stripped))
        rows.append(Row(number, tuple(cells_out)))
    if header is None:
        raise refuse(label, 0, FILE, N_("the file is empty (no header row)"))
    if errors:
        raise TableError(errors)
    return Table(label, header, tuple(rows), header_row, digest)


def _long_cell(
    label: str, number: int, header: tuple[str, ...] | None, index: int, limits: ImportLimits
) -> RowError:
    column = header[index] if header is not None and index < len(header) else f"#{index + 1}"
    template = N_("a cell is longer than {limit:,} characters")
    return file_error(label, number, column, template, limit=limits.max_cell_chars)


def _header(cells: list[str], label: str, number: int) -> tuple[str, ...]:
    while cells and not cells[-1]:  # Excel often leaves empty trailing columns
        cells = cells[:-1]
    names = [c.casefold() for c in cells]
    errors = [
        file_error(label, number, f"#{i + 1}", N_("a column has no name"))
        for i, n in enumerate(names)
        if not n
    ]
    seen: set[str] = set()
    for name in names:
        if name and name in seen:
            errors.append(file_error(label, number, name, N_("column appears twice")))
        seen.add(name)
    if errors:
        raise TableError(errors)
    return tuple(names)
