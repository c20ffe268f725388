"""Support cases over the API: an ALT opens a case (JSON or multipart with attachments), the
handler answers from the queue, internal notes stay internal, attachments download safely,
refusals are 404/409/422, routing tables and notifications."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.api.helpers import SAME_ORIGIN, sign_in
from tests.support_world import SupportWorld, build_support_world

from altmatch.db import Sessions
from altmatch.db.models import School
from altmatch.rulebook import load_rulebook

pytestmark = pytest.mark.date_sensitive

CASE = {
    "category": "pay_contract",
    "urgency": "high",
    "subject": "Overtime not paid",
    "description": "October's overtime is missing from my payslip.",
    "language": "en",
}


@pytest.fixture
def world(sessions: Sessions) -> SupportWorld:
    return build_support_world(sessions)


def _as(client: TestClient, world: SupportWorld, name: str) -> None:
    client.cookies.clear()
    sign_in(client, world.emails[name])


def _open(
    client: TestClient, world: SupportWorld, alt: str = "jet_alt", **fields: str
) -> dict[str, Any]:
    _as(client, world, alt)
    response = client.post("/api/v1/me/cases", json={**CASE, **fields}, headers=SAME_ORIGIN)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def test_an_alt_opens_a_case_and_the_handler_answers_it_from_the_queue(
    client: TestClient, world: SupportWorld
) -> None:
    opened = _open(client, world)
    assert (opened["status"], opened["level"], opened["viewer"]) == ("open", 1, "alt")
    assert opened["emergency_contacts"] == []
    mine = client.get("/api/v1/me/cases").json()["cases"]
    assert [c["id"] for c in mine] == [opened["id"]]

    _as(client, world, "kobe_supervisor")
    queue = client.get("/api/v1/cases").json()["cases"]
    assert [(c["id"], c["subject"]) for c in queue] == [(opened["id"], "Overtime not paid")]
    notices = client.get("/api/v1/me/notifications").json()
    assert notices["unread"] == 1
    assert notices["notifications"][0]["text"] == (
        f"Support case #{opened['id']} was opened and routed to you."
    )
    url = f"/api/v1/cases/{opened['id']}"
    note = {"body": "Payroll closes on the 20th", "internal": True}
    assert client.post(f"{url}/messages", json=note, headers=SAME_ORIGIN).status_code == 200
    reply = client.post(
        f"{url}/messages", json={"body": "We will pay it next month."}, headers=SAME_ORIGIN
    ).json()
    assert reply["status"] == "answered" and reply["viewer"] == "handler"
    assert [m["internal"] for m in reply["messages"]] == [True, False]

    _as(client, world, "jet_alt")
    seen = client.get(url).json()
    assert [m["body"] for m in seen["messages"]] == ["We will pay it next month."]
    assert "Payroll closes" not in client.get(url).text
    notice = client.get("/api/v1/me/notifications").json()["notifications"][0]
    assert notice["text"] == f"Your support case #{opened['id']} has a reply."
    read = client.post(f"/api/v1/me/notifications/{notice['id']}/read", headers=SAME_ORIGIN)
    assert read.status_code == 200 and read.json()["read_at"] is not None
    assert client.get("/api/v1/me/notifications").json()["unread"] == 0


@pytest.mark.parametrize(
    "outsider", ["osaka_staff", "other_company_staff", "coordinator", "candidate", "admin"]
)
def test_outsiders_get_404_for_a_case_and_its_attachments(
    client: TestClient, world: SupportWorld, outsider: str
) -> None:
    opened = _open(client, world, "dispatch_alt", category="harassment")
    _as(client, world, outsider)
    assert client.get(f"/api/v1/cases/{opened['id']}").status_code == 404
    assert client.get(f"/api/v1/cases/{opened['id']}/attachments/1").status_code == 404
    message = {"body": "hello"}
    posted = client.post(
        f"/api/v1/cases/{opened['id']}/messages", json=message, headers=SAME_ORIGIN
    )
    assert posted.status_code == 404


def test_a_confidential_case_is_hidden_from_other_staff_of_the_employer(
    client: TestClient, world: SupportWorld
) -> None:
    opened = _open(client, world, "dispatch_alt", category="health")
    _as(client, world, "company_clerk")
    assert client.get(f"/api/v1/cases/{opened['id']}").status_code == 404
    assert client.get("/api/v1/cases").json()["cases"] == []
    _as(client, world, "company_desk")
    assert client.get(f"/api/v1/cases/{opened['id']}").json()["confidential"] is True


def test_a_case_with_attachments_is_opened_by_multipart_and_downloads_as_an_attachment(
    client: TestClient, world: SupportWorld
) -> None:
    _as(client, world, "jet_alt")
    files = [
        ("attachments", ("payslip.pdf", b"%PDF-1.4 payslip", "application/pdf")),
        ("attachments", ("note.txt", "給与明細".encode(), "text/plain")),
    ]
    response = client.post("/api/v1/me/cases", data=CASE, files=files, headers=SAME_ORIGIN)
    assert response.status_code == 201, response.text
    opened = response.json()
    assert [(a["filename"], a["size"]) for a in opened["attachments"]] == [
        ("payslip.pdf", 16),
        ("note.txt", 12),
    ]
    _as(client, world, "kobe_supervisor")
    first = opened["attachments"][0]["id"]
    download = client.get(f"/api/v1/cases/{opened['id']}/attachments/{first}")
    assert download.status_code == 200 and download.content == b"%PDF-1.4 payslip"
    assert download.headers["content-disposition"].startswith('attachment; filename="payslip.pdf"')
    assert download.headers["x-content-type-options"] == "nosniff"
    assert download.headers["content-type"] == "application/pdf"


@pytest.mark.parametrize(
    ("why", "named"), [("too big", "big.pdf"), ("wrong type", "page.html"), ("too many", "f5.png")]
)
def test_bad_attachments_are_refused_with_422_naming_the_file(
    client: TestClient, world: SupportWorld, why: str, named: str
) -> None:
    limits = load_rulebook().support.attachments
    files = {
        "too big": [("big.pdf", b"x" * (limits.max_bytes + 1), "application/pdf")],
        "wrong type": [("page.html", b"<script>", "text/html")],
        "too many": [(f"f{i}.png", b"png", "image/png") for i in range(limits.max_files + 1)],
    }[why]
    _as(client, world, "jet_alt")
    response = client.post(
        "/api/v1/me/cases",
        data=CASE,
        files=[("attachments", f) for f in files],
        headers=SAME_ORIGIN,
    )
    assert response.status_code == 422, response.text
    detail = response.json()["detail"][0]
    assert detail["loc"] == ["body", "attachments"] and named in detail["msg"]
    assert client.get("/api/v1/me/cases").json()["cases"] == []


def test_an_emergency_returns_the_emergency_contacts_at_once(
    client: TestClient, world: SupportWorld
) -> None:
    opened = _open(client, world, category="emergency", subject="Earthquake damage")
    assert opened["level"] == 3
    assert {"110", "119"} <= {c["number"] for c in opened["emergency_contacts"]}
    _as(client, world, "hyogo_adviser")
    assert [c["id"] for c in client.get("/api/v1/cases").json()["cases"]] == [opened["id"]]


def test_no_current_contract_is_a_422_saying_whom_to_contact(
    client: TestClient, world: SupportWorld
) -> None:
    _as(client, world, "jobless_alt")
    response = client.post("/api/v1/me/cases", json=CASE, headers=SAME_ORIGIN)
    assert response.status_code == 422
    assert "Contact your employer directly" in response.json()["detail"][0]["msg"]
    invalid = client.post("/api/v1/me/cases", json={"category": "gossip"}, headers=SAME_ORIGIN)
    assert invalid.status_code == 422


def test_resolve_reopen_and_a_stale_version(client: TestClient, world: SupportWorld) -> None:
    opened = _open(client, world, "dispatch_alt")
    url = f"/api/v1/cases/{opened['id']}"
    _as(client, world, "company_desk")
    resolved = client.post(
        f"{url}/resolve", json={"version": opened["version"]}, headers=SAME_ORIGIN
    )
    assert resolved.status_code == 200 and resolved.json()["status"] == "resolved"
    stale = client.post(f"{url}/resolve", json={"version": opened["version"]}, headers=SAME_ORIGIN)
    assert stale.status_code == 409
    _as(client, world, "dispatch_alt")
    reopened = client.post(
        f"{url}/reopen", json={"version": resolved.json()["version"]}, headers=SAME_ORIGIN
    ).json()
    assert (reopened["status"], reopened["reopened_count"]) == ("open", 1)


def test_mediation_is_recorded_by_the_handler(client: TestClient, world: SupportWorld) -> None:
    opened = _open(client, world, category="school_relations")
    _as(client, world, "kobe_supervisor")
    body = {"school_id": world.school_id, "contact_name": "Ms Sato", "agreed": "Weekly meeting"}
    recorded = client.post(
        f"/api/v1/cases/{opened['id']}/mediation", json=body, headers=SAME_ORIGIN
    )
    assert recorded.status_code == 200
    assert recorded.json()["mediations"][0]["school"] == "Kobe Minato Junior High"


def test_routing_tables_over_the_api(client: TestClient, world: SupportWorld) -> None:
    url = f"/api/v1/organisations/{world.company_id}/support-routes"
    _as(client, world, "company_clerk")
    table = client.get(url).json()
    assert table["roles"] == ["support_desk", "area_manager"]
    assert [(e["role"], e["email"]) for e in table["entries"]] == [
        ("support_desk", world.emails["company_desk"]),
        ("area_manager", world.emails["company_manager"]),
    ]
    clerk = world.actors["company_clerk"].user_id
    body = {"entries": [{"role": "support_desk", "user_id": clerk}]}
    changed = client.put(url, json=body, headers=SAME_ORIGIN)
    assert changed.status_code == 200 and len(changed.json()["entries"]) == 1
    bad = {"entries": [{"role": "supervisor", "user_id": clerk}]}
    assert client.put(url, json=bad, headers=SAME_ORIGIN).status_code == 422
    _as(client, world, "other_company_staff")
    assert client.get(url).status_code == 404
    _as(client, world, "coordinator")
    assert client.get(url).status_code == 403


def test_putting_oneself_on_the_route_over_the_api_opens_no_existing_case(
    client: TestClient, world: SupportWorld
) -> None:
    """Issue 15, item 1: the route decides where cases go next, not who sees existing ones."""
    _as(client, world, "jet_alt")
    files = [("attachments", ("letter.pdf", b"%PDF private", "application/pdf"))]
    response = client.post(
        "/api/v1/me/cases",
        data={**CASE, "category": "harassment"},
        files=files,
        headers=SAME_ORIGIN,
    )
    assert response.status_code == 201, response.text
    case = response.json()
    url = f"/api/v1/cases/{case['id']}"
    download = f"{url}/attachments/{case['attachments'][0]['id']}"

    _as(client, world, "kobe_clerk")
    routes = f"/api/v1/organisations/{world.kobe_id}/support-routes"
    clerk = world.actors["kobe_clerk"].user_id
    mine = {"entries": [{"role": "supervisor", "user_id": clerk}]}
    assert client.put(routes, json=mine, headers=SAME_ORIGIN).status_code == 200
    assert client.get(url).status_code == 404
    assert client.get(download).status_code == 404
    posted = client.post(f"{url}/messages", json={"body": "Tell me"}, headers=SAME_ORIGIN)
    assert posted.status_code == 404
    assert case["id"] not in {c["id"] for c in client.get("/api/v1/cases").json()["cases"]}

    _as(client, world, "kobe_supervisor")  # taken off the route: told, and keeps the case
    notices = client.get("/api/v1/me/notifications").json()["notifications"]
    assert notices[0]["text"].startswith(
        "Your organisation's support routing table was changed by Kobe Clerk."
    )
    assert client.get(url).json()["messages"] == []
    assert client.get(download).content == b"%PDF private"

    _as(client, world, "admin")  # the audit log says a case was opened, not what about
    entries = [e for e in client.get("/api/v1/audit").json() if e["entity_id"] == str(case["id"])]
    assert "case.opened" in {e["action"] for e in entries}
    assert not any("harassment" in repr(e) or "urgency" in repr(e) for e in entries)


def test_a_mediation_with_another_boes_school_is_refused_with_422(
    client: TestClient, world: SupportWorld, sessions: Sessions
) -> None:
    """Issue 15, item 14: only a school of the ALT's workplace BoE."""
    with sessions.begin() as session:
        school = School(
            boe_id=world.osaka_id,
            external_id="OSAKA-1",
            name_en="Osaka School",
            name_ja="大阪校",
            level="elementary",
            area="urban",
            municipality="Osaka",
        )
        session.add(school)
        session.flush()
        other = school.id
    case = _open(client, world, category="school_relations")
    _as(client, world, "kobe_supervisor")
    body = {"school_id": other, "contact_name": "Ms Sato", "agreed": "Talk weekly"}
    refused = client.post(f"/api/v1/cases/{case['id']}/mediation", json=body, headers=SAME_ORIGIN)
    assert refused.status_code == 422, refused.text
    assert "school_id" in refused.text and "is not a school where this ALT works" in refused.text
    body["school_id"] = world.school_id
    done = client.post(f"/api/v1/cases/{case['id']}/mediation", json=body, headers=SAME_ORIGIN)
    assert done.status_code == 200 and done.json()["mediations"][0]["school_id"] == world.school_id
