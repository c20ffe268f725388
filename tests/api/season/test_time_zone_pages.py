"""Where the applicant will be for the interview, over HTTP: the form's select (the office's
zones first, the rulebook's hours quoted), an unknown zone refused by its field on the page and
in the API, the answer on the check-and-submit page and the receipt, and changing it from the
booking page (a stale version refused)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from tests.api.helpers import SAME_ORIGIN, sign_in
from tests.interview_world import InterviewWorld, build_interviews
from tests.recruitment_world import RecruitWorld, answers, build_recruitment

from altmatch.db import Sessions
from altmatch.rulebook import load_rulebook

pytestmark = pytest.mark.date_sensitive  # the test season's request deadline is a month on

EMILY, OLIVIA = "emily@example.org", "olivia@example.org"
LA = "America/Los_Angeles"


def _options(html: str) -> list[str]:
    select = html.split('id="f-time_zone"', 1)[1].split("</select>", 1)[0]
    return re.findall(r'<option value="([^"]*)"', select)


def test_the_form_offers_the_offices_zones_first_and_refuses_an_unknown_one_by_its_field(
    client: TestClient, sessions: Sessions
) -> None:
    rw: RecruitWorld = build_recruitment(sessions)
    sign_in(client, EMILY)
    url = f"/api/v1/seasons/{rw.season_id}/online-application"
    bad = client.put(
        url, json=answers(time_zone="Mars/Olympus").model_dump(mode="json"), headers=SAME_ORIGIN
    )
    assert bad.status_code == 422
    [error] = bad.json()["detail"]
    assert error["loc"] == ["body", "time_zone"] and "Mars/Olympus" in error["msg"]
    saved = client.put(url, json=answers().model_dump(mode="json"), headers=SAME_ORIGIN)
    assert saved.status_code == 200 and saved.json()["answers"]["time_zone"] == ""
    twin = client.get(url).json()["time_zones"]
    assert twin["first"][0] == "Europe/London" and LA in twin["rest"]
    page = client.get(f"/seasons/{rw.season_id}/apply")
    options = _options(page.text)
    assert options == twin["first"] + twin["rest"]  # London serves Britain: one zone, then all
    assert options[0] == "Europe/London" and options.index(LA) < options.index("Europe/Dublin")
    assert re.search(r'<option value="Europe/London" selected>', page.text)  # the default
    hours = load_rulebook().interview_scheduling.remote_local_hours
    assert f"{hours.earliest:02d}:00" in page.text and f"{hours.latest:02d}:00" in page.text
    version = re.search(r'name="version" value="(\d+)"', page.text)
    assert version
    form = {**answers().model_dump(mode="json"), "time_zone": "Mars/Olympus"}
    form["preferred_prefectures"] = "Hyogo"
    form["version"] = version.group(1)
    refused = client.post(f"/seasons/{rw.season_id}/apply?lang=ja", data=form, headers=SAME_ORIGIN)
    assert refused.status_code == 422 and 'id="e-time_zone"' in refused.text
    assert 'href="#f-time_zone">面接を受ける場所' in refused.text  # the summary names it


def test_the_answer_is_on_the_check_page_and_the_receipt_and_changes_from_the_booking_page(
    client: TestClient, sessions: Sessions
) -> None:
    iw: InterviewWorld = build_interviews(sessions)
    rw = iw.rw
    sign_in(client, OLIVIA)
    status = client.get(f"/seasons/{rw.season_id}/apply")
    assert 'id="receipt-time_zone">Europe/London<' in status.text
    assert 'id="answer-time_zone">Europe/London<' in status.text
    base = f"/seasons/{rw.season_id}/apply/interview"
    page = client.get(base)
    assert 'id="zone-form"' in page.text and 'id="remote"' not in page.text
    version = re.search(r'name="version" value="(\d+)"', page.text)
    assert version
    stale = client.post(
        f"{base}/time-zone",
        data={"time_zone": LA, "version": str(int(version.group(1)) + 5)},
        headers=SAME_ORIGIN,
    )
    assert stale.status_code == 409
    bad = client.post(
        f"{base}/time-zone",
        data={"time_zone": "Mars/Olympus", "version": version.group(1)},
        headers=SAME_ORIGIN,
    )
    assert bad.status_code == 422 and 'id="e-time_zone"' in bad.text
    moved = client.post(
        f"{base}/time-zone",
        data={"time_zone": LA, "version": version.group(1)},
        headers=SAME_ORIGIN,
        follow_redirects=False,
    )
    assert moved.status_code == 303 and moved.headers["location"].endswith("done=zone")
    page = client.get(f"{base}?done=zone&lang=ja")
    assert 'data-done="zone"' in page.text and 'id="remote"' in page.text
    assert re.search(rf'<option value="{LA}" selected>', page.text)
    mine = client.get(f"/api/v1/seasons/{rw.season_id}/online-application/interview").json()
    assert mine["your_zone"] == LA and mine["remote"] and mine["open_slots"] == []
    again = client.put(
        f"/api/v1/seasons/{rw.season_id}/online-application/interview/time-zone",
        json={"time_zone": "Europe/London", "version": mine["application_version"]},
        headers=SAME_ORIGIN,
    )
    assert again.status_code == 200 and not again.json()["remote"]
    assert [s["id"] for s in again.json()["open_slots"]] == iw.slots
