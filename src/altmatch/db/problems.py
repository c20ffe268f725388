"""What kind of storage problem a database error is, so each is answered for what it is.

- BUSY: another writer holds the lock longer than we wait (SQLite's "database is locked" while
  an import writes, PostgreSQL's lock_timeout, a deadlock or serialization failure). Nothing was
  written; the same request will very likely succeed in a moment.
- STORAGE: the database cannot store anything (the disk is full, the file or folder is read-only,
  an I/O error). Retrying will not help until an operator acts.
- UNREACHABLE: the connection was refused, lost or reset (a restart, a fail-over).

None: not a storage problem at all (a broken query, a constraint), i.e. a bug.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError


class StorageProblem(StrEnum):
    BUSY = "busy"
    STORAGE = "storage"
    UNREACHABLE = "unreachable"


# PostgreSQL SQLSTATEs (psycopg sets `sqlstate` on its errors).
_BUSY_STATES = {
    "55P03",  # lock_not_available (lock_timeout, NOWAIT)
    "57014",  # query_canceled (statement_timeout)
    "40P01",  # deadlock_detected
    "40001",  # serialization_failure
}
_STORAGE_STATES = {
    "53000",  # insufficient_resources
    "53100",  # disk_full
    "53200",  # out_of_memory
    "25006",  # read_only_sql_transaction (a read-only replica or default_transaction_read_only)
    "58030",  # io_error
}
# SQLite's messages (sqlite3 gives no codes before Python 3.11's sqlite_errorname).
_BUSY_TEXT = ("database is locked", "database table is locked", "database is busy")
_STORAGE_TEXT = (
    "database or disk is full",
    "attempt to write a readonly database",
    "readonly database",
    "disk i/o error",
    "unable to open database file",
)


def storage_problem(exc: BaseException) -> StorageProblem | None:
    """Classify a database error (SQLAlchemy's DBAPIError, or the driver's own) by what it
    means for the person who asked; None for an error that is not about the storage."""
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    state = getattr(orig, "sqlstate", None)
    text = " ".join(str(orig).lower().split())
    if state in _BUSY_STATES or any(t in text for t in _BUSY_TEXT):
        return StorageProblem.BUSY
    if state in _STORAGE_STATES or any(t in text for t in _STORAGE_TEXT):
        return StorageProblem.STORAGE
    if isinstance(exc, DBAPIError) and (
        isinstance(exc, OperationalError | InterfaceError) or exc.connection_invalidated
    ):
        return StorageProblem.UNREACHABLE
    return None
