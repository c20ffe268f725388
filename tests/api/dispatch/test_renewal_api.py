"""The dispatch ALT's renewal page and its JSON twin: the question, the answer (form and API,
409 on a stale version, errors beside the field), and the company seeing the answer; refusals
for anyone else. On the coverage world: Cai's contract ends 31 Mar 2027 (deadline 31 Dec 2026)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.api.helpers import SAME_ORIGIN, MakeAccount, sign_in
from tests.dispatch_coverage_world import TODAY, CoverageWorld, build_coverage_world
from time_machine import TimeMachineFixture

from altmatch.clock import JAPAN
from altmatch.db import Sessions
from altmatch.db.models import RosterAlt, User
from altmatch.domain.access import OrgKind, Role

pytestmark = pytest.mark.date_sensitive

API = "/api/v1/me/renewal"


@pytest.fixture
def world(
    sessions: Sessions,
    tenants: Mapping[OrgKind, int],
    make_account: MakeAccount,
    clock: TimeMachineFixture,
) -> CoverageWorld:
    clock.move_to(dt.datetime(2026, 12, 2, 9, 0, tzinfo=JAPAN), tick=True)
    world = build_coverage_world(
        sessions, company=tenants[OrgKind.COMPANY], kobe=tenants[OrgKind.BOE]
    )
    for role in (Role.COMPANY_STAFF, Role.BOE_STAFF, Role.ALT, Role.CANDIDATE):
        make_account(role)
    make_account(Role.ALT, email="jet@example.org")
    with sessions.begin() as session:
        uid = session.scalars(select(User.id).where(User.email == "alt@example.org")).one()
        cai = session.get(RosterAlt, world.alts["cai"])
        assert cai is not None
        cai.user_id = uid
    return world


def test_the_alt_sees_the_question_and_answers_on_the_page(
    client: TestClient, world: CoverageWorld
) -> None:
    sign_in(client, "alt@example.org")
    data = client.get(API).json()
    assert (data["contract_end"], data["deadline"], data["answer"]) == (
        "2027-03-31",
        "2026-12-31",
        None,
    )
    assert "renewal" not in {s["key"] for s in client.get("/api/v1/home").json()["steps"]}
    page = client.get("/my/renewal").text
    assert 'href="/api/v1/me/renewal"' in page and 'id="nav-my-renewal"' in page
    assert "31 Dec 2026" in page and 'id="renewal-form"' in page
    refused = client.post(
        "/my/renewal", data={"version": str(data["version"])}, headers=SAME_ORIGIN
    )
    assert refused.status_code == 422 and 'class="error-summary"' in refused.text
    assert 'id="e-intention"' in refused.text
    sent = client.post(
        "/my/renewal",
        data={"version": str(data["version"]), "intention": "leaving", "reason": "Family."},
        headers=SAME_ORIGIN,
        follow_redirects=False,
    )
    assert sent.status_code == 303
    after = client.get(API).json()
    assert (after["answer"], after["reason"], after["renewal_intention"]) == (
        "leaving",
        "Family.",
        "leaving",
    )
    stale = client.post(
        API, json={"intention": "renewing", "version": data["version"]}, headers=SAME_ORIGIN
    )
    assert stale.status_code == 409
    ja = client.get("/my/renewal?lang=ja").text
    assert "2026年12月31日" in ja and "回答を変更する" in ja

    steps = {s["key"]: s for s in client.get("/api/v1/home?lang=en").json()["steps"]}
    assert (steps["renewal"]["status"], steps["renewal"]["href"]) == ("done", "/my/renewal")
    assert steps["renewal"]["detail"] == "You answered: Leaving."

    sign_in(client, "company_staff@example.org")
    home = {s["key"]: s for s in client.get("/api/v1/home").json()["steps"]}
    assert home["contract_health"]["href"] == "/dispatch/contract-health"
    assert home["contract_health"]["status"] == "todo"  # K-1 is at risk
    company = client.get(f"/api/v1/dispatch/retention?today={TODAY.isoformat()}").json()
    cai = next(i for i in company["intentions"] if i["external_id"] == "A-cai")
    assert (cai["state"], cai["answer"], cai["reason"]) == ("answered", "leaving", "Family.")
    page = client.get(f"/dispatch/retention?today={TODAY.isoformat()}").text
    assert 'data-alt="A-cai" data-state="answered"' in page


def test_an_alt_not_on_a_roster_is_told_so_and_others_are_refused(
    client: TestClient, world: CoverageWorld
) -> None:
    sign_in(client, "jet@example.org")
    assert client.get(API).status_code == 404
    page = client.get("/my/renewal")
    assert page.status_code == 200 and 'id="not-on-roster"' in page.text
    body = {"intention": "leaving", "version": 1}
    assert client.post(API, json=body, headers=SAME_ORIGIN).status_code == 404
    for who in ("company_staff", "boe_staff", "candidate"):
        sign_in(client, f"{who}@example.org")
        assert client.get(API).status_code == 403
        assert client.get("/my/renewal").status_code == 403
        assert client.post(API, json=body, headers=SAME_ORIGIN).status_code == 403
