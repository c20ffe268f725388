"""Spreadsheet downloads and uploads: their media types and how the OpenAPI document shows them."""

from __future__ import annotations

from typing import Any

from fastapi import Response
from fastapi.responses import JSONResponse

from altmatch.io.export import Format
from altmatch.services.kernel.imports import ImportOut
from altmatch.web.api.errors import ValidationErrorOut

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEDIA: dict[Format, str] = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX}

# An export's 200 is a file, never JSON: documented so clients know what `format` gives them.
# Use with `response_class=Response`, which keeps FastAPI from documenting application/json.
FILE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The file, as an attachment (csv: UTF-8 with BOM).",
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            XLSX: {"schema": {"type": "string", "format": "binary"}},
        },
    }
}

# An import refused with commit=true answers 422 with the same report as a preview (every row
# and column at fault); a malformed form (no file) gets the usual validation error.
IMPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    422: {
        "model": ImportOut | ValidationErrorOut,
        "description": "Nothing stored: the report names each row and column at fault.",
    }
}


def attachment(content: bytes, filename: str, fmt: Format) -> Response:
    """A download of `content` named `filename`."""
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(content, media_type=MEDIA[fmt], headers=headers)


def import_response(result: ImportOut, commit: bool) -> JSONResponse:
    """An import's report: 200, or 422 when a commit was asked for and refused (nothing stored)."""
    status = 422 if commit and not result.committed else 200
    return JSONResponse(result.model_dump(mode="json"), status_code=status)
