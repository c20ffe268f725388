"""Id parameters shared by the API routes (the same bounds as the pages: web.params)."""

from __future__ import annotations

from altmatch.services.kernel.bounds import RowId
from altmatch.web.params import Id

__all__ = ["BodyId", "Id"]

# The same bound for an id in a request body.
BodyId = RowId
