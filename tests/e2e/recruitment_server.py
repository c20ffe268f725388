"""A server of its own for the online-application browser tests, over tests/recruitment_world.py
(London and Dublin, a screener each, an open season), with its mail folder for referees'
links."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import uvicorn
from playwright.sync_api import Browser, BrowserContext, Page
from tests.recruitment_world import RecruitWorld, build_recruitment
from tests.season_world import PASSWORD

from altmatch.config import Settings
from altmatch.db import Sessions, make_engine, session_factory
from altmatch.services.kernel.mail import folder_messages
from altmatch.services.setup import prepare_installation
from altmatch.web.app import create_app


@dataclass(frozen=True)
class Server:
    base_url: str
    world: RecruitWorld
    sessions: Sessions
    mail: Path

    def referee_tokens(self) -> list[str]:
        """Every referee link mailed so far, oldest first."""
        return [
            re.findall(r"/references/([A-Za-z0-9_-]+)", m.body)[0]
            for m in folder_messages(self.mail)
            if "/references/" in m.body
        ]


def serve(
    tmp: Path, build: Callable[[Sessions], RecruitWorld] = build_recruitment
) -> Iterator[Server]:
    """A server over the world `build` makes (tests/recruitment_world.py's by default)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    settings = Settings(data_dir=tmp, port=port)
    prepare_installation(settings)
    engine = make_engine(settings)
    sessions = session_factory(engine)
    world = build(sessions)
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
    yield Server(url, world, sessions, settings.mail_folder)
    server.should_exit = True
    thread.join(timeout=10)
    engine.dispose()


def phone(browser: Browser, locale: str, width: int = 320) -> tuple[BrowserContext, Page]:
    context = browser.new_context(
        viewport={"width": width, "height": 800},
        locale="ja-JP" if locale == "ja" else "en-GB",
        bypass_csp=True,  # axe is injected as a script
    )
    return context, context.new_page()


def sign_in(page: Page, server: Server, email: str, locale: str) -> None:
    page.goto(f"{server.base_url}/sign-in?lang={locale}")
    page.fill("#f-email", email)
    page.fill("#f-password", PASSWORD)
    page.click("form.auth button[type=submit]")
    page.wait_for_load_state()
