"""Company staff pin an ALT on the assignment page, see the proposed moves and commit them."""

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
    built = build_dispatch_world(sessions, alt_email="assign-alt@example.org")
    create_user(
        sessions,
        actor=OPERATOR,
        email="assign-staff@example.org",
        display_name="Mika Sato",
        role=Role.COMPANY_STAFF,
        password=PASSWORD,
        organisation_id=built.company_id,
    )
    yield built
    engine.dispose()


def test_staff_pin_an_alt_see_the_moves_and_commit_the_plan(
    browser: Browser,
    base_url: str,
    world: DispatchWorld,
    screenshot: Callable[[Page, str], object],
) -> None:
    page = browser.new_context(locale="en-GB").new_page()
    page.goto(f"{base_url}/sign-in?next=/dispatch/assignment&lang=en")
    page.fill("#f-email", "assign-staff@example.org")
    page.fill("#f-password", PASSWORD)
    page.click("form.auth button[type=submit]")
    expect(page).to_have_url(f"{base_url}/dispatch/assignment")
    expect(page.locator('#current tr[data-position="K1-P"] td.alt')).to_contain_text("A1")
    page.select_option("#f-pin-alt", str(world.alts["A2"]))
    page.select_option("#f-pin-position", str(world.positions["K1-P"]))
    page.click("#plan-button")
    expect(page.locator('#moves li[data-alt="A2"]')).to_contain_text("K2-P → K1-P")
    expect(page.locator('#proposed-table tr[data-position="K1-P"]')).to_have_class("moved pinned")
    screenshot(page, "dispatch-assignment-plan-en")
    page.click("#commit-button")
    expect(page.locator("#committed")).to_be_visible()
    expect(page.locator('#current tr[data-position="K1-P"] td.alt')).to_contain_text("A2")
    expect(page.locator('#current tr[data-position="K2-P"] td.alt')).to_contain_text("A1")
