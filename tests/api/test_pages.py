"""Server-rendered pages: language choice, field errors, and no external assets."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient


def test_the_home_page_follows_the_language_switch_and_remembers_it(client: TestClient) -> None:
    ja = client.get("/?lang=ja")
    assert ja.status_code == 200 and '<html lang="ja">' in ja.text
    assert "進路アドバイザーを開く" in ja.text
    assert ja.cookies.get("lang") == "ja"
    again = client.get("/advisor")  # the cookie now carries the choice
    assert "進路アドバイザー" in again.text


def test_a_bad_number_is_reported_next_to_its_field_with_422(client: TestClient) -> None:
    form = {"degree": "bachelor", "citizenship": "GB", "english": "native", "alt_years": "-3"}
    response = client.post("/advisor?lang=en", data=form)
    assert response.status_code == 422
    assert 'id="e-alt_years"' in response.text and "must be at least 0" in response.text
    assert 'id="result"' not in response.text


def test_an_unchecked_box_and_blank_fields_mean_defaults(client: TestClient) -> None:
    form = {
        "degree": "bachelor",
        "citizenship": "GB",
        "english": "native",
        "status_of_residence": "",
        "earliest_start": "",
        "priorities.pay": "5",
    }
    response = client.post("/advisor?lang=en", data=form)
    assert response.status_code == 200 and 'id="result"' in response.text


def test_pages_load_no_asset_from_another_host(client: TestClient) -> None:
    for path in ("/", "/advisor"):
        text = client.get(path).text
        for url in re.findall(r'(?:src|href)="([^"]+)"', text):
            assert not url.startswith(("http:", "https:", "//")), url
    assert client.get("/static/htmx-2.0.8.min.js").status_code == 200


def test_the_advisor_asks_for_degree_and_english_rather_than_assuming_them(
    client: TestClient,
) -> None:
    """A visitor who skims the form must not be advised as if they had no degree (issue 17)."""
    page = client.get("/advisor?lang=ja").text
    for name in ("degree", "english"):
        select = re.search(rf'<select id="f-{name}"[^>]*>(.*?)</select>', page, re.S)
        assert select, name
        first = re.search(r"<option([^>]*)>([^<]*)</option>", select.group(1))
        assert first and 'value=""' in first.group(1) and first.group(2) == "選択してください"
        assert "selected" not in select.group(1)
    skipped = client.post("/advisor?lang=en", data={"citizenship": "GB", "degree": ""})
    assert skipped.status_code == 422
    assert 'id="e-degree"' in skipped.text and 'id="e-english"' in skipped.text
    assert 'id="result"' not in skipped.text
