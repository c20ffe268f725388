"""Storage problems are told apart (db.problems): a database busy with another writer answers 503
"busy, try again" with Retry-After; one that cannot store anything (a full disk, a read-only file)
answers 503 with a message for the administrator and is logged as an error; one out of reach
keeps its own message (tests/integration/test_database_outage.py). `altmatch serve` on a database
it cannot write says so in one line and exits non-zero."""

from __future__ import annotations

import logging
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import psycopg.errors
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.exc import IntegrityError, InternalError, OperationalError
from tests.integration.conftest import skip_without_postgres, throwaway_postgres
from tests.schema_template import SchemaTemplate

from altmatch.config import Settings
from altmatch.db.problems import StorageProblem, storage_problem
from altmatch.web.app import create_app

ADVICE = {"degree": "bachelor", "citizenship": "AU", "english": "native"}


@pytest.mark.parametrize(
    ("error", "problem"),
    [
        (OperationalError("BEGIN", {}, sqlite3.OperationalError("database is locked")), "busy"),
        (
            OperationalError("COMMIT", {}, sqlite3.OperationalError("database or disk is full")),
            "storage",
        ),
        (
            OperationalError(
                "BEGIN", {}, sqlite3.OperationalError("attempt to write a readonly database")
            ),
            "storage",
        ),
        (OperationalError("INSERT", {}, sqlite3.OperationalError("disk I/O error")), "storage"),
        (OperationalError("UPDATE", {}, psycopg.errors.LockNotAvailable("lock timeout")), "busy"),
        (OperationalError("UPDATE", {}, psycopg.errors.DeadlockDetected("deadlock")), "busy"),
        (OperationalError("INSERT", {}, psycopg.errors.DiskFull("no space left")), "storage"),
        (
            InternalError("INSERT", {}, psycopg.errors.ReadOnlySqlTransaction("read-only")),
            "storage",
        ),
        (
            OperationalError("SELECT 1", {}, Exception("server closed the connection")),
            "unreachable",
        ),
        (IntegrityError("INSERT", {}, Exception("duplicate key")), None),
    ],
)
def test_database_errors_are_classified_by_what_they_mean(
    error: OperationalError, problem: str | None
) -> None:
    found = storage_problem(error)
    assert (found and found.value) == problem
    assert found is None or isinstance(found, StorageProblem)


@pytest.fixture
def sqlite_settings(tmp_path: Path, schema_template: SchemaTemplate) -> Settings:
    settings = Settings(data_dir=tmp_path / "data", database_url="")
    schema_template.install(settings)
    return settings


def _database_file(settings: Settings) -> Path:
    return Path(settings.database_url.removeprefix("sqlite:///"))


@pytest.fixture
def busy_client(
    sqlite_settings: Settings,
) -> Iterator[tuple[TestClient, sqlite3.Connection]]:
    """The app with a short lock wait, and another connection ready to hold the write lock."""
    other = sqlite3.connect(_database_file(sqlite_settings), isolation_level=None)
    app = create_app(sqlite_settings.model_copy(update={"lock_wait_seconds": 0.2}))
    try:
        yield TestClient(app), other
    finally:
        other.close()
        app.state.engine.dispose()


def test_a_database_busy_with_another_writer_answers_busy_try_again(
    busy_client: tuple[TestClient, sqlite3.Connection], caplog: pytest.LogCaptureFixture
) -> None:
    client, other = busy_client
    other.execute("BEGIN IMMEDIATE")  # an import holding SQLite's one write lock
    with caplog.at_level(logging.WARNING):
        busy = client.post("/api/v1/advice/saved", json=ADVICE)
        page = client.get("/")  # reading is not blocked by a writer
    other.execute("ROLLBACK")
    again = client.post("/api/v1/advice/saved", json=ADVICE)

    assert busy.status_code == 503, busy.text
    assert busy.headers["Retry-After"].isdigit()
    assert busy.json()["detail"].startswith("The database is busy with another change")
    assert page.status_code == 200
    assert [r.levelname for r in caplog.records if "database busy" in r.getMessage()] == ["WARNING"]
    assert again.status_code == 201, again.text


@pytest.mark.postgres
def test_a_change_waiting_on_a_postgresql_lock_gives_up_after_the_lock_wait(
    postgres_unavailable: str | None, schema_template: SchemaTemplate, tmp_path: Path
) -> None:
    """PostgreSQL would let a writer wait forever behind a transaction holding its rows; the
    lock wait setting (lock_timeout) makes it answer busy, like SQLite's busy timeout."""
    skip_without_postgres(postgres_unavailable)
    with throwaway_postgres(schema_template, migrated=True) as url:
        settings = Settings(data_dir=tmp_path, database_url=url, lock_wait_seconds=0.3)
        app = create_app(settings)
        plain_url = url.replace("postgresql+psycopg://", "postgresql://")
        try:
            with TestClient(app) as client, psycopg.connect(plain_url) as other:
                other.execute("LOCK TABLE saved_advice IN EXCLUSIVE MODE")  # a long import
                busy = client.post("/api/v1/advice/saved", json=ADVICE)
                other.rollback()
                again = client.post("/api/v1/advice/saved", json=ADVICE)
        finally:
            app.state.engine.dispose()

    assert busy.status_code == 503, busy.text
    assert busy.json()["detail"].startswith("The database is busy with another change")
    assert again.status_code == 201, again.text


def test_a_read_only_database_answers_for_the_administrator_and_logs_an_error(
    sqlite_settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    read_only = Settings(
        data_dir=sqlite_settings.data_dir,
        database_url=f"sqlite:///file:{_database_file(sqlite_settings)}?mode=ro&uri=true",
    )
    app = create_app(read_only)
    try:
        client = TestClient(app)
        with caplog.at_level(logging.WARNING):
            refused = client.post("/api/v1/advice/saved", json=ADVICE)
            page = client.get("/")
    finally:
        app.state.engine.dispose()

    assert refused.status_code == 503, refused.text
    assert "Retry-After" not in refused.headers
    assert refused.json()["detail"].startswith("The database cannot store changes")
    assert "tell the administrator" in refused.json()["detail"]
    assert page.status_code == 200  # reading still works
    logged = [r for r in caplog.records if "cannot store changes" in r.getMessage()]
    assert [r.levelname for r in logged] == ["ERROR"]


def test_busy_and_read_only_messages_are_translated(
    busy_client: tuple[TestClient, sqlite3.Connection],
) -> None:
    client, other = busy_client
    other.execute("BEGIN IMMEDIATE")
    busy = client.post("/api/v1/advice/saved", json=ADVICE, headers={"Accept-Language": "ja"})
    other.execute("ROLLBACK")
    assert busy.status_code == 503
    assert busy.json()["detail"].startswith("現在データベースは別の変更の処理中です")


def _serve(tmp_path: Path, database_url: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "ALTMATCH_DATA_DIR": str(tmp_path / "data"),
        "ALTMATCH_DATABASE_URL": database_url,
    }
    return subprocess.run(
        [sys.executable, "-m", "altmatch", "serve", "--port", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_serve_on_a_read_only_database_exits_with_one_line(tmp_path: Path) -> None:
    database = tmp_path / "readonly.sqlite3"
    sqlite3.connect(database).close()  # an empty database file, opened read-only below
    done = _serve(tmp_path, f"sqlite:///file:{database}?mode=ro&uri=true")

    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.startswith("altmatch:")]
    assert len(lines) == 1, done.stderr
    assert "cannot write to the database" in lines[0] and "read-only" in lines[0]
    assert done.stdout == ""  # it never said it was serving


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_serve_in_a_read_only_folder_exits_with_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        done = _serve(tmp_path, f"sqlite:///{folder}/altmatch.sqlite3")
    finally:
        folder.chmod(0o755)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert len([ln for ln in done.stderr.splitlines() if ln.startswith("altmatch:")]) == 1
