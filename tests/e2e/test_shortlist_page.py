"""The shortlist page in Chromium on a 320-px phone, in English and in Japanese: a coordinator
previews three places and two alternates, reads who calibration moved across the cut, is
refused without the confirmation, confirms, and the candidate Emily (heard by the lenient
panel) then reads her result with its reasons on her own application page; nothing is wider
than the phone and axe finds nothing serious on any of the pages."""

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
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import update
from tests.calibration_world import flip_rows, scores_file
from tests.e2e.test_persona_walk import check_page
from tests.season_world import CANDIDATE_EMAILS, PASSWORD, build_world, filled_season

from altmatch.config import Settings
from altmatch.db import make_engine, session_factory
from altmatch.db.models import SeasonCandidate
from altmatch.services.season.interview_calibration import calibrate_season
from altmatch.services.setup import prepare_installation
from altmatch.web.app import create_app

pytestmark = [pytest.mark.e2e, pytest.mark.date_sensitive]  # the seasons' deadline is a month on
COORDINATOR = "coordinator@example.org"
WIDTH = 320
LANGS = ("en", "ja")


@dataclass(frozen=True)
class Server:
    base_url: str
    seasons: dict[str, int]  # one season per language, so each decides afresh


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server of its own over two example seasons whose panels were heard and calibrated
    (tests/calibration_world.py: C01 by the lenient panel, C02 by the harsh one)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    settings = Settings(data_dir=tmp_path_factory.mktemp("shortlist-data"), port=port)
    prepare_installation(settings)
    engine = make_engine(settings)
    sessions = session_factory(engine)
    world = build_world(sessions)
    seasons = {}
    for lang in LANGS:
        season = filled_season(sessions, world, name=f"2027 season ({lang})")
        with sessions.begin() as session:
            session.execute(
                update(SeasonCandidate)
                .where(SeasonCandidate.season_id == season)
                .values(stage="interviewed")
            )
        rows = flip_rows("C01", "C02", [f"C0{i}" for i in range(3, 9)])
        done = calibrate_season(
            sessions, world.coordinator, season, content=scores_file(rows), filename="s.csv"
        )
        assert done.committed
        seasons[lang] = season
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
    yield Server(url, seasons)
    uvicorn_server.should_exit = True
    thread.join(timeout=10)


def _phone(browser: Browser, server: Server, email: str, lang: str) -> tuple[BrowserContext, Page]:
    context = browser.new_context(
        viewport={"width": WIDTH, "height": 800},
        locale="ja-JP" if lang == "ja" else "en-GB",
        bypass_csp=True,  # axe is injected as a script
    )
    page = context.new_page()
    page.goto(f"{server.base_url}/sign-in?lang={lang}")
    page.fill("#f-email", email)
    page.fill("#f-password", PASSWORD)
    page.click("form.auth button[type=submit]")
    page.wait_for_load_state()
    return context, page


@pytest.mark.parametrize("lang", LANGS)
def test_a_coordinator_decides_and_the_candidate_reads_why(
    browser: Browser, server: Server, lang: str
) -> None:
    season = server.seasons[lang]
    path = f"/seasons/{season}/shortlist"
    context, page = _phone(browser, server, COORDINATOR, lang)
    try:
        page.goto(f"{server.base_url}{path}")
        page.fill("#f-places", "3")
        page.fill("#f-alternates", "2")
        page.click("#preview")
        page.wait_for_load_state()
        expect(page.locator("#count-shortlisted")).to_have_text("3")
        expect(page.locator("#crossed-in tr[data-candidate='C02']")).to_have_count(1)
        expect(page.locator("#crossed-out tr[data-candidate='C01']")).to_have_count(1)
        expect(page.locator("#near-cut [data-flag='tie']").first).to_be_visible()
        problems = check_page(page, Axe(), page.url, lang, WIDTH)
        assert not problems, problems

        page.click("#decide")  # not confirmed: refused next to the box, nothing decided
        page.wait_for_load_state()
        expect(page.locator("#e-confirm")).to_be_visible()
        expect(page.locator("#last-decision")).to_have_count(0)
        page.check("#f-confirm")
        page.click("#decide")
        page.wait_for_load_state()
        expect(page.locator("#shortlist-decided")).to_be_visible()
        expect(page.locator("#last-decision")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    finally:
        context.close()

    context, page = _phone(browser, server, CANDIDATE_EMAILS["C01"], lang)
    try:
        mine = f"{server.base_url}/seasons/{season}/application"
        problems = check_page(page, Axe(), mine, lang, WIDTH)
        assert not problems, problems
        result = page.locator("#interview-result")
        expect(result).to_have_attribute("data-decision", "alternate")
        expect(page.locator("#interview-reasons li")).to_have_count(3)
        expect(page.locator("#interview-reasons li[data-reason='crossed_out']")).to_be_visible()
        expect(page.locator("#interview-result-adjustment")).to_have_attribute(
            "data-adjustment", "lowered"
        )
        # the coordinators' shortlist is not hers
        response = page.goto(f"{server.base_url}{path}")
        assert response is not None and response.status == 403
    finally:
        context.close()
