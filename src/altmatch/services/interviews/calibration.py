"""Calibrate an interview round's scores file, and shape the three files the round's report is.

`calibrate_scores_file` checks the file against the rulebook's rubric scale and fits the model
(`altmatch.domain.interview_calibration`); `calibration_files` gives `calibrated.csv`,
`assessors.csv` and `summary.json` (documented in docs/formats/interviews.md), and
`save_calibration` writes them all at once or not at all.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from altmatch.domain.interview_calibration import (
    MIN_CANDIDATES_PER_ASSESSOR,
    Calibration,
    ScoreRow,
    calibrate,
)
from altmatch.i18n import render
from altmatch.io import outputs
from altmatch.io.errors import RowError
from altmatch.io.interview_scores import read_scores
from altmatch.io.limits import DEFAULT_LIMITS, ImportLimits
from altmatch.rulebook import load_rulebook

CALIBRATED = "calibrated.csv"
ASSESSORS = "assessors.csv"
SUMMARY = outputs.SUMMARY
CALIBRATED_HEADER = ("candidate_id", "score", "se")
ASSESSORS_HEADER = ("assessor_id", "severity", "se")
DECIMALS = 4  # a ten-thousandth of a rubric point: far below any standard error


class ScoresFileError(ValueError):
    """The scores file has problems; `errors` lists each (file, row, column)."""

    def __init__(self, errors: tuple[RowError, ...]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


def calibrate_scores_file(
    path: Path,
    *,
    limits: ImportLimits = DEFAULT_LIMITS,
    min_candidates: int = MIN_CANDIDATES_PER_ASSESSOR,
) -> Calibration:
    """Check the file at `path` (scores on the rubric's scale) and calibrate its scores."""
    rubric = load_rulebook().interview_rubric
    found = read_scores(path, rubric.min_score, rubric.max_score, limits)
    if found.errors:
        raise ScoresFileError(found.errors)
    rows = [
        ScoreRow(r.candidate_id, r.panel_id, r.assessor_id, r.criterion, float(r.score))
        for r in found.records
    ]
    return calibrate(rows, min_candidates=min_candidates)


def calibration_files(calibration: Calibration, locale: str = "en") -> dict[str, str]:
    """File name -> content; warnings and moves are sentences in `locale`."""
    return {
        CALIBRATED: outputs.csv_text(
            CALIBRATED_HEADER,
            _ranked(calibration),
        ),
        ASSESSORS: outputs.csv_text(
            ASSESSORS_HEADER,
            ((a.assessor_id, _round(a.severity), _round(a.se)) for a in calibration.assessors),
        ),
        SUMMARY: json.dumps(summary(calibration, locale), ensure_ascii=False, indent=2) + "\n",
    }


def summary(calibration: Calibration, locale: str = "en") -> dict[str, Any]:
    """The summary.json object."""
    design = calibration.design
    return {
        "model": calibration.model,
        "reliability": _round(calibration.reliability),
        "icc": _round(calibration.icc),
        "residual_sd": _round(calibration.residual_sd),
        "connected": design.connected,
        "components": [
            {
                "component": part.number,
                "candidates": len(part.candidates),
                "assessors": len(part.assessors),
                "panels": list(part.panels),
            }
            for part in design.components
        ],
        "suggested_swaps": [
            {
                "assessor_id": move.assessor_id,
                "panel_id": move.panel_id,
                "from_component": move.from_component,
                "to_component": move.to_component,
                "message": render(move.message, locale),
            }
            for move in design.moves
        ],
        "warnings": [render(w, locale) for w in calibration.warnings],
        "criteria": {name: _round(offset) for name, offset in calibration.criteria},
        "counts": {
            "scores": calibration.scores,
            "candidates": len(calibration.candidates),
            "assessors": len(calibration.assessors),
            "criteria": len(calibration.criteria),
            "panels": len({p for part in design.components for p in part.panels}),
        },
    }


def save_calibration(
    calibration: Calibration, out: Path, *, force: bool = False, locale: str = "en"
) -> None:
    """Create `out` with the three files (an existing `out` only with `force`)."""
    outputs.write_folder(out, calibration_files(calibration, locale), force=force)


def _ranked(calibration: Calibration) -> list[tuple[str, float, float | None]]:
    """calibrated.csv's rows, best first; scores equal as printed go by candidate id."""
    rows = [
        (c.candidate_id, round(c.score, DECIMALS) + 0.0, _round(c.se))
        for c in calibration.candidates
    ]
    return sorted(rows, key=lambda row: (-row[1], row[0]))


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, DECIMALS) + 0.0
