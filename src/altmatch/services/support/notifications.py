"""Notices about support cases: stored for the in-app list, and e-mailed when SMTP is set.

`notify` is called inside the caller's transaction, so a notice exists exactly when the change
that caused it does. The message is a catalog msgid with its parameters, rendered in the
reader's language when shown or sent.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from altmatch.db.models import Notification
from altmatch.i18n import Message


def notify(
    session: Session,
    user_ids: Iterable[int],
    *,
    kind: str,
    message: Message,
    case_id: int | None = None,
) -> list[Notification]:
    """Store one notice per user (each user once), in the caller's transaction."""
    rows = [
        Notification(
            user_id=user_id,
            case_id=case_id,
            kind=kind,
            message={"msgid": message.template, "params": dict(message.params)},
        )
        for user_id in dict.fromkeys(user_ids)
    ]
    session.add_all(rows)
    return rows
