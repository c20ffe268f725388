"""A contract's positions file (CSV or XLSX): one ALT post a row.

Columns: position_id, school_id (the BoE's own id for the school), days_per_week (1-5),
requires_driving_licence (yes/no, optional) and min_jlpt (none, N5 ... N1, optional). Whether a
school belongs to the contract's BoE is for the service to check: it needs the database.
"""

from __future__ import annotations

from dataclasses import dataclass

from altmatch.i18n import N_
from altmatch.io.limits import DEFAULT_LIMITS, ImportLimits
from altmatch.io.roster_file import jlpt, limited_text, open_table
from altmatch.io.tabular import FILE, Cells, RowError
from altmatch.rulebook.vocabulary import Jlpt

POSITION_COLUMNS = (
    "position_id",
    "school_id",
    "days_per_week",
    "requires_driving_licence",
    "min_jlpt",
)
POSITION_REQUIRED = POSITION_COLUMNS[:3]
MIN_DAYS_PER_WEEK, MAX_DAYS_PER_WEEK = 1, 5  # school days a week (as the table allows)


@dataclass(frozen=True)
class PositionRecord:
    position_id: str
    school_id: str  # the BoE's external id for the school
    days_per_week: int
    requires_driving_licence: bool
    min_jlpt: Jlpt


@dataclass(frozen=True)
class PositionUpload:
    records: tuple[PositionRecord, ...]
    rows: tuple[int, ...]
    errors: tuple[RowError, ...]
    sha256: str


def read_positions_upload(
    data: bytes, filename: str, limits: ImportLimits = DEFAULT_LIMITS
) -> PositionUpload:
    """Check a positions file; a position_id may appear once."""
    table, errors = open_table(data, filename, POSITION_REQUIRED, POSITION_COLUMNS, limits)
    if table is None:
        return PositionUpload((), (), tuple(errors), "")
    if not table.rows:
        errors.append(RowError(filename, 0, FILE, "the file has no rows"))
    records: list[PositionRecord] = []
    seen: dict[str, int] = {}
    for row in table.rows:
        cells = Cells(table, row, errors)
        position_id = limited_text(cells, "position_id")
        if position_id in seen:
            twice = N_("appears twice (also row {row})")
            cells.fail("position_id", twice, None, row=seen[position_id])
        seen.setdefault(position_id, row.number)
        records.append(
            PositionRecord(
                position_id=position_id,
                school_id=limited_text(cells, "school_id"),
                days_per_week=cells.integer("days_per_week", MIN_DAYS_PER_WEEK, MAX_DAYS_PER_WEEK),
                requires_driving_licence=cells.boolean("requires_driving_licence"),
                min_jlpt=jlpt(cells, "min_jlpt"),
            )
        )
    rows = tuple(row.number for row in table.rows)
    return PositionUpload(tuple(records), rows, tuple(errors), table.sha256)
