"""The page header (base.html) without a server: which links each role gets, the current page
marked for screen readers, the unread badge, and the Menu button wired to the menu."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import pytest
from starlette.requests import Request

from altmatch.i18n import use_locale
from altmatch.web.pages.templating import _is_current_page, _templates


def _request(path: str) -> Request:
    return Request(
        {
            "type": "http",
            "method": "GET",
            "path": path,
            "query_string": b"",
            "headers": [],
            "server": ("testserver", 80),
            "scheme": "http",
        }
    )


def _header(path: str, role: str | None, locale: str = "en", **extra: Any) -> str:
    user = (
        None
        if role is None
        else SimpleNamespace(role=SimpleNamespace(value=role), display_name="Aoi")
    )
    context = {
        "request": _request(path),
        "locale": locale,
        "language_hrefs": {"en": "?lang=en", "ja": "?lang=ja"},
        "version": "0",
        "current_user": user,
        **extra,
    }
    with use_locale(locale):
        html = _templates.env.get_template("base.html").render(context)
    return html[html.index('<header class="site"') : html.index("</header>")]


@pytest.mark.parametrize(
    ("path", "href", "current"),
    [
        ("/", "/", True),
        ("/dispatch/roster", "/", False),
        ("/dispatch/roster", "/dispatch/roster", True),
        ("/dispatch/roster/12", "/dispatch/roster", True),
        ("/dispatch/roster/", "/dispatch/roster", True),
        ("/dispatch/rosters", "/dispatch/roster", False),
        ("/dispatch", "/dispatch/roster", False),
    ],
)
def test_a_link_is_current_on_its_page_and_the_pages_below_it(
    path: str, href: str, current: bool
) -> None:
    assert _is_current_page(_request(path), href) is current


def test_without_a_request_no_link_is_current() -> None:
    assert _is_current_page(None, "/") is False


def test_the_current_page_is_marked_and_no_other() -> None:
    header = _header("/dispatch/roster/7", "company_staff")
    assert re.findall(r'<a [^>]*aria-current="page"[^>]*>', header) == [
        '<a href="/dispatch/roster" id="nav-roster" aria-current="page">'
    ]


def test_the_menu_button_controls_the_menu_and_starts_hidden_for_script_to_show() -> None:
    header = _header("/", None)
    button = re.search(r"<button[^>]*id=\"menu-toggle\"[^>]*>", header)
    assert button is not None
    assert 'aria-controls="site-menu"' in button.group(0)
    assert 'aria-expanded="false"' in button.group(0)
    assert " hidden" in button.group(0)  # without script the menu simply shows
    assert 'id="site-menu"' in header
    assert header.index('id="site-menu"') < header.index('id="nav-advisor"')
    assert header.index('id="site-menu"') < header.index('id="nav-sign-in"')


def test_the_menu_button_reads_menu_in_japanese() -> None:
    assert ">メニュー</button>" in _header("/", None, "ja")


@pytest.mark.parametrize(
    ("role", "ids"),
    [
        (None, ["nav-advisor", "nav-postings", "nav-sign-in"]),
        # an assessor scores their panels' candidates and reads their notices; nothing else
        ("assessor", ["nav-home", "nav-advisor", "nav-assessing", "nav-notifications", "nav-user"]),
        (
            "coordinator",
            [
                "nav-home",
                "nav-advisor",
                "nav-seasons",
                "nav-offices",
                "nav-assessing",  # a coordinator may sit on a panel too
                "nav-support-metrics",
                "nav-notifications",
                "nav-user",
            ],
        ),
        (
            "company_staff",
            [
                "nav-home",
                "nav-advisor",
                "nav-contracts",
                "nav-tenders",
                "nav-roster",
                "nav-assignment",
                "nav-coverage",
                "nav-compliance",
                "nav-contract-health",
                "nav-surveys",
                "nav-transfers",
                "nav-cases",
                "nav-notifications",
                "nav-user",
            ],
        ),
        (
            "admin",
            [
                "nav-home",
                "nav-advisor",
                "nav-offices",
                "nav-admin-users",
                "nav-admin-organisations",
                "nav-admin-audit",
                "nav-support-metrics",
                "nav-notifications",  # every signed-in person has notices (a role change, say)
                "nav-user",
            ],
        ),
    ],
)
def test_each_role_gets_its_links(role: str | None, ids: list[str]) -> None:
    header = _header("/", role)
    assert re.findall(r'<a [^>]*id="(nav-[a-z-]+)"', header) == ids


def test_the_administrators_links_lead_to_their_screens_in_japanese() -> None:
    header = _header("/", "admin", "ja")
    assert '<a href="/admin/users" id="nav-admin-users">利用者</a>' in header
    assert '<a href="/admin/organisations" id="nav-admin-organisations">組織</a>' in header
    assert '<a href="/admin/audit" id="nav-admin-audit">監査ログ</a>' in header


def test_unread_notifications_show_as_a_count_with_words_for_screen_readers() -> None:
    header = _header("/", "alt", "ja", unread_count=3)
    link = header[
        header.index('id="nav-notifications"') : header.index(
            "</a>", header.index('id="nav-notifications"')
        )
    ]
    assert '<span class="count" aria-hidden="true">3</span>' in link
    assert '<span class="visually-hidden">(未読3件)</span>' in link


@pytest.mark.parametrize("extra", [{}, {"unread_count": 0}, {"unread_count": None}])
def test_no_badge_without_unread_notifications(extra: dict[str, Any]) -> None:
    header = _header("/", "alt", **extra)
    assert 'id="nav-notifications">Notifications</a>' in header
    assert 'class="count"' not in header


def test_the_assessors_link_reads_in_japanese() -> None:
    header = _header("/assessing/candidates/3", "assessor", "ja")
    assert (
        '<a href="/assessing" id="nav-assessing" aria-current="page">担当する面接パネル</a>'
        in header
    )
