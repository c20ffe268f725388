"""E-mail per preference (issue 17, item 9), through a real SMTP server on SQLite and
PostgreSQL: a group the reader chose in-app only is not e-mailed but stays in the app, and is
never looked at again; security notices are e-mailed whatever the choice; a notice's link is
in its e-mail."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from tests.smtp_sink import Sink, running_sink

from altmatch.config import Settings
from altmatch.db import Sessions
from altmatch.db.models import Notification
from altmatch.domain.access import OPERATOR, Role
from altmatch.i18n import Message
from altmatch.services.accounts.authentication import act_as
from altmatch.services.accounts.users import create_user
from altmatch.services.notifications import list_notices, notify, set_email_preferences
from altmatch.services.season.notices import LOCKED, PLACED
from altmatch.services.support.email import send_pending_emails

pytestmark = pytest.mark.date_sensitive

NOW = datetime(2026, 12, 10, 3, 0, tzinfo=UTC)
REPLY = "Your support case #{case_id} has a reply."


@pytest.fixture
def sink() -> Iterator[tuple[Sink, int]]:
    with running_sink() as running:
        yield running


def _smtp(settings: Settings, port: int) -> Settings:
    return settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": port})


def _user(sessions: Sessions, email: str) -> int:
    return create_user(
        sessions,
        actor=OPERATOR,
        email=email,
        display_name=email,
        role=Role.CANDIDATE,
        password=None,
    ).id


def _send(sessions: Sessions, user: int, kind: str, message: Message, link: str | None) -> int:
    with sessions.begin() as session:
        [row] = notify(session, [user], kind=kind, message=message, link=link)
        session.flush()
        return row.id


def test_preferences_stop_the_email_but_keep_the_notice_in_the_app(
    sessions: Sessions, settings: Settings, sink: tuple[Sink, int]
) -> None:
    handler, port = sink
    quiet, default = _user(sessions, "quiet@example.org"), _user(sessions, "default@example.org")
    quiet_actor = act_as(sessions, OPERATOR, "quiet@example.org")
    set_email_preferences(sessions, quiet_actor, ["support"])  # season, transfers, account: off
    link = "/seasons/3/application"
    season_quiet = _send(
        sessions, quiet, "outcome_published", Message(PLACED, {"year": 2027}), link
    )
    case_quiet = _send(sessions, quiet, "case_update", Message(REPLY, {"case_id": 4}), None)
    security = _send(sessions, quiet, "two_factor_reset", Message(REPLY, {"case_id": 5}), None)
    season_default = _send(
        sessions, default, "outcome_published", Message(PLACED, {"year": 2027}), link
    )

    run = send_pending_emails(sessions, _smtp(settings, port), now=NOW)

    assert run.sent == 3 and not run.failed
    subjects = sorted((str(m["To"]), " ".join(str(m["Subject"]).split())) for m in handler.received)
    assert subjects == [
        (
            "default@example.org",
            "altmatch: The 2027 season's outcome is published: you have a placement.",
        ),
        ("quiet@example.org", "altmatch: Your support case #4 has a reply."),
        ("quiet@example.org", "altmatch: Your support case #5 has a reply."),  # security: always
    ]
    [to_default] = [m for m in handler.received if m["To"] == "default@example.org"]
    body = to_default.get_body(("plain",))
    assert body is not None and link in body.get_content()
    with sessions() as session:
        rows = {n.id: n for n in session.scalars(select(Notification))}
    assert rows[season_quiet].emailed_at is None and rows[season_quiet].email_skipped_at == NOW
    assert rows[case_quiet].emailed_at == NOW and rows[security].emailed_at == NOW
    assert rows[season_default].emailed_at == NOW
    # Still in the app, unread.
    listed = list_notices(sessions, quiet_actor)
    assert season_quiet in {n.id for n in listed.notifications} and listed.unread == 3

    # Turning e-mail back on does not send the skipped notice late; new ones go.
    set_email_preferences(sessions, quiet_actor, ["season", "support"])
    assert send_pending_emails(sessions, _smtp(settings, port), now=NOW).sent == 0
    _send(
        sessions, quiet, "requests_locked", Message(LOCKED, {"year": 2027}), "/seasons/3/requests"
    )
    assert send_pending_emails(sessions, _smtp(settings, port), now=NOW).sent == 1
    assert len(handler.received) == 4
