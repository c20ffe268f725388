"""Reads an advisor profile from a YAML or JSON file into a plain mapping (validated elsewhere)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml


class ProfileFileError(ValueError):
    """The file cannot be read as a profile; the message names the file and the problem."""


def read_profile_file(path: Path) -> dict[str, Any]:
    """Parse by extension (.yaml/.yml/.json); the top level must be a mapping."""
    suffix = path.suffix.lower()
    if suffix not in {".yaml", ".yml", ".json"}:
        raise ProfileFileError(f"{path}: expected a .yaml, .yml or .json file")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ProfileFileError(f"{path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise ProfileFileError(f"{path}: not UTF-8 text ({exc.reason})") from exc
    try:
        data = json.loads(text) if suffix == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise ProfileFileError(f"{path}: cannot parse: {exc}") from exc
    if not isinstance(data, dict):
        raise ProfileFileError(f"{path}: the top level must be a mapping of fields")
    return data
