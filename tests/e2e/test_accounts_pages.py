"""A candidate signs up, out, in and deletes their account in Chromium, with its real headers."""

from __future__ import annotations

import secrets
from collections.abc import Callable

import pytest
from playwright.sync_api import Dialog, Page, expect

pytestmark = pytest.mark.e2e
Shot = Callable[[Page, str], object]
PASSWORD = "correct horse battery"
NEW_PASSWORD = "a brand new passphrase"


def test_a_candidate_signs_up_in_japanese_then_out_in_and_deletes_the_account(
    page: Page, base_url: str, screenshot: Shot
) -> None:
    email = f"emily-{secrets.token_hex(4)}@example.org"
    page.goto(f"{base_url}/sign-up?lang=ja")
    expect(page.locator("#consent h2")).to_have_text("altmatchにおける個人情報の取り扱い")
    page.fill("#f-display_name", "Emily Carter")
    page.fill("#f-email", email)
    page.fill("#f-password", PASSWORD)
    page.fill("#f-password_again", PASSWORD)
    page.check("#f-consent")
    screenshot(page, "sign-up-ja")
    page.click("form.auth button[type=submit]")

    # The same answer whether or not the address had an account: sign in now.
    expect(page.locator("#sign-up-notice")).to_be_visible()
    expect(page.locator("#f-email")).to_have_value(email)
    page.fill("#f-password", PASSWORD)
    page.click("form.auth button[type=submit]")
    expect(page).to_have_url(f"{base_url}/")  # the home page: their next steps
    expect(page.locator("#next-steps")).to_be_visible()
    page.click("#nav-user")
    expect(page).to_have_url(f"{base_url}/account")
    expect(page.locator("#nav-user")).to_have_text("Emily Carter")
    expect(page.locator("#account-details")).to_contain_text(email)

    page.click("header form.inline button")  # sign out: a real same-origin POST
    expect(page.locator("header")).to_contain_text("ログイン")
    page.goto(f"{base_url}/account")
    expect(page).to_have_url(f"{base_url}/sign-in?next=%2Faccount")
    page.fill("#f-email", email.upper())
    page.fill("#f-password", PASSWORD)
    page.click("form.auth button[type=submit]")
    expect(page).to_have_url(f"{base_url}/account")

    page.fill("#f-current_password", PASSWORD)
    page.fill("#f-new_password", NEW_PASSWORD)
    page.fill("#f-new_password_again", NEW_PASSWORD)
    page.click("#password-form button[type=submit]")
    expect(page.locator("#account-notice")).to_be_visible()

    page.set_viewport_size({"width": 320, "height": 800})  # a small phone, in Japanese
    page.goto(f"{base_url}/account?lang=ja")
    expect(page.locator("#sign-out-everywhere-form button")).to_have_text(
        "すべての端末からサインアウト"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 320  # nothing sideways
    screenshot(page, "account-320-ja")
    asked: list[str] = []

    def dismiss_then_accept(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.dismiss() if len(asked) == 1 else dialog.accept()

    page.on("dialog", dismiss_then_accept)
    page.click("#sign-out-everywhere-form button")  # dismissed: nothing happens
    expect(page).to_have_url(f"{base_url}/account?lang=ja")
    page.click("#sign-out-everywhere-form button")
    expect(page).to_have_url(f"{base_url}/")
    assert asked[0] == "この端末を含め、すべての端末からサインアウトしますか？"
    page.goto(f"{base_url}/account")
    expect(page).to_have_url(f"{base_url}/sign-in?next=%2Faccount")
    page.fill("#f-email", email)
    page.fill("#f-password", NEW_PASSWORD)
    page.click("form.auth button[type=submit]")
    expect(page).to_have_url(f"{base_url}/account")

    page.set_viewport_size({"width": 320, "height": 800})  # the deletion page, on a phone
    page.goto(f"{base_url}/account?lang=ja")
    page.click("#delete-link")
    expect(page).to_have_url(f"{base_url}/account/delete")
    expect(page.locator("#kept article")).to_have_count(4)  # every kind the rulebook keeps
    expect(page.locator("#kept")).to_contain_text("労働基準法第109条")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320  # nothing sideways
    screenshot(page, "account-delete-320-ja")
    page.fill("#f-confirm_email", email)
    page.click(".account-delete button.danger")
    expect(page.locator("#account-deleted")).to_be_visible()
    expect(page.locator("header")).not_to_contain_text("Emily Carter")


def test_a_wrong_password_is_explained_on_the_sign_in_page(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/sign-in?lang=en")
    page.fill("#f-email", "nobody@example.org")
    page.fill("#f-password", "not the password")
    page.click("form.auth button[type=submit]")
    expect(page.locator("#sign-in-error")).to_have_text("Wrong email or password.")
