"""A dispatch company's roster file (CSV or XLSX): one ALT a row, checked cell by cell.

Columns: alt_id, name, home_prefecture, home_municipality, home_latitude, home_longitude,
school_experience (levels separated by `;`), driving_licence (yes/no), jlpt (none, N5 ... N1),
contract_end (YYYY-MM-DD), renewal_intention (renewing, undecided, leaving),
preferred_prefectures (separated by `;`), and for the compliance watch the optional dates
employed_since (the first fixed-term contract with the company began; not after contract_end)
and residence_card_expires_on. Every bad cell is a RowError naming row and column; a file with
any error must not be stored.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from altmatch.i18n import N_
from altmatch.io.limits import DEFAULT_LIMITS, ImportLimits
from altmatch.io.tabular import FILE, Cells, RowError, Table, TableError, read_table_bytes
from altmatch.rulebook.vocabulary import Jlpt, RenewalIntention, SchoolLevel

ROSTER_COLUMNS = (
    "alt_id",
    "name",
    "home_prefecture",
    "home_municipality",
    "home_latitude",
    "home_longitude",
    "school_experience",
    "driving_licence",
    "jlpt",
    "contract_end",
    "renewal_intention",
    "preferred_prefectures",
    "employed_since",
    "residence_card_expires_on",
)
ROSTER_REQUIRED = (*ROSTER_COLUMNS[:6], "contract_end")
# Columns a file may leave out altogether: an import then keeps what the roster holds for them
# (an older file must not erase the dates), while an empty cell in a given column clears one.
ROSTER_KEPT_WHEN_ABSENT = ("employed_since", "residence_card_expires_on")
MAX_TEXT = 200


@dataclass(frozen=True)
class RosterRecord:
    alt_id: str
    name: str
    home_prefecture: str
    home_municipality: str
    home_latitude: float
    home_longitude: float
    school_experience: tuple[SchoolLevel, ...]
    driving_licence: bool
    jlpt: Jlpt
    contract_end: dt.date
    renewal_intention: RenewalIntention
    preferred_prefectures: tuple[str, ...]
    employed_since: dt.date | None = None
    residence_card_expires_on: dt.date | None = None


@dataclass(frozen=True)
class RosterUpload:
    """The records with their file rows; `errors` lists every problem (none: safe to store).
    `given` names the ROSTER_KEPT_WHEN_ABSENT columns the file has."""

    records: tuple[RosterRecord, ...]
    rows: tuple[int, ...]
    errors: tuple[RowError, ...]
    sha256: str
    given: frozenset[str] = frozenset()


def open_table(
    data: bytes,
    filename: str,
    required: Sequence[str],
    known: Sequence[str],
    limits: ImportLimits = DEFAULT_LIMITS,
) -> tuple[Table | None, list[RowError]]:
    """The table, or None when it cannot be read or lacks a required column; unknown columns
    are errors too (a misspelt header would otherwise be silently ignored)."""
    try:
        table = read_table_bytes(data, filename, limits=limits)
    except TableError as exc:
        return None, list(exc.errors)
    errors = [
        RowError(filename, table.header_row, column, "missing column")
        for column in required
        if column not in table.columns
    ]
    errors += [
        RowError(filename, table.header_row, column, f"unknown column (known: {', '.join(known)})")
        for column in table.columns
        if column not in known
    ]
    return (None if errors else table), errors


def limited_text(cells: Cells, column: str, *, required: bool = True) -> str:
    text = cells.required(column) if required else cells.text(column)
    if len(text) > MAX_TEXT:
        return cells.fail(column, N_("at most {limit} characters"), text[:MAX_TEXT], limit=MAX_TEXT)
    return text


def decimal(cells: Cells, column: str, lo: float, hi: float) -> float:
    text = unicodedata.normalize("NFKC", cells.text(column))
    try:
        value = float(text)
    except ValueError:
        return cells.fail(column, N_("expected a number, got {value}"), 0.0, value=repr(text))
    if not lo <= value <= hi:
        template = N_("must be between {lo} and {hi}, got {value}")
        return cells.fail(column, template, 0.0, lo=f"{lo:g}", hi=f"{hi:g}", value=f"{value:g}")
    return value


def day(cells: Cells, column: str) -> dt.date:
    text = unicodedata.normalize("NFKC", cells.text(column))
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        template = N_("expected a date YYYY-MM-DD, got {value}")
        return cells.fail(column, template, dt.date.min, value=repr(text))


def optional_day(cells: Cells, column: str) -> dt.date | None:
    """A date YYYY-MM-DD, or None for an empty cell (or a column the file does not have)."""
    if not unicodedata.normalize("NFKC", cells.text(column)).strip():
        return None
    return day(cells, column)


def jlpt(cells: Cells, column: str) -> Jlpt:
    """none (or empty), N5 ... N1, in any case."""
    text = unicodedata.normalize("NFKC", cells.text(column)).strip()
    by_name = {level.value.casefold(): level for level in Jlpt}
    found = by_name.get(text.casefold() or "none")
    if found is None:
        allowed = ", ".join(level.value for level in Jlpt)
        template = N_("choose one of: {allowed} (you gave {value})")
        return cells.fail(column, template, Jlpt.NONE, allowed=allowed, value=repr(text))
    return found


def read_roster_upload(
    data: bytes, filename: str, limits: ImportLimits = DEFAULT_LIMITS
) -> RosterUpload:
    """Check a roster file; an alt_id may appear once."""
    table, errors = open_table(data, filename, ROSTER_REQUIRED, ROSTER_COLUMNS, limits)
    if table is None:
        return RosterUpload((), (), tuple(errors), "")
    if not table.rows:
        errors.append(RowError(filename, 0, FILE, "the file has no rows"))
    records: list[RosterRecord] = []
    seen: dict[str, int] = {}
    levels = tuple(level.value for level in SchoolLevel)
    intentions = tuple(i.value for i in RenewalIntention)
    for row in table.rows:
        cells = Cells(table, row, errors)
        alt_id = limited_text(cells, "alt_id")
        if alt_id in seen:
            cells.fail("alt_id", N_("appears twice (also row {row})"), None, row=seen[alt_id])
        seen.setdefault(alt_id, row.number)
        intention = cells.choice("renewal_intention", intentions) or RenewalIntention.UNDECIDED
        contract_end = day(cells, "contract_end")
        employed_since = optional_day(cells, "employed_since")
        if employed_since is not None and dt.date.min < contract_end < employed_since:
            template = N_("must be on or before contract_end ({end}), got {value}")
            employed_since = cells.fail(
                "employed_since", template, None, end=str(contract_end), value=str(employed_since)
            )
        records.append(
            RosterRecord(
                alt_id=alt_id,
                name=limited_text(cells, "name"),
                home_prefecture=limited_text(cells, "home_prefecture"),
                home_municipality=limited_text(cells, "home_municipality"),
                home_latitude=decimal(cells, "home_latitude", -90, 90),
                home_longitude=decimal(cells, "home_longitude", -180, 180),
                school_experience=tuple(
                    SchoolLevel(v) for v in cells.choices("school_experience", levels)
                ),
                driving_licence=cells.boolean("driving_licence"),
                jlpt=jlpt(cells, "jlpt"),
                contract_end=contract_end,
                renewal_intention=RenewalIntention(intention),
                preferred_prefectures=cells.names("preferred_prefectures"),
                employed_since=employed_since,
                residence_card_expires_on=optional_day(cells, "residence_card_expires_on"),
            )
        )
    rows = tuple(row.number for row in table.rows)
    given = frozenset(c for c in ROSTER_KEPT_WHEN_ABSENT if c in table.columns)
    return RosterUpload(tuple(records), rows, tuple(errors), table.sha256, given)
