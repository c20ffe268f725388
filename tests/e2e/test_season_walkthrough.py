"""The season walked in Chromium: the coordinator imports candidates (a job), a BoE edits a request,
the coordinator runs and publishes, and a candidate reads the outcome in Japanese."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from tests.season_world import (
    CANDIDATE_EMAILS,
    CONTRACT_START,
    PASSWORD,
    build_world,
    candidates_csv,
    future_deadline,
    requests_csv,
)

from altmatch.config import Settings
from altmatch.db import make_engine, session_factory
from altmatch.services.season.imports import import_requests
from altmatch.services.season.setup import open_season

pytestmark = pytest.mark.e2e
Shot = Callable[[Page, str], object]


@pytest.fixture(scope="module")
def season_id(e2e_settings: Settings) -> Iterator[int]:
    """An open season with its requests; the candidates are left for the coordinator."""
    engine = make_engine(e2e_settings)
    sessions = session_factory(engine)
    world = build_world(sessions)
    season = open_season(
        sessions,
        world.coordinator,
        name="2027 season",
        year=2027,
        request_deadline=future_deadline(),
        contract_start=CONTRACT_START,
    )
    import_requests(
        sessions,
        world.coordinator,
        season.id,
        content=requests_csv(),
        filename="r.csv",
        commit=True,
    )
    yield season.id
    engine.dispose()


def _signed_in(browser: Browser, base_url: str, email: str, target: str) -> Page:
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB").new_page()
    page.goto(f"{base_url}/sign-in?next={target}&lang=en")
    page.fill("#f-email", email)
    page.fill("#f-password", PASSWORD)
    page.click("form.auth button[type=submit]")
    expect(page).to_have_url(f"{base_url}{target}")
    return page


def test_a_season_goes_from_import_to_a_published_outcome_in_the_browser(
    browser: Browser, base_url: str, season_id: int, screenshot: Shot
) -> None:
    coordinator = _signed_in(browser, base_url, "coordinator@example.org", f"/seasons/{season_id}")
    coordinator.set_input_files(
        "#file-candidates",
        files=[{"name": "candidates.csv", "mimeType": "text/csv", "buffer": candidates_csv()}],
    )
    coordinator.click("#import-candidates button[value=commit]")
    # Importing is a background job: its progress page ends on the report, then leads back.
    expect(coordinator).to_have_url(re.compile(rf"{base_url}/seasons/{season_id}/jobs/\d+$"))
    expect(coordinator.locator("#import-committed")).to_contain_text("12", timeout=30_000)
    coordinator.click("#job-back")
    expect(coordinator.locator("#count-candidates")).to_have_text("12")
    screenshot(coordinator, "season-overview-en")

    kobe = _signed_in(browser, base_url, "kobe@example.org", f"/seasons/{season_id}/requests")
    kobe.click("#edit-KOB-ES")
    kobe.fill("#f-capacity", "3")
    kobe.click("#save-request")
    expect(kobe.locator("#request-KOB-ES .capacity")).to_have_text("3")

    coordinator.goto(f"{base_url}/seasons/{season_id}")
    coordinator.fill("#f-seed", "2026")
    visited: list[str] = []
    coordinator.on(
        "framenavigated",
        lambda frame: visited.append(frame.url) if frame == coordinator.main_frame else None,
    )
    coordinator.click("#run-match button[type=submit]")
    # The progress page comes first; htmx polls it and is sent on to the run when it is done.
    expect(coordinator).to_have_url(
        re.compile(rf"{base_url}/seasons/{season_id}/runs/\d+$"), timeout=30_000
    )
    progress_pages = [url for url in visited if f"/seasons/{season_id}/jobs/" in url]
    assert progress_pages, visited
    expect(coordinator.locator("#run-status")).to_have_text("Draft")
    expect(coordinator.locator("#stability")).to_be_visible()
    coordinator.click("#publish")
    # The publication page lists its checks; a test season's deadline is still open, so the
    # coordinator gives a reason for each failed check, confirms, and publishes.
    expect(coordinator.locator("#publication-checks")).to_be_visible()
    reasons = coordinator.locator("#publication-checks textarea")
    assert reasons.count() >= 1  # the request deadline has not passed yet
    for i in range(reasons.count()):
        reasons.nth(i).fill("Walkthrough of a test season")
    coordinator.check("#f-confirm")
    screenshot(coordinator, "season-publish-en")
    coordinator.click("#publish")
    expect(coordinator.locator("#run-status")).to_have_text("Published")
    screenshot(coordinator, "season-run-en")

    emily = _signed_in(
        browser, base_url, CANDIDATE_EMAILS["C01"], f"/seasons/{season_id}/application"
    )
    emily.goto(f"{base_url}/seasons/{season_id}/application?lang=ja")
    expect(emily.locator("#outcome h2")).to_have_text("あなたの結果")
    expect(emily.locator("#stage")).not_to_have_text("応募済み")
    screenshot(emily, "season-application-ja")

    kobe.goto(f"{base_url}/seasons/{season_id}/placements")
    expect(kobe.locator("#placements")).to_contain_text("KOB-ES")
    expect(kobe.locator("#placements")).not_to_contain_text("TYO-MIX")
