"""Two-factor sign-in in Chromium: a staff member reads the secret off the set-up page, turns it
on, signs out, and signs in again with a code computed as their phone would."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable

import pyotp
import pytest
from playwright.sync_api import Page, expect

from altmatch.config import Settings
from altmatch.db import Sessions, make_engine, session_factory
from altmatch.domain.access import OPERATOR, OrgKind, Role
from altmatch.services.accounts.users import create_organisation, create_user

pytestmark = pytest.mark.e2e
Shot = Callable[[Page, str], object]
PASSWORD = "correct horse battery"


def _company_staff(settings: Settings) -> str:
    engine = make_engine(settings)
    sessions: Sessions = session_factory(engine)
    tag = secrets.token_hex(3)
    company = create_organisation(
        sessions,
        actor=OPERATOR,
        kind=OrgKind.COMPANY,
        name_en=f"Sakura ALT {tag}",
        name_ja=f"さくらALT {tag}",
    )
    email = create_user(
        sessions,
        actor=OPERATOR,
        email=f"sato-{tag}@example.org",
        display_name="Hiroshi Sato",
        role=Role.COMPANY_STAFF,
        password=PASSWORD,
        organisation_id=company.id,
    ).email
    engine.dispose()
    return email


def _settle() -> None:
    """Keep clear of the end of a 30-second step, so each code is still current when sent."""
    left = 30 - time.time() % 30
    if left < 4:
        time.sleep(left + 0.2)


def test_staff_turn_on_two_factor_and_sign_in_with_a_code(
    page: Page, base_url: str, e2e_settings: Settings, screenshot: Shot
) -> None:
    email = _company_staff(e2e_settings)
    page.goto(f"{base_url}/sign-in?next=/account")
    page.fill("#f-email", email)
    page.fill("#f-password", PASSWORD)
    page.click("form.auth button[type=submit]")
    expect(page).to_have_url(f"{base_url}/account")

    page.click("#two-factor-link")
    expect(page).to_have_url(f"{base_url}/account/two-factor")
    expect(page.locator("figure.qr svg")).to_be_visible()
    secret = page.locator("#totp-secret").inner_text().strip()
    totp = pyotp.TOTP(secret)
    screenshot(page, "two-factor-setup")
    _settle()
    page.fill("#f-code", totp.at(time.time() - 30))  # the previous step: the next one stays free
    page.click("#enable-form button[type=submit]")
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    expect(page.locator("#two-factor-status")).to_have_attribute("data-enabled", "true")
    recovery = page.locator("#recovery-codes li").first.inner_text().strip()
    screenshot(page, "two-factor-recovery-codes")

    page.click("header form.inline button")  # sign out
    page.goto(f"{base_url}/sign-in?next=/account")
    page.fill("#f-email", email)
    page.fill("#f-password", PASSWORD)
    page.click("form.auth button[type=submit]")
    expect(page.locator("#sign-in-code")).to_be_visible()
    expect(page.locator("#nav-user")).to_have_count(0)  # no session yet
    page.fill("#f-code", "000000")
    page.click("#sign-in-code button[type=submit]")
    expect(page.locator("#sign-in-error")).to_be_visible()
    screenshot(page, "two-factor-sign-in")
    _settle()
    page.fill("#f-code", totp.now())
    page.click("#sign-in-code button[type=submit]")
    expect(page).to_have_url(f"{base_url}/account")
    expect(page.locator("#nav-user")).to_have_text("Hiroshi Sato")

    # Turning it off takes a code (here a recovery code), after a confirmation; at 320 px.
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"{base_url}/account/two-factor?lang=ja")
    expect(page.locator("#disable-form input[type=password]")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.on("dialog", lambda dialog: dialog.accept())
    page.fill("#off-code", "000000")
    page.click("#disable-form button[type=submit]")
    expect(page.locator("#off-error")).to_be_visible()
    page.fill("#off-code", recovery)
    page.click("#disable-form button[type=submit]")
    expect(page.locator("#two-factor-status")).to_have_attribute("data-enabled", "false")
