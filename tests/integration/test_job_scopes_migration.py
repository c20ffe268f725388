"""Migration m1_job_scopes on SQLite and PostgreSQL: jobs gain a company scope without losing the
files of jobs still waiting (SQLite rebuilds the table, and its DROP would cascade to them), and
going back removes the company jobs and keeps the season's."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from altmatch.config import Settings
from altmatch.db import downgrade_database, make_engine, upgrade_database

BEFORE, MIGRATION = "l1_case_handlers", "m1_job_scopes"
NOW = dt.datetime(2026, 12, 6, 12, 0, tzinfo=dt.UTC)

metadata = sa.MetaData()
organisations = sa.Table(
    "organisations",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("kind", sa.String),
    sa.Column("name_en", sa.String),
    sa.Column("name_ja", sa.String),
)
seasons = sa.Table(
    "seasons",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("programme_id", sa.Integer),
    sa.Column("name", sa.String),
    sa.Column("year", sa.Integer),
    sa.Column("request_deadline", sa.DateTime(timezone=True)),
    sa.Column("contract_start", sa.Date),
    sa.Column("status", sa.String),
    sa.Column("created_at", sa.DateTime(timezone=True)),
)
jobs = sa.Table(
    "jobs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("kind", sa.String),
    sa.Column("season_id", sa.Integer),
    sa.Column("status", sa.String),
    sa.Column("stage", sa.String),
    sa.Column("done_steps", sa.Integer),
    sa.Column("total_steps", sa.Integer),
    sa.Column("created_at", sa.DateTime(timezone=True)),
)
job_files = sa.Table(
    "job_files",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("job_id", sa.Integer),
    sa.Column("filename", sa.String),
    sa.Column("content", sa.LargeBinary),
)
QUEUED = {"status": "queued", "stage": "", "done_steps": 0, "total_steps": 1, "created_at": NOW}


def _execute(settings: Settings, *statements: sa.Executable) -> list[sa.Row[tuple[object, ...]]]:
    engine = make_engine(settings)
    try:
        with engine.begin() as connection:
            result: list[sa.Row[tuple[object, ...]]] = []
            for statement in statements:
                outcome = connection.execute(statement)
                if outcome.returns_rows:
                    result = list(outcome)
            return result
    finally:
        engine.dispose()


def test_the_files_of_waiting_jobs_survive_the_migration_both_ways(settings: Settings) -> None:
    upgrade_database(settings, BEFORE)
    _execute(
        settings,
        organisations.insert().values(id=1, kind="programme", name_en="JET", name_ja="JET"),
        organisations.insert().values(id=2, kind="company", name_en="Sakura", name_ja="さくら"),
        seasons.insert().values(
            id=1,
            programme_id=1,
            name="2027",
            year=2027,
            request_deadline=NOW,
            contract_start=dt.date(2027, 8, 1),
            status="open",
            created_at=NOW,
        ),
        jobs.insert().values(id=7, kind="import", season_id=1, **QUEUED),
        job_files.insert().values(id=3, job_id=7, filename="c.csv", content=b"candidate_id\n"),
    )

    upgrade_database(settings, MIGRATION)

    files = sa.select(job_files.c.job_id, job_files.c.filename, job_files.c.content)
    assert _execute(settings, files) == [(7, "c.csv", b"candidate_id\n")]
    company_job = sa.text(
        "INSERT INTO jobs (id, kind, organisation_id, status, stage, done_steps, total_steps,"
        " created_at) VALUES (8, 'dispatch_import', 2, 'queued', '', 0, 1, :now)"
    ).bindparams(now=NOW)
    _execute(
        settings,
        company_job,
        job_files.insert().values(id=4, job_id=8, filename="r.csv", content=b"alt_id\n"),
    )
    with pytest.raises(IntegrityError):  # a season's kind of job needs its season
        _execute(settings, jobs.insert().values(id=9, kind="import", season_id=None, **QUEUED))

    downgrade_database(settings, BEFORE)

    assert _execute(settings, sa.select(jobs.c.id, jobs.c.kind)) == [(7, "import")]
    assert _execute(settings, files) == [(7, "c.csv", b"candidate_id\n")]
