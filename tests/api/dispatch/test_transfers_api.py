"""The transfer workflow over the API: request, propose, approve or decline, withdraw."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from tests.api.helpers import SAME_ORIGIN, MakeAccount, sign_in
from tests.dispatch_world import ON, DispatchWorld, build_dispatch_world

from altmatch.db import Sessions
from altmatch.db.models import RosterAssignment, TransferEvent
from altmatch.domain.access import OPERATOR, OrgKind, Role
from altmatch.services.accounts.users import create_user
from altmatch.services.dispatch.transfers import propose_transfer_moves

pytestmark = pytest.mark.date_sensitive

REQUEST = {"to_prefecture": "Osaka", "reasons": "My partner works in Osaka."}


@pytest.fixture
def world(sessions: Sessions, tenants: Mapping[OrgKind, int]) -> DispatchWorld:
    return build_dispatch_world(
        sessions, company_id=tenants[OrgKind.COMPANY], kobe_boe_id=tenants[OrgKind.BOE]
    )


def _request(client: TestClient, world: DispatchWorld) -> dict[str, object]:
    sign_in(client, world.alt_user_email)
    response = client.post("/api/v1/me/transfers", json=REQUEST, headers=SAME_ORIGIN)
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


def _open_rows(sessions: Sessions) -> set[tuple[int, int]]:
    with sessions() as session:
        rows = session.query(RosterAssignment).filter(RosterAssignment.end.is_(None))
        return {(r.alt_id, r.position_id) for r in rows}


def test_request_propose_approve_moves_the_alt_and_records_every_step(
    client: TestClient,
    sessions: Sessions,
    make_account: MakeAccount,
    world: DispatchWorld,
) -> None:
    made = _request(client, world)
    assert made["status"] == "requested" and made["current_position"] == "K1-P"
    sign_in(client, make_account(Role.COMPANY_STAFF))
    listing = client.get("/api/v1/dispatch/transfers").json()["transfers"]
    assert [t["id"] for t in listing] == [made["id"]]
    tid = made["id"]
    proposed = client.post(
        f"/api/v1/dispatch/transfers/{tid}/propose",
        json={"version": made["version"]},
        headers=SAME_ORIGIN,
    ).json()
    proposal = proposed["proposal"]
    assert proposal["feasible"] is True
    moves = {(m["alt"], m["from_position"], m["to_position"]) for m in proposal["moves"]}
    assert ("A1", "K1-P", "O2-P") in moves
    assert proposal["filled_after"] >= proposal["filled_before"]
    approved = client.post(
        f"/api/v1/dispatch/transfers/{tid}/approve",
        json={
            "version": proposed["version"],
            "note": "Good luck in Osaka",
            "effective_on": ON.isoformat(),
        },
        headers=SAME_ORIGIN,
    )
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved"
    assert (world.alts["A1"], world.positions["O2-P"]) in _open_rows(sessions)
    events = [e["action"] for e in approved.json()["events"]]
    assert events == ["requested", "proposed", "approved", "effective"]
    stale = client.post(
        f"/api/v1/dispatch/transfers/{tid}/decline",
        json={"version": proposed["version"]},
        headers=SAME_ORIGIN,
    )
    assert stale.status_code == 409
    sign_in(client, world.alt_user_email)
    mine = client.get("/api/v1/me/transfers").json()["transfers"]
    assert mine[0]["status"] == "approved" and mine[0]["decision_note"] == "Good luck in Osaka"


def test_decline_leaves_the_roster_and_withdraw_ends_a_request(
    client: TestClient,
    sessions: Sessions,
    make_account: MakeAccount,
    world: DispatchWorld,
) -> None:
    before = _open_rows(sessions)
    made = _request(client, world)
    sign_in(client, make_account(Role.COMPANY_STAFF))
    declined = client.post(
        f"/api/v1/dispatch/transfers/{made['id']}/decline",
        json={"version": made["version"], "note": "Not this year"},
        headers=SAME_ORIGIN,
    ).json()
    assert declined["status"] == "declined"
    assert _open_rows(sessions) == before
    again = _request(client, world)
    withdrawn = client.post(
        f"/api/v1/me/transfers/{again['id']}/withdraw",
        json={"version": again["version"]},
        headers=SAME_ORIGIN,
    ).json()
    assert withdrawn["status"] == "withdrawn"
    with sessions() as session:
        actions = [e.action for e in session.query(TransferEvent).order_by(TransferEvent.id)]
    assert actions == ["requested", "declined", "requested", "withdrawn"]


def test_other_companies_staff_get_404_and_boe_staff_403(
    client: TestClient,
    sessions: Sessions,
    make_account: MakeAccount,
    world: DispatchWorld,
) -> None:
    made = _request(client, world)
    other = build_dispatch_world(sessions, alt_email="other-alt@example.org")
    create_user(
        sessions,
        actor=OPERATOR,
        email="rival@example.org",
        display_name="Rival",
        role=Role.COMPANY_STAFF,
        password="correct horse battery",
        organisation_id=other.company_id,
    )
    sign_in(client, "rival@example.org")
    assert client.get(f"/api/v1/dispatch/transfers/{made['id']}").status_code == 404
    assert client.get("/api/v1/dispatch/transfers").json()["transfers"] == []
    sign_in(client, make_account(Role.BOE_STAFF))
    assert client.get(f"/api/v1/dispatch/transfers/{made['id']}").status_code == 403
    sign_in(client, "other-alt@example.org")
    assert client.get("/api/v1/me/transfers").json()["transfers"] == []
    withdraw = client.post(
        f"/api/v1/me/transfers/{made['id']}/withdraw", json={"version": 1}, headers=SAME_ORIGIN
    )
    assert withdraw.status_code == 404


def test_a_transfer_to_an_area_without_positions_gets_no_proposal(
    client: TestClient,
    sessions: Sessions,
    make_account: MakeAccount,
    world: DispatchWorld,
) -> None:
    sign_in(client, world.alt_user_email)
    made = client.post(
        "/api/v1/me/transfers",
        json={"to_prefecture": "Hokkaido", "reasons": "Snow"},
        headers=SAME_ORIGIN,
    ).json()
    sign_in(client, make_account(Role.COMPANY_STAFF))
    result = propose_transfer_moves(
        sessions,
        OPERATOR,
        made["id"],
        version=made["version"],
        company_id=world.company_id,
        on=ON,
    )
    assert result.proposal is not None and result.proposal.feasible is False
    assert result.proposal.reasons == ["No position of a contract in force lies in Hokkaido."]
    page = client.get(f"/dispatch/transfers/{made['id']}?lang=ja")
    assert page.status_code == 200 and 'id="proposal-none"' in page.text


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_staff_file_a_request_for_an_alt_on_the_page(
    client: TestClient, make_account: MakeAccount, world: DispatchWorld, lang: str
) -> None:
    sign_in(client, make_account(Role.COMPANY_STAFF))
    page = client.get(f"/dispatch/transfers?lang={lang}")
    assert page.status_code == 200 and 'id="staff-transfer-form"' in page.text
    form = {"alt_id": str(world.alts["A2"]), "to_prefecture": "Osaka", "reasons": "Cover"}
    filed = client.post("/dispatch/transfers", data=form, headers=SAME_ORIGIN)
    assert filed.status_code == 200  # followed the redirect to the request's page
    assert "A2" in filed.text and 'id="propose"' in filed.text
    empty = client.post("/dispatch/transfers", data={}, headers=SAME_ORIGIN)
    assert empty.status_code == 422


def test_the_alts_page_lists_their_request_with_a_timeline(
    client: TestClient, world: DispatchWorld
) -> None:
    made = _request(client, world)
    page = client.get("/my/transfers?lang=ja")
    assert page.status_code == 200
    assert f'id="timeline-{made["id"]}"' in page.text and 'data-status="requested"' in page.text
    bad = client.post("/my/transfers", data={"to_prefecture": "Osaka"}, headers=SAME_ORIGIN)
    assert bad.status_code == 422


def _proposed_by_staff(
    client: TestClient, make_account: MakeAccount, world: DispatchWorld
) -> dict[str, object]:
    made = _request(client, world)
    sign_in(client, make_account(Role.COMPANY_STAFF))
    proposed: dict[str, object] = client.post(
        f"/api/v1/dispatch/transfers/{made['id']}/propose",
        json={"version": made["version"]},
        headers=SAME_ORIGIN,
    ).json()
    return proposed


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_approving_on_the_page_shows_a_confirmation_first(
    client: TestClient,
    sessions: Sessions,
    make_account: MakeAccount,
    world: DispatchWorld,
    lang: str,
) -> None:
    proposed = _proposed_by_staff(client, make_account, world)
    tid, before = proposed["id"], _open_rows(sessions)
    page = client.get(f"/dispatch/transfers/{tid}?lang={lang}")
    assert 'id="approve"' in page.text and 'class="danger" id="decline"' in page.text
    assert 'rel="alternate" type="application/json"' in page.text
    form = {"version": str(proposed["version"]), "effective_on": ON.isoformat(), "note": "Hi"}
    shown = client.post(
        f"/dispatch/transfers/{tid}/approve?lang={lang}", data=form, headers=SAME_ORIGIN
    )
    assert shown.status_code == 200 and 'id="confirm-approval"' in shown.text
    school = "O2中学校" if lang == "ja" else "O2 Junior High"
    boe = "大阪市教委" if lang == "ja" else "Osaka BoE"
    assert school in shown.text and boe in shown.text and 'id="confirm-told"' in shown.text
    assert _open_rows(sessions) == before, "nothing changes before confirming"
    done = client.post(
        f"/dispatch/transfers/{tid}/approve?lang={lang}",
        data={**form, "confirm": "yes"},
        headers=SAME_ORIGIN,
    )
    assert done.status_code == 200 and 'data-status="approved"' in done.text
    assert (world.alts["A1"], world.positions["O2-P"]) in _open_rows(sessions)


def test_a_later_date_shows_when_the_alt_moves_and_can_be_cancelled(
    client: TestClient,
    sessions: Sessions,
    make_account: MakeAccount,
    world: DispatchWorld,
) -> None:
    proposed = _proposed_by_staff(client, make_account, world)
    tid, before = proposed["id"], _open_rows(sessions)
    later = (ON + timedelta(days=7)).isoformat()
    preview = client.post(
        f"/api/v1/dispatch/transfers/{tid}/approve/preview",
        json={"version": proposed["version"], "effective_on": later},
        headers=SAME_ORIGIN,
    ).json()
    assert preview["effective_on"] == later and preview["applies_at_once"] is False
    approved = client.post(
        f"/api/v1/dispatch/transfers/{tid}/approve",
        json={"version": proposed["version"], "effective_on": later},
        headers=SAME_ORIGIN,
    ).json()
    assert approved["scheduled"] is True and _open_rows(sessions) == before
    page = client.get(f"/dispatch/transfers/{tid}")
    assert f'data-effective-on="{later}"' in page.text and 'id="cancel-form"' in page.text
    no_reason = client.post(
        f"/dispatch/transfers/{tid}/cancel",
        data={"version": str(approved["version"]), "note": ""},
        headers=SAME_ORIGIN,
    )
    assert no_reason.status_code == 422
    cancelled = client.post(
        f"/api/v1/dispatch/transfers/{tid}/cancel",
        json={"version": approved["version"], "note": "The post closed"},
        headers=SAME_ORIGIN,
    ).json()
    assert cancelled["status"] == "cancelled" and _open_rows(sessions) == before


def test_declining_needs_a_reason(
    client: TestClient, make_account: MakeAccount, world: DispatchWorld
) -> None:
    proposed = _proposed_by_staff(client, make_account, world)
    tid = proposed["id"]
    api = client.post(
        f"/api/v1/dispatch/transfers/{tid}/decline",
        json={"version": proposed["version"]},
        headers=SAME_ORIGIN,
    )
    assert api.status_code == 422
    page = client.post(
        f"/dispatch/transfers/{tid}/decline?lang=ja",
        data={"version": str(proposed["version"]), "note": ""},
        headers=SAME_ORIGIN,
    )
    assert page.status_code == 422 and 'id="e-note"' in page.text
