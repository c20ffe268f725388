"""The compliance page in a browser: on a 320 px phone in both languages it fits, reads in the
page's language and passes axe; company staff acknowledge an alert and see who did it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import update
from tests.dispatch_world import PASSWORD, DispatchWorld, build_dispatch_world

from altmatch.clock import today_in_japan
from altmatch.config import Settings
from altmatch.db import make_engine, session_factory
from altmatch.db.models import DispatchContract, RosterAlt
from altmatch.demo.dispatch_compliance import years_before
from altmatch.domain.access import OPERATOR, Role
from altmatch.services.accounts.users import create_user

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def world(e2e_settings: Settings) -> Iterator[DispatchWorld]:
    """The small dispatch world, with Osaka's contract under outsourcing (A3 works there: a
    standing warning), A1's five years complete ten days ago (overdue) and A2's residence card
    expiring in 20 days (due soon)."""
    engine = make_engine(e2e_settings)
    sessions = session_factory(engine)
    built = build_dispatch_world(sessions, alt_email="compliance-alt@example.org")
    create_user(
        sessions,
        actor=OPERATOR,
        email="compliance-staff@example.org",
        display_name="Aiko Mori",
        role=Role.COMPANY_STAFF,
        password=PASSWORD,
        organisation_id=built.company_id,
    )
    today = today_in_japan()
    with sessions.begin() as session:
        session.execute(
            update(DispatchContract)
            .where(DispatchContract.boe_id == built.osaka_boe_id)
            .values(contract_type="outsourcing")
        )
        a1, a2 = (
            session.get_one(RosterAlt, built.alts["A1"]),
            session.get_one(RosterAlt, built.alts["A2"]),
        )
        a1.employed_since = years_before(today - timedelta(days=10), 5)
        a2.residence_card_expires_on = today + timedelta(days=20)
    yield built
    engine.dispose()


def _signed_in(browser: Browser, base_url: str, lang: str, width: int) -> Page:
    context = browser.new_context(
        locale="ja-JP" if lang == "ja" else "en-GB",
        viewport={"width": width, "height": 800},
        bypass_csp=True,  # axe is injected as a script
    )
    page = context.new_page()
    page.goto(f"{base_url}/sign-in?next=/dispatch/compliance&lang={lang}")
    page.fill("#f-email", "compliance-staff@example.org")
    page.fill("#f-password", PASSWORD)
    page.click("form.auth button[type=submit]")
    expect(page).to_have_url(f"{base_url}/dispatch/compliance")
    return page


def _fits_and_passes_axe(page: Page, width: int) -> None:
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
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
    page = _signed_in(browser, base_url, lang, 320)
    overdue = page.locator("#group-overdue li.task")
    expect(overdue).to_have_count(2)  # A1's five years, A3's outsourcing warning
    expect(page.locator('#group-due_soon li.task[data-alt="A2"]')).to_have_count(1)
    if lang == "ja":
        expect(page.locator("h1")).to_have_text("コンプライアンス管理")
        expect(page.locator("#group-due_soon")).to_contain_text("在留カード・在留期間の満了")
        expect(page.locator("#group-overdue")).to_contain_text("大阪市教委")
    _fits_and_passes_axe(page, 320)
    page.context.close()


def test_staff_acknowledge_an_alert_and_see_who_did_it(
    browser: Browser,
    base_url: str,
    world: DispatchWorld,
    screenshot: Callable[[Page, str], object],
) -> None:
    page = _signed_in(browser, base_url, "en", 1280)
    screenshot(page, "dispatch-compliance-en")
    card = page.locator('#group-due_soon li.task[data-alt="A2"]')
    card.locator('input[name="note"]').fill("Renewal applied for.")
    card.locator("button[type=submit]").click()
    done = page.locator('#acknowledged li.task[data-alt="A2"]')
    expect(done).to_contain_text("Acknowledged by Aiko Mori on")
    expect(done).to_contain_text("Renewal applied for.")
    expect(page.locator("#group-due_soon li.task")).to_have_count(0)
    _fits_and_passes_axe(page, 1280)
    page.context.close()
