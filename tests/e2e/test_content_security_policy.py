"""In a real browser the strict Content-Security-Policy blocks nothing our pages use: htmx,
the confirmation script, the stylesheet and the inline SVG charts all work under it."""

from __future__ import annotations

import pytest
from playwright.sync_api import ConsoleMessage, Page, Route, expect
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


def test_the_api_docs_draw_offline_under_their_policy(page: Page, base_url: str) -> None:
    """Swagger UI comes from this server alone: every request other hosts would get is refused
    here, and the operations are still drawn with no policy violation."""
    complaints: list[str] = []
    elsewhere: list[str] = []
    page.on(
        "console",
        lambda m: (
            complaints.append(m.text)
            if "Content Security Policy" in m.text or "Refused to" in m.text
            else None
        ),
    )

    def only_here(route: Route) -> None:
        if route.request.url.startswith(base_url):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    page.route("**/*", only_here)
    page.goto(f"{base_url}/advisor?lang=en")
    page.click("#footer-api")
    # Every request passes through the route handler above, which slows Swagger UI's 1.5 MB of
    # script on a loaded machine: allow it time to draw.
    expect(page.locator(".opblock").first).to_be_visible(timeout=30_000)
    assert page.locator(".opblock").count() > 50
    assert elsewhere == [] and complaints == []
