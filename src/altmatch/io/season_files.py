"""Loads a placement season folder, validating every file before anything is used.

The folder holds requests and candidates, and optionally candidate_ranks, request_ranks and
couples, each as .csv or .xlsx (the formats are in docs/formats/season.md).
Every problem in every file is collected as a `RowError`; a season loads whole or not at all.
Values are checked here, against the file format; the domain turns the records into its types.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, Literal, TypeVar

from altmatch.i18n import N_
from altmatch.io.limits import DEFAULT_LIMITS, ImportLimits
from altmatch.io.tabular import (
    FILE,
    SUFFIXES,
    Cells,
    RowError,
    Table,
    TableError,
    read_table,
    read_table_bytes,
)
from altmatch.rulebook.vocabulary import Area, Jlpt, SchoolLevel

# The vocabulary of the files (kept equal to altmatch.domain.season's enums by a test).
SCHOOL_LEVELS = tuple(level.value for level in SchoolLevel)
AREAS = tuple(area.value for area in Area)
MAX_ID_CHARS = 100
MAX_WEIGHT = 10
MAX_CAPACITY = 1000
MAX_YEARS = 60
MAX_INTERVIEW = 100
MAX_RANK = 10_000_000
NOTES = "notes"  # a free-text column any file may carry; it is ignored

ROLES = ("requests", "candidates", "candidate_ranks", "request_ranks", "couples")
REQUIRED_ROLES = ("requests", "candidates")
COLUMNS: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = {  # role -> required, optional
    "requests": (
        ("request_id", "capacity", "boe", "prefecture"),
        (
            "school_levels",
            "area",
            "requires_driving_licence",
            "min_jlpt",
            "min_teaching_years",
            "weight_jlpt",
            "weight_teaching_years",
            "weight_school_levels",
            "weight_driving_licence",
        ),
    ),
    "candidates": (
        ("candidate_id",),
        (
            "jlpt",
            "teaching_years",
            "driving_licence",
            "school_experience",
            "interview_score",
            "preferred_prefectures",
            "preferred_area",
            "preferred_school_levels",
            "accepts_anywhere",
        ),
    ),
    "candidate_ranks": (("candidate_id", "rank", "request_id"), ()),
    "request_ranks": (("request_id", "rank", "candidate_id"), ()),
    "couples": (("candidate_id", "partner_id"), ()),
}


@dataclass(frozen=True)
class RequestRecord:
    id: str
    capacity: int
    boe: str
    prefecture: str
    school_levels: tuple[str, ...]
    area: str | None
    requires_driving_licence: bool
    min_jlpt: Jlpt
    min_teaching_years: int
    weight_jlpt: int
    weight_teaching_years: int
    weight_school_levels: int
    weight_driving_licence: int


@dataclass(frozen=True)
class CandidateRecord:
    id: str
    jlpt: Jlpt
    teaching_years: int
    driving_licence: bool
    school_experience: tuple[str, ...]
    interview_score: int
    preferred_prefectures: tuple[str, ...]
    preferred_area: str | None
    preferred_school_levels: tuple[str, ...]
    accepts_anywhere: bool


@dataclass(frozen=True)
class SourceFile:
    role: str
    path: Path
    sha256: str


@dataclass(frozen=True)
class SeasonFiles:
    """A validated season in file order; ranks are None when their file is absent."""

    requests: tuple[RequestRecord, ...]
    candidates: tuple[CandidateRecord, ...]
    candidate_ranks: dict[str, tuple[str, ...]] | None  # candidate -> requests, best first
    request_ranks: dict[str, tuple[tuple[str, int], ...]] | None  # request -> (candidate, rank)
    couples: tuple[tuple[str, str], ...]
    sources: tuple[SourceFile, ...]
    # candidate -> tier on every request list (domain.season.Candidate.tier); a stored season
    # with interview decisions gives them, files never do
    tiers: Mapping[str, int] = field(default_factory=dict)


class SeasonFilesError(ValueError):
    """The season cannot be loaded; `errors` lists every problem found, in file order."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = tuple(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


def locate_files(
    season: Path | None, named: Mapping[str, Path | None]
) -> tuple[dict[str, Path], list[RowError]]:
    """Each role's file: the one named, else ROLE.csv or ROLE.xlsx in the season folder."""
    found: dict[str, Path] = {}
    errors: list[RowError] = []
    if season is not None and not season.is_dir():
        errors.append(RowError(str(season), 0, FILE, "season folder not found"))
        season = None
    for role in ROLES:
        explicit = named.get(role)
        if explicit is not None:
            found[role] = explicit
            continue
        options = [season / f"{role}{s}" for s in SUFFIXES] if season else []
        present = [p for p in options if p.is_file()]
        if len(present) > 1:
            errors.append(RowError(str(present[1]), 0, FILE, f"also found {present[0].name}"))
        elif present:
            found[role] = present[0]
        elif role in REQUIRED_ROLES:
            where = str(season / f"{role}.csv") if season else f"--{role}"
            errors.append(RowError(where, 0, FILE, f"{role} file not found (.csv or .xlsx)"))
    return found, errors


def load_season_files(
    season: Path | None = None,
    *,
    requests: Path | None = None,
    candidates: Path | None = None,
    candidate_ranks: Path | None = None,
    request_ranks: Path | None = None,
    couples: Path | None = None,
    limits: ImportLimits = DEFAULT_LIMITS,
) -> SeasonFiles:
    """Read and validate every file of a season; raise SeasonFilesError with every problem."""
    named = {
        "requests": requests,
        "candidates": candidates,
        "candidate_ranks": candidate_ranks,
        "request_ranks": request_ranks,
        "couples": couples,
    }
    paths, errors = locate_files(season, named)
    tables: dict[str, Table] = {}
    for role, path in paths.items():
        try:
            table = read_table(path, limits=limits)
        except TableError as exc:
            errors.extend(exc.errors)
            continue
        column_errors = _check_columns(table, *COLUMNS[role])
        errors.extend(column_errors)
        if not any(e.message == "missing column" for e in column_errors):
            tables[role] = table
    requests_t, candidates_t = tables.get("requests"), tables.get("candidates")
    request_rows = _requests(requests_t, errors) if requests_t else None
    candidate_rows = _candidates(candidates_t, errors) if candidates_t else None
    request_ids = _ids(requests_t, "request_id")
    candidate_ids = _ids(candidates_t, "candidate_id")
    c_ranks = r_ranks = None
    pairs: tuple[tuple[str, str], ...] = ()
    if "candidate_ranks" in tables:
        c_ranks = _candidate_ranks(tables["candidate_ranks"], candidate_ids, request_ids, errors)
    if "request_ranks" in tables:
        r_ranks = _request_ranks(tables["request_ranks"], request_ids, candidate_ids, errors)
    if "couples" in tables:
        pairs = _couples(tables["couples"], candidate_ids, errors)
    if errors or request_rows is None or candidate_rows is None:
        raise SeasonFilesError(sorted(errors, key=_order(paths)))
    sources = tuple(SourceFile(role, paths[role], t.sha256) for role, t in tables.items())
    return SeasonFiles(request_rows, candidate_rows, c_ranks, r_ranks, pairs, sources)


def _order(paths: Mapping[str, Path]) -> Callable[[RowError], tuple[int, int]]:
    rank = {str(p): i for i, p in enumerate(paths.values())}
    return lambda e: (rank.get(e.file, -1), e.row)


def _ids(table: Table | None, column: str) -> set[str] | None:
    """Every id the file names (even on rows with other errors), to avoid cascading errors."""
    if table is None:
        return None
    return {table.value(row, column) for row in table.rows} - {""}


def _check_columns(
    table: Table, required: tuple[str, ...], optional: tuple[str, ...]
) -> list[RowError]:
    known = set(required) | set(optional) | {NOTES}
    errors = [
        table.error(table.header_row, name, N_("missing column"))
        for name in required
        if name not in table.columns
    ]
    expected = ", ".join((*required, *optional, NOTES))
    unknown = N_("unknown column; the columns are: {expected}")
    errors.extend(
        table.error(table.header_row, name, unknown, expected=expected)
        for name in table.columns
        if name not in known
    )
    return errors


# What an unknown id was meant to name, as a whole sentence each so it translates.
UNKNOWN = {"candidate": N_("unknown candidate {value}"), "request": N_("unknown request {value}")}


class _Cells(Cells):
    """Cells of a season file: ids (and whether they are known) and JLPT levels."""

    def identifier(self, column: str) -> str:
        value = self.required(column)
        if len(value) > MAX_ID_CHARS:
            too_long = N_("an id has at most {limit} characters")
            return self.fail(column, too_long, value, limit=MAX_ID_CHARS)
        return value

    def known(self, column: str, ids: set[str] | None, what: str) -> str:
        value = self.identifier(column)
        if value and ids is not None and value not in ids:
            self.fail(column, UNKNOWN[what], None, value=repr(value))
        return value

    def jlpt(self, column: str) -> Jlpt:
        text = self.text(column)
        level = _JLPT.get(text.casefold() or "none")
        if level is None:
            allowed = ", ".join(j.value for j in Jlpt)
            template = N_("choose one of: {allowed} (you gave {value})")
            return self.fail(column, template, Jlpt.NONE, allowed=allowed, value=repr(text))
        return level


_JLPT = {level.value.casefold(): level for level in Jlpt}


def _unique_ids(table: Table, column: str, errors: list[RowError]) -> None:
    first: dict[str, int] = {}
    for row in table.rows:
        key = table.value(row, column)
        if key in first:
            twice = N_("duplicate id {value} (first at row {row})")
            errors.append(table.error(row, column, twice, value=repr(key), row=first[key]))
        elif key:
            first[key] = row.number


def _requests(table: Table, errors: list[RowError]) -> tuple[RequestRecord, ...]:
    _unique_ids(table, "request_id", errors)
    records = []
    for row in table.rows:
        c = _Cells(table, row, errors)
        records.append(
            RequestRecord(
                id=c.identifier("request_id"),
                capacity=c.integer("capacity", 1, MAX_CAPACITY),
                boe=c.required("boe"),
                prefecture=c.required("prefecture"),
                school_levels=c.choices("school_levels", SCHOOL_LEVELS),
                area=c.choice("area", AREAS),
                requires_driving_licence=c.boolean("requires_driving_licence"),
                min_jlpt=c.jlpt("min_jlpt"),
                min_teaching_years=c.integer("min_teaching_years", 0, MAX_YEARS, default=0),
                weight_jlpt=c.integer("weight_jlpt", 0, MAX_WEIGHT, default=0),
                weight_teaching_years=c.integer("weight_teaching_years", 0, MAX_WEIGHT, default=0),
                weight_school_levels=c.integer("weight_school_levels", 0, MAX_WEIGHT, default=0),
                weight_driving_licence=c.integer(
                    "weight_driving_licence", 0, MAX_WEIGHT, default=0
                ),
            )
        )
    return tuple(records)


def _candidates(table: Table, errors: list[RowError]) -> tuple[CandidateRecord, ...]:
    _unique_ids(table, "candidate_id", errors)
    records = []
    for row in table.rows:
        c = _Cells(table, row, errors)
        records.append(
            CandidateRecord(
                id=c.identifier("candidate_id"),
                jlpt=c.jlpt("jlpt"),
                teaching_years=c.integer("teaching_years", 0, MAX_YEARS, default=0),
                driving_licence=c.boolean("driving_licence"),
                school_experience=c.choices("school_experience", SCHOOL_LEVELS),
                interview_score=c.integer("interview_score", 0, MAX_INTERVIEW, default=0),
                preferred_prefectures=c.names("preferred_prefectures"),
                preferred_area=c.choice("preferred_area", AREAS),
                preferred_school_levels=c.choices("preferred_school_levels", SCHOOL_LEVELS),
                accepts_anywhere=c.boolean("accepts_anywhere"),
            )
        )
    return tuple(records)


def _candidate_ranks(
    table: Table, candidates: set[str] | None, requests: set[str] | None, errors: list[RowError]
) -> dict[str, tuple[str, ...]]:
    """A candidate's list is strict: one row per request, and no rank used twice."""
    by_pair: dict[tuple[str, str], int] = {}
    by_rank: dict[tuple[str, int], int] = {}
    lists: dict[str, list[tuple[int, str]]] = {}
    for row in table.rows:
        c = _Cells(table, row, errors)
        cid = c.known("candidate_id", candidates, "candidate")
        rank = c.integer("rank", 1, MAX_RANK)
        rid = c.known("request_id", requests, "request")
        if (cid, rid) in by_pair:
            c.fail(
                "request_id",
                N_("duplicate rank row: {who} already ranks {whom} at row {row}"),
                None,
                who=cid,
                whom=rid,
                row=by_pair[cid, rid],
            )
            continue
        if (cid, rank) in by_rank:
            c.fail(
                "rank",
                N_(
                    "duplicate rank row: {who} already uses rank {rank} at row {row} "
                    "(a candidate's ranks cannot tie)"
                ),
                None,
                who=cid,
                rank=rank,
                row=by_rank[cid, rank],
            )
            continue
        by_pair[cid, rid] = by_rank[cid, rank] = row.number
        lists.setdefault(cid, []).append((rank, rid))
    return {cid: tuple(rid for _, rid in sorted(entries)) for cid, entries in lists.items()}


def _request_ranks(
    table: Table, requests: set[str] | None, candidates: set[str] | None, errors: list[RowError]
) -> dict[str, tuple[tuple[str, int], ...]]:
    """Equal ranks within one request are ties; naming a candidate twice is an error."""
    by_pair: dict[tuple[str, str], int] = {}
    lists: dict[str, list[tuple[str, int]]] = {}
    for row in table.rows:
        c = _Cells(table, row, errors)
        rid = c.known("request_id", requests, "request")
        rank = c.integer("rank", 1, MAX_RANK)
        cid = c.known("candidate_id", candidates, "candidate")
        if (rid, cid) in by_pair:
            c.fail(
                "candidate_id",
                N_("duplicate rank row: {who} already ranks {whom} at row {row}"),
                None,
                who=rid,
                whom=cid,
                row=by_pair[rid, cid],
            )
            continue
        by_pair[rid, cid] = row.number
        lists.setdefault(rid, []).append((cid, rank))
    return {rid: tuple(sorted(e, key=lambda x: x[1])) for rid, e in lists.items()}


def _couples(
    table: Table, candidates: set[str] | None, errors: list[RowError]
) -> tuple[tuple[str, str], ...]:
    """Each candidate is in at most one couple, and never coupled with themselves."""
    coupled_at: dict[str, int] = {}
    pairs = []
    for row in table.rows:
        c = _Cells(table, row, errors)
        a = c.known("candidate_id", candidates, "candidate")
        b = c.known("partner_id", candidates, "candidate")
        if a and a == b:
            c.fail("partner_id", N_("{who} cannot be their own partner"), None, who=a)
            continue
        clash = [(col, x) for col, x in (("candidate_id", a), ("partner_id", b)) if x in coupled_at]
        for col, x in clash:
            coupled = N_("{who} is already in a couple (row {row})")
            c.fail(col, coupled, None, who=x, row=coupled_at[x])
        if clash or not (a and b):
            continue
        coupled_at[a] = coupled_at[b] = row.number
        pairs.append((a, b))
    return tuple(pairs)


UploadRole = Literal["requests", "candidates"]
R = TypeVar("R", RequestRecord, CandidateRecord)
# Columns an upload into the web app may add to a file's own: who a candidate is, and a partner.
UPLOAD_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "requests": (),
    "candidates": ("name", "email", "partner_id"),
}


@dataclass(frozen=True)
class Upload(Generic[R]):
    """An uploaded requests or candidates file: each record with its file row and the cells of
    the upload-only columns. `errors` lists every problem; with any, nothing may be stored."""

    records: tuple[R, ...]
    rows: tuple[int, ...]
    extras: tuple[dict[str, str], ...]
    errors: tuple[RowError, ...]
    sha256: str


def read_request_upload(
    data: bytes, filename: str, limits: ImportLimits = DEFAULT_LIMITS
) -> Upload[RequestRecord]:
    """Check an uploaded requests file by the rules of a season folder's requests file."""
    table, errors = _upload_table(data, filename, "requests", limits)
    if table is None:
        return Upload((), (), (), tuple(errors), "")
    records = _requests(table, errors)
    return Upload(records, *_upload_rows(table, "requests"), tuple(errors), table.sha256)


def read_candidate_upload(
    data: bytes, filename: str, limits: ImportLimits = DEFAULT_LIMITS
) -> Upload[CandidateRecord]:
    """Check an uploaded candidates file by the rules of a season folder's candidates file,
    with the upload-only columns `name`, `email` and `partner_id`."""
    table, errors = _upload_table(data, filename, "candidates", limits)
    if table is None:
        return Upload((), (), (), tuple(errors), "")
    records = _candidates(table, errors)
    return Upload(records, *_upload_rows(table, "candidates"), tuple(errors), table.sha256)


def _upload_table(
    data: bytes, filename: str, role: UploadRole, limits: ImportLimits
) -> tuple[Table | None, list[RowError]]:
    try:
        table = read_table_bytes(data, filename, limits=limits)
    except TableError as exc:
        return None, list(exc.errors)
    required, optional = COLUMNS[role]
    errors = _check_columns(table, required, (*optional, *UPLOAD_COLUMNS[role]))
    if any(e.message == "missing column" for e in errors):
        return None, errors
    return table, errors


def _upload_rows(
    table: Table, role: UploadRole
) -> tuple[tuple[int, ...], tuple[dict[str, str], ...]]:
    extra = UPLOAD_COLUMNS[role]
    rows = tuple(row.number for row in table.rows)
    return rows, tuple({c: table.value(row, c) for c in extra} for row in table.rows)
