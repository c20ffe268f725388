"""Times and dates written the reader's way, for pages and for messages' parameters alike."""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date, format_datetime

from altmatch.clock import JAPAN

BABEL_LOCALES = {"en": "en_US", "ja": "ja_JP"}
_DATETIME_PATTERNS = {"en": "d MMM y, HH:mm 'JST'", "ja": "y年M月d日 H:mm"}
_DATE_PATTERNS = {"en": "d MMM y", "ja": "y年M月d日"}


def tokyo_time(moment: datetime, locale: str) -> str:
    """Times in Japan's zone, which every BoE works in: '31 Jan 2027, 17:00 JST' or
    '2027年1月31日 17:00'."""
    return format_datetime(
        moment,
        _DATETIME_PATTERNS.get(locale, _DATETIME_PATTERNS["en"]),
        tzinfo=JAPAN,
        locale=BABEL_LOCALES.get(locale, "en_US"),
    )


def day(value: date, locale: str) -> str:
    """A calendar date: '1 Aug 2026' or '2026年8月1日'."""
    return format_date(
        value,
        _DATE_PATTERNS.get(locale, _DATE_PATTERNS["en"]),
        locale=BABEL_LOCALES.get(locale, "en_US"),
    )
