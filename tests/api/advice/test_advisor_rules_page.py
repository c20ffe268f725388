"""The advisor page with the issue-18 questions: asked, read from the form, answered in Japanese."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient


def _path(page: str, path: str) -> str:
    """The result card of one path (its <li> … </li>)."""
    match = re.search(rf'<li class="path [a-z]+" data-path="{path}">(.*?)\n    </li>', page, re.S)
    assert match, path
    return match.group(1)


def test_the_form_asks_the_new_questions_in_japanese(client: TestClient) -> None:
    page = client.get("/advisor?lang=ja").text
    for label in (
        "英語で授業を受けた就学年数",
        "着任日の年齢",
        "前回のJETの任期が終了した年",
        "辞退したJETの配置の年",
        "日本国籍も持っている",
        "勤務先の都道府県（分かる場合）",
        "3年制の教員養成課程の修了証",
    ):
        assert label in page, label
    assert '<option value="Hyogo" >兵庫県</option>' in page.replace('"Hyogo" selected', '"Hyogo"')
    # optional numbers start empty: an unanswered question is not a zero
    assert re.search(r'id="f-english_education_years"[^>]*value=""', page)


def test_a_french_schooled_graduate_sees_why_dispatch_is_closed_in_japanese(
    client: TestClient,
) -> None:
    form = {
        "degree": "bachelor",
        "citizenship": "FR",
        "english": "fluent",
        "english_education_years": "6",
        "prefecture": "Hyogo",
        "japanese_national": "true",
    }
    dual = client.post("/advisor?lang=ja", data=form)
    assert dual.status_code == 200
    # a Japanese national needs no visa: dispatch open; JET warns about the nationality
    assert 'data-rule="dispatch.language_schooling"' not in _path(dual.text, "dispatch")
    assert 'data-rule="jet.japanese_nationality" data-kind="advisory"' in _path(dual.text, "jet")
    assert "国籍を離脱" in _path(dual.text, "jet")

    # a browser sends no field for an unticked box
    unticked = {k: v for k, v in form.items() if k != "japanese_national"}
    foreign = client.post("/advisor?lang=ja", data=unticked)
    card = _path(foreign.text, "dispatch")
    assert 'data-rule="dispatch.language_schooling"' in card
    assert "英語で12年以上の教育" in card
    # the form keeps the answers it was sent
    assert re.search(r'id="f-english_education_years"[^>]*value="6"', foreign.text)


def test_an_unanswered_question_is_listed_to_check_not_guessed(client: TestClient) -> None:
    form = {"degree": "bachelor", "citizenship": "GB", "english": "native"}
    page = client.post("/advisor?lang=en", data=form).text
    card = _path(page, "dispatch")
    assert "Check before you apply" in card
    assert 'data-rule="dispatch.language_schooling" data-kind="unanswered"' in card
    assert "Tell us how many years of your schooling were taught in English" in card
