"""Engines and sessions built from Settings, with SQLite tuned for an app server."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry

from altmatch.config import Settings


def make_engine(settings: Settings) -> Engine:
    """Create the engine for `settings.database_url`.

    For SQLite the database folder is created if missing, and every connection turns on
    foreign keys (off by default in SQLite) and WAL (readers do not block the writer).
    JSON is written without ASCII escapes so Japanese text stays readable in the database.
    """
    url = make_url(settings.database_url)
    if settings.is_sqlite and url.database not in (None, "", ":memory:"):
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    # pool_pre_ping: a connection the server dropped while idle (a restart, a fail-over) is
    # replaced before use instead of failing the next request with a 503.
    engine = create_engine(
        url, json_serializer=partial(json.dumps, ensure_ascii=False), pool_pre_ping=True
    )
    if settings.is_sqlite:
        event.listen(engine, "connect", _tune_sqlite_connection)
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


# The one name for "something that opens sessions": what services take and callers pass.
Sessions = sessionmaker[Session]


def session_factory(engine: Engine) -> Sessions:
    """Sessions bound to `engine`.

    Objects stay loaded after commit (`expire_on_commit=False`) so a service can commit and
    still hand its result to a page or API response without another round trip.
    """
    return sessionmaker(bind=engine, expire_on_commit=False)
