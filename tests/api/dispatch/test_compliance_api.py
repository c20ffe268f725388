"""The compliance page and its JSON twin: the same alerts grouped by when they are due, in both
languages; acknowledging from the page or the API (again: no change; another company's ALT:
404); the roster page's compliance dates; company staff only."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

import pytest
from fastapi.testclient import TestClient
from tests.api.helpers import PASSWORD, SAME_ORIGIN, MakeAccount, sign_in
from time_machine import TimeMachineFixture

from altmatch.clock import JAPAN
from altmatch.db import Sessions
from altmatch.db.models import (
    ContractPosition,
    DispatchContract,
    RosterAlt,
    RosterAssignment,
    School,
)
from altmatch.domain.access import OPERATOR, OrgKind, Role
from altmatch.services.accounts.users import create_organisation, create_user

pytestmark = pytest.mark.date_sensitive

TODAY = dt.date(2026, 12, 6)
API = "/api/v1/dispatch/compliance"
ACK = "/api/v1/dispatch/compliance/acknowledgements"


def _alt(company: int, ext: str, name: str, **dates: dt.date) -> RosterAlt:
    return RosterAlt(
        company_id=company,
        external_id=ext,
        name=name,
        home_prefecture="Hyogo",
        home_municipality="Kobe",
        home_latitude=34.7,
        home_longitude=135.2,
        school_experience=[],
        driving_licence=False,
        jlpt="none",
        contract_end=dt.date(2027, 7, 31),
        **dates,
    )


@pytest.fixture
def alts(
    sessions: Sessions,
    tenants: Mapping[OrgKind, int],
    make_account: MakeAccount,
    clock: TimeMachineFixture,
) -> dict[str, int]:
    """On 2026-12-06 in Japan: A1 dispatched to Kobe City BoE from 2024-04-01 (three years
    reached 2027-04-01: later); A2's card expired 2026-11-30 (overdue); the rival company's R1
    has a card expiring 2026-12-20."""
    clock.move_to(dt.datetime(2026, 12, 6, 9, 0, tzinfo=JAPAN), tick=True)
    company, boe = tenants[OrgKind.COMPANY], tenants[OrgKind.BOE]
    rival = create_organisation(
        sessions, actor=OPERATOR, kind=OrgKind.COMPANY, name_en="Rival", name_ja="ライバル"
    )
    for role in (Role.COMPANY_STAFF, Role.BOE_STAFF, Role.ALT, Role.CANDIDATE):
        make_account(role, name="Naoko Kato")
    create_user(
        sessions,
        actor=OPERATOR,
        email="rival@example.org",
        display_name="Rita Rival",
        role=Role.COMPANY_STAFF,
        password=PASSWORD,
        organisation_id=rival.id,
    )
    with sessions.begin() as session:
        school = School(
            boe_id=boe,
            external_id="K1",
            name_en="Kobe East JHS",
            name_ja="神戸東中学校",
            level="junior_high",
            area="urban",
            municipality="Kobe",
        )
        contract = DispatchContract(
            company_id=company,
            boe_id=boe,
            reference="K-1",
            contract_type="worker_dispatch",
            start=dt.date(2024, 4, 1),
            end=dt.date(2028, 3, 31),
            price_per_alt_month=300_000,
        )
        session.add_all([school, contract])
        session.flush()
        position = ContractPosition(
            contract_id=contract.id, external_id="K1-P", school_id=school.id, days_per_week=5
        )
        rows = {
            "A1": _alt(company, "A1", "Amy Clark"),
            "A2": _alt(company, "A2", "Ben Davis", residence_card_expires_on=dt.date(2026, 11, 30)),
            "R1": _alt(
                rival.id, "R1", "Rex Rival", residence_card_expires_on=dt.date(2026, 12, 20)
            ),
        }
        session.add_all([position, *rows.values()])
        session.flush()
        session.add(
            RosterAssignment(
                alt_id=rows["A1"].id, position_id=position.id, start=dt.date(2024, 4, 1)
            )
        )
        return {ext: row.id for ext, row in rows.items()}


def _group(page: str, group: str) -> str:
    """The HTML of one group's section."""
    found = re.search(rf'<section id="{group}">(.*?)</section>', page, re.S)
    assert found, group
    return found.group(1)


def test_the_page_and_its_twin_show_the_same_alerts_grouped_by_due_date(
    client: TestClient, alts: dict[str, int]
) -> None:
    sign_in(client, "company_staff@example.org")
    data = client.get(API).json()
    assert data["today"] == TODAY.isoformat()
    assert [(a["external_id"], a["rule"], a["due_on"], a["status"]) for a in data["alerts"]] == [
        ("A2", "residence_card_expiry", "2026-11-30", "overdue"),
        ("A1", "dispatch_three_year_unit", "2027-04-01", "later"),
    ]
    assert (data["to_do"], data["overdue"]) == (2, 1)

    page = client.get("/dispatch/compliance").text
    assert 'href="/api/v1/dispatch/compliance"' in page
    assert 'id="nav-compliance"' in page and 'aria-current="page"' in page
    overdue, later = _group(page, "group-overdue"), _group(page, "group-later")
    assert "Ben Davis (A2)" in overdue and "Amy Clark (A1)" not in overdue
    assert "Amy Clark (A1)" in later and "1 Apr 2027" in later and "Kobe City BoE" in later
    assert "Due soon (0)" in page and 'action="/dispatch/compliance/acknowledgements"' in page
    assert "Rex Rival" not in page


def test_the_page_in_japanese(client: TestClient, alts: dict[str, int]) -> None:
    sign_in(client, "company_staff@example.org")
    page = client.get("/dispatch/compliance?lang=ja").text
    later = _group(page, "group-later")
    assert "派遣の個人単位の期間制限（3年）" in later and "神戸市教育委員会" in later
    assert "2027年4月1日" in later
    assert "在留カード・在留期間の満了" in _group(page, "group-overdue")
    data = client.get(API, headers={"Accept-Language": "ja"}).json()
    assert data["alerts"][0]["rule_name"] == "在留カード・在留期間の満了"


def test_acknowledging_through_the_api_is_idempotent_and_404_for_another_company(
    client: TestClient, alts: dict[str, int]
) -> None:
    body = {"alt_id": alts["A2"], "rule": "residence_card_expiry", "due_on": "2026-11-30"}
    sign_in(client, "rival@example.org")
    assert client.post(ACK, json=body, headers=SAME_ORIGIN).status_code == 404

    sign_in(client, "company_staff@example.org")
    first = client.post(ACK, json={**body, "note": "Applied on 28 Nov."}, headers=SAME_ORIGIN)
    assert first.status_code == 200, first.text
    ack = first.json()["acknowledged"]
    assert ack["by"] == "Naoko Kato" and ack["note"] == "Applied on 28 Nov."
    again = client.post(ACK, json={**body, "note": "again"}, headers=SAME_ORIGIN)
    assert again.status_code == 200 and again.json()["acknowledged"] == ack
    wrong = client.post(ACK, json={**body, "due_on": "2026-12-01"}, headers=SAME_ORIGIN)
    assert wrong.status_code == 422
    assert client.get(API).json()["to_do"] == 1


def test_acknowledging_from_the_page_says_who_did_it_and_when(
    client: TestClient, alts: dict[str, int]
) -> None:
    sign_in(client, "company_staff@example.org")
    form = {"alt_id": str(alts["A2"]), "rule": "residence_card_expiry", "due_on": "2026-11-30"}
    done = client.post(
        "/dispatch/compliance/acknowledgements",
        data={**form, "note": "Renewal applied for."},
        headers=SAME_ORIGIN,
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"].startswith("/dispatch/compliance")
    page = client.get("/dispatch/compliance").text
    acknowledged = _group(page, "acknowledged")
    assert "Ben Davis (A2)" in acknowledged and "Acknowledged by Naoko Kato on" in acknowledged
    assert "Renewal applied for." in acknowledged
    assert "Ben Davis" not in _group(page, "group-overdue")

    refused = client.post(
        "/dispatch/compliance/acknowledgements",
        data={**form, "due_on": "not a date"},
        headers=SAME_ORIGIN,
    )
    assert refused.status_code == 422 and 'class="error-summary"' in refused.text
    assert client.post("/dispatch/compliance/acknowledgements", data=form).status_code == 403


@pytest.mark.parametrize("who", ["boe_staff", "alt", "candidate"])
def test_everyone_but_company_staff_is_refused(
    client: TestClient, alts: dict[str, int], who: str
) -> None:
    sign_in(client, f"{who}@example.org")
    assert client.get(API).status_code == 403
    assert client.get("/dispatch/compliance").status_code == 403
    body = {"alt_id": alts["A2"], "rule": "residence_card_expiry", "due_on": "2026-11-30"}
    assert client.post(ACK, json=body, headers=SAME_ORIGIN).status_code == 403


def test_the_roster_page_records_the_compliance_dates(
    client: TestClient, alts: dict[str, int]
) -> None:
    sign_in(client, "company_staff@example.org")
    alt = client.get(f"/api/v1/dispatch/roster/{alts['A1']}").json()
    assert (alt["employed_since"], alt["residence_card_expires_on"]) == (None, None)
    page = client.get(f"/dispatch/roster/{alts['A1']}").text
    assert 'id="compliance-dates-form"' in page and 'href="/dispatch/compliance"' in page
    saved = client.post(
        f"/dispatch/roster/{alts['A1']}/compliance-dates",
        data={
            "version": str(alt["version"]),
            "employed_since": "2022-04-01",
            "residence_card_expires_on": "2027-02-01",
        },
        headers=SAME_ORIGIN,
        follow_redirects=False,
    )
    assert saved.status_code == 303
    alt = client.get(f"/api/v1/dispatch/roster/{alts['A1']}").json()
    assert (alt["employed_since"], alt["residence_card_expires_on"]) == ("2022-04-01", "2027-02-01")
    rules = {(a["external_id"], a["rule"]) for a in client.get(API).json()["alerts"]}
    assert ("A1", "residence_card_expiry") in rules  # shown from 2026-11-03
    stale = client.post(
        f"/api/v1/dispatch/roster/{alts['A1']}/compliance-dates",
        json={"employed_since": None, "version": alt["version"] - 1},
        headers=SAME_ORIGIN,
    )
    assert stale.status_code == 409
    late = client.post(
        f"/api/v1/dispatch/roster/{alts['A1']}/compliance-dates",
        json={"employed_since": "2028-01-01", "version": alt["version"]},
        headers=SAME_ORIGIN,
    )
    assert late.status_code == 422
