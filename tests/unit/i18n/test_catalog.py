"""The Japanese catalog covers every user-facing string in the code and templates."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir

from altmatch.i18n import Message, render, translations, use_locale
from altmatch.i18n import gettext as _

SRC = Path(__file__).parents[3] / "src" / "altmatch"
METHODS = [("**.py", "python"), ("web/templates/**.html", "jinja2")]
OPTIONS = {"web/templates/**.html": {"extensions": "jinja2.ext.i18n"}}
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}


def source_msgids() -> set[str]:
    found = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        SRC, METHODS, options_map=OPTIONS, keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_the_source_has_many_translatable_strings() -> None:
    assert len(source_msgids()) > 80


@pytest.mark.parametrize("msgid", sorted(source_msgids()))
def test_every_string_has_a_japanese_translation_with_the_same_placeholders(msgid: str) -> None:
    translated = translations("ja").get(msgid)
    assert translated, f"no Japanese translation for {msgid!r}: run `make catalog` and translate"
    assert placeholders(translated) == placeholders(msgid)


def test_japanese_translations_are_written_in_japanese() -> None:
    japanese = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
    untranslated = [m for m, t in translations("ja").items() if not japanese.search(t) and m == t]
    # Acronyms Japanese readers use as they are (ALTとして, JLPT N2).
    assert untranslated == ["ALT", "JLPT"]


def test_rendering_follows_the_current_locale_and_nests_messages() -> None:
    message = Message("Strength: {detail}", {"detail": Message("Pay")})
    assert render(message, "en") == "Strength: Pay"
    assert render(message, "ja") == "強み：給与"
    with use_locale("ja-JP"):
        assert _("Pay") == "給与"
    assert _("Pay") == "Pay"
