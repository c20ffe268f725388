"""Exports neutralise formula injection in CSV and XLSX, keep numbers and Japanese intact."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest

from altmatch.io.export import ExportCell, export_rows, neutralise

HEADER = ("candidate_id", "note")
TRIGGERS = [
    "=1+2",
    "+81 90 1234 5678",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=cmd|' /C calc'!A0",
    "\r=1+2",
    '  =HYPERLINK("http://evil.example")',
    "\u3000=1+2",  # after an ideographic (full-width) space
    "＝1+2",
    "＋1",
    "－1",
    "＠SUM(A1)",
]


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def read_xlsx(data: bytes) -> list[tuple[object, ...]]:
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    return list(workbook.worksheets[0].iter_rows(values_only=True))


@pytest.mark.parametrize("text", TRIGGERS)
def test_a_formula_trigger_in_csv_is_prefixed_with_a_quote(text: str) -> None:
    rows = read_csv(export_rows(HEADER, [("C1", text)], "csv"))
    assert rows[1] == ["C1", "'" + text]


@pytest.mark.parametrize("text", TRIGGERS)
def test_a_formula_trigger_in_xlsx_is_stored_as_quoted_text_not_a_formula(text: str) -> None:
    data = export_rows(HEADER, [("C1", text)], "xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    cell = workbook.worksheets[0]["B2"]
    assert cell.data_type == "s"
    assert cell.value == "'" + text.replace("\r", "\n")  # XML reads a lone CR back as LF


@pytest.mark.parametrize("text", ["Kobe", "1+2", "a=b", "メール@例", "", "C-01", "'already"])
def test_harmless_text_is_left_alone(text: str) -> None:
    assert neutralise(text) == text
    assert read_csv(export_rows(HEADER, [("C1", text)], "csv"))[1] == ["C1", text]


def test_the_header_is_neutralised_too() -> None:
    assert read_csv(export_rows(("id", "=evil"), [], "csv"))[0] == ["id", "'=evil"]
    assert read_xlsx(export_rows(("id", "=evil"), [], "xlsx"))[0] == ("id", "'=evil")


def test_negative_numbers_stay_numbers_in_both_formats() -> None:
    rows: list[tuple[ExportCell, ...]] = [("C1", -5, -2.5, 0)]
    header = ("id", "change", "delta", "zero")
    assert read_csv(export_rows(header, rows, "csv"))[1] == ["C1", "-5", "-2.5", "0"]
    values = read_xlsx(export_rows(header, rows, "xlsx"))[1]
    assert values == ("C1", -5, -2.5, 0)
    assert isinstance(values[1], int) and isinstance(values[2], float)


def test_csv_has_a_bom_by_default_so_japanese_excel_reads_utf8() -> None:
    data = export_rows(HEADER, [("C1", "兵庫県")], "csv")
    assert data.startswith(b"\xef\xbb\xbf")
    assert not export_rows(HEADER, [("C1", "兵庫県")], "csv", excel_bom=False).startswith(
        b"\xef\xbb\xbf"
    )


def test_japanese_text_round_trips_in_csv_and_xlsx() -> None:
    rows: list[tuple[ExportCell, ...]] = [("豊岡市教育委員会", "教員免許あり"), ("山田 花子", None)]
    header = ("教育委員会", "備考")
    assert read_csv(export_rows(header, rows, "csv")) == [
        ["教育委員会", "備考"],
        ["豊岡市教育委員会", "教員免許あり"],
        ["山田 花子", ""],
    ]
    assert read_xlsx(export_rows(header, rows, "xlsx")) == [
        ("教育委員会", "備考"),
        ("豊岡市教育委員会", "教員免許あり"),
        ("山田 花子", None),
    ]


def test_xlsx_has_a_bold_frozen_header_and_fitted_columns() -> None:
    rows: list[tuple[ExportCell, ...]] = [("C1", "Toyooka City BoE " * 3)]
    workbook = openpyxl.load_workbook(io.BytesIO(export_rows(HEADER, rows, "xlsx")))
    sheet = workbook.worksheets[0]
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.b and not sheet["A2"].font.b
    assert 8 <= sheet.column_dimensions["A"].width < sheet.column_dimensions["B"].width <= 60


def test_dates_booleans_and_empty_cells_are_written_plainly() -> None:
    rows: list[tuple[ExportCell, ...]] = [(dt.date(2026, 4, 1), True, None)]
    header = ("start", "licence", "notes")
    assert read_csv(export_rows(header, rows, "csv"))[1] == ["2026-04-01", "true", ""]
    values = read_xlsx(export_rows(header, rows, "xlsx"))[1]
    assert values == (dt.datetime(2026, 4, 1), True, None)


def test_xlsx_drops_control_characters_it_cannot_store() -> None:
    values = read_xlsx(export_rows(HEADER, [("C1", "bell\x07 here")], "xlsx"))[1]
    assert values == ("C1", "bell here")


def test_a_large_export_streams_every_row() -> None:
    rows = ((f"C{i:05d}", -i) for i in range(20_000))
    values = read_xlsx(export_rows(("id", "n"), rows, "xlsx"))
    assert len(values) == 20_001 and values[-1] == ("C19999", -19999)


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="csv or xlsx"):
        export_rows(HEADER, [], "pdf")  # type: ignore[arg-type]
