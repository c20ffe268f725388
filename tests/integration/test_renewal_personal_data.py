"""Renewal questions and the person's rights (APPI), on SQLite and PostgreSQL: the export holds
the questions asked of the ALT and their answers with the reason; deleting the account deletes
them, reason and all."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select
from tests.personal_data_world import EMAIL, PersonWorld, build_person_world

from altmatch.clock import today_in_japan
from altmatch.db import Sessions
from altmatch.db.models import RenewalAsk, RosterAlt
from altmatch.rulebook.vocabulary import RenewalIntention
from altmatch.services.dispatch.renewal_asks import RenewalAnswerIn, answer_renewal, my_renewal
from altmatch.services.personal_data import delete_my_account, export_my_data

pytestmark = pytest.mark.date_sensitive

REASON = "Emily Carter wants to be closer to her family in Osaka."


@pytest.fixture
def world(sessions: Sessions) -> PersonWorld:
    """Emily's contract ends in 200 days; she answered that she is leaving, with a reason."""
    built = build_person_world(sessions)
    today = today_in_japan()
    with sessions.begin() as session:
        alt = session.get_one(RosterAlt, built.roster_id)
        alt.contract_end = today + dt.timedelta(days=200)
    mine = my_renewal(sessions, built.emily)
    body = RenewalAnswerIn(intention=RenewalIntention.LEAVING, reason=REASON, version=mine.version)
    answer_renewal(sessions, built.emily, body, today=today)
    return built


def test_the_export_holds_the_questions_and_answers(sessions: Sessions, world: PersonWorld) -> None:
    data = export_my_data(sessions, world.emily)
    (entry,) = data["roster_entries"]
    (ask,) = entry["renewal_asks"]
    assert (ask["answer"], ask["reason"]) == ("leaving", REASON)
    section = next(s for s in data["index"]["sections"] if s["name"] == "roster_entries")
    assert "renewal_asks" in section["sources"]


def test_deleting_the_account_deletes_the_questions_and_answers(
    sessions: Sessions, world: PersonWorld
) -> None:
    out = delete_my_account(sessions, world.emily, confirm_email=EMAIL)
    assert out.deleted["renewal_ask"] == 1
    with sessions() as session:
        assert session.scalars(select(RenewalAsk)).all() == []
    assert "Osaka" not in json.dumps(out.model_dump())
