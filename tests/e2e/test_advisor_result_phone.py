"""The advisor's whole comparison on a 320 px phone, in both languages: every new part of it
(caveats, pay assumptions, the national insurance table, the plan, the decision topics and the
rubric) fits the width, reads in the page's language and passes axe."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser
from tests.e2e.test_persona_walk import english_place_names, untranslated_texts

pytestmark = pytest.mark.e2e

_TEXTS = """() => Array.from(document.querySelectorAll('#result *'))
  .filter(el => el.children.length === 0 && el.offsetParent !== null && !el.closest('[lang="en"]'))
  .map(el => el.textContent.trim()).filter(Boolean)"""


@pytest.mark.parametrize("locale", ["en", "ja"])
def test_the_whole_comparison_fits_a_phone_and_passes_axe(
    browser: Browser, base_url: str, locale: str
) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 800})
    page = context.new_page()
    page.goto(f"{base_url}/advisor?lang={locale}")
    page.select_option("#f-degree", "bachelor")
    page.select_option("#f-citizenship", "FR")
    page.select_option("#f-english", "fluent")
    page.fill("#f-age", "45")  # nursing-care insurance
    page.select_option("#f-prefecture", "Hyogo")
    page.check("#f-japanese_national")  # a dual national: dispatch open, JET warns
    page.click("#compare")
    page.wait_for_selector("#result")
    for part in (
        '.caveats [data-rule="jet.japanese_nationality"]',
        "table.pay[data-scheme=national]",
        "ol.plan li",
        "details.topic",
        "table.rubric",
    ):
        assert page.locator(part).count() > 0, part
    # fold every topic open, so what they hide is measured and checked too
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    wide = int(page.evaluate("document.documentElement.scrollWidth"))
    assert wide <= 320, f"{wide} px wide at 320 px"
    if locale == "ja":
        texts = page.evaluate(_TEXTS)
        assert untranslated_texts(texts) == []
        assert english_place_names(texts) == []
    serious = [
        v["id"]
        for v in Axe().run(page).response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]
    assert serious == []
    context.close()
