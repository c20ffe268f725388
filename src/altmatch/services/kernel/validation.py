"""Pydantic's refusals as catalog messages: no English-only pydantic text reaches a reader.

Each error of a ValidationError becomes its location and a `Message`: a known error type gets
its catalog sentence, filled with the limit pydantic names (at least 0, at most 200 characters,
the allowed values); any other type gets a general sentence instead of pydantic's own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from altmatch.i18n import N_, Message

Location = tuple[int | str, ...]

_DATE = N_("enter a date as YYYY-MM-DD")
_DATETIME = N_("enter a date and time as YYYY-MM-DDTHH:MM")
_WHOLE_NUMBER = N_("enter a whole number")
_NUMBER = N_("enter a number")
_MAPPING = N_("expected a mapping of fields")

TEMPLATES: Mapping[str, str] = {
    "missing": N_("this field is required"),
    "enum": N_("choose one of: {allowed}"),
    "literal_error": N_("choose one of: {allowed}"),
    "extra_forbidden": N_("unknown field; allowed fields: {allowed}"),
    "int_parsing": _WHOLE_NUMBER,
    "int_type": _WHOLE_NUMBER,
    "int_from_float": _WHOLE_NUMBER,
    "int_parsing_size": _WHOLE_NUMBER,
    "float_parsing": _NUMBER,
    "float_type": _NUMBER,
    "finite_number": _NUMBER,
    "decimal_parsing": _NUMBER,
    "decimal_type": _NUMBER,
    "greater_than_equal": N_("must be at least {ge}"),
    "greater_than": N_("must be more than {gt}"),
    "less_than_equal": N_("must be at most {le}"),
    "less_than": N_("must be less than {lt}"),
    "string_type": N_("enter text"),
    "string_too_short": N_("enter at least {min_length} characters"),
    "string_too_long": N_("enter at most {max_length} characters"),
    "string_pattern_mismatch": N_("this is not in the expected form"),
    "too_short": N_("choose at least {min_length}"),
    "too_long": N_("choose at most {max_length}"),
    "list_type": N_("expected a list of values"),
    "set_type": N_("expected a list of values"),
    "tuple_type": N_("expected a list of values"),
    "date_parsing": _DATE,
    "date_type": _DATE,
    "date_from_datetime_parsing": _DATE,
    "date_from_datetime_inexact": _DATE,
    "datetime_parsing": _DATETIME,
    "datetime_type": _DATETIME,
    "datetime_from_date_parsing": _DATETIME,
    "bool_parsing": N_("enter true or false"),
    "bool_type": N_("enter true or false"),
    "model_type": _MAPPING,
    "model_attributes_type": _MAPPING,
    "dict_type": _MAPPING,
    # The advisor's profile (services.advice.profile_input) raises these itself.
    "country_code": N_("not a known country code (ISO 3166-1 alpha-2, for example GB, US, AU)"),
    "status_without_japan": N_("a status of residence applies only when you live in Japan"),
    "prefecture": N_("not a prefecture of Japan (for example Hyogo or 兵庫県)"),
    "jet_left_without_years": N_(
        "the year you left JET needs your years on JET (prior_jet_years) of 1 or more"
    ),
}
UNKNOWN_FIELD = N_("unknown field")
NOT_VALID = N_("this value is not valid")
# Errors about a chosen value repeat what was given, so a typo shows.
_ECHO_INPUT = frozenset({"enum", "literal_error", "country_code", "prefecture"})


def _param(value: object) -> object:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return value if isinstance(value, int) else f"{value:g}"


def error_message(
    error: ErrorDetails | Mapping[str, Any],
    allowed_fields: str | None = None,
    *,
    echo_input: bool = True,
) -> Message:
    """One pydantic error in catalog words; `allowed_fields` lists the fields an unknown one
    could have been (without it, the message only says the field is unknown). `echo_input=False`
    never repeats the value given (the JSON API answers without echoing what was sent)."""
    kind = error["type"]
    template = TEMPLATES.get(kind)
    if kind == "extra_forbidden" and allowed_fields is None:
        template = UNKNOWN_FIELD
    if template is None:
        return Message(NOT_VALID)
    ctx = dict(error.get("ctx") or {})
    params: dict[str, object] = {key: _param(value) for key, value in ctx.items()}
    if kind in ("enum", "literal_error"):
        params["allowed"] = str(ctx.get("expected", ""))
    if kind == "extra_forbidden":
        params["allowed"] = allowed_fields or ""
    message = Message(template, params)
    if echo_input and kind in _ECHO_INPUT and "input" in error:
        return Message(
            N_("{message} (you gave {value})"), {"message": message, "value": repr(error["input"])}
        )
    return message


def validation_messages(
    exc: ValidationError | Iterable[ErrorDetails],
    allowed_fields: Callable[[Location], str] | None = None,
) -> list[tuple[Location, Message]]:
    """Each error's location (empty for the whole input) and its message, in pydantic's order;
    `exc` is a ValidationError or its `errors()` (FastAPI's RequestValidationError gives those)."""
    out: list[tuple[Location, Message]] = []
    for error in exc.errors() if isinstance(exc, ValidationError) else exc:
        loc = tuple(error["loc"])
        allowed = allowed_fields(loc) if allowed_fields is not None else None
        out.append((loc, error_message(error, allowed)))
    return out
