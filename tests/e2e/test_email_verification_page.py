"""A candidate confirms their address in Chromium, in Japanese on a phone: the link from the mail
folder opens a page that changes nothing, signing in comes back to it, and one button confirms."""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from altmatch.config import Settings
from altmatch.services.kernel.mail import folder_messages

pytestmark = pytest.mark.e2e
Shot = Callable[[Page, str], object]
PASSWORD = "correct horse battery"


def _link_to(settings: Settings, email: str) -> str:
    """The link in the e-mail to `email` (sent just after the sign-up's answer)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for message in folder_messages(settings.mail_folder):
            if message.to == email:
                found = re.search(r"(http://\S+/verify-email\?\S+)", message.body)
                assert found, message.body
                return found.group(1)
        time.sleep(0.1)
    raise AssertionError(f"no e-mail to {email} in {settings.mail_folder}")


def test_a_candidate_confirms_their_address_on_a_phone_in_japanese(
    page: Page, base_url: str, e2e_settings: Settings, screenshot: Shot
) -> None:
    email = f"kenji-{secrets.token_hex(4)}@example.jp"
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base_url}/sign-up?lang=ja")
    page.fill("#f-display_name", "山田 健二")
    page.fill("#f-email", email)
    page.fill("#f-password", PASSWORD)
    page.fill("#f-password_again", PASSWORD)
    page.check("#f-consent")
    page.click("form.auth button[type=submit]")
    expect(page.locator("#sign-up-notice")).to_contain_text("メール")

    link = _link_to(e2e_settings, email)
    assert "lang=ja" in link
    page.goto(link)
    expect(page.locator("h1")).to_have_text("メールアドレスの確認")
    expect(page.locator("#set-up-form")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing sideways
    screenshot(page, "verify-email-390-ja")

    page.click("#sign-in-link")
    page.fill("#f-email", email)
    page.fill("#f-password", PASSWORD)
    page.click("form.auth button[type=submit]")
    expect(page.locator("#confirm-form")).to_be_visible()  # back on the link's page
    page.goto(f"{base_url}/account")
    expect(page.locator("#email-status")).to_have_attribute("data-confirmed", "false")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "account-unconfirmed-390-ja")
    page.go_back()
    page.click("#confirm-form button")

    expect(page.locator("#verify-done")).to_contain_text(email)
    page.goto(f"{base_url}/account")
    expect(page.locator("#email-status")).to_have_attribute("data-confirmed", "true")
