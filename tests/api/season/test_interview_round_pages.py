"""The interview planner and booking over HTTP: the office's planner, assignment and move pages
with their confirmations, the candidate's booking page in English and Japanese, their JSON
twins, and the refusals (another office's staff, another candidate, an assessor, a stale
version, a missing confirmation)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from tests.api.helpers import SAME_ORIGIN, sign_in
from tests.interview_world import InterviewWorld, build_interviews

from altmatch.db import Sessions

pytestmark = pytest.mark.date_sensitive  # the session is ten days from today

LONDON, DUBLIN = "screener-london@example.org", "screener-dublin@example.org"
EMILY, LIAM = "emily@example.org", "liam@example.org"


@pytest.fixture
def iw(sessions: Sessions) -> InterviewWorld:
    return build_interviews(sessions)


def _planner(iw: InterviewWorld) -> str:
    return f"/offices/{iw.rw.london}/interviews?season={iw.rw.season_id}"


def test_office_staff_plan_and_assign_by_the_pages_after_confirming(
    client: TestClient, iw: InterviewWorld
) -> None:
    rw = iw.rw
    sign_in(client, LONDON)
    page = client.get(_planner(iw))
    assert page.status_code == 200 and 'id="grid"' in page.text and "Emily Carter" in page.text
    assert f'href="/api/v1/offices/{rw.london}/interviews?season={rw.season_id}"' in page.text
    twin = client.get(f"/api/v1/offices/{rw.london}/interviews", params={"season": rw.season_id})
    assert [s["id"] for s in twin.json()["slots"]] == iw.slots
    preview = client.get(f"/offices/{rw.london}/interviews/assign?season={rw.season_id}")
    assert preview.status_code == 200 and preview.text.count('data-slot="') == 2
    plan = re.search(r'name="plan" value="([0-9a-f]+)"', preview.text)
    assert plan is not None
    form = {"season": str(rw.season_id), "plan": plan.group(1)}
    refused = client.post(f"/offices/{rw.london}/interviews/assign", data=form, headers=SAME_ORIGIN)
    assert refused.status_code == 422 and 'id="e-confirm"' in refused.text
    done = client.post(
        f"/offices/{rw.london}/interviews/assign",
        data={**form, "confirm": "yes"},
        headers=SAME_ORIGIN,
        follow_redirects=False,
    )
    assert done.status_code == 303 and "done=assigned" in done.headers["location"]
    grid = client.get(f"/api/v1/offices/{rw.london}/interviews?season={rw.season_id}").json()
    assert grid["booked"] == 2 and grid["waiting"] == []


def test_another_offices_staff_and_a_programme_coordinator_get_not_found(
    client: TestClient, iw: InterviewWorld
) -> None:
    rw = iw.rw
    sign_in(client, DUBLIN)
    assert client.get(_planner(iw)).status_code == 404
    assert client.get(f"/api/v1/offices/{rw.london}/interviews").status_code == 404
    moved = client.post(
        f"/api/v1/offices/{rw.london}/interviews/moves?season={rw.season_id}",
        json={"candidate_id": 1, "slot_id": iw.slots[1], "version": 1, "reason": "x"},
        headers=SAME_ORIGIN,
    )
    assert moved.status_code == 404
    sign_in(client, "coordinator@example.org")  # of the programme, but not London's staff
    assert client.get(_planner(iw)).status_code == 404


def test_an_assessor_and_a_candidate_may_not_plan(client: TestClient, iw: InterviewWorld) -> None:
    for who in ("officer@example.org", EMILY):
        sign_in(client, who)
        assert client.get(_planner(iw)).status_code == 403
        assert client.get(f"/api/v1/offices/{iw.rw.london}/interviews").status_code == 403


def test_a_candidate_books_and_moves_in_japanese_and_reads_it_on_their_status_page(
    client: TestClient, iw: InterviewWorld
) -> None:
    rw = iw.rw
    sign_in(client, EMILY)
    base = f"/seasons/{rw.season_id}/apply/interview"
    page = client.get(base, params={"lang": "ja"})
    assert page.status_code == 200 and "面接" in page.text and 'id="book-form"' in page.text
    unconfirmed = client.post(base, data={"slot_id": str(iw.slots[0])}, headers=SAME_ORIGIN)
    assert unconfirmed.status_code == 422 and 'id="e-confirm"' in unconfirmed.text
    booked = client.post(
        base,
        data={"slot_id": str(iw.slots[0]), "confirm": "yes"},
        headers=SAME_ORIGIN,
        follow_redirects=False,
    )
    assert booked.status_code == 303
    mine = client.get(f"/api/v1/seasons/{rw.season_id}/online-application/interview").json()
    assert mine["booking"]["id"] == iw.slots[0] and mine["moves_left"] == 2
    stale = client.post(
        f"/api/v1/seasons/{rw.season_id}/online-application/interview/move",
        json={"slot_id": iw.slots[1], "version": mine["booking"]["version"] + 7},
        headers=SAME_ORIGIN,
    )
    assert stale.status_code == 409
    moved = client.post(
        base,
        data={
            "slot_id": str(iw.slots[1]),
            "version": str(mine["booking"]["version"]),
            "confirm": "yes",
        },
        headers=SAME_ORIGIN,
    )
    assert moved.status_code == 200 and 'data-done="moved"' in moved.text
    status = client.get(f"/seasons/{rw.season_id}/apply")
    assert 'id="interview"' in status.text and 'data-booked="yes"' in status.text
    again = client.post(
        f"/api/v1/seasons/{rw.season_id}/online-application/interview",
        json={"slot_id": iw.slots[2]},
        headers=SAME_ORIGIN,
    )
    assert again.status_code == 409  # one slot per application: move it instead


def test_a_candidate_of_another_office_cannot_book_londons_slot(
    client: TestClient, iw: InterviewWorld
) -> None:
    sign_in(client, LIAM)
    refused = client.post(
        f"/api/v1/seasons/{iw.rw.season_id}/online-application/interview",
        json={"slot_id": iw.slots[0]},
        headers=SAME_ORIGIN,
    )
    assert refused.status_code == 404
    mine = client.get(f"/api/v1/seasons/{iw.rw.season_id}/online-application/interview")
    assert mine.status_code == 200 and mine.json()["open_slots"] == []
    sign_in(client, "officer@example.org")  # an assessor has no application to book for
    assert client.get(f"/seasons/{iw.rw.season_id}/apply/interview").status_code == 403


def test_the_office_moves_a_booking_only_with_a_reason_and_a_confirmation(
    client: TestClient, iw: InterviewWorld
) -> None:
    rw = iw.rw
    sign_in(client, EMILY)
    client.post(
        f"/api/v1/seasons/{rw.season_id}/online-application/interview",
        json={"slot_id": iw.slots[0]},
        headers=SAME_ORIGIN,
    )
    emily = iw.candidates["Emily Carter"]
    sign_in(client, LONDON)
    page = client.get(
        f"/offices/{rw.london}/interviews/move?season={rw.season_id}&candidate={emily}"
    )
    assert page.status_code == 200
    version = re.search(r'name="version" value="(\d+)"', page.text)
    assert version is not None
    form = {
        "season": str(rw.season_id),
        "candidate_id": str(emily),
        "slot_id": str(iw.slots[2]),
        "version": version.group(1),
        "reason": "The panel's officer is away that morning.",
    }
    refused = client.post(f"/offices/{rw.london}/interviews/move", data=form, headers=SAME_ORIGIN)
    assert refused.status_code == 422 and 'id="e-confirm"' in refused.text
    done = client.post(
        f"/offices/{rw.london}/interviews/move",
        data={**form, "confirm": "yes"},
        headers=SAME_ORIGIN,
        follow_redirects=False,
    )
    assert done.status_code == 303
    grid = client.get(f"/api/v1/offices/{rw.london}/interviews?season={rw.season_id}").json()
    assert next(s for s in grid["slots"] if s["candidate_id"] == emily)["id"] == iw.slots[2]
