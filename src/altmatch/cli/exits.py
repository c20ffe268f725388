"""How every command refuses: its problems on stderr, one a line, and the exit code (2 for bad
input, 1 for an output that could not be written)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NoReturn

import typer

from altmatch.i18n.catalog import LOCALES


def fail(problems: Iterable[str], code: int = 2) -> NoReturn:
    for problem in problems:
        typer.echo(problem, err=True)
    raise typer.Exit(code)


def require_locale(lang: str) -> None:
    """Refuse a --lang the catalog does not have, naming the ones it has."""
    if lang not in LOCALES:
        choices = ", ".join(repr(code) for code in LOCALES)
        fail([f"error: --lang: choose one of: {choices} (you gave {lang!r})"])
