"""Money and times on pages are written the reader's way."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi.testclient import TestClient

from altmatch.i18n import use_locale
from altmatch.web.pages.templating import _tokyo_time, _yen

DEADLINE = datetime(2027, 1, 31, 8, 0, tzinfo=UTC)  # 17:00 in Japan


def test_yen_follows_the_locale() -> None:
    with use_locale("en"):
        assert _yen(2828816) == "¥2,828,816"
    with use_locale("ja"):
        assert _yen(2828816) == "￥2,828,816"  # CLDR's full-width sign for Japanese


def test_times_are_shown_in_japan_time_in_each_language() -> None:
    with use_locale("en"):
        assert _tokyo_time(DEADLINE) == "31 Jan 2027, 17:00 JST"
    with use_locale("ja"):
        assert _tokyo_time(DEADLINE) == "2027年1月31日 17:00"


def test_the_advisor_result_writes_yen_the_japanese_way(client: TestClient) -> None:
    form = {"degree": "bachelor", "citizenship": "GB", "english": "native"}
    page = client.post("/advisor?lang=ja", data=form)
    assert page.status_code == 200
    assert "￥" in page.text
