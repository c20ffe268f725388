"""Large and hostile imports through the real services and database: bounded memory, the
limits from the settings enforced, all or nothing, and formulas that come back out neutralised.

The 100,000-row imports measure peak Python memory with tracemalloc (which slows them about
twofold). The biggest runs on SQLite only, to keep the file's runtime sane; the all-or-nothing
cases run on both backends.
"""

from __future__ import annotations

import csv
import io
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import openpyxl
import pytest
from sqlalchemy import func, select
from tests.season_world import build_world, future_deadline
from tests.unit.io.test_hostile_xlsx import workbook, xlsx_from_rows

from altmatch.config import Settings
from altmatch.db import Sessions, make_engine, session_factory, upgrade_database
from altmatch.db.models import RosterAlt, SeasonCandidate
from altmatch.domain.access import OPERATOR, Actor, OrgKind, Role
from altmatch.io.limits import MIB, ImportLimits
from altmatch.io.roster_file import ROSTER_COLUMNS
from altmatch.io.season_files import read_candidate_upload
from altmatch.services.accounts.users import create_organisation
from altmatch.services.dispatch.roster import export_roster, import_roster
from altmatch.services.season.imports import import_candidates
from altmatch.services.season.setup import open_season

T = TypeVar("T")
ROWS = 100_000
ROSTER_CELLS = (
    "Hyogo",
    "Kobe",
    "34.69",
    "135.19",
    "elementary;junior_high",
    "yes",
    "N3",
    "2027-03-31",
    "renewing",
    "Hyogo;Osaka",
)


def roster_rows(count: int, bad_at: int | None = None) -> Iterator[tuple[str, ...]]:
    for i in range(1, count + 1):
        row = (f"A{i:06d}", f"Name {i} 山田", *ROSTER_CELLS)
        yield (*row[:4], "north", *row[5:]) if i == bad_at else row


def roster_csv(count: int, bad_at: int | None = None) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(ROSTER_COLUMNS)
    writer.writerows(roster_rows(count, bad_at))
    return buffer.getvalue().encode()


def peak_mib(action: Callable[[], T], what: str) -> tuple[T, float]:
    """The action's result and the peak of memory Python allocated while it ran, in MiB
    (printed with the time, for `pytest -s`; only the memory is asserted)."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = action()
        peak = tracemalloc.get_traced_memory()[1] / MIB
    finally:
        tracemalloc.stop()
    print(f"\n{what}: peak {peak:.0f} MiB, {time.perf_counter() - started:.1f} s (traced)")
    return result, peak


def company_actor(sessions: Sessions) -> Actor:
    company = create_organisation(
        sessions, actor=OPERATOR, kind=OrgKind.COMPANY, name_en="Sakura ALT", name_ja="さくら"
    ).id
    return Actor(user_id=1, role=Role.COMPANY_STAFF, organisation_id=company)


def roster_count(sessions: Sessions) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(RosterAlt)) or 0


@pytest.fixture
def sqlite_sessions() -> Iterator[Sessions]:
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(data_dir=Path(folder), database_url="")
        upgrade_database(settings)
        engine = make_engine(settings)
        yield session_factory(engine)
        engine.dispose()


def test_a_100k_row_roster_csv_imports_whole_within_the_memory_bound(
    sqlite_sessions: Sessions,
) -> None:
    """Peak < 240 MiB for an 11 MB, 100,000-row file (measured: 156 MiB).

    While it runs, the decoded text, the table's rows and the checked records are alive
    together (about 1.5 KB of Python objects a row); new ALTs are inserted in batches of
    5,000, so the insert's parameters add little. The cost is linear in the rows, so the
    default row limit (200,000) keeps the worst case near 500 MiB. Reading the file twice, or
    building every row's insert parameters at once (344 MiB before batching), breaks it."""
    actor = company_actor(sqlite_sessions)
    content = roster_csv(ROWS)
    result, peak = peak_mib(
        lambda: import_roster(sqlite_sessions, actor, content=content, filename="roster.csv"),
        "100k-row roster CSV, imported (SQLite)",
    )
    assert result.committed and result.rows == ROWS and result.errors == []
    assert roster_count(sqlite_sessions) == ROWS
    assert peak < 240, f"peak {peak:.0f} MiB"


def test_a_bad_row_near_the_end_of_100k_leaves_the_roster_unchanged(sessions: Sessions) -> None:
    actor = company_actor(sessions)
    first = import_roster(sessions, actor, content=roster_csv(2), filename="roster.csv")
    assert first.committed
    content = roster_csv(ROWS, bad_at=99_999)  # file row 100,000 (the header is row 1)
    refused = import_roster(sessions, actor, content=content, filename="roster.csv")
    assert not refused.committed
    assert [(e.row, e.column) for e in refused.errors] == [(100_000, "home_latitude")]
    assert roster_count(sessions) == 2


def candidates_xlsx(count: int) -> bytes:
    """One column (all a candidates file needs): openpyxl's XML parsing, not ours, is the
    cost of a wide workbook, and the test stays quick."""
    return xlsx_from_rows([("candidate_id",), *((f"C{i:06d}",) for i in range(1, count + 1))])


def test_a_100k_row_xlsx_reads_whole_within_the_memory_bound() -> None:
    """Peak < 100 MiB for a 100,000-row workbook (measured: 57 MiB).

    The sheet is streamed row by row, so the peak is the table and the records (about 0.5 KB
    a row here), not the unpacked sheet XML nor an openpyxl cell object per value."""
    content = candidates_xlsx(ROWS)
    upload, peak = peak_mib(
        lambda: read_candidate_upload(content, "candidates.xlsx"), "100k-row XLSX, read"
    )
    assert upload.errors == ()
    assert len(upload.records) == ROWS
    assert upload.records[-1].id == f"C{ROWS:06d}"
    assert peak < 100, f"peak {peak:.0f} MiB"


def test_a_100k_row_xlsx_over_a_lower_row_limit_is_refused_and_nothing_stored(
    sessions: Sessions,
) -> None:
    """The limit comes from the settings; the refusal comes at row 10,002, while streaming.

    Peak < 16 MiB (measured: 3 MiB): the rows read before the refusal, nothing more; reading
    the whole workbook first would take about 57 MiB (see the test above) and fail this."""
    world = build_world(sessions)
    season = open_season(
        sessions,
        world.coordinator,
        name="2027",
        year=2027,
        request_deadline=future_deadline(),
        contract_start=future_deadline().date(),
    )
    limits = ImportLimits.from_settings(
        Settings(database_url="", import_max_rows=10_000)  # as ALTMATCH_IMPORT_MAX_ROWS would
    )
    content = candidates_xlsx(ROWS)
    result, peak = peak_mib(
        lambda: import_candidates(
            sessions,
            world.coordinator,
            season.id,
            content=content,
            filename="candidates.xlsx",
            commit=True,
            limits=limits,
        ),
        "100k-row XLSX, refused at 10,000 rows",
    )
    assert not result.committed
    assert [(e.row, e.message) for e in result.errors] == [(10_002, "more than 10,000 rows")]
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(SeasonCandidate)) == 0
    assert peak < 16, f"peak {peak:.0f} MiB"


def test_the_size_limit_from_the_settings_is_enforced_by_the_service(sessions: Sessions) -> None:
    actor = company_actor(sessions)
    content = roster_csv(200)
    limits = ImportLimits.from_settings(Settings(database_url="", import_max_bytes=4096))
    refused = import_roster(sessions, actor, content=content, filename="r.csv", limits=limits)
    assert not refused.committed
    assert [e.message for e in refused.errors] == [
        f"the file is {len(content):,} bytes; the limit is 4,096"
    ]
    assert roster_count(sessions) == 0


def test_a_zip_bomb_upload_is_refused_by_the_service(sessions: Sessions) -> None:
    actor = company_actor(sessions)
    bomb = workbook([" " * (4 * MIB)])  # 4 MiB of XML whitespace in a few kilobytes
    limits = ImportLimits.from_settings(
        Settings(database_url="", import_max_unzipped_bytes=2 * 1024 * 1024)
    )
    refused = import_roster(sessions, actor, content=bomb, filename="r.xlsx", limits=limits)
    assert not refused.committed
    (error,) = refused.errors
    assert error.message.startswith("the workbook unpacks to")
    assert roster_count(sessions) == 0


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_imported_formula_comes_back_out_of_the_export_neutralised(
    sessions: Sessions, fmt: str
) -> None:
    """The import stores "=cmd|..." as the text it is; the export prefixes it with ' so no
    spreadsheet runs it."""
    actor = company_actor(sessions)
    evil = "=cmd|' /C calc'!A0"
    row = ("A1", evil, *ROSTER_CELLS)
    content = (",".join(ROSTER_COLUMNS) + "\n" + ",".join(row) + "\n").encode()
    assert import_roster(sessions, actor, content=content, filename="r.csv").committed
    with sessions() as session:
        assert session.scalars(select(RosterAlt.name)).all() == [evil]
    exported = export_roster(sessions, actor, "csv" if fmt == "csv" else "xlsx")
    if fmt == "csv":
        text = exported.decode("utf-8-sig")
        assert "'" + evil in text
        assert "\n" + evil not in text and "," + evil not in text
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(exported)).worksheets[0]
        names = [sheet.cell(row=r, column=2).value for r in range(2, sheet.max_row + 1)]
        assert names == ["'" + evil]
        assert sheet.cell(row=2, column=2).data_type == "s"
