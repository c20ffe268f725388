"""Writes a run's output folder atomically, and reads back a previous run's summary.

Files are written into a temporary sibling folder that is renamed into place only when all of
them are complete, so a failed run never leaves a half-written folder that looks like a result.
CSV is written as UTF-8 without BOM; JSON as UTF-8.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

PLACEMENTS = "placements.csv"
ALTERNATES = "alternates.csv"
EXPLANATIONS = "explanations.jsonl"
WHY_NOT = "why_not.csv"
SUMMARY = "summary.json"
MOVES = "moves.csv"
PLACEMENTS_HEADER = ("candidate_id", "request_id", "candidate_rank")
ALTERNATES_HEADER = ("request_id", "position", "candidate_id")
MOVES_HEADER = ("candidate_id", "from_request_id", "to_request_id", "chain")

Cell = str | int | float | None


class OutputError(ValueError):
    """The output folder cannot be written, or a previous run's folder cannot be read."""


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    """CSV with a header; None becomes an empty cell."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)  # the csv module writes None as an empty cell
    return buffer.getvalue()


def jsonl_text(objects: Iterable[str]) -> str:
    """One already-serialised JSON object per line."""
    return "".join(f"{line}\n" for line in objects)


def write_folder(out: Path, files: Mapping[str, str | bytes], *, force: bool = False) -> None:
    """Create `out` holding exactly `files` (name -> UTF-8 text or raw bytes, e.g. a PNG),
    all at once or not at all.

    An existing `out` is an error unless `force`, which replaces it only after the new folder
    is complete.
    """
    out = out.absolute()
    if out.exists() and not force:
        raise OutputError(f"{out}: already exists (use --force to replace it)")
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: exists and is not a folder")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    except OSError as exc:
        raise OutputError(f"{out}: cannot create the folder: {exc.strerror or exc}") from exc
    try:
        for name, content in files.items():
            data = content.encode("utf-8") if isinstance(content, str) else content
            with (staging / name).open("wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        staging.chmod(0o755)  # mkdtemp makes it private; results are meant to be shared
        _move_into_place(staging, out)
    except BaseException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, OSError):
            raise OutputError(f"{out}: cannot write: {exc.strerror or exc}") from exc
        raise


def _move_into_place(staging: Path, out: Path) -> None:
    if not out.exists():
        staging.rename(out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".old", dir=out.parent))
    old.rmdir()
    out.rename(old)
    try:
        staging.rename(out)
    except OSError:
        old.rename(out)  # put the previous result back
        raise
    shutil.rmtree(old, ignore_errors=True)


def read_summary(folder: Path) -> dict[str, Any]:
    """The summary.json of a previous run's output folder."""
    path = folder / SUMMARY
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise OutputError(f"{path}: not found; is {folder} an altmatch output folder?") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise OutputError(f"{path}: cannot read: {exc}") from exc
    if not isinstance(data, dict):
        raise OutputError(f"{path}: expected a JSON object")
    return data
