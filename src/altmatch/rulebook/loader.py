"""Reads and validates rulebook editions shipped with the package."""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path

import yaml
from pydantic import ValidationError

from altmatch.rulebook.schema import Rulebook


class RulebookError(ValueError):
    """A rulebook file is missing or does not match the schema; says which file and field."""


def _editions_dir() -> Path:
    return Path(str(resources.files("altmatch.rulebook")))


def available_years() -> list[int]:
    """Every edition shipped, oldest first."""
    return sorted(int(p.stem) for p in _editions_dir().glob("[0-9][0-9][0-9][0-9].yaml"))


def parse_rulebook(text: str, *, origin: str) -> Rulebook:
    """Validate one edition's YAML text; errors name the origin and the field path."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RulebookError(f"{origin}: not valid YAML: {exc}") from exc
    try:
        return Rulebook.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise RulebookError(f"{origin}: {problems}") from exc


@functools.cache
def load_rulebook(year: int | None = None) -> Rulebook:
    """The edition for `year`, or the newest; cached, since editions never change at run time."""
    years = available_years()
    if not years:
        raise RulebookError("no rulebook editions are installed")
    chosen = years[-1] if year is None else year
    path = _editions_dir() / f"{chosen}.yaml"
    if not path.is_file():
        raise RulebookError(f"no rulebook for {chosen}; available: {years}")
    rulebook = parse_rulebook(path.read_text(encoding="utf-8"), origin=path.name)
    if rulebook.year != chosen:
        raise RulebookError(f"{path.name}: says year {rulebook.year}")
    return rulebook
