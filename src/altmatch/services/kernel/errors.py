"""The one family of refusals every service raises, mapped to HTTP by web/errors.py."""

from __future__ import annotations

from altmatch.i18n import N_, Message


class RuleError(Exception):
    """A business rule refuses the request (answered 422), naming the field at fault if any.

    `message` is translated when rendered; `field` is the input name (or row/column) at fault.
    """

    def __init__(self, message: Message, field: str | None = None) -> None:
        super().__init__(message.template)
        self.message = message
        self.field = field


class StaleError(RuleError):
    """The record changed since the client read it (a stale version), or is locked (a passed
    deadline, a published run): answered 409, so a client reloads instead of overwriting."""


def stale_record() -> StaleError:
    return StaleError(
        Message(N_("Someone else changed this in the meantime. Reload it and try again.")),
        "version",
    )
