"""The interview calibration page in Chromium on a 320-px phone in Japanese: a coordinator
uploads the panels' scores, confirms, and reads the report (the severity plot beside its table,
the candidates whose order calibration reversed), with nothing wider than the phone and no
serious axe finding; a bad file is refused row by row and stores nothing."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
import uvicorn
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, FilePayload, Page, expect
from tests.calibration_world import flip_rows, scores_file, tiny_season
from tests.e2e.test_persona_walk import check_page
from tests.season_world import PASSWORD, build_world

from altmatch.config import Settings
from altmatch.db import make_engine, session_factory
from altmatch.services.setup import prepare_installation
from altmatch.web.app import create_app

pytestmark = [pytest.mark.e2e, pytest.mark.date_sensitive]  # the season's deadline is a month on
COORDINATOR = "coordinator@example.org"
WIDTH = 320


@dataclass(frozen=True)
class Server:
    base_url: str
    season: int


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server of its own over the tiny one-request season (tests/calibration_world.py)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    settings = Settings(data_dir=tmp_path_factory.mktemp("calibration-data"), port=port)
    prepare_installation(settings)
    engine = make_engine(settings)
    sessions = session_factory(engine)
    season = tiny_season(sessions, build_world(sessions))
    engine.dispose()
    uvicorn_server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=uvicorn_server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{url}/health", timeout=1)
            break
        except httpx.HTTPError:
            time.sleep(0.2)
    yield Server(url, season)
    uvicorn_server.should_exit = True
    thread.join(timeout=10)


def _phone_in_japanese(browser: Browser, server: Server) -> tuple[BrowserContext, Page]:
    context = browser.new_context(
        viewport={"width": WIDTH, "height": 800},
        locale="ja-JP",
        bypass_csp=True,  # axe is injected as a script
    )
    page = context.new_page()
    page.goto(f"{server.base_url}/sign-in?lang=ja")
    page.fill("#f-email", COORDINATOR)
    page.fill("#f-password", PASSWORD)
    page.click("form.auth button[type=submit]")
    page.wait_for_load_state()
    return context, page


def _upload(page: Page, rows: list[str]) -> None:
    payload = FilePayload(name="scores.csv", mimeType="text/csv", buffer=scores_file(rows))
    page.set_input_files("#f-file", files=[payload])
    page.check("#f-confirm")
    page.click("#store-calibration")
    page.wait_for_load_state()


def test_a_bad_file_is_refused_row_by_row_on_a_phone_and_stores_nothing(
    browser: Browser, server: Server
) -> None:
    context, page = _phone_in_japanese(browser, server)
    try:
        page.goto(f"{server.base_url}/seasons/{server.season}/interviews")
        _upload(page, [*flip_rows(), "ZZ9,PL,s,communication,3"])

        errors = page.locator("#import-errors")
        expect(errors.locator("tbody tr")).to_have_count(1)
        expect(errors).to_contain_text("candidate_id")
        expect(page.locator("#no-calibration")).to_be_visible()  # nothing stored
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    finally:
        context.close()


def test_uploading_shows_the_report_on_a_phone_in_japanese_and_passes_axe(
    browser: Browser, server: Server
) -> None:
    context, page = _phone_in_japanese(browser, server)
    try:
        path = f"/seasons/{server.season}/interviews"
        page.goto(f"{server.base_url}/seasons/{server.season}")
        page.click("#interview-calibration")
        expect(page).to_have_url(f"{server.base_url}{path}")
        expect(page.locator("h1")).to_have_text("面接評価の補正")
        _upload(page, flip_rows())

        expect(page).to_have_url(f"{server.base_url}{path}?stored=1")
        expect(page.locator("#calibration-stored")).to_be_visible()
        expect(page.locator("#severity-chart circle")).to_have_count(5)
        expect(page.locator("#assessors tbody tr")).to_have_count(5)
        # B01 (the harsh panel) moves up past A01 (the lenient one)
        expect(page.locator("#calibrated tr[data-candidate='B01']")).not_to_have_attribute(
            "data-change", "0"
        )
        expect(page.locator("#calibrated tr[data-candidate='A01'] td").first).not_to_have_text("1")

        problems = check_page(page, Axe(), f"{server.base_url}{path}", "ja", WIDTH)
        assert not problems, problems
    finally:
        context.close()
