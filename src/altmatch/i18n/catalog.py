"""Loads the gettext catalogs and renders messages in the language of the current request."""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from enum import StrEnum
from importlib import resources
from pathlib import Path

from babel.messages.pofile import read_po

from altmatch.i18n.formats import day, tokyo_time
from altmatch.i18n.labels import register_labels
from altmatch.i18n.message import N_, Message


class Language(StrEnum):
    """The languages altmatch speaks (a support case's preferred language, say)."""

    EN = "en"
    JA = "ja"


register_labels(Language, {Language.EN: N_("English"), Language.JA: N_("Japanese")})

LOCALES: tuple[str, ...] = tuple(language.value for language in Language)
DEFAULT_LOCALE = "en"

_current: ContextVar[str] = ContextVar("altmatch_locale", default=DEFAULT_LOCALE)


def locale_dir() -> Path:
    return Path(str(resources.files("altmatch.i18n"))) / "locale"


@functools.cache
def translations(locale: str) -> Mapping[str, str]:
    """msgid → translation for one locale; English is the source language, so it is empty.

    Reading the .po file directly (instead of a compiled .mo) means a catalog can never be
    stale against its source.
    """
    path = locale_dir() / locale / "LC_MESSAGES" / "messages.po"
    if locale == DEFAULT_LOCALE or not path.is_file():
        return {}
    with path.open("rb") as fh:
        po = read_po(fh, locale=locale)
    return {
        str(m.id): str(m.string)
        for m in po
        if m.id and isinstance(m.id, str) and m.string and not m.fuzzy
    }


def get_locale() -> str:
    return _current.get()


def normalize_locale(value: str | None) -> str | None:
    """'ja-JP', 'JA' → 'ja'; unknown → None."""
    if not value:
        return None
    head = value.strip().lower().replace("_", "-").split("-")[0]
    return head if head in LOCALES else None


@contextmanager
def use_locale(locale: str) -> Iterator[None]:
    """Render everything inside the block in `locale`."""
    token = _current.set(normalize_locale(locale) or DEFAULT_LOCALE)
    try:
        yield
    finally:
        _current.reset(token)


def gettext(msgid: str) -> str:
    return translations(get_locale()).get(msgid, msgid)


def ngettext(singular: str, plural: str, n: int) -> str:
    translated = translations(get_locale()).get(singular)
    if translated:  # Japanese has one form
        return translated
    return singular if n == 1 else plural


def render(message: Message | str, locale: str | None = None) -> str:
    """Translate a message and fill in its parameters, rendering nested ones too."""
    loc = locale or get_locale()
    if isinstance(message, str):
        return translations(loc).get(message, message)
    params = {key: _render_param(value, loc) for key, value in message.params.items()}
    return translations(loc).get(message.template, message.template).format(**params)


def _render_param(value: object, locale: str) -> object:
    if isinstance(value, Message):
        return render(value, locale)
    if isinstance(value, datetime):  # before date: a datetime is a date too
        return tokyo_time(value, locale)
    if isinstance(value, date):
        return day(value, locale)
    getter = getattr(value, "get", None)
    if callable(getter) and hasattr(value, "en") and hasattr(value, "ja"):
        return getter(locale)
    return value
