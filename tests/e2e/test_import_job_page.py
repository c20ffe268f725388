"""A roster import job in Chromium: on a 320-px phone in Japanese the progress page ends on every
row and column at fault, with nothing sideways; with JavaScript off the page reloads itself
until the import is done and shows how many rows it stored."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from altmatch.config import Settings
from altmatch.db import make_engine, session_factory
from altmatch.domain.access import OPERATOR, OrgKind, Role
from altmatch.services.accounts.users import create_organisation, create_user

pytestmark = pytest.mark.e2e
Shot = Callable[[Page, str], object]

EMAIL, PASSWORD = "roster-jobs@example.org", "correct horse battery"
HEADER = (
    "alt_id,name,home_prefecture,home_municipality,home_latitude,home_longitude,"
    "school_experience,driving_licence,jlpt,contract_end,renewal_intention,preferred_prefectures"
)
ROW = "J{i:04d},ALT {i},Hyogo,Kobe,34.69,135.19,elementary,yes,N3,2027-03-31,renewing,Hyogo"
ROWS = 2_000


def _roster(*, bad: bool = False) -> bytes:
    lines = [HEADER, *(ROW.format(i=i) for i in range(1, ROWS + 1))]
    if bad:  # row 3 (the header is row 1): a JLPT level that does not exist, an unknown level
        lines[2] = lines[2].replace(",elementary,yes,N3,", ",college,yes,N9,")
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture(scope="module")
def staff_email(e2e_settings: Settings) -> Iterator[str]:
    """A company of its own with one staff member, in the test server's database."""
    engine = make_engine(e2e_settings)
    sessions = session_factory(engine)
    company = create_organisation(
        sessions, actor=OPERATOR, kind=OrgKind.COMPANY, name_en="Kaede ALT", name_ja="かえでALT"
    )
    create_user(
        sessions,
        actor=OPERATOR,
        email=EMAIL,
        display_name="Mika Ito",
        role=Role.COMPANY_STAFF,
        password=PASSWORD,
        organisation_id=company.id,
    )
    yield EMAIL
    engine.dispose()


def _signed_in(browser: Browser, base_url: str, *, width: int, javascript: bool) -> Page:
    context = browser.new_context(
        viewport={"width": width, "height": 800}, locale="ja-JP", java_script_enabled=javascript
    )
    page = context.new_page()
    page.goto(f"{base_url}/sign-in?next=/dispatch/roster&lang=ja")
    page.fill("#f-email", EMAIL)
    page.fill("#f-password", PASSWORD)
    page.click("form.auth button[type=submit]")
    expect(page).to_have_url(f"{base_url}/dispatch/roster")
    return page


def test_a_failed_roster_import_shows_each_bad_cell_on_a_small_phone_in_japanese(
    browser: Browser, base_url: str, staff_email: str, screenshot: Shot
) -> None:
    page = _signed_in(browser, base_url, width=320, javascript=True)
    page.set_input_files(
        "#file-roster",
        files=[{"name": "roster.csv", "mimeType": "text/csv", "buffer": _roster(bad=True)}],
    )
    page.click("#import-roster button[value=commit]")

    expect(page).to_have_url(re.compile(rf"{base_url}/dispatch/jobs/\d+$"))
    errors = page.locator("#import-errors")
    expect(errors).to_contain_text("何も取り込まれていません", timeout=30_000)
    expect(errors.locator("tbody tr")).to_have_count(2)
    expect(errors).to_contain_text("school_experience")
    expect(page.locator("#job-progress")).to_have_attribute("data-status", "failed")
    expect(page.locator("#job-back")).to_have_text("名簿に戻る")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320  # nothing sideways
    screenshot(page, "dispatch-import-job-320-ja")
    page.click("#job-back")
    expect(page.locator("#roster tr[data-alt-id]")).to_have_count(0)  # nothing stored
    page.context.close()


def test_without_javascript_the_progress_page_reloads_itself_until_the_import_is_done(
    browser: Browser, base_url: str, staff_email: str
) -> None:
    page = _signed_in(browser, base_url, width=1280, javascript=False)
    page.set_input_files(
        "#file-roster",
        files=[{"name": "roster.csv", "mimeType": "text/csv", "buffer": _roster()}],
    )
    page.click("#import-roster button[value=commit]")  # a plain form post, then a 303

    expect(page).to_have_url(re.compile(rf"{base_url}/dispatch/jobs/\d+$"))
    # Queued or running at first, most likely; the meta refresh brings the report in the end.
    expect(page.locator("#import-committed")).to_contain_text(str(ROWS), timeout=30_000)
    page.click("#job-back")
    # the roster is paged (50 a page): every imported ALT is counted, the first page listed
    expect(page.locator("#roster tr[data-alt-id]")).to_have_count(min(ROWS, 50))
    expect(page.locator("#roster-count")).to_contain_text(f"{ROWS:,}")
    page.context.close()
