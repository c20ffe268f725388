"""CSV in UTF-8 (with or without BOM) and CP932, and XLSX, read into numbered rows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from altmatch.io.tabular import RowError, TableError, read_table

TEXT = "candidate_id,name\nC1,山田 花子\n\nC2,Zoë\n"


def errors_of(path: Path, **kw: int) -> list[str]:
    with pytest.raises(TableError) as caught:
        read_table(path, **kw)
    return [str(e) for e in caught.value.errors]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_utf8_with_or_without_bom_and_cp932_read_the_same(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "people.csv"
    text = TEXT if encoding != "cp932" else TEXT.replace("Zoë", "Zoe")
    path.write_bytes(text.encode(encoding))
    table = read_table(path)
    assert table.columns == ("candidate_id", "name")
    assert [(r.number, r.cells) for r in table.rows] == [
        (2, ("C1", "山田 花子")),
        (4, ("C2", "Zoë" if encoding != "cp932" else "Zoe")),  # the blank row 3 keeps numbering
    ]


def test_the_sha256_is_of_the_file_bytes(tmp_path: Path) -> None:
    import hashlib

    path = tmp_path / "a.csv"
    path.write_bytes(b"a\n1\n")
    assert read_table(path).sha256 == hashlib.sha256(b"a\n1\n").hexdigest()


def test_row_error_reads_file_row_column_message() -> None:
    assert str(RowError("requests.csv", 4, "capacity", "bad")) == "requests.csv:4:capacity: bad"


def test_latin1_bytes_that_are_neither_utf8_nor_cp932_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes("id,name\nC1,ok\nC2,caf\xe9\n".encode("latin-1"))
    (message,) = errors_of(path)
    assert message.startswith(f"{path}:3:-: neither UTF-8 nor CP932")
    assert "CSV UTF-8" in message


def test_utf16_is_refused_with_how_to_resave(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_bytes("id\nC1\n".encode("utf-16"))
    (message,) = errors_of(path)
    assert f"{path}:0:-: UTF-16 is not accepted" in message


def test_a_workbook_saved_with_a_csv_name_is_recognised(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["id"])  # type: ignore[union-attr]
    book.save(tmp_path / "x.xlsx")
    (tmp_path / "x.csv").write_bytes((tmp_path / "x.xlsx").read_bytes())
    assert "give it the .xlsx suffix" in errors_of(tmp_path / "x.csv")[0]


def test_xlsx_reads_the_first_sheet_with_numbers_and_dates_as_people_write_them(
    tmp_path: Path,
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Request_ID ", "capacity", "start", "ok"])
    sheet.append(["R1", 3, dt.datetime(2026, 8, 1), True])
    sheet.append([None, None, None, None])
    sheet.append(["R2", 2.0, "soon", False])
    book.create_sheet("ignored").append(["nothing"])
    book.save(tmp_path / "r.xlsx")
    table = read_table(tmp_path / "r.xlsx")
    assert table.columns == ("request_id", "capacity", "start", "ok")
    assert [(r.number, r.cells) for r in table.rows] == [
        (2, ("R1", "3", "2026-08-01", "true")),
        (4, ("R2", "2", "soon", "false")),
    ]


def test_a_broken_workbook_is_an_error_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    assert "not a readable .xlsx workbook" in errors_of(path)[0]


def test_limits_on_size_and_rows_are_clear(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_text("id\n" + "".join(f"C{i}\n" for i in range(10)))
    assert "the limit is 10" in errors_of(path, max_bytes=10)[0]
    assert f"{path}:7:-: more than 5 rows" in errors_of(path, max_rows=5)


def test_header_problems_and_ragged_rows_are_all_reported(tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_text("id,,id\n")
    assert errors_of(path) == [
        f"{path}:1:#2: a column has no name",
        f"{path}:1:id: column appears twice",
    ]
    ragged = tmp_path / "r.csv"
    ragged.write_text("id,name\nC1\nC2,b,extra\nC3,c,,\n")
    table_errors = errors_of(ragged)
    assert table_errors == [f"{ragged}:3:-: 3 cells but the header has 2 columns"]


def test_missing_empty_and_foreign_files(tmp_path: Path) -> None:
    assert errors_of(tmp_path / "none.csv") == [f"{tmp_path / 'none.csv'}:0:-: file not found"]
    (tmp_path / "empty.csv").write_text("\n\n")
    assert "no header row" in errors_of(tmp_path / "empty.csv")[0]
    (tmp_path / "old.xls").write_bytes(b"")
    assert "expected a .csv or .xlsx file" in errors_of(tmp_path / "old.xls")[0]


def test_a_malformed_quote_is_reported_with_its_row(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text('id,name\nC1,"unterminated\n')
    assert "malformed CSV" in errors_of(path)[0]


def test_a_bom_promises_utf8_so_bad_bytes_after_it_are_not_read_as_cp932(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbfid\nC1\n" + "東".encode("cp932") + b"\n")
    assert errors_of(path)[0].startswith(
        f"{path}:3:-: starts with a UTF-8 BOM but is not UTF-8 (byte 0x93)"
    )


def test_nul_bytes_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "nul.csv"
    path.write_bytes(b"id\nC\x001\n")
    assert errors_of(path) == [f"{path}:2:-: contains NUL bytes: not a text CSV file"]
