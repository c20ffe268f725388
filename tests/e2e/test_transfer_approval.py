"""An ALT asks for a transfer, company staff propose and approve it, the ALT sees "Approved"."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from tests.dispatch_world import PASSWORD, DispatchWorld, build_dispatch_world

from altmatch.config import Settings
from altmatch.db import make_engine, session_factory
from altmatch.domain.access import OPERATOR, Role
from altmatch.services.accounts.users import create_user

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def world(e2e_settings: Settings) -> Iterator[DispatchWorld]:
    engine = make_engine(e2e_settings)
    sessions = session_factory(engine)
    built = build_dispatch_world(sessions, alt_email="transfer-alt@example.org")
    create_user(
        sessions,
        actor=OPERATOR,
        email="transfer-staff@example.org",
        display_name="Ken Ito",
        role=Role.COMPANY_STAFF,
        password=PASSWORD,
        organisation_id=built.company_id,
    )
    yield built
    engine.dispose()


def _signed_in(browser: Browser, base_url: str, email: str, target: str) -> Page:
    page = browser.new_context(locale="en-GB").new_page()
    page.goto(f"{base_url}/sign-in?next={target}&lang=en")
    page.fill("#f-email", email)
    page.fill("#f-password", PASSWORD)
    page.click("form.auth button[type=submit]")
    expect(page).to_have_url(f"{base_url}{target}")
    return page


def test_an_alts_transfer_is_proposed_approved_and_shown_to_the_alt(
    browser: Browser,
    base_url: str,
    world: DispatchWorld,
    screenshot: Callable[[Page, str], object],
) -> None:
    alt = _signed_in(browser, base_url, "transfer-alt@example.org", "/my/transfers")
    alt.fill("#f-to_prefecture", "Osaka")
    alt.fill("#f-reasons", "My partner works in Osaka.")
    alt.click("#request-transfer")
    expect(alt.locator(".transfer .status")).to_have_text("Pending")

    staff = _signed_in(browser, base_url, "transfer-staff@example.org", "/dispatch/transfers")
    staff.locator("#transfers a").first.click()
    expect(staff.locator("#current-position")).to_have_text("K1-P")
    staff.click("#propose")
    expect(staff.locator('#proposal-moves li[data-alt="A1"]')).to_contain_text("K1-P → O2-P")
    screenshot(staff, "dispatch-transfer-proposal-en")
    staff.fill("#f-note", "Approved from April")
    staff.click("#approve")
    expect(staff.locator("#transfer-status")).to_have_text("Approved")
    expect(staff.locator("#current-position")).to_have_text("O2-P")

    alt.reload()
    expect(alt.locator(".transfer .status")).to_have_text("Approved")
    expect(alt.locator(".timeline li")).to_have_count(3)
    alt.goto(f"{base_url}/my/transfers?lang=ja")
    expect(alt.locator(".transfer .status")).to_have_attribute("data-status", "approved")
    screenshot(alt, "my-transfers-ja")
