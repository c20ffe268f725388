"""The JSON API's 422 says what is wrong in the reader's language (the catalog's sentence, never
pydantic's English) and keeps pydantic's `type` and `loc` for programs."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from tests.api.helpers import SAME_ORIGIN, MakeAccount, sign_in

from altmatch.domain.access import Role

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
POSTING = {
    "title_en": "ALT for elementary schools",
    "title_ja": "小学校のALT",
    "school_levels": [],  # at least one is needed
    "openings": 1,
    "min_alt_years": -1,  # at least 0
    "monthly_pay": 300_000,
    "start": "2027-04-01",
    "closes_on": "2027-02-01",
}


def _refused(client: TestClient, query: str) -> dict[str, dict[str, object]]:
    response = client.post(f"/api/v1/boe/postings{query}", json=POSTING, headers=SAME_ORIGIN)
    assert response.status_code == 422, response.text
    return {str(e["loc"][-1]): e for e in response.json()["detail"]}


def test_a_too_short_list_and_a_low_number_are_refused_in_japanese(
    client: TestClient, make_account: MakeAccount
) -> None:
    sign_in(client, make_account(Role.BOE_STAFF))
    ja = _refused(client, "?lang=ja")
    assert ja["school_levels"]["type"] == "too_short"
    assert ja["school_levels"]["loc"] == ["body", "school_levels"]
    assert ja["school_levels"]["msg"] == "1つ以上選んでください"
    assert ja["min_alt_years"]["type"] == "greater_than_equal"
    assert ja["min_alt_years"]["msg"] == "0以上にしてください"
    for error in ja.values():
        assert JAPANESE.search(str(error["msg"])), error
        assert set(error) == {"loc", "msg", "type"}  # never the input


def test_english_readers_get_the_catalogs_sentence_not_pydantics(
    client: TestClient, make_account: MakeAccount
) -> None:
    sign_in(client, make_account(Role.BOE_STAFF))
    en = _refused(client, "?lang=en")
    assert en["school_levels"]["msg"] == "choose at least 1"
    assert en["min_alt_years"]["msg"] == "must be at least 0"
    for error in en.values():
        assert "should" not in str(error["msg"]) and "List" not in str(error["msg"])
