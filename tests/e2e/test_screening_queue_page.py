"""An office's screening queue in Chromium, in English at 1280 px and in Japanese at 320 px:
the London screener opens a submitted application, reads its documents and references, and
screens it out with a reason after confirming; the applicant then reads the decision and the
reason. The Dublin screener cannot open London's queue. Axe finds nothing serious."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, expect
from tests.e2e.recruitment_server import Server, phone, serve, sign_in
from tests.e2e.test_persona_walk import check_page
from tests.recruitment_world import answers, complete_application

from altmatch.services.season.online_application import (
    submit_application,
)

pytestmark = [pytest.mark.e2e, pytest.mark.date_sensitive]  # the season's deadline is a month on


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from serve(tmp_path_factory.mktemp("screening-queue"))


@pytest.mark.parametrize(("locale", "width"), [("en", 1280), ("ja", 320)])
def test_a_screener_decides_with_a_reason_and_the_applicant_reads_it(
    browser: Browser, server: Server, locale: str, width: int
) -> None:
    rw = server.world
    who, name, country = (
        (rw.emily, "Emily Carter", "GB") if locale == "en" else (rw.liam, "Liam Walsh", "IE")
    )
    office, screener = (
        (rw.london, "screener-london@example.org")
        if country == "GB"
        else (rw.dublin, "screener-dublin@example.org")
    )
    version = complete_application(server.sessions, rw, who, answers(name, country))
    app_id = submit_application(server.sessions, who, rw.season_id, version=version).id
    problems: list[str] = []
    context, page = phone(browser, locale, width)
    try:
        sign_in(page, server, screener, locale)
        page.goto(f"{server.base_url}/offices")
        problems += check_page(page, Axe(), f"{server.base_url}/offices", locale, width)
        queue = f"{server.base_url}/offices/{office}/queue"
        problems += check_page(page, Axe(), queue, locale, width)
        page.click(f"#open-{app_id}")
        expect(page.locator("#documents tr[data-kind='degree']")).to_be_visible()
        expect(page.locator("#references tr[data-status='received']")).to_have_count(2)
        problems += check_page(page, Axe(), page.url, locale, width)
        page.check("#decision-out")
        page.select_option("#f-reason_code", "references_insufficient")
        page.fill("#f-note", "Neither reference mentions teaching.")
        page.click("#record-decision")  # unconfirmed: refused beside the box
        expect(page.locator("#e-confirm")).to_be_visible()
        page.check("#f-confirm")
        page.click("#record-decision")
        expect(page.locator("#notice")).to_be_visible()
        expect(page.locator("#stage")).to_have_attribute("data-stage", "not_selected")
        expect(page.locator("#decision-note")).to_have_text("Neither reference mentions teaching.")
        other = rw.dublin if office == rw.london else rw.london
        response = page.goto(f"{server.base_url}/offices/{other}/queue")
        assert response is not None and response.status == 404
    finally:
        context.close()
    applicant = "emily@example.org" if locale == "en" else "liam@example.org"
    context, page = phone(browser, locale, width)
    try:
        sign_in(page, server, applicant, locale)
        status = f"{server.base_url}/seasons/{rw.season_id}/apply"
        problems += check_page(page, Axe(), status, locale, width)
        expect(page.locator("#decision")).to_have_attribute("data-decision", "screen_out")
        expect(page.locator("#decision-note")).to_have_text("Neither reference mentions teaching.")
    finally:
        context.close()
    assert not problems, "\n".join(problems)
