"""The roster file's optional compliance dates: read when given, each bad cell named by row and
column, and whether the file has the columns at all (an older file must not erase them)."""

from __future__ import annotations

import datetime as dt

from altmatch.io.roster_file import read_roster_upload

BASE = "alt_id,name,home_prefecture,home_municipality,home_latitude,home_longitude,contract_end"
ROW = "{alt},Emily Carter,Hyogo,Kobe,34.69,135.19,2027-03-31"


def test_the_dates_are_read_and_an_empty_cell_is_none() -> None:
    text = (
        f"{BASE},employed_since,residence_card_expires_on\n"
        f"{ROW.format(alt='A01')},2022-04-01,２０２７－０２－０１\n"
        f"{ROW.format(alt='A02')},,\n"
    )
    upload = read_roster_upload(text.encode(), "roster.csv")
    assert upload.errors == ()
    first, second = upload.records
    assert (first.employed_since, first.residence_card_expires_on) == (
        dt.date(2022, 4, 1),
        dt.date(2027, 2, 1),  # full-width digits, as Japanese input methods type them
    )
    assert (second.employed_since, second.residence_card_expires_on) == (None, None)
    assert upload.given == {"employed_since", "residence_card_expires_on"}


def test_bad_dates_and_a_first_contract_after_the_contract_end_are_named() -> None:
    text = (
        f"{BASE},employed_since,residence_card_expires_on\n"
        f"{ROW.format(alt='A01')},01/04/2022,soon\n"
        f"{ROW.format(alt='A02')},2027-04-01,\n"
    )
    upload = read_roster_upload(text.encode(), "roster.csv")
    assert {(e.row, e.column) for e in upload.errors} == {
        (2, "employed_since"),
        (2, "residence_card_expires_on"),
        (3, "employed_since"),
    }
    late = next(e for e in upload.errors if e.row == 3)
    assert late.message == "must be on or before contract_end (2027-03-31), got 2027-04-01"


def test_a_file_without_the_columns_says_so() -> None:
    upload = read_roster_upload(f"{BASE}\n{ROW.format(alt='A01')}\n".encode(), "roster.csv")
    assert upload.errors == () and upload.given == frozenset()
    assert upload.records[0].employed_since is None
    only_card = f"{BASE},residence_card_expires_on\n{ROW.format(alt='A01')},2027-02-01\n"
    assert read_roster_upload(only_card.encode(), "r.csv").given == {"residence_card_expires_on"}
