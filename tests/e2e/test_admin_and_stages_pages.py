"""In Chromium at 390 px, in Japanese: an administrator turns off a staff member's two-factor
sign-in through the confirmation page, and a coordinator moves two candidates to another
screening stage at once, confirming the move with a reason."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect
from sqlalchemy import update
from tests.season_world import CONTRACT_START, candidates_csv

from altmatch.config import Settings
from altmatch.db import Sessions, make_engine, session_factory
from altmatch.db.models import User
from altmatch.domain.access import OPERATOR, OrgKind, Role
from altmatch.services.accounts.authentication import actor_for
from altmatch.services.accounts.users import create_organisation, create_user
from altmatch.services.season.imports import import_candidates
from altmatch.services.season.setup import open_season

pytestmark = pytest.mark.e2e
Shot = Callable[[Page, str], object]
PASSWORD = "correct horse battery"
PHONE: ViewportSize = {"width": 390, "height": 844}


def _sessions(settings: Settings) -> Sessions:
    return session_factory(make_engine(settings))


def _user(sessions: Sessions, tag: str, name: str, role: Role, org: int | None) -> str:
    return create_user(
        sessions,
        actor=OPERATOR,
        email=f"{name.lower()}-{tag}@example.org",
        display_name=f"{name} {tag}",
        role=role,
        password=PASSWORD,
        organisation_id=org,
    ).email


def _sign_in(page: Page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/sign-in?lang=ja")
    page.fill("#f-email", email)
    page.fill("#f-password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def _fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide"


@pytest.fixture
def phone(browser: Browser) -> Page:
    context = browser.new_context(viewport=PHONE, locale="ja-JP")
    return context.new_page()


def test_an_admin_turns_off_a_staff_members_two_factor_after_confirming(
    phone: Page, base_url: str, e2e_settings: Settings, screenshot: Shot
) -> None:
    sessions = _sessions(e2e_settings)
    tag = secrets.token_hex(3)
    company = create_organisation(
        sessions,
        actor=OPERATOR,
        kind=OrgKind.COMPANY,
        name_en=f"Maple {tag}",
        name_ja=f"メープル{tag}",
    )
    admin = _user(sessions, tag, "Admin", Role.ADMIN, None)
    staff = _user(sessions, tag, "Sato", Role.COMPANY_STAFF, company.id)
    with sessions.begin() as session:
        session.execute(
            update(User)
            .where(User.email == staff)
            .values(totp_secret="JBSWY3DPEHPK3PXP", totp_enabled_at=datetime.now(UTC))
        )
    page = phone
    _sign_in(page, base_url, admin)
    page.goto(f"{base_url}/admin/users?q=sato-{tag}&two_factor=on")
    _fits(page)
    page.get_by_role("link", name=f"Sato {tag}").click()
    expect(page.locator("#user-two-factor")).to_contain_text("有効")
    page.locator("#reset-two-factor").click()
    expect(page.locator("#confirm-two-factor")).to_contain_text("リカバリーコード")
    _fits(page)
    screenshot(page, "admin-two-factor-reset-confirm")
    page.locator("#confirm-two-factor-go").click()  # no reason yet: the browser asks for one
    expect(page.locator("#confirm-two-factor")).to_be_visible()
    page.fill("#f-reason", "スマートフォン紛失のため（電話で本人確認済み）")
    page.locator("#confirm-two-factor-go").click()
    expect(page.locator("#user-done")).to_contain_text("2段階認証を解除しました")
    expect(page.locator("#user-two-factor")).to_have_text("無効")
    expect(page.locator("#user-audit")).to_contain_text("two_factor.reset")
    _fits(page)


def test_a_coordinator_moves_two_candidates_to_another_stage(
    phone: Page, base_url: str, e2e_settings: Settings, screenshot: Shot
) -> None:
    sessions = _sessions(e2e_settings)
    tag = secrets.token_hex(3)
    programme = create_organisation(
        sessions, actor=OPERATOR, kind=OrgKind.PROGRAMME, name_en=f"JET {tag}", name_ja=f"JET {tag}"
    )
    coordinator = _user(sessions, tag, "Coordinator", Role.COORDINATOR, programme.id)
    with sessions() as session:
        row = session.query(User).filter(User.email == coordinator).one()
        actor = actor_for(session, row)
    season = open_season(
        sessions,
        actor,
        name=f"2027 {tag}",
        year=2027,
        request_deadline=datetime.now(UTC) + timedelta(days=30),
        contract_start=CONTRACT_START,
    )
    import_candidates(
        sessions, actor, season.id, content=candidates_csv(), filename="c.csv", commit=True
    )
    page = phone
    _sign_in(page, base_url, coordinator)
    page.goto(f"{base_url}/seasons/{season.id}/stages?stage=submitted")
    _fits(page)
    page.locator("#stage-table tr", has_text="C01").locator("input[type=checkbox]").check()
    page.locator("#stage-table tr", has_text="C02").locator("input[type=checkbox]").check()
    page.select_option("#f-to_stage", "screened")
    page.locator("#stage-move-review").click()
    expect(page.locator("#move-summary")).to_contain_text("2件の応募を「書類審査済み」")
    expect(page.locator("#move-who")).to_contain_text("Emily Carter")
    expect(page.locator("#move-who")).to_contain_text("Liam Walsh")
    _fits(page)
    screenshot(page, "stages-bulk-move-confirm")
    page.fill("#f-reason", "書類審査を通過")
    page.locator("#move-go").click()
    expect(page.locator("#stages-moved")).to_contain_text("2件の応募を移動しました")
    page.goto(f"{base_url}/seasons/{season.id}/stages?stage=screened")
    expect(page.locator("#stage-table tbody tr")).to_have_count(2)
    page.locator("#stage-table details").first.locator("summary").click()
    expect(page.locator("#stage-table details").first).to_contain_text("書類審査を通過")
    _fits(page)
