"""What candidates agree to at sign-up: the purpose of use and their rights (APPI), versioned."""

from __future__ import annotations

from pydantic import BaseModel

from altmatch.i18n import N_, render

# Change the version whenever the text's meaning changes: each account records the version its
# holder agreed to, so it is always known what a person was told.
CONSENT_VERSION = "2026-11-25"

_TITLE = N_("How altmatch uses your personal information")
_PARAGRAPHS = (
    N_(
        "Purpose: we use your details only to run the placement of Assistant Language "
        "Teachers: to consider your application, match you with Boards of Education, and "
        "tell you the outcome."
    ),
    N_(
        "What we keep: your name, email address, preferred language, a hash of your password "
        "(never the password itself), and the record of your sign-ins and of changes to your "
        "account."
    ),
    N_(
        "Who sees it: the programme's coordinators, and the Boards of Education that consider "
        "your application. We do not sell it or give it to anyone else unless the law requires "
        "us to."
    ),
    N_(
        "Your rights: you can download everything we hold about you, and delete your account, "
        "at any time from your account page."
    ),
)


class ConsentOut(BaseModel):
    version: str
    title: str
    paragraphs: list[str]


def consent_text(locale: str) -> ConsentOut:
    """The current consent text in `locale`, with the version a sign-up must confirm."""
    return ConsentOut(
        version=CONSENT_VERSION,
        title=render(_TITLE, locale),
        paragraphs=[render(p, locale) for p in _PARAGRAPHS],
    )
