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
        # libyaml's safe loader when PyYAML has it: ten times faster, and every command
        # reads the rulebook at start-up
        raw = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise RulebookError(f"{origin}: not valid YAML: {exc}") from exc
    try:
        return Rulebook.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise RulebookError(f"{origin}: {problems}") from exc


# The installation's edition (ALTMATCH_RULEBOOK_YEAR), set by use_edition where the app and
# the CLI are wired; None means the newest edition installed.
_edition: int | None = None


def use_edition(year: int | None) -> Rulebook:
    """Make `year` (None: the newest) the edition `load_rulebook()` gives; an edition that is
    not installed is refused with a RulebookError naming it, and the choice stays as it was."""
    global _edition
    rulebook = _load(year)
    _edition = year
    return rulebook


def load_rulebook(year: int | None = None) -> Rulebook:
    """The edition for `year`; without one, the installation's edition (see use_edition)."""
    return _load(year if year is not None else _edition)


@functools.cache
def _load(year: int | None) -> Rulebook:
    """The edition for `year`, or the newest; cached, since editions never change at run time."""
    years = available_years()
    if not years:
        raise RulebookError("no rulebook editions are installed")
    chosen = years[-1] if year is None else year
    path = _editions_dir() / f"{chosen}.yaml"
    if not path.is_file():
        installed = ", ".join(str(y) for y in years)
        raise RulebookError(f"there is no {chosen} rulebook edition; installed: {installed}")
    rulebook = parse_rulebook(path.read_text(encoding="utf-8"), origin=path.name)
    if rulebook.year != chosen:
        raise RulebookError(f"{path.name}: says year {rulebook.year}")
    return rulebook
