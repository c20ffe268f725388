"""An address nobody serves: a page answers the not-found page in the reader's language, the API
keeps its JSON answer, and neither says more than that."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_an_unknown_page_address_gets_the_not_found_page_in_both_languages(
    client: TestClient,
) -> None:
    english = client.get("/no-such-page")
    japanese = client.get("/no-such-page/deeper?lang=ja")

    for answer in (english, japanese):
        assert answer.status_code == 404
        assert answer.headers["content-type"].startswith("text/html")
        assert 'id="not-found"' in answer.text and 'href="/"' in answer.text
    assert "There is nothing at this address" in english.text
    assert '<html lang="ja">' in japanese.text
    assert "There is nothing at this address" not in japanese.text


def test_the_api_keeps_its_json_answers_for_unknown_addresses_and_methods(
    client: TestClient,
) -> None:
    missing = client.get("/api/v1/no-such-thing")
    wrong_method = client.delete("/api/v1/advice")

    assert missing.status_code == 404 and missing.json() == {"detail": "Not Found"}
    assert wrong_method.status_code == 405 and wrong_method.json() == {
        "detail": "Method Not Allowed"
    }
    assert "allow" in {k.lower() for k in wrong_method.headers}
