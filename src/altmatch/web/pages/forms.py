"""A refused form, the one way every page shows it.

`FormErrors` holds a form's errors in the reader's language: each with the input it is about
(or none, for the form as a whole). It is built from a pydantic ValidationError (through the
catalog messages of services.kernel.validation, never pydantic's English) or from a RuleError,
and templates/_field.html renders it: `error_summary` at the top of the form, each message
linked to its field, and the field macros show the message beside the input with
`aria-invalid` and `aria-describedby`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from pydantic import ValidationError
from pydantic_core import ErrorDetails
from starlette.datastructures import FormData

from altmatch.i18n import Message, render
from altmatch.services.kernel.errors import RuleError, StaleError
from altmatch.services.kernel.validation import Location, validation_messages


async def posted_form(request: Request) -> FormData:
    """The posted form, read on the event loop before the route runs. A route taking it
    (`form: PostedForm`) is a plain `def`, which FastAPI runs in the thread pool, so its
    database and CPU work never holds up the other requests."""
    return await request.form()


PostedForm = Annotated[FormData, Depends(posted_form)]


@dataclass(frozen=True)
class FieldError:
    field: str | None  # the input's name (`school_levels`, `priorities.pay`); None: the form
    message: str  # in the reader's language


def field_name(loc: Location | str | None) -> str | None:
    """The form input an error location is about: `("body", "subject")` → `subject`; an item
    of a list is its list (`("school_levels", 0)` → `school_levels`); empty → None."""
    parts = loc.split(".") if isinstance(loc, str) else list(loc or ())
    if parts[:1] == ["body"]:
        parts = parts[1:]
    named: list[str] = []
    for part in parts:
        if isinstance(part, int) or str(part).isdigit():
            break
        named.append(str(part))
    return ".".join(named) or None


@dataclass(frozen=True)
class FormErrors:
    """A form's errors in order, and the status to answer with (422; 409 for a stale record).
    Falsy when there is none, so `{% if errors %}` and `errors.get(name)` read as before."""

    entries: tuple[FieldError, ...] = ()
    status_code: int = 422

    @classmethod
    def of(
        cls,
        message: Message | str,
        locale: str,
        field: str | None = None,
        *,
        status_code: int = 422,
    ) -> FormErrors:
        """One error the page finds itself (a catalog message, or a msgid)."""
        return cls((FieldError(field, render(message, locale)),), status_code)

    @classmethod
    def from_validation(
        cls, exc: ValidationError | Iterable[ErrorDetails], locale: str
    ) -> FormErrors:
        """Pydantic's errors (a ValidationError, or FastAPI's list of them) in catalog words."""
        return cls(
            tuple(
                FieldError(field_name(loc), render(message, locale))
                for loc, message in validation_messages(exc)
            )
        )

    @classmethod
    def from_rule(
        cls, exc: RuleError, locale: str, *, status_code: int | None = None
    ) -> FormErrors:
        """A refusal, on the field it names (409 when the record is stale, else 422)."""
        status = status_code or (409 if isinstance(exc, StaleError) else 422)
        return cls((FieldError(field_name(exc.field), render(exc.message, locale)),), status)

    @classmethod
    def from_error(cls, exc: ValidationError | RuleError, locale: str) -> FormErrors:
        if isinstance(exc, ValidationError):
            return cls.from_validation(exc, locale)
        return cls.from_rule(exc, locale)

    def __bool__(self) -> bool:
        return bool(self.entries)

    def get(self, name: str) -> str | None:
        """The message(s) about input `name`, or None."""
        found = [item.message for item in self.entries if item.field == name]
        return " ".join(found) if found else None

    def __contains__(self, name: object) -> bool:
        return any(item.field == name for item in self.entries)

    @property
    def messages(self) -> list[str]:
        return [item.message for item in self.entries]
