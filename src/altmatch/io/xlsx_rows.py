"""XLSX bytes to numbered rows, after checking the zip directory so a zip bomb never unpacks.

An .xlsx is a zip of XML parts. Before openpyxl sees it, the central directory is read (it is
small and at the end of the file): the declared unpacked sizes must stay under the limit and no
part may be compressed absurdly well. Python's zipfile stops at the declared size and fails on a
CRC mismatch, so a part cannot unpack to more than its directory entry claims. The first sheet
is then streamed row by row; a cell past max_columns or a row past the limits stops it.
Formula cells are refused: an import stores what a person typed, and a cached result may be
stale (or, for a file written by a script, absent).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterator

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._reader import WorkSheetParser

from altmatch.i18n import N_
from altmatch.io.csv_rows import OLE
from altmatch.io.errors import FILE, RowError, TableError, file_error, refuse
from altmatch.io.limits import MIB, ImportLimits

MAX_PARTS = 10_000  # a workbook has a few dozen parts
UNREADABLE = N_("not a readable .xlsx workbook ({problem})")
RATIO_FLOOR = MIB  # parts smaller than this are never a bomb, whatever their ratio


def check_zip(data: bytes, label: str, limits: ImportLimits) -> None:
    """Refuse a file that is not a workbook, or whose parts would unpack past the limits."""
    if data.startswith(OLE):
        raise refuse(
            label, 0, FILE, N_("an old .xls or a password-protected workbook: save it as .xlsx")
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise refuse(
            label, 0, FILE, N_("not a readable .xlsx workbook (not a zip archive, or cut short)")
        ) from exc
    names = {part.filename for part in parts}
    if "xl/workbook.xml" not in names or len(parts) > MAX_PARTS:
        raise refuse(label, 0, FILE, N_("a zip archive but not an .xlsx workbook"))
    if any(part.flag_bits & 0x1 for part in parts):
        raise refuse(label, 0, FILE, N_("the workbook is encrypted: save it without a password"))
    total = sum(part.file_size for part in parts)
    if total > limits.max_unzipped_bytes:
        raise refuse(
            label,
            0,
            FILE,
            N_("the workbook unpacks to {size:,} bytes; the limit is {limit:,}"),
            size=total,
            limit=limits.max_unzipped_bytes,
        )
    for part in parts:
        ratio = part.file_size // max(part.compress_size, 1)
        if part.file_size > RATIO_FLOOR and ratio > limits.max_ratio:
            raise refuse(
                label,
                0,
                FILE,
                N_("{part} is compressed {ratio:,}:1, far beyond any real workbook"),
                part=part.filename,
                ratio=ratio,
            )


def cell_text(value: object) -> str:
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


def xlsx_rows(data: bytes, label: str, limits: ImportLimits) -> Iterator[tuple[int, list[str]]]:
    """The first sheet's rows, numbered as Excel numbers them (blank rows included)."""
    check_zip(data, label, limits)
    try:
        yield from _sheet_rows(data, label, limits)
    except TableError:
        raise
    except Exception as exc:  # openpyxl and its XML parser document no exception set
        problem = type(exc).__name__
        raise refuse(label, 0, FILE, UNREADABLE, problem=problem) from exc


def _sheet_rows(data: bytes, label: str, limits: ImportLimits) -> Iterator[tuple[int, list[str]]]:
    """Stream the first sheet's XML with openpyxl's own row parser (as its read-only mode
    does), seeing each cell's real column: read-only iter_rows would silently drop cells
    past max_col, and pad every row to the widest one otherwise."""
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        if not book.worksheets:
            raise refuse(label, 0, FILE, N_("the workbook has no sheet"))
        sheet = book.worksheets[0]
        with sheet._get_source() as source:
            parser = WorkSheetParser(
                source,
                sheet._shared_strings,
                data_only=False,
                epoch=book.epoch,
                date_formats=book._date_formats,
                timedelta_formats=book._timedelta_formats,
            )
            for number, cells in parser.parse():
                yield number, _row_values(label, number, cells, limits)
    finally:
        book.close()


def _row_values(
    label: str, number: int, cells: list[dict[str, object]], limits: ImportLimits
) -> list[str]:
    width = 0
    for cell in cells:
        column = int(str(cell["column"]))
        if column > limits.max_columns:
            raise refuse(
                label, number, FILE, N_("more than {limit} columns"), limit=limits.max_columns
            )
        width = max(width, column)
    formulas = [c for c in cells if c.get("data_type") == "f"]
    if formulas:
        raise TableError(_formula_errors(label, number, formulas))
    values = [""] * width
    for cell in cells:
        values[int(str(cell["column"])) - 1] = cell_text(cell.get("value"))
    return values


def _formula_errors(label: str, number: int, cells: list[dict[str, object]]) -> list[RowError]:
    return [
        file_error(
            label,
            number,
            get_column_letter(int(str(cell["column"]))),
            N_("a formula ({formula}): type the value itself, or paste it as values"),
            formula=str(cell.get("value", ""))[:50],
        )
        for cell in cells
    ]
