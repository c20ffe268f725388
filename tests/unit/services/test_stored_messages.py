"""A notice's message survives its JSON column with its parameters' types: a date is written
the reader's way when the notice is read, and a nested message is translated too."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from altmatch.i18n import Message, render
from altmatch.services.notifications import restored_message, stored_message


def test_dates_times_and_nested_messages_round_trip_through_json() -> None:
    message = Message(
        "A transfer is now in effect, from {date}: {moves}.",
        {
            "date": date(2027, 4, 1),
            "moves": Message("Placed"),
            "at": datetime(2027, 4, 1, 0, 30, tzinfo=UTC),
            "count": 3,
        },
    )
    stored = json.loads(json.dumps(stored_message(message)))  # what the database keeps
    back = restored_message(stored)
    assert back == message
    assert render(back, "ja") == "2027年4月1日付けで異動が発効しました：配置決定。"
    assert render(back, "en") == "A transfer is now in effect, from 1 Apr 2027: Placed."


def test_notices_stored_before_typed_parameters_still_read() -> None:
    old = {"msgid": "Support case #{case_id} was reopened.", "params": {"case_id": 7}}
    assert render(restored_message(old), "en") == "Support case #7 was reopened."


@pytest.mark.parametrize("stored", [{"params": {}}, {"msgid": "x", "params": []}])
def test_a_malformed_notice_is_refused(stored: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        restored_message(stored)
