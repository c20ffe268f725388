"""Roster and positions files: every bad cell named by row and column, CSV and XLSX alike."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl

from altmatch.io.positions_file import read_positions_upload
from altmatch.io.roster_file import ROSTER_COLUMNS, read_roster_upload
from altmatch.rulebook.vocabulary import Jlpt, RenewalIntention, SchoolLevel

HEADER = ",".join(ROSTER_COLUMNS) + "\n"
GOOD = (
    "A01,Emily Carter,Hyogo,Kobe,34.69,135.19,elementary;special_needs,yes,n3,2027-03-31,,"
    "Hyogo;Osaka\n"
)


def test_a_good_roster_row_becomes_a_record_with_parsed_values() -> None:
    upload = read_roster_upload((HEADER + GOOD).encode(), "roster.csv")
    assert upload.errors == ()
    (record,) = upload.records
    assert record.school_experience == (SchoolLevel.ELEMENTARY, SchoolLevel.SPECIAL_NEEDS)
    assert record.jlpt is Jlpt.N3 and record.driving_licence
    assert record.contract_end == dt.date(2027, 3, 31)
    assert record.renewal_intention is RenewalIntention.UNDECIDED  # empty: not said yet
    assert record.preferred_prefectures == ("Hyogo", "Osaka")
    assert upload.rows == (2,)


def test_every_bad_roster_cell_is_reported_with_row_and_column() -> None:
    bad = (
        "A01,,Hyogo,Kobe,95,135.19,college,maybe,N6,31/03/2027,perhaps,\n"
        "A01,Liam Walsh,Hyogo,Kobe,34.6,east,,no,none,2027-07-31,leaving,\n"
    )
    upload = read_roster_upload((HEADER + bad).encode(), "roster.csv")
    assert {(e.row, e.column) for e in upload.errors} == {
        (2, "name"),
        (2, "home_latitude"),
        (2, "school_experience"),
        (2, "driving_licence"),
        (2, "jlpt"),
        (2, "contract_end"),
        (2, "renewal_intention"),
        (3, "alt_id"),
        (3, "home_longitude"),
    }
    duplicate = next(e for e in upload.errors if e.column == "alt_id")
    assert duplicate.message == "appears twice (also row 2)"
    assert str(duplicate) == "roster.csv:3:alt_id: appears twice (also row 2)"


def test_a_roster_missing_a_column_or_with_an_unknown_one_is_refused_whole() -> None:
    upload = read_roster_upload(b"alt_id,name,colour\nA01,Emily,red\n", "roster.csv")
    assert upload.records == ()
    columns = {e.column for e in upload.errors}
    assert {"home_prefecture", "contract_end", "colour"} <= columns


def test_a_cp932_csv_and_an_xlsx_roster_read_the_same() -> None:
    japanese = HEADER + GOOD.replace("Kobe", "神戸市")
    from_csv = read_roster_upload(japanese.encode("cp932"), "roster.csv")
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for line in japanese.splitlines():
        sheet.append(line.split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    from_xlsx = read_roster_upload(buffer.getvalue(), "roster.xlsx")
    assert from_csv.errors == from_xlsx.errors == ()
    assert from_csv.records == from_xlsx.records
    assert from_csv.records[0].home_municipality == "神戸市"


def test_a_positions_file_checks_days_duplicates_and_jlpt() -> None:
    content = (
        "position_id,school_id,days_per_week,requires_driving_licence,min_jlpt\n"
        "P1,s01,5,yes,N2\nP2,s02,0,no,\nP1,,3,no,N7\n"
    )
    upload = read_positions_upload(content.encode(), "positions.csv")
    assert {(e.row, e.column) for e in upload.errors} == {
        (3, "days_per_week"),
        (4, "position_id"),
        (4, "school_id"),
        (4, "min_jlpt"),
    }
    first = upload.records[0]
    assert (first.position_id, first.school_id, first.days_per_week) == ("P1", "s01", 5)
    assert first.requires_driving_licence and first.min_jlpt is Jlpt.N2
    assert upload.records[1].min_jlpt is Jlpt.NONE


def test_an_empty_positions_file_is_an_error() -> None:
    upload = read_positions_upload(b"position_id,school_id,days_per_week\n", "p.csv")
    assert [e.message for e in upload.errors] == ["the file has no rows"]
