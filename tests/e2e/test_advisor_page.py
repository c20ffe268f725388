"""A person fills the advisor form in Chromium and reads the comparison, in English and Japanese."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e
Shot = Callable[[Page, str], object]

PROFILE = {
    "degree": "bachelor",
    "citizenship": "GB",
    "english": "native",
    "earliest_start": "2027-08-01",
    "priorities": {
        "pay": 3,
        "stability": 2,
        "support": 2,
        "location": 1,
        "prestige": 1,
        "speed": 1,
    },
}


def fill_graduate_profile(page: Page) -> None:
    page.select_option("#f-degree", "bachelor")
    page.select_option("#f-citizenship", "GB")
    page.select_option("#f-english", "native")
    page.fill("#f-earliest_start", "2027-08-01")
    for key, value in PROFILE["priorities"].items():  # type: ignore[attr-defined]
        page.fill(f"#f-priorities-{key}", str(value))


def test_a_graduate_compares_paths_in_english(page: Page, base_url: str, screenshot: Shot) -> None:
    page.goto(f"{base_url}/advisor?lang=en")
    expect(page.locator("h1")).to_have_text("Path advisor")
    fill_graduate_profile(page)
    screenshot(page, "advisor-form-en")
    page.click("button[type=submit]")

    result = page.locator("#result")
    expect(result).to_be_visible()
    api = httpx.post(f"{base_url}/api/v1/advice?lang=en", json=PROFILE).json()
    names = result.locator("li.path .name").all_inner_texts()
    assert names == [p["name"] for p in api["paths"]]
    direct = result.locator('li.path[data-path="direct_hire"]')
    expect(direct.locator(".badge")).to_have_text("Not open to you yet")
    expect(direct.locator('[data-rule="direct_hire.resident"]')).to_be_visible()
    jet_api = next(p for p in api["paths"] if p["path"] == "jet")
    jet_rows = result.locator('table.pay[data-path="jet"] td.take-home').all_inner_texts()
    assert jet_rows == [f"¥{y['take_home']:,}" for y in jet_api["pay"]]
    expect(result.locator("figure.chart svg rect")).to_have_count(15)
    # The chart's numbers stand beside it: one row per year, one column per path.
    figures = result.locator("#take-home-figures tbody tr")
    expect(figures).to_have_count(len(jet_api["pay"]))
    jet_column = [p["path"] for p in api["paths"]].index("jet") + 2
    assert figures.locator(f"td:nth-child({jet_column})").all_inner_texts() == jet_rows
    screenshot(page, "advisor-result-en")

    page.click("form.save button")
    expect(page.locator("#saved-link")).to_be_visible()
    assert "/advisor/saved/" in page.url
    expect(page.locator("li.path .name")).to_have_text(names)
    expect(page.locator("#f-citizenship")).to_have_value("GB")


def test_the_language_switch_gives_the_whole_comparison_in_japanese(
    page: Page, base_url: str, screenshot: Shot
) -> None:
    page.goto(f"{base_url}/advisor?lang=en")
    page.click("a[hreflang=ja]")
    expect(page.locator("h1")).to_have_text("進路アドバイザー")
    fill_graduate_profile(page)
    page.click("button[type=submit]")
    result = page.locator("#result")
    expect(result).to_be_visible()
    expect(result.locator('li.path[data-path="jet"] h3')).to_contain_text("JETプログラム")
    expect(result.locator('li.path[data-path="direct_hire"] .badge')).to_have_text(
        "まだ応募できません"
    )
    assert page.locator("html").get_attribute("lang") == "ja"
    screenshot(page, "advisor-result-ja")


def test_a_bad_value_is_shown_next_to_its_field(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/advisor?lang=en")
    page.select_option("#f-degree", "bachelor")
    page.select_option("#f-english", "native")
    page.select_option("#f-residence", "overseas")
    page.select_option("#f-status_of_residence", "instructor")
    page.select_option("#f-citizenship", "GB")
    page.click("button[type=submit]")
    expect(page.locator(".error-summary")).to_contain_text("status of residence")
    expect(page.locator("#result")).to_have_count(0)


def test_the_comparison_opens_at_its_results_and_survives_a_language_switch(
    page: Page, base_url: str
) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{base_url}/advisor?lang=en")
    fill_graduate_profile(page)
    page.click("#compare")

    result = page.locator("#result")
    expect(result).to_be_visible()
    # Answered to a POST: the answers are in no address (history, logs), only the anchor is.
    assert page.url == f"{base_url}/advisor#result"
    top = result.bounding_box()
    assert top is not None and -2 <= top["y"] < 50  # the results, not the form or the page end
    names = result.locator("li.path .name").all_inner_texts()

    page.click("header button[data-lang=ja]")
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(result.locator('li.path[data-path="jet"] h3')).to_contain_text("JETプログラム")
    assert len(result.locator("li.path .name").all_inner_texts()) == len(names)
    expect(page.locator("#f-citizenship")).to_have_value("GB")
    expect(page.locator("#f-degree")).to_have_value("bachelor")
    assert "citizenship" not in page.url
