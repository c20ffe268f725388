"""Declarative base shared by every table, with deterministic constraint names."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import DateTime, Dialect, MetaData, inspect
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.types import TypeDecorator

# Named constraints let Alembic create, compare and drop them identically on SQLite and
# PostgreSQL; unnamed ones get server-chosen names that later migrations cannot refer to.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that only accepts aware datetimes and always reads back as aware UTC.

    SQLite has no time zone type and hands back naive values; PostgreSQL answers in the
    session's zone. Normalising here means no caller ever compares naive with aware.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}; pass an aware one (e.g. UTC)")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    """Parent of every row class; any `Mapped[datetime]` column is stored as UTCDateTime."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime}


def mark_changed(row: object) -> None:
    """Flag one loaded column of `row` (not its primary key, not its version_id_col) as
    changed, so the next flush UPDATEs the row though no value changed (services.kernel.locking
    `touch`). Columns not loaded (deferred, expired) are passed over: SQLAlchemy refuses to
    flag those."""
    state = inspect(row)
    mapper = state.mapper
    for attr in mapper.column_attrs:
        column = attr.columns[0]
        if (
            attr.key in state.dict
            and not column.primary_key
            and column is not mapper.version_id_col
        ):
            flag_modified(row, attr.key)
            return
    raise TypeError(f"{type(row).__name__} has no loaded column to touch")
