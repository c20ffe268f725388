"""An ALT opens a support case, the routed supervisor answers it, the ALT sees the reply."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from tests.support_world import PASSWORD, SupportWorld, build_support_world

from altmatch.config import Settings
from altmatch.db import make_engine, session_factory

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def world(e2e_settings: Settings) -> Iterator[SupportWorld]:
    engine = make_engine(e2e_settings)
    yield build_support_world(session_factory(engine))
    engine.dispose()


def _signed_in(browser: Browser, base_url: str, email: str, target: str) -> Page:
    page = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{base_url}/sign-in?next={target}&lang=en")
    page.fill("#f-email", email)
    page.fill("#f-password", PASSWORD)
    page.click("form.auth button[type=submit]")
    expect(page).to_have_url(f"{base_url}{target}")
    return page


def test_an_alt_opens_a_case_and_the_supervisor_answers_it(
    browser: Browser,
    base_url: str,
    world: SupportWorld,
    screenshot: Callable[[Page, str], object],
) -> None:
    alt = _signed_in(browser, base_url, world.emails["jet_alt"], "/my/cases")
    expect(alt.locator('#emergency-contacts li[data-contact="police"]')).to_contain_text("110")
    alt.select_option("#f-category", "pay_contract")
    alt.select_option("#f-urgency", "high")
    alt.fill("#f-subject", "My November pay is short")
    alt.fill("#f-description", "The payslip shows 180,000 yen instead of 250,000.")
    alt.click("#open-case")
    expect(alt).to_have_url(re.compile(r"/cases/\d+$"))
    case_id = alt.url.rsplit("/", 1)[1]
    expect(alt.locator("#case-status")).to_have_text("Open")
    expect(alt.locator("#case-handlers li")).to_contain_text(["Kobe Supervisor · Supervisor"])
    alt.goto(f"{base_url}/my/cases")
    expect(alt.locator("#my-cases tbody tr")).to_have_count(1)
    expect(alt.locator(f'#my-cases tr[data-case="{case_id}"]')).to_contain_text(
        "My November pay is short"
    )

    screenshot(alt, "support-my-cases-en")

    staff = _signed_in(browser, base_url, world.emails["kobe_supervisor"], "/cases")
    row = staff.locator(f'#queue tr[data-case="{case_id}"]')
    expect(row).to_contain_text("Pay and contract")
    expect(row.locator(".level")).to_have_text("1 of 3")
    row.locator("a").click()
    expect(staff.locator("#case-subject")).to_have_text("My November pay is short")
    staff.fill("#f-body", "Payroll made an error; the difference comes with December's pay.")
    staff.click("#send-reply")
    expect(staff.locator("#case-status")).to_have_text("Answered")
    expect(staff.locator("#thread li.message")).to_have_count(1)
    screenshot(staff, "support-case-handler-en")

    alt.goto(f"{base_url}/cases/{case_id}")
    expect(alt.locator("#case-status")).to_have_text("Answered")
    expect(alt.locator("#thread li.message .body")).to_have_text(
        "Payroll made an error; the difference comes with December's pay."
    )
    expect(alt.locator("#note-form")).to_have_count(0)
    alt.goto(f"{base_url}/cases/{case_id}?lang=ja")
    expect(alt.locator("#case-status")).to_have_attribute("data-status", "answered")
    expect(alt.locator("html")).to_have_attribute("lang", "ja")
    screenshot(alt, "support-case-ja")
