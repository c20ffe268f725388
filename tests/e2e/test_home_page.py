"""Two people sign in on a phone in Japanese and land on their home: next steps that fit the
screen, and the first one opens its screen."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from playwright.sync_api import Browser, Page, expect
from tests.dispatch_world import PASSWORD, DispatchWorld, build_dispatch_world

from altmatch.config import Settings
from altmatch.db import make_engine, session_factory
from altmatch.domain.access import OPERATOR, Role
from altmatch.services.accounts.users import create_user

pytestmark = pytest.mark.e2e
WIDTH = 390  # a common phone
ALT, STAFF = "home-alt@example.org", "home-staff@example.org"


@pytest.fixture(scope="module")
def world(e2e_settings: Settings) -> Iterator[DispatchWorld]:
    engine = make_engine(e2e_settings)
    sessions = session_factory(engine)
    built = build_dispatch_world(sessions, alt_email=ALT)
    create_user(
        sessions,
        actor=OPERATOR,
        email=STAFF,
        display_name="加藤 直子",
        role=Role.COMPANY_STAFF,
        password=PASSWORD,
        organisation_id=built.company_id,
    )
    yield built
    engine.dispose()


@contextmanager
def signed_in(browser: Browser, base_url: str, email: str, width: int) -> Iterator[Page]:
    """A page of a fresh browser context `width` px wide in Japanese, signed in as `email`."""
    context = browser.new_context(viewport={"width": width, "height": 844}, locale="ja-JP")
    page = context.new_page()
    try:
        page.goto(f"{base_url}/sign-in?lang=ja")
        page.fill("#f-email", email)
        page.fill("#f-password", PASSWORD)
        page.click("form.auth button[type=submit]")
        yield page
    finally:
        context.close()


@pytest.mark.usefixtures("world")
@pytest.mark.parametrize(
    ("email", "first_href"), [(ALT, "/my/placement"), (STAFF, "/dispatch/coverage")]
)
def test_signing_in_on_a_phone_in_japanese_lands_on_next_steps_that_fit(
    browser: Browser,
    base_url: str,
    screenshot: Callable[[Page, str], object],
    email: str,
    first_href: str,
) -> None:
    with signed_in(browser, base_url, email, WIDTH) as page:
        expect(page).to_have_url(f"{base_url}/")
        expect(page.locator("h1")).to_have_text("次にすること")
        steps = page.locator("#next-steps li.task")
        assert steps.count() >= 3
        expect(page.locator("#nav-home")).to_have_text("ホーム")
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
        screenshot(page, f"home-{email.split('@')[0]}-{WIDTH}-ja")

        first = steps.first.locator("a")
        expect(first).to_have_attribute("href", first_href)
        first.click()
        expect(page).to_have_url(f"{base_url}{first_href}")
        expect(page.locator("#main h1")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH


@pytest.mark.usefixtures("world")
@pytest.mark.parametrize("width", [320, 1280])
def test_a_companys_long_tables_fit_a_phone_as_cards_and_stay_tables_on_a_desk(
    browser: Browser, base_url: str, screenshot: Callable[[Page, str], object], width: int
) -> None:
    """Below 40rem each row is a card whose cells carry their column's name (static/tables.js),
    so no table widens the page; on a desk the tables are tables."""
    with signed_in(browser, base_url, STAFF, width) as page:
        expect(page).to_have_url(f"{base_url}/")
        for path in ("/dispatch/roster", "/dispatch/contracts", "/dispatch/coverage", "/cases"):
            page.goto(f"{base_url}{path}")
            assert page.evaluate("document.documentElement.scrollWidth") <= width, path
            table = page.locator("main table.cards").first
            expect(table).to_be_attached()
            headers, labels = page.evaluate(
                """t => [
                    [...t.tHead.rows[0].cells].map(c => c.textContent.replace(/\\s+/g, " ").trim()),
                    [...t.tBodies[0].rows[0].cells].map(c => c.getAttribute("data-label")),
                ]""",
                table.element_handle(),
            )
            assert labels and labels == headers[: len(labels)], path
            shown = page.evaluate("t => getComputedStyle(t).display", table.element_handle())
            assert shown == ("block" if width == 320 else "table"), path
        screenshot(page, f"roster-cards-{width}-ja")


PHONE_PAGES = {
    ALT: ("/", "/my/placement", "/my/cases", "/my/transfers", "/my/notifications", "/account"),
    STAFF: (
        "/",
        "/dispatch/contracts",
        "/dispatch/roster",
        "/dispatch/assignment",
        "/dispatch/coverage",
        "/dispatch/transfers",
        "/dispatch/tenders",
        "/cases",
        "/account",
    ),
}


@pytest.mark.usefixtures("world")
@pytest.mark.parametrize("email", [ALT, STAFF])
def test_no_page_of_an_alt_or_a_company_is_wider_than_a_320_px_phone(
    browser: Browser, base_url: str, email: str
) -> None:
    """Forms, long selects, figures and source notes wrap or shrink instead of widening the page."""
    with signed_in(browser, base_url, email, 320) as page:
        expect(page).to_have_url(f"{base_url}/")
        wide = {}
        for path in PHONE_PAGES[email]:
            page.goto(f"{base_url}{path}")
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 320:
                wide[path] = width
        assert wide == {}
