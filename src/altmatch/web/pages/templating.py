"""One Jinja2 environment with gettext wired to the request's language."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from babel.numbers import format_currency
from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from altmatch import __version__
from altmatch.domain.application import ApplicationStage
from altmatch.domain.support import Breach, CaseStatus, RouteRole
from altmatch.i18n import LOCALES, Language, get_locale, gettext, label, ngettext, use_locale
from altmatch.i18n.formats import BABEL_LOCALES, day, tokyo_time
from altmatch.rulebook.vocabulary import (
    Area,
    CaseCategory,
    HiringPath,
    Jlpt,
    SchoolLevel,
    Urgency,
)
from altmatch.services.admin.audit_actions import action_label
from altmatch.services.notifications import unread_count
from altmatch.web.auth import signed_in_user
from altmatch.web.deps import request_sessions
from altmatch.web.locale import LANG_COOKIE
from altmatch.web.pages.place_names import local_name, prefecture


def _tokyo_time(moment: datetime) -> str:
    """A time in Japan's zone, written the reader's way (i18n.formats)."""
    return tokyo_time(moment, get_locale())


def _day(value: date) -> str:
    """A calendar date, written the reader's way (i18n.formats)."""
    return day(value, get_locale())


def _yen(amount: int) -> str:
    """Yen the reader's way (CLDR): '¥2,828,816' in English, '￥2,828,816' in Japanese."""
    locale = BABEL_LOCALES.get(get_locale(), "en_US")
    return str(format_currency(int(amount), "JPY", locale=locale))


def _yen_short(amount: int) -> str:
    """Axis labels: 3,500,000 → '¥3.5M' in English, '350万円' in Japanese."""
    if get_locale() == "ja":
        return f"{amount // 10_000:,}万円"
    return f"¥{amount / 1_000_000:.1f}M"


def _label(value: StrEnum | str, kind: type[StrEnum] | None = None) -> str:
    """`label(member)` in a template: the member's label in the reader's language. A value that
    arrives as a plain string names its enum: `label(case.status, CaseStatus)`."""
    member = kind(value) if kind is not None else value
    if not isinstance(member, StrEnum):
        raise TypeError(f"label({value!r}) needs its enum: label(value, Kind)")
    return gettext(label(member))


_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(str(resources.files("altmatch.web"))) / "templates"),
    autoescape=True,
    extensions=["jinja2.ext.i18n"],
)
_templates = Jinja2Templates(env=_env)
_templates.env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
_templates.env.filters["yen"] = _yen
_templates.env.filters["yen_short"] = _yen_short
_templates.env.filters["tokyo"] = _tokyo_time
_templates.env.filters["day"] = _day
_templates.env.globals["label"] = _label
_templates.env.globals["audit_action"] = action_label  # an audit code in words
_templates.env.filters["prefecture"] = prefecture  # a place in the reader's language
_templates.env.globals["local_name"] = local_name  # name_en / name_ja by the reader's language
# Enums a template lists or names, for values that reach it as plain strings.
_templates.env.globals.update(
    {
        kind.__name__: kind
        for kind in (
            ApplicationStage,
            Area,
            Breach,
            CaseCategory,
            CaseStatus,
            HiringPath,
            Jlpt,
            Language,
            RouteRole,
            SchoolLevel,
            Urgency,
        )
    }
)


def _is_current_page(request: Request | None, href: str) -> bool:
    """Whether the header's link `href` leads to the page shown or one below it (a roster entry
    under Roster), so the link carries aria-current="page". The home link `/` only on itself."""
    if request is None:
        return False
    path = request.url.path.rstrip("/") or "/"
    target = href.rstrip("/") or "/"
    return path == target or (target != "/" and path.startswith(target + "/"))


_templates.env.globals["is_current_page"] = _is_current_page


def _language_hrefs(request: Request) -> dict[str, str]:
    """The header's language links: only `lang` changes, so a page opened from a mailed link
    (its token) or with a search keeps them when the reader switches language."""
    kept = [(key, value) for key, value in request.query_params.multi_items() if key != "lang"]
    return {code: "?" + urlencode([*kept, ("lang", code)]) for code in LOCALES}


def _unread_count(request: Request, user: Any) -> int:
    """The signed-in user's unread notices for the header's badge: one COUNT per page, none
    when nobody is signed in (0), remembered for the rest of the request."""
    if user is None:
        return 0
    cached = getattr(request.state, "altmatch_unread", None)
    if cached is None:
        cached = unread_count(request_sessions(request), user.id)
        request.state.altmatch_unread = cached
    return int(cached)


def render_page(
    request: Request,
    name: str,
    locale: str,
    context: dict[str, Any],
    *,
    status_code: int = 200,
) -> HTMLResponse:
    """Render `name` in `locale`; remember an explicit ?lang= choice in a cookie.

    The header shows who is signed in, so every page looks up the session (once per request).
    """
    base: dict[str, Any] = {
        "locale": locale,
        "locales": LOCALES,
        "language_hrefs": _language_hrefs(request),
        "version": __version__,
        "current_user": signed_in_user(request),
    }
    base["unread_count"] = _unread_count(request, base["current_user"])
    with use_locale(locale):
        response = _templates.TemplateResponse(
            request, name, {**base, **context}, status_code=status_code
        )
    if request.query_params.get("lang") == locale:
        response.set_cookie(
            LANG_COOKIE, locale, max_age=365 * 24 * 3600, samesite="lax", httponly=True
        )
    return response
