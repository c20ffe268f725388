"""English and Japanese: catalogs, the current request's language, and message rendering."""

from altmatch.i18n.catalog import (
    DEFAULT_LOCALE,
    LOCALES,
    Language,
    get_locale,
    gettext,
    ngettext,
    normalize_locale,
    render,
    translations,
    use_locale,
)
from altmatch.i18n.labels import label, labelled_enums, register_labels
from altmatch.i18n.message import N_, Message

_ = gettext

__all__ = [
    "DEFAULT_LOCALE",
    "LOCALES",
    "N_",
    "Language",
    "Message",
    "_",
    "get_locale",
    "gettext",
    "label",
    "labelled_enums",
    "ngettext",
    "normalize_locale",
    "register_labels",
    "render",
    "translations",
    "use_locale",
]
