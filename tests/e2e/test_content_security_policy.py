"""In a real browser the strict Content-Security-Policy blocks nothing our pages use: htmx,
the confirmation script, the stylesheet and the inline SVG charts all work under it."""

from __future__ import annotations

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect
from tests.e2e.test_advisor_page import fill_graduate_profile

pytestmark = pytest.mark.e2e


def test_the_advisor_works_without_any_policy_violation(page: Page, base_url: str) -> None:
    complaints: list[str] = []

    def listen(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            complaints.append(message.text)

    page.on("console", listen)
    response = page.goto(f"{base_url}/advisor?lang=en")
    assert response is not None
    assert "script-src 'self'" in response.headers["content-security-policy"]
    fill_graduate_profile(page)
    page.click("button[type=submit]")
    expect(page.locator("#result li.path").first).to_be_visible()
    expect(page.locator("#result figure.chart svg rect")).to_have_count(15)
    assert page.evaluate("typeof window.htmx") == "object"
    assert complaints == []
