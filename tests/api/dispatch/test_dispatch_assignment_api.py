"""The assignment API and page: current roster, what-if plans, commit and its 409."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from fastapi.testclient import TestClient
from tests.api.helpers import SAME_ORIGIN, MakeAccount, sign_in
from tests.dispatch_world import ON, DispatchWorld, build_dispatch_world

from altmatch.db import Sessions
from altmatch.domain.access import OrgKind, Role

pytestmark = pytest.mark.date_sensitive


@pytest.fixture
def world(sessions: Sessions, tenants: Mapping[OrgKind, int]) -> DispatchWorld:
    return build_dispatch_world(
        sessions, company_id=tenants[OrgKind.COMPANY], kobe_boe_id=tenants[OrgKind.BOE]
    )


@pytest.fixture
def staff(client: TestClient, make_account: MakeAccount) -> TestClient:
    sign_in(client, make_account(Role.COMPANY_STAFF))
    return client


def _roster(client: TestClient) -> dict[str, str | None]:
    body = client.get(f"/api/v1/dispatch/assignment?on={ON}").json()
    return {s["position"]: s["alt"] for s in body["current"]["slots"]}


def test_the_current_roster_has_costs_and_explains_the_vacancy(
    staff: TestClient, world: DispatchWorld
) -> None:
    body = staff.get(f"/api/v1/dispatch/assignment?on={ON}").json()
    assert _roster(staff) == {"K1-P": "A1", "K2-P": "A2", "O1-P": "A3", "O2-P": None}
    k1 = body["current"]["slots"][0]["breakdown"]
    assert k1["commute_minutes"] == 10.0 and k1["continuity_bonus"] == 30.0
    assert k1["total"] == -20.0
    (vacancy,) = body["current"]["unfilled"]
    assert vacancy["position"] == "O2-P"
    assert "needed at another position" in vacancy["headline"]


def test_a_pin_plans_a_swap_without_writing_and_commit_applies_it(
    staff: TestClient, world: DispatchWorld
) -> None:
    pin = {"alt_id": world.alts["A2"], "position_id": world.positions["K1-P"]}
    plan = staff.post(
        "/api/v1/dispatch/assignment/plan",
        json={"on": str(ON), "pins": [pin]},
        headers=SAME_ORIGIN,
    )
    assert plan.status_code == 200, plan.text
    proposed = plan.json()["proposed"]
    moves = {(m["alt"], m["from_position"], m["to_position"]) for m in proposed["moves"]}
    assert moves == {("A1", "K1-P", "K2-P"), ("A2", "K2-P", "K1-P")}
    assert _roster(staff)["K1-P"] == "A1"  # nothing written
    body = {"on": str(ON), "pins": [pin], "fingerprint": proposed["fingerprint"]}
    done = staff.post("/api/v1/dispatch/assignment/commit", json=body, headers=SAME_ORIGIN)
    assert done.status_code == 200, done.text
    assert _roster(staff) == {"K1-P": "A2", "K2-P": "A1", "O1-P": "A3", "O2-P": None}
    again = staff.post("/api/v1/dispatch/assignment/commit", json=body, headers=SAME_ORIGIN)
    assert again.status_code == 409


def test_a_pin_that_breaks_a_requirement_is_refused_naming_alt_and_position(
    staff: TestClient, world: DispatchWorld
) -> None:
    pin = {"alt_id": world.alts["A4"], "position_id": world.positions["K2-P"]}
    response = staff.post(
        "/api/v1/dispatch/assignment/plan", json={"on": str(ON), "pins": [pin]}, headers=SAME_ORIGIN
    )
    assert response.status_code == 422
    message = response.json()["detail"][0]["msg"]
    assert "A4 cannot be pinned to K2-P" in message and "driving licence" in message


def test_pinning_one_alt_to_two_positions_is_refused(
    staff: TestClient, world: DispatchWorld
) -> None:
    pins = [
        {"alt_id": world.alts["A1"], "position_id": world.positions["K1-P"]},
        {"alt_id": world.alts["A1"], "position_id": world.positions["K2-P"]},
    ]
    response = staff.post(
        "/api/v1/dispatch/assignment/plan", json={"on": str(ON), "pins": pins}, headers=SAME_ORIGIN
    )
    assert response.status_code == 422
    assert "A1 is pinned to both K1-P and K2-P" in response.json()["detail"][0]["msg"]


def test_another_companys_staff_sees_an_empty_roster(
    client: TestClient, sessions: Sessions, world: DispatchWorld
) -> None:
    other = build_dispatch_world(sessions, alt_email="other-alt@example.org")
    from altmatch.domain.access import OPERATOR
    from altmatch.services.accounts.users import create_user

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
    alts = {a["id"] for a in client.get("/api/v1/dispatch/assignment").json()["alts"]}
    assert alts == set(other.alts.values())


def test_boe_staff_may_not_see_the_assignment(
    client: TestClient, make_account: MakeAccount, world: DispatchWorld
) -> None:
    sign_in(client, make_account(Role.BOE_STAFF))
    assert client.get("/api/v1/dispatch/assignment").status_code == 403


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_page_shows_the_roster_and_a_what_if_plan(
    staff: TestClient, world: DispatchWorld, lang: str
) -> None:
    page = staff.get(f"/dispatch/assignment?on={ON}&lang={lang}")
    assert page.status_code == 200
    assert 'data-position="K1-P"' in page.text and "A1" in page.text
    form = {
        "on": str(ON),
        "pin_alt": str(world.alts["A2"]),
        "pin_position": str(world.positions["K1-P"]),
    }
    planned = staff.post(f"/dispatch/assignment/plan?lang={lang}", data=form, headers=SAME_ORIGIN)
    assert planned.status_code == 200
    assert 'id="commit-form"' in planned.text
    assert 'class="move" data-alt="A1"' in planned.text
