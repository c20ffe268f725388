"""The error answers every API operation may give, declared once for the OpenAPI document.

web/errors.py turns refusals into these; declaring them lets clients (and the schema fuzzer,
tests/api/test_schema_fuzz.py) rely on every status code and body the API really sends.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel

from altmatch.i18n import render
from altmatch.services.kernel.validation import error_message


class ErrorOut(BaseModel):
    """A refusal in one sentence, in the reader's language."""

    detail: str


class FieldErrorOut(BaseModel):
    """One rejected input: where it is (`["body", "email"]`), what is wrong, and its kind."""

    loc: list[str | int]
    msg: str
    type: str


class ValidationErrorOut(BaseModel):
    """Input the API refuses (422): one entry per field at fault."""

    detail: list[FieldErrorOut]


def field_errors(errors: Sequence[Mapping[str, Any]], locale: str = "en") -> list[dict[str, Any]]:
    """Validation errors as `FieldErrorOut`: where, what and which kind, and nothing else.

    `msg` is the catalog sentence in `locale` (services.kernel.validation), never pydantic's
    English; `type` stays pydantic's, for machines. Pydantic's `input` (the whole value refused,
    maybe megabytes, maybe a password) and `ctx` are dropped, so a refusal never echoes what
    was sent."""
    return [
        FieldErrorOut(
            loc=[part if isinstance(part, int) else str(part) for part in error.get("loc", ())],
            msg=render(error_message(error, echo_input=False), locale),
            type=str(error.get("type", "")),
        ).model_dump()
        for error in errors
    ]


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "The body is not valid JSON or form data."},
    401: {"model": ErrorOut, "description": "Sign in first (or the sign-in was refused)."},
    403: {"model": ErrorOut, "description": "You may not do this (or the request is cross-site)."},
    404: {"model": ErrorOut, "description": "Not found, or not yours to see."},
    409: {"model": ErrorOut, "description": "Changed meanwhile, past its deadline, or final."},
    413: {"model": ErrorOut, "description": "The body is larger than this operation accepts."},
    422: {"model": ValidationErrorOut, "description": "Input refused; each field at fault named."},
    429: {"model": ErrorOut, "description": "Too many attempts; retry after Retry-After seconds."},
}
