"""Optimistic locking: the one idiom every versioned row uses.

Every versioned model maps its `version` column as SQLAlchemy's `version_id_col`, so the ORM
writes each change as a compare-and-swap: `UPDATE … SET version = :loaded + 1 WHERE id = :id
AND version = :loaded`. A service that changes such a row

1. compares the version its client read with `expect_version` (a stale client is refused before
   any work is done),
2. changes the row, or `touch`es it when only its children changed (a case that gained a
   message), so its version still moves on,
3. runs under `stale_guard()`, which turns the StaleDataError of a lost race (another writer
   committed between our read and our UPDATE, so no row matched) into the same StaleError.

Either way the client gets one answer, 409 "reload and try again", and the first writer's
change is kept. Never bump `version` by hand: the mapper does it, once per UPDATE.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

from sqlalchemy.orm.exc import StaleDataError

from altmatch.db.base import mark_changed
from altmatch.services.kernel.errors import stale_record


class Versioned(Protocol):
    @property
    def version(self) -> int: ...


def expect_version(row: Versioned, version: int | None) -> None:
    """Refuse (StaleError) a client whose `version` is not the row's: it read an older state.

    None means the client sent no version (where one is optional): nothing to compare, though
    the UPDATE is still guarded against anyone who wrote since this session loaded the row.
    """
    if version is not None and version != row.version:
        raise stale_record()


def touch(row: object) -> None:
    """Make the next flush UPDATE `row` even if none of its columns changed, so its version moves
    on (and is compared) when only its children changed, or a write may leave equal values.

    It marks one plain column as changed; flagging `version` itself would pin the version.
    """
    mark_changed(row)


@contextmanager
def stale_guard() -> Iterator[None]:
    """Turn a lost compare-and-swap (StaleDataError at flush or commit) into `stale_record()`:
    the same 409 as a stale client version. Usable as `with` or as a decorator; put it outside
    the transaction so the commit is covered too."""
    try:
        yield
    except StaleDataError as exc:
        raise stale_record() from exc
