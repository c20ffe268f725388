"""Reads CSV (UTF-8 with or without BOM, or CP932) and XLSX into rows that keep their row number.

Japanese Excel saves CSV as CP932 (Shift_JIS) unless told "CSV UTF-8", which adds a BOM; both
are accepted. Anything else gets an error that says how to re-save the file, never mojibake.
Every problem is a `RowError` pointing at the file, row and column, so a person can fix it.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TypeVar

import openpyxl

MAX_BYTES = 64 * 1024 * 1024  # larger files are almost certainly a mistake (or an attack)
MAX_ROWS = 1_000_000
MAX_CELL_CHARS = 10_000
TRUE_WORDS = frozenset({"true", "yes", "y", "1"})
FALSE_WORDS = frozenset({"false", "no", "n", "0", ""})  # an empty cell is "no"
_INTEGER = re.compile(r"-?[0-9]+")
T = TypeVar("T")
FILE = "-"  # the column of a problem with the whole file
SUFFIXES = (".csv", ".xlsx")
_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class RowError:
    """One problem in an input file; `row` is the file's row number (0 for the whole file)."""

    file: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.row}:{self.column}: {self.message}"


class TableError(ValueError):
    """The file cannot be read as a table at all; `errors` says why."""

    def __init__(self, errors: Iterable[RowError]) -> None:
        self.errors = tuple(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


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

    def error(self, row: Row | int, column: str, message: str) -> RowError:
        number = row.number if isinstance(row, Row) else row
        return RowError(self.file, number, column, message)


class Cells:
    """One row's cells, parsed; each bad cell appends a RowError and yields a stand-in,
    so a whole file is checked in one pass and every problem is reported."""

    def __init__(self, table: Table, row: Row, errors: list[RowError]) -> None:
        self.table, self.row, self.errors = table, row, errors

    def fail(self, column: str, message: str, fallback: T) -> T:
        self.errors.append(self.table.error(self.row, column, message))
        return fallback

    def text(self, column: str) -> str:
        return self.table.value(self.row, column)

    def required(self, column: str) -> str:
        return self.text(column) or self.fail(column, "must not be empty", "")

    def integer(self, column: str, lo: int, hi: int, *, default: int | None = None) -> int:
        text = unicodedata.normalize("NFKC", self.text(column))  # full-width digits too
        if not text and default is not None:
            return default
        if not _INTEGER.fullmatch(text):
            return self.fail(column, f"expected a whole number, got {text!r}", lo)
        value = int(text)
        if not lo <= value <= hi:
            return self.fail(column, f"must be between {lo} and {hi}, got {value}", lo)
        return value

    def boolean(self, column: str) -> bool:
        text = self.text(column).casefold()
        if text in TRUE_WORDS:
            return True
        if text not in FALSE_WORDS:
            self.fail(column, f"expected yes or no, got {self.text(column)!r}", None)
        return False

    def _one_of(self, column: str, text: str, allowed: tuple[str, ...]) -> str:
        if text.casefold() in allowed:
            return text.casefold()
        return self.fail(column, f"choose one of: {', '.join(allowed)} (you gave {text!r})", "")

    def choice(self, column: str, allowed: tuple[str, ...]) -> str | None:
        text = self.text(column)
        return self._one_of(column, text, allowed) or None if text else None

    def choices(self, column: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
        parts = [p.strip() for p in self.text(column).split(";") if p.strip()]
        chosen = (self._one_of(column, p, allowed) for p in parts)
        return tuple(dict.fromkeys(c for c in chosen if c))

    def names(self, column: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p.strip() for p in self.text(column).split(";") if p.strip()))


def read_table(
    path: Path, *, name: str | None = None, max_bytes: int = MAX_BYTES, max_rows: int = MAX_ROWS
) -> Table:
    """Read a .csv or .xlsx file (first sheet); blank rows are skipped, numbering is kept.

    The header is the first non-blank row. Raises TableError for an unreadable file, a bad
    encoding, a bad header, a row wider than the header, or a file over the limits.
    """
    label = name or str(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise TableError([RowError(label, 0, FILE, "expected a .csv or .xlsx file")])
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise TableError(
                [RowError(label, 0, FILE, f"file is {size:,} bytes; the limit is {max_bytes:,}")]
            )
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise TableError([RowError(label, 0, FILE, "file not found")]) from exc
    except OSError as exc:
        raise TableError([RowError(label, 0, FILE, f"cannot read: {exc.strerror or exc}")]) from exc
    return read_table_bytes(data, label, max_bytes=max_bytes, max_rows=max_rows)


def read_table_bytes(
    data: bytes, name: str, *, max_bytes: int = MAX_BYTES, max_rows: int = MAX_ROWS
) -> Table:
    """Read an uploaded file's content as `read_table` reads a file; `name` gives the suffix
    (.csv or .xlsx) and labels every RowError."""
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise TableError([RowError(name, 0, FILE, "expected a .csv or .xlsx file")])
    if len(data) > max_bytes:
        message = f"file is {len(data):,} bytes; the limit is {max_bytes:,}"
        raise TableError([RowError(name, 0, FILE, message)])
    digest = hashlib.sha256(data).hexdigest()
    raw = _xlsx_rows(data, name) if suffix == ".xlsx" else _csv_rows(data, name)
    return _tabulate(raw, name, digest, max_rows)


def _decode(data: bytes, label: str) -> str:
    """UTF-8 (a BOM is dropped), else CP932; anything else is an error naming the line."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise TableError(
            [RowError(label, 0, FILE, "UTF-16 is not accepted: save as CSV UTF-8 or CSV (CP932)")]
        )
    if data.startswith(b"PK\x03\x04"):
        raise TableError(
            [RowError(label, 0, FILE, "this is an Excel workbook: give it the .xlsx suffix")]
        )
    bom = len(_BOM) if data.startswith(_BOM) else 0
    try:
        text = data[bom:].decode("utf-8")
    except UnicodeDecodeError as utf8_error:
        at = bom + utf8_error.start
        if bom:  # a BOM promises UTF-8: no second guess
            problem = "starts with a UTF-8 BOM but is not UTF-8"
        else:
            try:
                return _no_nul(data.decode("cp932"), label)
            except UnicodeDecodeError:
                problem = "neither UTF-8 nor CP932 text"
        line = data.count(b"\n", 0, at) + 1
        raise TableError(
            [
                RowError(
                    label,
                    line,
                    FILE,
                    f"{problem} (byte 0x{data[at]:02x}): save it as CSV UTF-8 from Excel",
                )
            ]
        ) from utf8_error
    return _no_nul(text, label)


def _no_nul(text: str, label: str) -> str:
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise TableError([RowError(label, line, FILE, "contains NUL bytes: not a text CSV file")])
    return text


def _csv_rows(data: bytes, label: str) -> Iterator[tuple[int, list[str]]]:
    text = _decode(data, label)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, cells
    except csv.Error as exc:
        raise TableError([RowError(label, number + 1, FILE, f"malformed CSV: {exc}")]) from exc


def _cell_text(value: object) -> str:
    """Excel stores every number as a float and dates as datetimes: write them as people do."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value)


def _xlsx_rows(data: bytes, label: str) -> Iterator[tuple[int, list[str]]]:
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise TableError(
            [RowError(label, 0, FILE, f"not a readable .xlsx workbook ({exc})")]
        ) from exc
    try:
        if not book.worksheets:
            raise TableError([RowError(label, 0, FILE, "the workbook has no sheet")])
        sheet = book.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [_cell_text(v) for v in values]
    finally:
        book.close()


def _tabulate(
    raw: Iterable[tuple[int, list[str]]], label: str, digest: str, max_rows: int
) -> Table:
    header: tuple[str, ...] | None = None
    header_row = 0
    rows: list[Row] = []
    errors: list[RowError] = []
    for number, cells in raw:
        stripped = [c.strip() for c in cells]
        if not any(stripped):
            continue
        if any(len(c) > MAX_CELL_CHARS for c in stripped):
            errors.append(RowError(label, number, FILE, f"a cell over {MAX_CELL_CHARS} chars"))
            continue
        if header is None:
            header, header_row = _header(stripped, label, number), number
            continue
        if len(rows) >= max_rows:
            raise TableError([RowError(label, number, FILE, f"more than {max_rows:,} rows")])
        extra = stripped[len(header) :]
        if any(extra):
            errors.append(
                RowError(
                    label,
                    number,
                    FILE,
                    f"{len(stripped)} cells but the header has {len(header)} columns",
                )
            )
            continue
        cells_out = stripped[: len(header)] + [""] * (len(header) - len(stripped))
        rows.append(Row(number, tuple(cells_out)))
    if header is None:
        raise TableError([RowError(label, 0, FILE, "the file is empty (no header row)")])
    if errors:
        raise TableError(errors)
    return Table(label, header, tuple(rows), header_row, digest)


def _header(cells: list[str], label: str, number: int) -> tuple[str, ...]:
    while cells and not cells[-1]:  # Excel often leaves empty trailing columns
        cells = cells[:-1]
    names = [c.casefold() for c in cells]
    errors = [
        RowError(label, number, f"#{i + 1}", "a column has no name")
        for i, n in enumerate(names)
        if not n
    ]
    seen: set[str] = set()
    for name in names:
        if name and name in seen:
            errors.append(RowError(label, number, name, "column appears twice"))
        seen.add(name)
    if errors:
        raise TableError(errors)
    return tuple(names)
