"""Human labels for enum values: one registry, filled beside each enum's definition.

An enum's module registers its labels right after the class (`register_labels(Degree, {...})`),
so whoever holds a member has its labels loaded; `label(member)` is the one lookup, for services,
pages and commands alike. Labels are catalog message ids, translated on render:
`render(label(x), locale)`, `Message(label(x))`, or `label(x)` in a template.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import TypeVar

E = TypeVar("E", bound=StrEnum)

_LABELS: dict[type[StrEnum], Mapping[StrEnum, str]] = {}


def register_labels(enum: type[E], labels: Mapping[E, str]) -> Mapping[E, str]:
    """Record a label (a msgid marked with N_) for every member of `enum`; refuses a missing
    member, a member of another enum, or a second registration."""
    missing = [member.value for member in enum if member not in labels]
    stray = [key for key in labels if not isinstance(key, enum)]
    if missing or stray:
        raise ValueError(f"{enum.__name__} labels: missing {missing}, not members {stray}")
    if enum in _LABELS:
        raise ValueError(f"{enum.__name__} is labelled twice")
    frozen: Mapping[E, str] = MappingProxyType({member: labels[member] for member in enum})
    _LABELS[enum] = frozen  # type: ignore[assignment]
    return frozen


def label(value: StrEnum) -> str:
    """The msgid of `value`'s human label (untranslated: render it in the reader's language)."""
    try:
        return _LABELS[type(value)][value]
    except KeyError:
        raise LookupError(f"{type(value).__name__} has no labels; register them") from None


def labelled_enums() -> Mapping[type[StrEnum], Mapping[StrEnum, str]]:
    """Every labelled enum and its labels (for tests and tools)."""
    return MappingProxyType(_LABELS)
