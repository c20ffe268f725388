"""Reads an advisor profile from a YAML or JSON file into a plain mapping (validated elsewhere).

A profile is a few hundred bytes, so the file is refused past `max_profile_bytes` before it is
read; YAML aliases (the "billion laughs" trick) are refused, and whatever a parser raises on
hostile text (deep nesting, a 10,000-digit number, a 13th month) becomes ProfileFileError.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from altmatch.io.limits import DEFAULT_LIMITS, ImportLimits


class ProfileFileError(ValueError):
    """The file cannot be read as a profile; the message names the file and the problem."""


class _NoAliasLoader(yaml.SafeLoader):
    """SafeLoader without aliases: a profile never needs one, and they can multiply a file."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise yaml.YAMLError("aliases (*name) are not accepted in a profile")
        return super().compose_node(parent, index)


def read_profile_file(path: Path, limits: ImportLimits = DEFAULT_LIMITS) -> dict[str, Any]:
    """Parse by extension (.yaml/.yml/.json); the top level must be a mapping."""
    suffix = path.suffix.lower()
    if suffix not in {".yaml", ".yml", ".json"}:
        raise ProfileFileError(f"{path}: expected a .yaml, .yml or .json file")
    limit = limits.max_profile_bytes
    try:
        with path.open("rb") as handle:
            raw = handle.read(limit + 1)
    except OSError as exc:
        raise ProfileFileError(f"{path}: {exc.strerror or exc}") from exc
    if len(raw) > limit:
        raise ProfileFileError(f"{path}: a profile file has at most {limit:,} bytes")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ProfileFileError(f"{path}: not UTF-8 text ({exc.reason})") from exc
    if "\x00" in text:
        raise ProfileFileError(f"{path}: contains NUL bytes: not a text file")
    try:
        data = json.loads(text) if suffix == ".json" else yaml.load(text, Loader=_NoAliasLoader)
    except (yaml.YAMLError, ValueError, RecursionError, OverflowError) as exc:
        problem = "nested too deeply" if isinstance(exc, RecursionError) else exc
        raise ProfileFileError(f"{path}: cannot parse: {problem}") from exc
    if not isinstance(data, dict):
        raise ProfileFileError(f"{path}: the top level must be a mapping of fields")
    return data
