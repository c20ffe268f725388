"""The coordinator's long lists in a browser (issue 17 item 5): the run review, the placements
and a candidate's page, in English and Japanese, at 1280 px and 320 px: nothing wider than the
viewport, nothing untranslated on a Japanese page, no serious axe finding, under 250 KB; and the
search form, sortable headers and pager work by keyboard-free clicks, leaving their state in the
address."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
import uvicorn
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, expect
from tests.e2e.test_persona_walk import check_page
from tests.season_world import PUBLISH_ANYWAY

from altmatch.config import Settings
from altmatch.db import make_engine, session_factory
from altmatch.demo import DEMO_PASSWORD, generate_demo
from altmatch.demo.personas import persona
from altmatch.demo.seed_database import seed_demo_database
from altmatch.domain.access import OPERATOR
from altmatch.services.accounts.authentication import act_as
from altmatch.services.season.publish import publish_run
from altmatch.services.season.runs import run_season_match
from altmatch.services.setup import prepare_installation
from altmatch.web.app import create_app

pytestmark = pytest.mark.e2e
COORDINATOR = "programme_coordinator"


@dataclass(frozen=True)
class Published:
    base_url: str
    season: int
    run: int
    candidate: int


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Published]:
    """A server over a 150-candidate demo season, matched and published."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    settings = Settings(data_dir=tmp_path_factory.mktemp("lists-data"), port=port)
    prepare_installation(settings)
    engine = make_engine(settings)
    sessions = session_factory(engine)
    seed_demo_database(sessions, generate_demo(2026, candidates=150))
    coordinator = act_as(sessions, OPERATOR, persona(COORDINATOR).login)
    review = run_season_match(sessions, coordinator, 1, seed=3)
    publish_run(sessions, coordinator, 1, review.run.id, overrides=PUBLISH_ANYWAY)
    candidate = next(p.candidate for p in review.placements if p.request_id is None)
    engine.dispose()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{url}/health", timeout=1)
            break
        except httpx.HTTPError:
            time.sleep(0.2)
    yield Published(url, 1, review.run.id, candidate)
    server.should_exit = True
    thread.join(timeout=10)


def _signed_in(
    browser: Browser, published: Published, locale: str, width: int
) -> tuple[BrowserContext, Page]:
    context = browser.new_context(
        viewport={"width": width, "height": 800},
        locale="ja-JP" if locale == "ja" else "en-GB",
        bypass_csp=True,  # axe is injected as a script
    )
    page = context.new_page()
    page.goto(f"{published.base_url}/sign-in?lang={locale}")
    page.fill("#f-email", persona(COORDINATOR).login)
    page.fill("#f-password", DEMO_PASSWORD)
    page.click("form.auth button[type=submit]")
    page.wait_for_load_state()
    return context, page


@pytest.mark.parametrize("width", [1280, 320])
@pytest.mark.parametrize("locale", ["en", "ja"])
def test_the_list_pages_fit_read_in_japanese_and_pass_axe(
    browser: Browser, published: Published, locale: str, width: int
) -> None:
    context, page = _signed_in(browser, published, locale, width)
    s = published.season
    paths = (
        f"/seasons/{s}/runs/{published.run}",
        f"/seasons/{s}/runs/{published.run}?outcome=unplaced&sort=name&dir=desc&page=2",
        f"/seasons/{s}/placements",
        f"/seasons/{s}/requests",
        f"/seasons/{s}",
        f"/seasons/{s}/candidates/{published.candidate}",
    )
    report: dict[str, list[str]] = {}
    try:
        for path in paths:
            problems = check_page(page, Axe(), published.base_url + path, locale, width)
            if problems:
                report[path] = problems
    finally:
        context.close()
    assert not report, report


def test_search_sort_and_paging_keep_their_state_in_the_address(
    browser: Browser, published: Published
) -> None:
    context, page = _signed_in(browser, published, "en", 1280)
    try:
        run = f"/seasons/{published.season}/runs/{published.run}"
        page.goto(f"{published.base_url}{run}?per_page=5")
        page.select_option("#outcomes-outcome", "placed")
        page.click("#outcomes-submit")
        expect(page).to_have_url(re.compile(r"outcome=placed"))
        page.click("#outcomes th a[data-sort='name']")
        expect(page.locator("#outcomes th[aria-sort='ascending']")).to_contain_text("Name")
        page.click("#outcomes-next")
        for part in ("page=2", "sort=name", "outcome=placed", "per_page=5"):
            assert part in page.url
        expect(page.locator("#outcomes-outcome")).to_have_value("placed")
        expect(page.locator(".list-count")).to_contain_text("Showing 6–10 of")
        page.locator("#outcomes tbody a").first.click()
        expect(page.locator("#outcome-text")).to_contain_text("Placed with")
    finally:
        context.close()
