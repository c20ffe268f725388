"""Bounds on input integers that reach a database column.

Columns are 32-bit integers on PostgreSQL (SQLite takes 64 bits). A larger number in a request
would fail in the driver (a 500); bounded here, it is refused as input (422, field named).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

MAX_DB_INT = 2**31 - 1

RowId = Annotated[int, Field(ge=1, le=MAX_DB_INT)]
