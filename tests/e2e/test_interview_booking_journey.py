"""The interview round in Chromium: London's screener plans a session and (after Emily has
booked one slot herself, in Japanese on a 320 px phone) assigns the remaining applicant after a
preview and a ticked confirmation; Emily then moves her booking, finds it on her status page,
and says she will be in Los Angeles: the page tells her the booking now falls in her night.
Axe finds nothing serious; the Japanese pages have nothing untranslated and fit 320 px."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, expect
from tests.e2e.recruitment_server import Server, phone, serve, sign_in
from tests.e2e.test_persona_walk import check_page
from tests.interview_world import build_interviews

from altmatch.clock import utc_now

pytestmark = [pytest.mark.e2e, pytest.mark.date_sensitive]  # the session is ten days on


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from serve(
        tmp_path_factory.mktemp("interview-booking"),
        lambda sessions: build_interviews(sessions, plan=False).rw,
    )


def test_an_office_plans_and_assigns_and_a_candidate_books_and_moves_on_a_phone(
    browser: Browser, server: Server
) -> None:
    rw = server.world
    planner = f"{server.base_url}/offices/{rw.london}/interviews?season={rw.season_id}"
    day = (utc_now().astimezone(ZoneInfo("Europe/London")) + dt.timedelta(days=10)).date()
    problems: list[str] = []
    context, page = phone(browser, "en", 1280)
    try:
        sign_in(page, server, "screener-london@example.org", "en")
        problems += check_page(page, Axe(), planner, "en", 1280)
        page.fill("#f-day", day.isoformat())
        page.fill("#f-starts", "10:00")
        page.fill("#f-ends", "12:00")
        page.fill("#f-minutes", "30")
        page.fill("#f-gap_minutes", "10")
        page.click("#plan-session-submit")
        expect(page.locator("#grid tr[data-booked='no']")).to_have_count(3)
    finally:
        context.close()

    status = f"{server.base_url}/seasons/{rw.season_id}/apply"
    booking = f"{status}/interview"
    context, page = phone(browser, "ja", 320)
    try:
        sign_in(page, server, "emily@example.org", "ja")
        problems += check_page(page, Axe(), status, "ja", 320)
        page.click("#to-interview")
        problems += check_page(page, Axe(), booking, "ja", 320)
        page.locator("#book-form input[name=slot_id]").first.check()
        page.click("#book-submit")  # unconfirmed: refused beside the box
        expect(page.locator("#e-confirm")).to_be_visible()
        page.locator("#book-form input[name=slot_id]").first.check()
        page.check("#f-confirm")
        page.click("#book-submit")
        expect(page.locator("#notice")).to_have_attribute("data-done", "booked")
        expect(page.locator("#moves-left")).to_have_text("2")
    finally:
        context.close()

    context, page = phone(browser, "en", 1280)
    try:
        sign_in(page, server, "screener-london@example.org", "en")
        page.goto(planner)
        page.click("#assign")
        problems += check_page(page, Axe(), page.url, "en", 1280)
        expect(page.locator("#seats tbody tr[data-candidate]")).to_have_count(1)
        page.check("#f-confirm")
        page.click("#assign-confirm")
        expect(page.locator("#notice")).to_have_attribute("data-done", "assigned")
        expect(page.locator("#grid tr[data-booked='yes']")).to_have_count(2)
        response = page.goto(f"{server.base_url}/offices/{rw.dublin}/interviews")
        assert response is not None and response.status == 404  # not Dublin's staff
    finally:
        context.close()

    context, page = phone(browser, "ja", 320)
    try:
        sign_in(page, server, "emily@example.org", "ja")
        page.goto(booking)
        held = page.locator("#booking").get_attribute("data-slot")
        page.locator("#book-form input[name=slot_id]").first.check()
        page.check("#f-confirm")
        page.click("#book-submit")
        expect(page.locator("#notice")).to_have_attribute("data-done", "moved")
        expect(page.locator("#moves-left")).to_have_text("1")
        assert page.locator("#booking").get_attribute("data-slot") != held
        problems += check_page(page, Axe(), status, "ja", 320)
        expect(page.locator("#interview")).to_have_attribute("data-booked", "yes")
        page.goto(booking)  # she will be in Los Angeles: London's morning is her night
        page.select_option("#f-time_zone", "America/Los_Angeles")
        page.click("#zone-submit")
        expect(page.locator("#notice")).to_have_attribute("data-done", "zone")
        expect(page.locator("#remote")).to_be_visible()
        expect(page.locator("#outside-hours")).to_be_visible()
        expect(page.locator("#book-form")).to_have_count(0)  # no slot inside her hours
        problems += check_page(page, Axe(), page.url, "ja", 320)
    finally:
        context.close()
    assert not problems, "\n".join(problems)
