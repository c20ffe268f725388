"""The online application in Chromium on a 320-px phone, in English and in Japanese: an
applicant fills the form (eligibility checked as they type), uploads their degree and
transcript, names two referees, each referee uploads a letter through their own link without
an account, and the applicant checks, confirms and submits, reads the receipt, and withdraws
the application (a reason, a ticked confirmation). Nothing is wider than the phone, nothing on
a Japanese page is untranslated, and axe finds nothing serious."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, FilePayload, Page, expect
from tests.e2e.recruitment_server import Server, phone, serve, sign_in
from tests.e2e.test_persona_walk import check_page
from tests.recruitment_world import PDF, STATEMENT

pytestmark = [pytest.mark.e2e, pytest.mark.date_sensitive]  # the season's deadline is a month on
WIDTH = 320
APPLICANTS = {
    "en": ("emily@example.org", "Emily Carter", "GB"),
    "ja": ("liam@example.org", "Liam Walsh", "IE"),
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from serve(tmp_path_factory.mktemp("application-journey"))


def _pdf(name: str) -> FilePayload:
    return FilePayload(name=name, mimeType="application/pdf", buffer=PDF)


def _problems(page: Page, server: Server, path: str, locale: str) -> list[str]:
    return [f"{path}: {p}" for p in check_page(page, Axe(), server.base_url + path, locale, WIDTH)]


@pytest.mark.parametrize("locale", ["en", "ja"])
def test_an_applicant_applies_on_a_phone_and_referees_upload_by_link(
    browser: Browser, server: Server, locale: str
) -> None:
    email, name, country = APPLICANTS[locale]
    base = f"/seasons/{server.world.season_id}/apply"
    problems: list[str] = []
    context, page = phone(browser, locale)
    try:
        sign_in(page, server, email, locale)
        page.goto(server.base_url + base)
        problems += _problems(page, server, base, locale)
        page.fill("#f-name", name)
        page.fill("#f-citizenship", "FR")  # not a recruiting country: the check says so
        expect(page.locator("#eligibility-failed li[data-rule='jet.citizenship']")).to_be_visible()
        page.fill("#f-citizenship", country)
        expect(page.locator("#eligibility")).to_have_attribute("data-eligible", "yes")
        page.select_option("#f-jlpt", "N4")
        page.fill("#f-teaching_years", "1")
        page.fill("#f-preferred_prefectures", "Hyogo")
        page.fill("#f-statement", STATEMENT)
        page.click("#save-draft")
        expect(page.locator("#notice")).to_be_visible()
        expect(page.locator("#office")).to_be_visible()
        for kind in ("degree", "transcript"):
            page.set_input_files(f"#f-file-{kind}", files=[_pdf(f"{kind}.pdf")])
            page.click(f"#upload-{kind}-submit")
            expect(page.locator(f"#documents tr[data-kind='{kind}']")).to_be_visible()
        before = len(server.referee_tokens())
        for slot in (1, 2):
            page.fill(f"#f-referee_name-{slot}", f"Referee {slot}")
            page.fill(f"#f-referee_email-{slot}", f"ref{slot}.{locale}@example.net")
            page.click(f"#referee-{slot}-submit")
            expect(page.locator(f"#references tr[data-slot='{slot}']")).to_have_attribute(
                "data-status", "requested"
            )
        problems += _problems(page, server, base, locale)
        tokens = server.referee_tokens()[before:]
        assert len(tokens) == 2
        referee_context, referee = phone(browser, locale)
        try:
            for token in tokens:
                link = f"/references/{token}?lang={locale}"
                problems += _problems(referee, server, link, locale)
                referee.set_input_files("#f-file", files=[_pdf("letter.pdf")])
                referee.click("#upload-reference")
                expect(referee.locator("#reference-received")).to_be_visible()
            referee.goto(server.base_url + f"/references/{tokens[0]}")
            expect(referee.locator("#link-invalid")).to_be_visible()  # works once
        finally:
            referee_context.close()
        page.goto(server.base_url + base + "/confirm")
        expect(page.locator("#missing")).to_have_count(0)
        problems += _problems(page, server, base + "/confirm", locale)
        page.click("#submit-application")  # without the box ticked: refused beside it
        expect(page.locator("#e-confirm")).to_be_visible()
        page.check("#f-confirm")
        page.click("#submit-application")
        expect(page.locator("#receipt")).to_be_visible()
        expect(page.locator("#reference-number")).to_contain_text("2027-")
        expect(page.locator("#stage")).to_have_attribute("data-stage", "submitted")
        problems += _problems(page, server, base, locale)
        # and then they withdraw it: the page says what happens and asks to confirm
        page.click("#withdraw-link a")
        expect(page.locator("#what-happens")).to_be_visible()
        problems += _problems(page, server, base + "/withdraw", locale)
        page.fill("#f-reason", "I accepted another post.")
        page.click("#withdraw-application")  # without the box ticked: refused beside it
        expect(page.locator("#e-confirm")).to_be_visible()
        expect(page.locator("#f-reason")).to_have_value("I accepted another post.")
        problems += _problems(page, server, base + "/withdraw", locale)
        page.check("#f-confirm")
        page.click("#withdraw-application")
        expect(page.locator("#stage")).to_have_attribute("data-stage", "withdrawn")
        expect(page.locator("#withdraw-link")).to_have_count(0)
        problems += _problems(page, server, base, locale)
    finally:
        context.close()
    assert not problems, "\n".join(problems)
