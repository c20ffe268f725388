"""Id parameters shared by the API routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

from altmatch.services.kernel.bounds import MAX_DB_INT, RowId

# An id in a path: above the largest a row can have (32-bit on PostgreSQL) it is refused as
# input (422) instead of failing in the database driver (500).
Id = Annotated[int, Path(ge=1, le=MAX_DB_INT, description="A database id.")]
# The same bound for an id in a request body.
BodyId = RowId
