"""An interview round's scores file (CSV or XLSX): one score a row, checked cell by cell.

Columns, exactly: candidate_id, panel_id, assessor_id, criterion and score, a whole number on
the rubric's scale (the caller passes its bounds: the rubric is rulebook data). An assessor
scores a candidate on a criterion once; a candidate may be heard by more than one panel. Every
problem is a RowError naming row and column; a file with any error must not be used.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from altmatch.i18n import N_
from altmatch.io.limits import DEFAULT_LIMITS, ImportLimits
from altmatch.io.season_files import MAX_ID_CHARS
from altmatch.io.tabular import (
    FILE,
    Cells,
    RowError,
    Table,
    TableError,
    read_table,
    read_table_bytes,
)

SCORE_COLUMNS = ("candidate_id", "panel_id", "assessor_id", "criterion", "score")


@dataclass(frozen=True)
class ScoreRecord:
    candidate_id: str
    panel_id: str
    assessor_id: str
    criterion: str
    score: int
    row: int  # the file's row number


@dataclass(frozen=True)
class ScoresFile:
    """The records; `errors` lists every problem (none: safe to use)."""

    records: tuple[ScoreRecord, ...]
    errors: tuple[RowError, ...]
    sha256: str


def read_scores(
    path: Path, low: int, high: int, limits: ImportLimits = DEFAULT_LIMITS
) -> ScoresFile:
    """Check the scores file at `path`; scores must lie in low..high."""
    try:
        table = read_table(path, limits=limits)
    except TableError as exc:
        return ScoresFile((), exc.errors, "")
    return _check(table, low, high)


def read_scores_upload(
    data: bytes, filename: str, low: int, high: int, limits: ImportLimits = DEFAULT_LIMITS
) -> ScoresFile:
    """Check an uploaded scores file as `read_scores` checks one on disk."""
    try:
        table = read_table_bytes(data, filename, limits=limits)
    except TableError as exc:
        return ScoresFile((), exc.errors, "")
    return _check(table, low, high)


def _check(table: Table, low: int, high: int) -> ScoresFile:
    errors = [
        table.error(table.header_row, name, N_("missing column"))
        for name in SCORE_COLUMNS
        if name not in table.columns
    ]
    unknown = N_("unknown column; the columns are: {expected}")
    errors.extend(
        table.error(table.header_row, name, unknown, expected=", ".join(SCORE_COLUMNS))
        for name in table.columns
        if name not in SCORE_COLUMNS
    )
    if errors:
        return ScoresFile((), tuple(errors), table.sha256)
    if not table.rows:
        errors.append(table.error(0, FILE, N_("the file has no scores")))
    records: list[ScoreRecord] = []
    first: dict[tuple[str, str, str], int] = {}
    for row in table.rows:
        cells = Cells(table, row, errors)
        candidate, panel, assessor, criterion = (
            _identifier(cells, column) for column in SCORE_COLUMNS[:4]
        )
        score = cells.integer("score", low, high)
        key = (candidate, assessor, criterion)
        if all(key) and key in first:
            twice = N_("this assessor already scored this candidate on this criterion (row {row})")
            cells.fail("criterion", twice, None, row=first[key])
        first.setdefault(key, row.number)
        records.append(ScoreRecord(candidate, panel, assessor, criterion, score, row.number))
    return ScoresFile(tuple(records), tuple(errors), table.sha256)


def _identifier(cells: Cells, column: str) -> str:
    value = cells.required(column)
    if len(value) > MAX_ID_CHARS:
        too_long = N_("an id has at most {limit} characters")
        return cells.fail(column, too_long, value, limit=MAX_ID_CHARS)
    return value
