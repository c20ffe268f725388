"""Id parameters shared by the pages and the API.

Columns are 32-bit integers on PostgreSQL, so an id above `MAX_DB_INT` (or below 1) names no
row: it is refused as input (422, naming the parameter; a page gets the refusal page) before a
route runs, instead of failing in the database driver (a 500).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

from altmatch.services.kernel.bounds import MAX_DB_INT

# An id in a path.
Id = Annotated[int, Path(ge=1, le=MAX_DB_INT, description="A database id.")]
# An optional id in a query string (`?edit=3`).
QueryId = Annotated[int | None, Query(ge=1, le=MAX_DB_INT, description="A database id.")]
