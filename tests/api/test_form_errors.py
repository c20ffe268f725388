"""A refused form reads the same way on every page, in the reader's language: a summary at the
top names each field (a link to it) with its catalog message, the message sits beside the field
too (aria-invalid, aria-describedby), and no pydantic English reaches the page."""

from __future__ import annotations

import re
from html import escape

from fastapi.testclient import TestClient
from tests.api.helpers import SAME_ORIGIN, MakeAccount, sign_in

from altmatch.domain.access import Role
from altmatch.i18n import render

SUMMARY = r'<div class="error-summary" role="alert" id="form-error">(.*?)</div>'
PYDANTIC_ENGLISH = ("Input should", "Field required", "String should", "List should", "Value error")


def _ja(msgid: str) -> str:
    translated = render(msgid, "ja")
    assert translated != msgid, f"no Japanese for {msgid!r}"
    return translated


def assert_reported(page: str, field: str, label: str, message: str) -> None:
    """`message` is in the summary, linked to `field` under its `label`, and beside the field."""
    summary = re.search(SUMMARY, page)
    assert summary, "no error summary"
    link = f'<a href="#f-{field}">{escape(label)}</a>'
    item = f'<li data-field="{field}">{link}: {escape(message)}</li>'
    assert item in summary.group(1)
    assert f'id="f-{field}"' in page
    assert f'<p class="error" id="e-{field}">{escape(message)}</p>' in page
    for english in PYDANTIC_ENGLISH:
        assert english not in page


def test_the_advisor_reports_bad_numbers_in_japanese(client: TestClient) -> None:
    form = {
        "degree": "bachelor",
        "citizenship": "GB",
        "english": "native",
        "alt_years": "-3",
        "teaching_years": "many",
    }
    page = client.post("/advisor?lang=ja", data=form)
    assert page.status_code == 422
    assert _ja("Please check these fields") in page.text
    assert_reported(page.text, "alt_years", _ja("Years as an ALT"), "0以上にしてください")
    assert_reported(
        page.text,
        "teaching_years",
        _ja("Years of teaching experience"),
        _ja("enter a whole number"),
    )
    assert 'aria-invalid="true" aria-describedby="e-alt_years"' in page.text
    assert 'id="result"' not in page.text


def test_sign_up_reports_a_password_mismatch_beside_the_second_password(
    client: TestClient,
) -> None:
    form = {
        "email": "emily@example.org",
        "display_name": "Emily Carter",
        "password": "correct horse battery",
        "password_again": "correct horse batter",
        "consent": "yes",
    }
    page = client.post("/sign-up?lang=ja", data=form, headers=SAME_ORIGIN)
    assert page.status_code == 400
    assert_reported(
        page.text,
        "password_again",
        _ja("The same password again"),
        _ja("The two passwords differ."),
    )
    assert 'value="emily@example.org"' in page.text  # the input is kept


def test_a_boe_posting_form_reports_each_field_in_japanese(
    client: TestClient, make_account: MakeAccount
) -> None:
    sign_in(client, make_account(Role.BOE_STAFF))
    form = {
        "title_ja": "小学校のALT",
        "openings": "1",
        "min_alt_years": "-1",
        "monthly_pay": "lots",
        "start": "2027-04-01",
        "closes_on": "2027-02-01",
    }  # no English title, no school level
    page = client.post("/boe/postings?lang=ja", data=form, headers=SAME_ORIGIN)
    assert page.status_code == 422
    text = page.text
    assert_reported(text, "title_en", _ja("Title (English)"), _ja("this field is required"))
    assert_reported(text, "school_levels", _ja("School levels"), "1つ以上選んでください")
    assert_reported(text, "min_alt_years", _ja("Minimum years as an ALT"), "0以上にしてください")
    assert_reported(text, "monthly_pay", _ja("Monthly pay (yen)"), _ja("enter a whole number"))
    # The school levels are labelled by the registry, in Japanese.
    assert _ja("Elementary school") in text and ">elementary<" not in text


def test_a_value_refused_before_the_page_runs_is_explained_in_japanese(
    client: TestClient,
) -> None:
    page = client.get("/postings/not-a-number?lang=ja")
    assert page.status_code == 422 and 'id="refusal"' in page.text
    assert _ja("enter a whole number") in page.text
    for english in PYDANTIC_ENGLISH:
        assert english not in page.text
    api = client.get("/api/v1/postings/not-a-number")  # the API keeps FastAPI's own answer
    assert api.status_code == 422 and api.json()["detail"][0]["type"] == "int_parsing"
