"""Engines and sessions built from Settings, with SQLite tuned for an app server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry

from altmatch.config import Settings

# The execution option a write session's connection carries (see `session_factory`).
WRITE_OPTION = "altmatch_write"


def make_engine(settings: Settings) -> Engine:
    """Create the engine for `settings.database_url`.

    For SQLite the database folder is created if missing, and every connection turns on
    foreign keys (off by default in SQLite) and WAL (readers do not block the writer). A write
    transaction (`sessions.begin()`) begins IMMEDIATE: it takes SQLite's one write lock before
    its first read, so two writers queue and the second reads what the first committed, as a
    row lock (FOR UPDATE) makes them do on PostgreSQL. SQLite has no row locks, so SQLAlchemy
    drops FOR UPDATE there.

    On both databases a change waits at most `settings.lock_wait_seconds` for a lock another
    holds (SQLite's busy timeout, PostgreSQL's lock_timeout), then fails as "busy"
    (db.problems), so a request never hangs behind a long import or a stuck transaction.
    JSON is written without ASCII escapes so Japanese text stays readable in the database.
    """
    url = make_url(settings.database_url)
    if (
        settings.is_sqlite
        and url.database not in (None, "", ":memory:")
        and not url.database.startswith("file:")  # a URI (?uri=true) names no folder to make
    ):
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    # pool_pre_ping: a connection the server dropped while idle (a restart, a fail-over) is
    # replaced before use instead of failing the next request with a 503.
    connect_args: dict[str, Any] = {}
    if settings.is_sqlite:
        connect_args["timeout"] = settings.lock_wait_seconds
    elif url.get_backend_name() == "postgresql":
        connect_args["options"] = f"-c lock_timeout={round(settings.lock_wait_seconds * 1000)}"
    engine = create_engine(
        url,
        json_serializer=partial(json.dumps, ensure_ascii=False),
        pool_pre_ping=True,
        connect_args=connect_args,
    )
    if settings.is_sqlite:
        event.listen(engine, "connect", _tune_sqlite_connection)
        event.listen(engine, "begin", _begin_sqlite_transaction)
    return engine


def _tune_sqlite_connection(
    dbapi_connection: DBAPIConnection, connection_record: ConnectionPoolEntry
) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
    finally:
        cursor.close()


def _begin_sqlite_transaction(connection: Connection) -> None:
    """SQLAlchemy's recipe for SQLite transactions, for write sessions only.

    A write session's connection (marked WRITE_OPTION) turns off pysqlite's own transaction
    handling, which would begin only at the first INSERT/UPDATE/DELETE and so let every read
    before it run unlocked, and begins IMMEDIATE. Any other session keeps pysqlite's default:
    its reads take no lock, so pages keep reading while an import writes.
    """
    driver = connection.connection.driver_connection
    if connection.get_execution_options().get(WRITE_OPTION):
        driver.isolation_level = None  # type: ignore[union-attr]
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        driver.isolation_level = ""  # type: ignore[union-attr]


# The one name for "something that opens sessions": what services take and callers pass.
Sessions = sessionmaker[Session]


class _WriteAwareSessions(sessionmaker[Session]):
    """`sessions()` opens a session for reading; `sessions.begin()` one transaction that
    writes, on a connection marked WRITE_OPTION (on SQLite it begins IMMEDIATE)."""

    write_bind: Engine

    def begin(self) -> AbstractContextManager[Session]:
        return self._begin_writing()

    @contextmanager
    def _begin_writing(self) -> Iterator[Session]:
        with self(bind=self.write_bind) as session, session.begin():
            yield session


def session_factory(engine: Engine, *, immediate_writes: bool = True) -> Sessions:
    """Sessions bound to `engine`.

    Objects stay loaded after commit (`expire_on_commit=False`) so a service can commit and
    still hand its result to a page or API response without another round trip.

    `immediate_writes=False` lets write sessions begin as reads do; only tests that replay an
    interleaving BEGIN IMMEDIATE rules out (to check the compare-and-swap beneath it) want it.
    """
    sessions = _WriteAwareSessions(bind=engine, expire_on_commit=False)
    sessions.write_bind = engine.execution_options(**{WRITE_OPTION: immediate_writes})
    return sessions
