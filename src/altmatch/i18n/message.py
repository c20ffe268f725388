"""Translatable messages that pure code can build without knowing the reader's language."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


def N_(msgid: str) -> str:  # noqa: N802 - the conventional gettext marker name
    """Mark a string for extraction without translating it yet."""
    return msgid


@dataclass(frozen=True)
class Message:
    """An English template (the gettext msgid) and its parameters, translated on render.

    The domain returns these instead of sentences so that it stays free of any locale, and the
    adapters render them in the reader's language. A parameter may itself be a Message or a
    bilingual rulebook text (anything with `.en`, `.ja` and `.get(locale)`).
    """

    template: str
    params: Mapping[str, object] = field(default_factory=dict)
