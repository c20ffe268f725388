"""Rows in a backup's canonical form: what each column kind looks like as JSON, and a table
read, counted and hashed the same way on SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any, Literal

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Connection,
    Date,
    DateTime,
    Float,
    Integer,
    LargeBinary,
    Numeric,
    String,
    TableClause,
    Text,
    Time,
    cast,
    column,
    select,
    table,
)
from sqlalchemy.types import TypeEngine

from altmatch.db import models  # noqa: F401  (registers every table on Base.metadata)
from altmatch.db.base import Base, UTCDateTime

Kind = Literal[
    "int", "float", "decimal", "str", "bool", "datetime", "date", "time", "json", "bytes"
]
KINDS: tuple[Kind, ...] = (
    "int",
    "float",
    "decimal",
    "str",
    "bool",
    "datetime",
    "date",
    "time",
    "json",
    "bytes",
)


@dataclass(frozen=True)
class TableDigest:
    """One table as the manifest records it."""

    name: str
    columns: tuple[tuple[str, Kind], ...]
    rows: int
    sha256: str


def kind_named(value: object) -> Kind:
    """A kind read from a manifest, checked."""
    for kind in KINDS:
        if value == kind:
            return kind
    raise ValueError(f"unknown column kind {value!r}")


# --- canonical form ------------------------------------------------------------------------


def column_kind(type_: TypeEngine[Any]) -> Kind:
    """How a column's values are written; checked most specific first (Double is a Float)."""
    if isinstance(type_, UTCDateTime | DateTime):
        return "datetime"
    if isinstance(type_, Date):
        return "date"
    if isinstance(type_, Time):
        return "time"
    if isinstance(type_, Boolean):
        return "bool"
    if isinstance(type_, JSON):
        return "json"
    if isinstance(type_, LargeBinary):
        return "bytes"
    if isinstance(type_, Float):
        return "float"
    if isinstance(type_, Numeric):
        return "decimal"
    if isinstance(type_, Integer):
        return "int"
    if isinstance(type_, String | Text):
        return "str"
    raise TypeError(f"no backup form for column type {type_!r}")


_TYPES: Mapping[Kind, TypeEngine[Any]] = {
    "int": BigInteger(),
    "float": Float(),
    "decimal": Numeric(asdecimal=True),
    "str": Text(),
    "bool": Boolean(),
    "datetime": UTCDateTime(),
    "date": Date(),
    "time": Time(),
    "json": JSON(none_as_null=True),  # SQL NULL stays NULL; JSON null is written as JSON.NULL
    "bytes": LargeBinary(),
}


def encode(kind: Kind, value: Any) -> Any:
    """A database value as a JSON value that is equal for equal data on every backend.

    A JSON column arrives as its stored text and is kept as a one-item list, so SQL NULL
    (null) and a stored JSON null ([null]) stay apart: queries tell them apart too.
    """
    if value is None:
        return None
    match kind:
        case "json":
            return [json.loads(value)]
        case "int":
            return int(value)
        case "float":
            return float(value)
        case "decimal":
            return str(Decimal(value).normalize())
        case "bool":
            return bool(value)
        case "datetime":
            return value.astimezone(UTC).isoformat()
        case "date" | "time":
            return value.isoformat()
        case "bytes":
            return base64.b64encode(bytes(value)).decode("ascii")
        case _:
            return value


def decode(kind: Kind, value: Any) -> Any:
    """The inverse of `encode`, giving what the column type binds."""
    if value is None:
        return None
    match kind:
        case "json":
            if not isinstance(value, list) or len(value) != 1:
                raise ValueError(f"a JSON value must be a one-item list, not {value!r}")
            return JSON.NULL if value[0] is None else value[0]
        case "datetime":
            return datetime.fromisoformat(value)
        case "date":
            return date.fromisoformat(value)
        case "time":
            return time.fromisoformat(value)
        case "bytes":
            return base64.b64decode(value, validate=True)
        case "decimal":
            return Decimal(value)
        case _:
            return value


def canonical_line(row: Mapping[str, Any]) -> bytes:
    """One row as the bytes that are stored and hashed."""
    dumped = json.dumps(row, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return dumped.encode("utf-8") + b"\n"


# --- tables ---------------------------------------------------------------------------------


def current_tables() -> tuple[TableDigest, ...]:
    """Every table the code knows, parents before children, with no rows counted yet."""
    return tuple(
        TableDigest(t.name, tuple((c.name, column_kind(c.type)) for c in t.columns), 0, "")
        for t in Base.metadata.sorted_tables
    )


def table_clause(digest: TableDigest) -> TableClause:
    return table(digest.name, *(column(name, _TYPES[kind]) for name, kind in digest.columns))


def canonical_rows(connection: Connection, digest: TableDigest) -> Iterator[bytes]:
    """The table's rows in canonical form, ordered by id (by every column if it has none)."""
    clause = table_clause(digest)
    names = [name for name, _ in digest.columns]
    order = [clause.c.id] if "id" in names else list(clause.c)
    # JSON as stored text: drivers would turn SQL NULL and JSON null into the same None.
    picked = [
        cast(c, Text).label(c.name) if k == "json" else c
        for c, (_, k) in zip(clause.c, digest.columns, strict=True)
    ]
    streamed = connection.execution_options(stream_results=True, yield_per=1000)
    for row in streamed.execute(select(*picked).order_by(*order)):
        values = row._mapping
        yield canonical_line({n: encode(k, values[n]) for n, k in digest.columns})


def measure(connection: Connection, digest: TableDigest) -> TableDigest:
    """Count and hash the table as the database holds it now."""
    sha = hashlib.sha256()
    count = 0
    for line in canonical_rows(connection, digest):
        sha.update(line)
        count += 1
    return TableDigest(digest.name, digest.columns, count, sha.hexdigest())
