"""An ALT asks for a transfer; company staff propose it and approve it on a phone in Japanese,
through the confirmation that names the schools, BoEs and date; the ALT sees "Approved"."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect
from tests.dispatch_world import PASSWORD, DispatchWorld, build_dispatch_world

from altmatch.clock import today_in_japan
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


def _signed_in(
    browser: Browser, base_url: str, email: str, target: str, *, lang: str = "en", width: int = 1280
) -> Page:
    context = browser.new_context(
        locale="ja-JP" if lang == "ja" else "en-GB",
        viewport={"width": width, "height": 844},
        bypass_csp=True,  # axe is injected as a script
    )
    page = context.new_page()
    page.goto(f"{base_url}/sign-in?next={target}&lang={lang}")
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

    staff = _signed_in(
        browser, base_url, "transfer-staff@example.org", "/dispatch/transfers", lang="ja", width=390
    )
    staff.locator("#transfers a").first.click()
    expect(staff.locator("#current-position")).to_have_text("K1-P")
    staff.click("#propose")
    expect(staff.locator('#proposal-moves li[data-alt="A1"]')).to_contain_text("K1中学校")
    expect(staff.locator('#proposal-moves li[data-alt="A1"]')).to_contain_text("O2中学校")
    expect(staff.locator("#decline")).to_have_class("danger")
    screenshot(staff, "dispatch-transfer-proposal-ja-390")
    staff.fill("#f-effective_on", today_in_japan().isoformat())
    staff.fill("#f-approve-note", "Approved from April")
    staff.click("#approve")
    confirm = staff.locator("#confirm-approval")
    expect(confirm).to_be_visible()
    a1 = staff.locator('#confirm-moves li[data-alt="A1"]')
    expect(a1).to_contain_text("K1中学校 (神戸市教委)")
    expect(a1).to_contain_text("O2中学校")
    expect(a1).to_contain_text("大阪市教委")
    expect(staff.locator("#confirm-told li").first).to_be_visible()
    expect(staff.locator("#transfer-status")).to_have_count(0)  # nothing applied yet
    width = staff.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the confirmation overflows a 390 px phone: {width} px"
    serious = [
        v["id"]
        for v in Axe().run(staff).response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]
    assert serious == [], serious
    screenshot(staff, "dispatch-transfer-confirm-ja-390")
    staff.click("#confirm-approve")
    expect(staff.locator("#transfer-status")).to_have_attribute("data-status", "approved")
    expect(staff.locator("#current-position")).to_have_text("O2-P")

    alt.reload()
    expect(alt.locator(".transfer .status")).to_have_text("Approved")
    expect(alt.locator(".timeline li")).to_have_count(4)  # requested, proposed, approved, in effect
    alt.goto(f"{base_url}/my/transfers?lang=ja")
    expect(alt.locator(".transfer .status")).to_have_attribute("data-status", "approved")
    screenshot(alt, "my-transfers-ja")
