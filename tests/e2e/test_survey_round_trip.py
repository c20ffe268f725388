"""The survey round trip in a browser: a school's contact opens the mailed link on a 320 px
phone, reads the survey in Japanese and answers it without an account; the company's staff then
see the answer on the surveys page. Both pages pass axe and fit the screen."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect
from tests.integration.dispatch.survey_world import (
    PASSWORD,
    SurveyWorld,
    build_world,
    links_in,
)

from altmatch.clock import today_in_japan, utc_now
from altmatch.config import Settings
from altmatch.db import make_engine, session_factory
from altmatch.services.dispatch.survey_links import send_survey_mail
from altmatch.services.dispatch.surveys import OpenRoundIn, open_round, preview_round

pytestmark = pytest.mark.e2e

PREFIX = "e2e-survey-"
COMMENT = "授業の準備をもう少し早めにお願いします。"


@pytest.fixture(scope="module")
def world(e2e_settings: Settings) -> Iterator[tuple[SurveyWorld, str]]:
    """The survey world with its contract in force today and this term's round open; the
    school S1's link as mailed."""
    engine = make_engine(e2e_settings)
    sessions = session_factory(engine)
    today = today_in_japan()
    built = build_world(
        sessions,
        start=today - timedelta(days=400),
        working_from=today - timedelta(days=200),
        prefix=PREFIX,
    )
    preview = preview_round(sessions, built.staff, on=today)
    count = preview.school_invitations + preview.alt_invitations
    open_round(sessions, built.staff, OpenRoundIn(on=today, expect=count))
    send_survey_mail(sessions, e2e_settings, now=utc_now(), today=max(today, preview.opens_on))
    token = links_in(e2e_settings.mail_folder)[f"{PREFIX}sato@s1.example.jp"]
    yield built, token
    engine.dispose()


def _fits_and_passes_axe(page: Page, width: int) -> None:
    wide = int(page.evaluate("document.documentElement.scrollWidth"))
    assert wide <= width, f"{wide} px wide at {width} px"
    serious = [
        v["id"]
        for v in Axe().run(page).response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]
    assert serious == [], serious


def test_a_school_answers_by_link_in_japanese_and_the_company_sees_it(
    browser: Browser, base_url: str, world: tuple[SurveyWorld, str]
) -> None:
    _, token = world
    phone = browser.new_context(
        locale="en-GB", viewport={"width": 320, "height": 800}, bypass_csp=True
    )
    page = phone.new_page()
    page.goto(f"{base_url}/survey?token={token}")  # no lang: Japanese whatever the browser
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.locator("h1")).to_have_text("ALTについてのアンケート")
    expect(page.locator("#survey-about")).to_contain_text("Amy Clark")
    _fits_and_passes_axe(page, 320)
    page.click('nav.lang a[hreflang="en"]')  # the switch keeps the token
    expect(page.locator("h1")).to_have_text("Survey of your school's ALT")
    _fits_and_passes_axe(page, 320)
    page.click('nav.lang a[hreflang="ja"]')
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    for item, value in (
        ("lesson_preparation", 2),
        ("punctuality", 4),
        ("communication", 3),
        ("classroom_presence", 4),
    ):
        page.locator(f"#q-{item}-{value}").check()
    page.fill("#f-comment", COMMENT)
    page.click("#survey-submit")
    expect(page.locator("#survey-thanks")).to_be_visible()
    expect(page.locator("h1")).to_have_text("ありがとうございました")
    _fits_and_passes_axe(page, 320)
    page.goto(f"{base_url}/survey?token={token}")
    expect(page.locator("#survey-invalid")).to_be_visible()  # used: names nothing
    expect(page.locator("body")).not_to_contain_text("Amy Clark")
    phone.close()

    office = browser.new_context(
        locale="ja-JP", viewport={"width": 320, "height": 800}, bypass_csp=True
    )
    staff = office.new_page()
    staff.goto(f"{base_url}/sign-in?next=/dispatch/surveys&lang=ja")
    staff.fill("#f-email", f"{PREFIX}naoko@example.org")
    staff.fill("#f-password", PASSWORD)
    staff.click("form.auth button[type=submit]")
    expect(staff).to_have_url(f"{base_url}/dispatch/surveys")
    row = staff.locator('#results-table tr[data-alt="A1"]')
    expect(row.locator(".school-answer")).to_contain_text(COMMENT)
    expect(row.locator(".school-answer")).to_contain_text("3.2")  # (2 + 4 + 3 + 4) / 4 = 3.25
    expect(staff.locator("h1")).to_have_text("満足度アンケート")
    _fits_and_passes_axe(staff, 320)
    office.close()
