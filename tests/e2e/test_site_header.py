"""The page header in Chromium: on a phone it is the brand, the language switch and a Menu button
that opens the links; on a desk the links sit inline and never break inside themselves. In English
and Japanese, for a company's staff (the most links) and a visitor; axe finds nothing serious.
Also: the four button kinds look different, and keyboard focus is visible."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect
from tests.dispatch_world import PASSWORD

from altmatch.config import Settings
from altmatch.db import make_engine, session_factory
from altmatch.domain.access import OPERATOR, OrgKind, Role
from altmatch.services.accounts.users import create_organisation, create_user

pytestmark = pytest.mark.e2e
STAFF = "header-staff@example.org"
# The page each visitor opens and the header link that leads to it.
PAGE = {"staff": ("/dispatch/contracts", "#nav-contracts"), "visitor": ("/advisor", "#nav-advisor")}
# A link in the menu to follow, and where it leads.
FOLLOW = {"staff": ("#nav-roster", "/dispatch/roster"), "visitor": ("#nav-postings", "/postings")}


@pytest.fixture(scope="module")
def staff(e2e_settings: Settings) -> Iterator[str]:
    engine = make_engine(e2e_settings)
    sessions = session_factory(engine)
    company = create_organisation(
        sessions,
        actor=OPERATOR,
        kind=OrgKind.COMPANY,
        name_en="Header KK",
        name_ja="ヘッダー株式会社",
    )
    create_user(
        sessions,
        actor=OPERATOR,
        email=STAFF,
        display_name="山本 彩香",
        role=Role.COMPANY_STAFF,
        password=PASSWORD,
        organisation_id=company.id,
    )
    yield STAFF
    engine.dispose()


@contextmanager
def opened(
    browser: Browser,
    base_url: str,
    who: str,
    locale: str,
    width: int,
    *,
    javascript: bool = True,
) -> Iterator[Page]:
    """`who`'s page (PAGE) in a fresh context `width` px wide, signed in for staff."""
    context = browser.new_context(
        viewport={"width": width, "height": 800},
        locale="ja-JP" if locale == "ja" else "en-GB",
        java_script_enabled=javascript,
        bypass_csp=True,  # axe is injected as a script
    )
    page = context.new_page()
    try:
        if who == "staff":
            page.goto(f"{base_url}/sign-in?lang={locale}")
            page.fill("#f-email", STAFF)
            page.fill("#f-password", PASSWORD)
            page.click("form.auth button[type=submit]")
            page.wait_for_url(f"{base_url}/")
        page.goto(f"{base_url}{PAGE[who][0]}?lang={locale}")
        yield page
    finally:
        context.close()


def serious_axe_violations(page: Page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


def page_width(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def header_rows(page: Page) -> int:
    """How many rows the visible parts of the header take."""
    tops = page.evaluate(
        """() => [...document.querySelectorAll('#site-header > *')]
            .filter(e => e.getClientRects().length && getComputedStyle(e).display !== 'contents')
            .map(e => Math.round(e.getBoundingClientRect().top / 8))"""
    )
    return len(set(tops))


def menu_links(page: Page) -> list[str]:
    return list(page.evaluate("[...document.querySelectorAll('#site-menu a')].map(a => a.id)"))


CASES = [
    (who, locale, width)
    for who in ("staff", "visitor")
    for locale in ("en", "ja")
    for width in (390, 320)
]


@pytest.mark.usefixtures("staff")
@pytest.mark.parametrize(("who", "locale", "width"), CASES)
def test_on_a_phone_the_menu_button_opens_and_closes_the_links(
    browser: Browser, base_url: str, who: str, locale: str, width: int
) -> None:
    with opened(browser, base_url, who, locale, width) as page:
        button = page.locator("#menu-toggle")
        expect(button).to_be_visible()
        expect(button).to_have_text("メニュー" if locale == "ja" else "Menu")
        expect(button).to_have_attribute("aria-expanded", "false")
        expect(button).to_have_attribute("aria-controls", "site-menu")
        assert page_width(page) <= width
        assert header_rows(page) <= 2
        assert page.locator("#site-header").bounding_box()["height"] <= 110  # type: ignore[index]
        links = menu_links(page)
        assert len(links) >= (11 if who == "staff" else 3)
        for link in links:
            expect(page.locator(f"#{link}")).to_be_hidden()
        assert serious_axe_violations(page) == []

        button.click()
        expect(button).to_have_attribute("aria-expanded", "true")
        for link in links:
            box = page.locator(f"#{link}").bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, link
        expect(page.locator(PAGE[who][1])).to_have_attribute("aria-current", "page")
        assert page_width(page) <= width
        assert serious_axe_violations(page) == []

        target, path = FOLLOW[who]
        page.click(target)
        expect(page).to_have_url(f"{base_url}{path}")
        expect(page.locator(target)).to_have_attribute("aria-current", "page")

        # Keyboard: open, move into the menu, Escape closes it and puts focus back on the button.
        button.focus()
        page.keyboard.press("Enter")
        expect(button).to_have_attribute("aria-expanded", "true")
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        assert page.evaluate(
            "document.getElementById('site-menu').contains(document.activeElement)"
        )
        page.keyboard.press("Escape")
        expect(button).to_have_attribute("aria-expanded", "false")
        expect(page.locator(target)).to_be_hidden()
        assert page.evaluate("document.activeElement.id") == "menu-toggle"


@pytest.mark.usefixtures("staff")
@pytest.mark.parametrize(
    ("who", "locale"), [(w, loc) for w in ("staff", "visitor") for loc in ("en", "ja")]
)
def test_on_a_desk_the_links_sit_inline_and_never_break_inside(
    browser: Browser, base_url: str, who: str, locale: str
) -> None:
    with opened(browser, base_url, who, locale, 1280) as page:
        expect(page.locator("#menu-toggle")).to_be_hidden()
        lines = page.evaluate(
            """() => Object.fromEntries([...document.querySelectorAll('#site-header a')].map(a => {
                const range = document.createRange();
                range.selectNodeContents(a);
                const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
                return [a.id || a.textContent.trim(), tops.size];
            }))"""
        )
        assert lines and all(n == 1 for n in lines.values()), lines
        for link in menu_links(page):
            expect(page.locator(f"#{link}")).to_be_visible()
        expect(page.locator(PAGE[who][1])).to_have_attribute("aria-current", "page")
        assert page.locator('#site-header [aria-current="page"]').count() == 1
        assert header_rows(page) <= 3  # brand, language and account; then the links
        assert page_width(page) <= 1280
        assert serious_axe_violations(page) == []


@pytest.mark.usefixtures("staff")
@pytest.mark.parametrize("who", ["staff", "visitor"])
def test_without_script_every_link_shows_on_a_phone(
    browser: Browser, base_url: str, who: str
) -> None:
    with opened(browser, base_url, who, "ja", 320, javascript=False) as page:
        expect(page.locator("#menu-toggle")).to_be_hidden()
        for link in menu_links(page):
            expect(page.locator(f"#{link}")).to_be_visible()
        assert page_width(page) <= 320


def test_the_four_button_kinds_look_different_and_focus_shows(
    browser: Browser, base_url: str
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    try:
        page.goto(f"{base_url}/advisor")
        styles = page.evaluate(
            """() => {
                const main = document.querySelector('main');
                const kinds = {primary: '', secondary: 'secondary', danger: 'danger', link: 'link'};
                const out = {};
                for (const [kind, cls] of Object.entries(kinds)) {
                    for (const tag of ['button', 'a']) {
                        const el = document.createElement(tag);
                        el.className = tag === 'a' ? `button ${cls}`.trim() : cls;
                        el.textContent = kind;
                        if (tag === 'a') el.href = '#';
                        else el.type = 'button';
                        el.id = `kind-${kind}-${tag}`;
                        main.append(el);
                        const s = getComputedStyle(el);
                        out[`${kind}-${tag}`] = [s.backgroundColor, s.borderTopColor, s.color];
                    }
                }
                return out;
            }"""
        )
        kinds = ("primary", "secondary", "danger", "link")
        looks = {kind: tuple(styles[f"{kind}-button"]) for kind in kinds}
        assert len(set(looks.values())) == 4, looks
        backgrounds = {kind: looks[kind][0] for kind in kinds}
        assert len({backgrounds["primary"], backgrounds["secondary"], backgrounds["danger"]}) == 3
        assert backgrounds["link"] == "rgba(0, 0, 0, 0)"
        # A link styled as a button matches the button of its kind.
        for kind in ("primary", "secondary", "danger"):
            assert styles[f"{kind}-a"][:2] == styles[f"{kind}-button"][:2], kind
        # The design system's colours: primary blue-900, danger the semantic error red.
        assert backgrounds["primary"] == "rgb(0, 23, 193)"
        assert backgrounds["danger"] == "rgb(206, 0, 0)"

        page.focus("#kind-secondary-button")
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")  # focus by keyboard, so :focus-visible applies
        outline = page.evaluate(
            "() => { const s = getComputedStyle(document.activeElement); "
            "return [document.activeElement.id, s.outlineStyle, s.outlineWidth]; }"
        )
        assert outline == ["kind-secondary-button", "solid", "4px"]
    finally:
        context.close()


def test_the_design_tokens_are_served_from_this_origin(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/advisor")
    sheets = page.evaluate("[...document.styleSheets].map(s => new URL(s.href).pathname)")
    assert sheets[:2] == [
        "/static/vendor/digital-go-jp-design-tokens/tokens.css",
        "/static/site.css",
    ]
    primary = page.evaluate(
        "getComputedStyle(document.documentElement).getPropertyValue('--color-primitive-blue-900')"
    )
    assert primary.strip() == "#0017c1"
