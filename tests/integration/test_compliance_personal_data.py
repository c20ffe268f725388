"""The compliance watch and the person's rights (APPI), on SQLite and PostgreSQL: the export holds
the roster's compliance dates and the company's acknowledgements about the person; deleting the
account clears those dates and deletes those acknowledgements, notes and all."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select
from tests.personal_data_world import EMAIL, PersonWorld, build_person_world

from altmatch.clock import today_in_japan
from altmatch.db import Sessions
from altmatch.db.models import ComplianceAcknowledgement, RosterAlt
from altmatch.domain.compliance import ComplianceRule
from altmatch.services.dispatch.compliance import AcknowledgeIn, acknowledge_alert
from altmatch.services.dispatch.roster import (
    ComplianceDatesEdit,
    get_roster_alt,
    set_compliance_dates,
)
from altmatch.services.personal_data import delete_my_account, export_my_data

pytestmark = pytest.mark.date_sensitive

NOTE = "Emily Carter showed her new card application receipt."


@pytest.fixture
def world(sessions: Sessions) -> PersonWorld:
    """Emily's roster entry records her first contract and a residence card expiring in ten
    days, and the company acknowledged that alert with a note naming her."""
    built = build_person_world(sessions)
    today = today_in_japan()
    expiry = today + dt.timedelta(days=10)
    alt = get_roster_alt(sessions, built.handler, built.roster_id)
    edit = ComplianceDatesEdit(
        employed_since=min(alt.contract_end, dt.date(2023, 4, 1)),
        residence_card_expires_on=expiry,
        version=alt.version,
    )
    set_compliance_dates(sessions, built.handler, built.roster_id, edit)
    body = AcknowledgeIn(
        alt_id=built.roster_id,
        rule=ComplianceRule.RESIDENCE_CARD_EXPIRY,
        due_on=expiry,
        note=NOTE,
    )
    acknowledge_alert(sessions, built.handler, body, today=today)
    return built


def test_the_export_holds_the_dates_and_the_acknowledgements(
    sessions: Sessions, world: PersonWorld
) -> None:
    data = export_my_data(sessions, world.emily)
    (entry,) = data["roster_entries"]
    assert (
        entry["residence_card_expires_on"] == (today_in_japan() + dt.timedelta(days=10)).isoformat()
    )
    assert entry["employed_since"] is not None
    (ack,) = entry["compliance_acknowledgements"]
    assert ack["rule"] == "residence_card_expiry" and ack["note"] == NOTE
    section = next(s for s in data["index"]["sections"] if s["name"] == "roster_entries")
    assert "compliance_acknowledgements" in section["sources"]


def test_deleting_the_account_clears_the_dates_and_the_acknowledgements(
    sessions: Sessions, world: PersonWorld
) -> None:
    out = delete_my_account(sessions, world.emily, confirm_email=EMAIL)
    assert out.deleted["compliance_acknowledgement"] == 1
    with sessions() as session:
        alt = session.get_one(RosterAlt, world.roster_id)
        assert (alt.employed_since, alt.residence_card_expires_on) == (None, None)
        assert session.scalars(select(ComplianceAcknowledgement)).all() == []
    assert "Carter" not in json.dumps(out.model_dump())
