"""CSV bytes to numbered rows: UTF-8 (with or without BOM) or CP932, else a clear refusal.

Japanese Excel saves CSV as CP932 (Shift_JIS) unless told "CSV UTF-8", which adds a BOM; both
are accepted. A file that is mostly UTF-8 with one bad byte is refused with its line rather
than re-read as CP932, which would turn every Japanese name into mojibake. Lines are bounded
before the csv module splits them, so a line of a million commas costs nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from altmatch.i18n import N_
from altmatch.io.errors import FILE, refuse
from altmatch.io.limits import ImportLimits

BOM = b"\xef\xbb\xbf"
OLE = b"\xd0\xcf\x11\xe0"  # the old binary .xls (and encrypted .xlsx) container
UTF8_EVIDENCE = 3  # non-ASCII characters that decoded as UTF-8 before the first bad byte
CUT_CHARACTER = N_("the file ends in the middle of a character: it was cut short")
BAD_UTF8 = N_("not valid UTF-8 (byte 0x{byte:02x} on line {line}): save it from Excel as CSV UTF-8")
BOM_NOT_UTF8 = N_(
    "starts with a UTF-8 BOM but is not UTF-8 (byte 0x{byte:02x}): save it from Excel as CSV UTF-8"
)
NOT_TEXT = N_("neither UTF-8 nor CP932 text (byte 0x{byte:02x}): save it from Excel as CSV UTF-8")


def decode(data: bytes, label: str) -> str:
    """UTF-8 (a BOM is dropped), else CP932; anything else is an error naming the line."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise refuse(label, 0, FILE, N_("UTF-16 is not accepted: save as CSV UTF-8 or CSV (CP932)"))
    if data.startswith(b"PK\x03\x04"):
        raise refuse(label, 0, FILE, N_("this is an Excel workbook: give it the .xlsx suffix"))
    if data.startswith(OLE):
        raise refuse(label, 0, FILE, N_("this is an old .xls workbook: save it as .xlsx or CSV"))
    bom = len(BOM) if data.startswith(BOM) else 0
    try:
        return _no_nul(data[bom:].decode("utf-8"), label)
    except UnicodeDecodeError as utf8_error:
        at = bom + utf8_error.start
        cut_short = utf8_error.reason == "unexpected end of data"
        prefix = data[bom:at].decode("utf-8")
        utf8_seen = sum(1 for ch in prefix if ord(ch) > 0x7F) >= UTF8_EVIDENCE
        if not bom and not utf8_seen:
            try:
                return _no_nul(data.decode("cp932"), label)
            except UnicodeDecodeError:
                pass
        line = data.count(b"\n", 0, at) + 1
        if cut_short:
            raise refuse(label, line, FILE, CUT_CHARACTER) from utf8_error
        template = BOM_NOT_UTF8 if bom else BAD_UTF8 if utf8_seen else NOT_TEXT
        raise refuse(label, line, FILE, template, byte=data[at], line=line) from utf8_error


def _no_nul(text: str, label: str) -> str:
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise refuse(label, line, FILE, N_("contains NUL bytes: not a text CSV file"))
    return text


def csv_rows(data: bytes, label: str, limits: ImportLimits) -> Iterator[tuple[int, list[str]]]:
    """Each record with its number (a quoted cell may span lines; a record is one row)."""
    text = decode(data, label)
    reader = csv.reader(_bounded_lines(text, label, limits), strict=True)
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, cells
    except csv.Error as exc:
        detail = str(exc)
        if "field larger than field limit" in detail:
            raise refuse(
                label,
                number + 1,
                FILE,
                N_("a cell is longer than {limit:,} characters"),
                limit=limits.max_cell_chars,
            ) from exc
        if "unexpected end of data" in detail:
            raise refuse(
                label,
                number + 1,
                FILE,
                N_("malformed CSV: the file ends inside a quoted cell (cut short?)"),
            ) from exc
        raise refuse(label, number + 1, FILE, N_("malformed CSV: {detail}"), detail=detail) from exc


def _bounded_lines(text: str, label: str, limits: ImportLimits) -> Iterator[str]:
    for line_number, line in enumerate(io.StringIO(text, newline=""), start=1):
        if len(line) > limits.max_line_chars:
            raise refuse(
                label,
                line_number,
                FILE,
                N_("line {line} is longer than {limit:,} characters"),
                line=line_number,
                limit=limits.max_line_chars,
            )
        yield line
