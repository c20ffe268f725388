"""The contract health page in a browser: on a 320 px phone in both languages it fits, reads in
the page's language and passes axe, showing a contract at risk and one to watch with their
reasons; the ALT answers the renewal question on their own page and the company's retention
page shows the answer."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect
from tests.dispatch_world import PASSWORD, DispatchWorld, build_dispatch_world

from altmatch.clock import today_in_japan
from altmatch.config import Settings
from altmatch.db import make_engine, session_factory
from altmatch.db.models import DispatchContract, RosterAlt
from altmatch.domain.access import OPERATOR, Role
from altmatch.services.accounts.users import create_user

pytestmark = pytest.mark.e2e

STAFF = "health-staff@example.org"
ALT = "health-alt@example.org"


@pytest.fixture(scope="module")
def world(e2e_settings: Settings) -> Iterator[DispatchWorld]:
    """The small dispatch world: OSAKA-1 has one of its two posts filled and its ALT A3 is
    leaving (at risk); KOBE-1 is fully covered and comes up for renewal in 30 days (watch)."""
    engine = make_engine(e2e_settings)
    sessions = session_factory(engine)
    built = build_dispatch_world(sessions, alt_email=ALT)
    create_user(
        sessions,
        actor=OPERATOR,
        email=STAFF,
        display_name="Ren Sato",
        role=Role.COMPANY_STAFF,
        password=PASSWORD,
        organisation_id=built.company_id,
    )
    with sessions.begin() as session:
        session.get_one(RosterAlt, built.alts["A3"]).renewal_intention = "leaving"
        for contract in session.query(DispatchContract).filter_by(company_id=built.company_id):
            if contract.reference == "KOBE-1":
                contract.renewal_date = today_in_japan() + timedelta(days=30)
    yield built
    engine.dispose()


def _signed_in(
    browser: Browser, base_url: str, email: str, path: str, lang: str, width: int
) -> Page:
    context = browser.new_context(
        locale="ja-JP" if lang == "ja" else "en-GB",
        viewport={"width": width, "height": 800},
        bypass_csp=True,  # axe is injected as a script
    )
    page = context.new_page()
    page.goto(f"{base_url}/sign-in?next={path}&lang={lang}")
    page.fill("#f-email", email)
    page.fill("#f-password", PASSWORD)
    page.click("form.auth button[type=submit]")
    expect(page).to_have_url(f"{base_url}{path}")
    return page


def _fits_and_passes_axe(page: Page, width: int) -> None:
    wide = int(page.evaluate("document.documentElement.scrollWidth"))
    assert wide <= width, f"{wide} px wide at {width} px"
    serious = [
        v["id"]
        for v in Axe().run(page).response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]
    assert serious == [], serious


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_page_fits_a_320_px_phone_and_passes_axe(
    browser: Browser, base_url: str, world: DispatchWorld, lang: str
) -> None:
    page = _signed_in(browser, base_url, STAFF, "/dispatch/contract-health", lang, 320)
    rows = page.locator("#contract-health tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_have_attribute("data-contract", "OSAKA-1")
    expect(rows.nth(0)).to_have_attribute("data-status", "at_risk")
    expect(rows.nth(1)).to_have_attribute("data-status", "watch")
    expect(rows.nth(1).locator('li[data-reason="renewal_soon"]')).to_have_count(1)
    if lang == "ja":
        expect(page.locator("h1")).to_have_text("契約の健全性")
        expect(rows.nth(0)).to_contain_text("2枠中1枠を配置済みです。")
        expect(rows.nth(0)).to_contain_text("アンケート未実施")
    else:
        expect(rows.nth(0)).to_contain_text("1 of 2 posts filled.")
        expect(rows.nth(0)).to_contain_text("No survey yet")
    _fits_and_passes_axe(page, 320)
    page.select_option("#sort", "reference")
    page.locator("#health-sort button[type=submit]").click()
    expect(page.locator("#contract-health tbody tr").nth(0)).to_have_attribute(
        "data-contract", "KOBE-1"
    )
    page.goto(f"{base_url}/dispatch/retention?lang={lang}")
    expect(page.locator('#retention-alts tr[data-alt="A3"]')).to_have_attribute(
        "data-level", "high"
    )
    _fits_and_passes_axe(page, 320)
    page.goto(f"{base_url}/dispatch/coverage?lang={lang}")
    expect(page.locator("#coverage-netting")).to_be_visible()
    _fits_and_passes_axe(page, 320)
    page.context.close()


def test_the_alt_answers_and_the_company_sees_it(
    browser: Browser,
    base_url: str,
    world: DispatchWorld,
    screenshot: Callable[[Page, str], object],
) -> None:
    staff = _signed_in(browser, base_url, STAFF, "/dispatch/contract-health", "en", 1280)
    screenshot(staff, "dispatch-contract-health-en")  # before A1 answers: at risk and watch
    staff.context.close()

    alt = _signed_in(browser, base_url, ALT, "/my/renewal", "en", 320)
    alt.locator("#send-renewal").click()  # nothing chosen: the browser or the server refuses
    alt.check("#intention-leaving")
    alt.fill("#f-reason", "Going back to study.")
    alt.locator("#send-renewal").click()
    expect(alt.locator("#answered")).to_contain_text("Going back to study.")
    expect(alt.locator("#answered [data-answer]")).to_have_attribute("data-answer", "leaving")
    _fits_and_passes_axe(alt, 320)
    alt.context.close()

    page = _signed_in(browser, base_url, STAFF, "/dispatch/retention", "en", 1280)
    row = page.locator('#retention-intentions tr[data-alt="A1"]')
    expect(row).to_have_attribute("data-state", "answered")
    expect(row).to_contain_text("Going back to study.")
    expect(page.locator('#retention-alts tr[data-alt="A1"]')).to_have_attribute(
        "data-level", "high"
    )
    screenshot(page, "dispatch-retention-en")
    _fits_and_passes_axe(page, 1280)
    page.goto(f"{base_url}/dispatch/contract-health")
    kobe = page.locator('#contract-health tr[data-contract="KOBE-1"]')
    expect(kobe).to_contain_text("1 of 2 ALTs at high risk of leaving.")  # A1, now leaving
    page.context.close()
