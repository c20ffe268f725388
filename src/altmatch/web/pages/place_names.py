"""Names of places and organisations in the reader's language, the one way templates show them.

Registered in templating.py: `{{ r.prefecture|prefecture }}` (兵庫県 for a Japanese reader,
Hyogo for an English one) and `{{ local_name(boe.name_en, boe.name_ja) }}` or
`{{ local_name(school) }}` (anything with `name_en`/`name_ja`) for BoEs, companies and schools.
An English name stands in when the Japanese one is missing, and the other way round.
"""

from __future__ import annotations

from altmatch.i18n import get_locale
from altmatch.rulebook.prefectures import prefecture_name


def prefecture(value: str | None, locale: str | None = None) -> str:
    """A prefecture (stored by code or name) as the reader calls it; unknown text as given."""
    return prefecture_name(value, locale or get_locale())


def local_name(en: object = None, ja: str | None = None, *, locale: str | None = None) -> str:
    """The Japanese name for a Japanese reader, else the English one; `en` may instead be an
    object with `name_en` and `name_ja` (an organisation, a school)."""
    if en is not None and not isinstance(en, str) and hasattr(en, "name_en"):
        en, ja = getattr(en, "name_en", None), getattr(en, "name_ja", None)
    english = en if isinstance(en, str) else ""
    japanese = ja or ""
    if (locale or get_locale()) == "ja":
        return japanese or english
    return english or japanese
