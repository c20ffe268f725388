"""An assessor's interview round in Chromium: l1 signs in on a 320 px phone in Japanese, opens
their panel, scores a candidate criterion by criterion, submits after the confirmation page,
and declares a conflict of interest with another candidate, who then leaves their list; a
coordinator then calibrates the season from the submitted sheets. Every page passes the walk's
checks (nothing wider than the phone, nothing untranslated, axe finds nothing serious)."""

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
from playwright.sync_api import Browser, Page, expect
from tests.e2e.recruitment_server import phone
from tests.e2e.test_persona_walk import check_page
from tests.interview_round_world import Round, build_round, score_lines
from tests.season_world import PASSWORD

from altmatch.config import Settings
from altmatch.db import Sessions, make_engine, session_factory
from altmatch.services.season.interview_scoring import ScoreSheetIn, save_sheet
from altmatch.services.setup import prepare_installation
from altmatch.web.app import create_app

pytestmark = [pytest.mark.e2e, pytest.mark.date_sensitive]  # the season's deadline is a month on


@dataclass(frozen=True)
class Server:
    base_url: str
    round: Round
    sessions: Sessions


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    settings = Settings(data_dir=tmp_path_factory.mktemp("assessor-journey"), port=port)
    prepare_installation(settings)
    engine = make_engine(settings)
    sessions = session_factory(engine)
    world = build_round(sessions)
    app = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=app.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{url}/health", timeout=1)
            break
        except httpx.HTTPError:
            time.sleep(0.2)
    yield Server(url, world, sessions)
    app.should_exit = True
    thread.join(timeout=10)
    engine.dispose()


def _sign_in(page: Page, server: Server, email: str, locale: str) -> None:
    page.goto(f"{server.base_url}/sign-in?lang={locale}")
    page.fill("#f-email", email)
    page.fill("#f-password", PASSWORD)
    page.click("form.auth button[type=submit]")
    page.wait_for_load_state()


def test_an_assessor_scores_and_declares_a_conflict_and_the_coordinator_calibrates(
    browser: Browser, server: Server
) -> None:
    r = server.round
    base = server.base_url
    scored, conflicted = r.candidates["A01"], r.candidates["F01"]
    mine = score_lines(r)[("l1", "A01")]
    problems: list[str] = []
    context, page = phone(browser, "ja", 320)
    try:
        _sign_in(page, server, "l1@example.org", "ja")
        problems += [
            f"/assessing: {p}" for p in check_page(page, Axe(), f"{base}/assessing", "ja", 320)
        ]
        expect(page.locator("#panel-PL li")).to_have_count(4)
        page.click(f"#candidate-{scored}")
        expect(page.locator("#sheet-status")).to_have_attribute("data-status", "not_started")
        problems += [f"sheet: {p}" for p in check_page(page, Axe(), page.url, "ja", 320)]
        for criterion, score in mine.items():
            page.click(f"label[for='s-{criterion}-{score}']")  # the whole anchor is the target
        box = page.locator(f"label[for='s-{next(iter(mine))}-1']").bounding_box()
        assert box is not None and box["height"] >= 44 and box["width"] <= 320
        page.click("#review")
        expect(page.locator("#confirm-scores")).to_be_visible()
        for criterion, score in mine.items():
            expect(page.locator(f"#confirm-list dd[data-criterion='{criterion}']")).to_contain_text(
                str(score)
            )
        page.click("#confirm-submit")  # unticked: refused beside the box, nothing stored
        expect(page.locator("#form-error")).to_be_visible()
        page.check("#f-confirm")
        page.click("#confirm-submit")
        expect(page.locator("#notice")).to_be_visible()
        expect(page.locator("#sheet-status")).to_have_attribute("data-status", "submitted")
        problems += [f"submitted: {p}" for p in check_page(page, Axe(), page.url, "ja", 320)]

        page.goto(f"{base}/assessing/candidates/{conflicted}")
        page.check("#r-former_student")
        page.fill("#f-conflict-note", "2023年に英語を教えました。")
        page.click("#declare-conflict")  # unconfirmed: refused
        expect(page.locator("#e-conflict_confirm")).to_be_visible()
        page.check("#r-former_student")
        page.check("#f-conflict_confirm")
        page.click("#declare-conflict")
        expect(page.locator("#notice")).to_be_visible()
        expect(page.locator(f"li[data-candidate='{conflicted}']")).to_have_count(0)
        expect(page.locator("#panel-PL li")).to_have_count(3)
        response = page.goto(f"{base}/assessing/candidates/{conflicted}")
        assert response is not None and response.status == 404
        response = page.goto(f"{base}/assessing/candidates/{r.candidates['B01']}")
        assert response is not None and response.status == 404  # another panel's candidate
    finally:
        context.close()

    # the rest of the round submits its sheets; l1's conflicted sheet never existed
    for (who, candidate), scores in score_lines(r).items():
        if who == "l1" and candidate in ("A01", "F01"):
            continue
        save_sheet(
            server.sessions,
            r.assessors[who],
            r.candidates[candidate],
            ScoreSheetIn(scores=scores),
            version=0,
            submit=True,
        )
    context, page = phone(browser, "en", 320)
    try:
        _sign_in(page, server, "coordinator@example.org", "en")
        url = f"{base}/seasons/{r.season_id}/interviews"
        problems += [f"interviews: {p}" for p in check_page(page, Axe(), url, "en", 320)]
        expect(page.locator("#sheets-submitted")).to_have_text("23")
        expect(page.locator("#sheets-assessors")).to_have_text("5")
        page.click("#check-sheets")
        expect(page.locator("#sheets-preview")).to_be_visible()
        page.check("#f-sheets_confirm")
        page.click("#store-sheets")
        expect(page.locator("#calibration-stored")).to_be_visible()
        expect(page.locator("#calibration-source")).to_contain_text("score sheets")
        problems += [f"calibrated: {p}" for p in check_page(page, Axe(), page.url, "en", 320)]
    finally:
        context.close()
    assert problems == [], "\n".join(problems)


def test_an_assessor_reads_their_panel_and_a_sheet_in_english_at_a_desk(
    browser: Browser, server: Server
) -> None:
    """The same pages in English, wide: h1 sees only panel PH, and the rubric's anchors."""
    r = server.round
    base = server.base_url
    problems: list[str] = []
    context, page = phone(browser, "en", 1280)
    try:
        _sign_in(page, server, "h1@example.org", "en")
        problems += [
            f"/assessing: {p}" for p in check_page(page, Axe(), f"{base}/assessing", "en", 1280)
        ]
        expect(page.locator("#panel-PH li")).to_have_count(4)
        expect(page.locator("#panel-PL")).to_have_count(0)
        page.click(f"#candidate-{r.candidates['B01']}")
        expect(page.locator("h1")).to_be_visible()
        expect(page.locator("main")).to_contain_text("Statement of purpose")
        problems += [f"sheet: {p}" for p in check_page(page, Axe(), page.url, "en", 1280)]
        response = page.goto(f"{base}/assessing/candidates/{r.candidates['A01']}")
        assert response is not None and response.status == 404  # panel PL's candidate
    finally:
        context.close()
    assert problems == [], "\n".join(problems)
