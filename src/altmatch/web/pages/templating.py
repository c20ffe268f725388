"""One Jinja2 environment with gettext wired to the request's language."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from babel.dates import format_date, format_datetime
from babel.numbers import format_currency
from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from altmatch import __version__
from altmatch.clock import JAPAN
from altmatch.domain.application import ApplicationStage
from altmatch.domain.support import Breach, CaseStatus, RouteRole
from altmatch.i18n import LOCALES, Language, get_locale, gettext, label, ngettext, use_locale
from altmatch.rulebook.vocabulary import Area, CaseCategory, Jlpt, SchoolLevel, Urgency
from altmatch.web.auth import signed_in_user
from altmatch.web.locale import LANG_COOKIE

_DATETIME_PATTERNS = {"en": "d MMM y, HH:mm 'JST'", "ja": "y年M月d日 H:mm"}
_BABEL_LOCALES = {"en": "en_US", "ja": "ja_JP"}


def _tokyo_time(moment: datetime) -> str:
    """Times in Japan's zone, which every BoE works in, written the reader's way:
    '31 Jan 2027, 17:00 JST' or '2027年1月31日 17:00'."""
    locale = get_locale()
    return format_datetime(
        moment,
        _DATETIME_PATTERNS.get(locale, _DATETIME_PATTERNS["en"]),
        tzinfo=JAPAN,
        locale=_BABEL_LOCALES.get(locale, "en_US"),
    )


_DATE_PATTERNS = {"en": "d MMM y", "ja": "y年M月d日"}


def _day(day: date) -> str:
    """A calendar date the reader's way: '1 Aug 2026' or '2026年8月1日'."""
    locale = get_locale()
    return format_date(
        day,
        _DATE_PATTERNS.get(locale, _DATE_PATTERNS["en"]),
        locale=_BABEL_LOCALES.get(locale, "en_US"),
    )


def _yen(amount: int) -> str:
    """Yen the reader's way (CLDR): '¥2,828,816' in English, '￥2,828,816' in Japanese."""
    locale = _BABEL_LOCALES.get(get_locale(), "en_US")
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
            Jlpt,
            Language,
            RouteRole,
            SchoolLevel,
            Urgency,
        )
    }
)


def _language_hrefs(request: Request) -> dict[str, str]:
    """The header's language links: only `lang` changes, so a page opened from a mailed link
    (its token) or with a search keeps them when the reader switches language."""
    kept = [(key, value) for key, value in request.query_params.multi_items() if key != "lang"]
    return {code: "?" + urlencode([*kept, ("lang", code)]) for code in LOCALES}


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
    base = {
        "locale": locale,
        "locales": LOCALES,
        "language_hrefs": _language_hrefs(request),
        "version": __version__,
        "current_user": signed_in_user(request),
    }
    with use_locale(locale):
        response = _templates.TemplateResponse(
            request, name, {**base, **context}, status_code=status_code
        )
    if request.query_params.get("lang") == locale:
        response.set_cookie(
            LANG_COOKIE, locale, max_age=365 * 24 * 3600, samesite="lax", httponly=True
        )
    return response
