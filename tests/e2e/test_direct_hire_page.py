"""Direct hire in Chromium: a BoE posts an opening, a candidate checks eligibility and applies,
the BoE moves the application to hired and the filled posting closes."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from altmatch.clock import today_in_japan
from altmatch.config import Settings
from altmatch.db import Sessions, make_engine, session_factory
from altmatch.domain.access import OPERATOR, OrgKind, Role
from altmatch.services.accounts.users import create_organisation, create_user

pytestmark = pytest.mark.e2e
Shot = Callable[[Page, str], object]
PASSWORD = "correct horse battery"


def _accounts(settings: Settings) -> tuple[str, str]:
    engine = make_engine(settings)
    sessions: Sessions = session_factory(engine)
    tag = secrets.token_hex(3)
    boe = create_organisation(
        sessions,
        actor=OPERATOR,
        kind=OrgKind.BOE,
        name_en=f"Nara City BoE {tag}",
        name_ja=f"奈良市教育委員会 {tag}",
        prefecture="Nara",
    )
    staff = create_user(
        sessions,
        actor=OPERATOR,
        email=f"nara-{tag}@example.org",
        display_name="Kenji Sato",
        role=Role.BOE_STAFF,
        password=PASSWORD,
        organisation_id=boe.id,
    ).email
    candidate = create_user(
        sessions,
        actor=OPERATOR,
        email=f"emily-{tag}@example.org",
        display_name="Emily Carter",
        role=Role.CANDIDATE,
        password=PASSWORD,
    ).email
    engine.dispose()
    return staff, candidate


def _sign_in(page: Page, base_url: str, email: str, target: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base_url}/sign-in?next={target}")
    page.fill("#f-email", email)
    page.fill("#f-password", PASSWORD)
    page.click("form.auth button[type=submit]")
    expect(page).to_have_url(f"{base_url}{target}")


def test_a_boe_posts_a_candidate_applies_and_is_hired(
    page: Page, base_url: str, e2e_settings: Settings, screenshot: Shot
) -> None:
    staff, candidate = _accounts(e2e_settings)
    today = today_in_japan()

    _sign_in(page, base_url, staff, "/boe/postings")
    page.fill("#f-title_en", "Elementary ALT, Nara")
    page.fill("#f-title_ja", "奈良市 小学校ALT")
    page.check("input[name=school_levels][value=elementary]")
    page.fill("#f-min_alt_years", "1")
    page.select_option("#f-min_jlpt", "N3")
    page.fill("#f-monthly_pay", "280000")
    page.check("input[name=benefits][value=housing]")
    page.fill("#f-start", (today + dt.timedelta(days=120)).isoformat())
    page.fill("#f-closes_on", (today + dt.timedelta(days=30)).isoformat())
    screenshot(page, "boe-postings")
    page.click("#create-posting")
    expect(page.locator("#posting-title")).to_have_text("Elementary ALT, Nara")
    posting_url = page.url.removeprefix(base_url)
    posting_id = posting_url.rsplit("/", 1)[1]

    _sign_in(page, base_url, candidate, f"/postings/{posting_id}")
    page.fill("#f-alt_years", "0")
    page.select_option("#f-jlpt", "N4")
    page.select_option("#f-residence", "japan")
    page.select_option("#f-status_of_residence", "instructor")
    page.click("#check-eligibility")
    expect(page.locator("#not-eligible li")).to_have_count(2)
    expect(page.locator("#not-eligible")).to_contain_text(
        "This post needs JLPT N3; you declared N4."
    )
    page.fill("#f-alt_years", "2")
    page.select_option("#f-jlpt", "N2")
    page.click("#check-eligibility")
    expect(page.locator("#eligible")).to_be_visible()
    page.fill("#f-cover_note", "I taught in Nara for two years.")
    screenshot(page, "posting-apply")
    page.click("#apply-button")
    expect(page).to_have_url(f"{base_url}/my/applications")
    expect(page.locator(".application .stage")).to_have_text("Applied")

    _sign_in(page, base_url, staff, posting_url)
    for stage in ("screening", "interview", "offered"):
        page.select_option("select[name=stage]", stage)
        page.click(".move-button")
        expect(page.locator(".application")).to_have_attribute("data-stage", stage)
    page.select_option("select[name=stage]", "hired")
    page.click(".move-button")
    expect(page.locator("#confirm-hire")).to_be_visible()  # hiring is confirmed first
    expect(page.locator(".application")).to_have_attribute("data-stage", "offered")
    screenshot(page, "boe-posting-confirm-hire")
    page.click("#confirm-hire-button")
    expect(page.locator(".application")).to_have_attribute("data-stage", "hired")
    expect(page.locator(".application .contract")).to_be_visible()
    expect(page.locator("#posting-status")).to_contain_text("Closed")
    screenshot(page, "boe-posting-hired")

    page.goto(f"{base_url}/postings/{posting_id}")
    expect(page.locator("body")).not_to_contain_text("Elementary ALT, Nara")


def test_the_jobs_board_reads_in_japanese(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/postings?lang=ja")
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.locator("#postings")).to_be_visible()
