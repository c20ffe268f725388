"""The surveys over HTTP: a company opens a round (preview, confirm, once), a school answers by
its link in Japanese without an account (page and JSON, once), the company sees the answers;
the ALT's confidential answers never reach the school, the BoE or another company."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from tests.api.helpers import SAME_ORIGIN, sign_in
from tests.integration.dispatch.survey_world import (
    NOW,
    SurveyWorld,
    add_spare,
    build_world,
    links_in,
)
from time_machine import TimeMachineFixture

from altmatch.config import Settings
from altmatch.db import Sessions

pytestmark = pytest.mark.date_sensitive

API = "/api/v1/dispatch/surveys"
SCHOOL = {"lesson_preparation": 2, "punctuality": 3, "communication": 2, "classroom_presence": 2}
ALT_SECRET = "The vice-principal never speaks to me."


@pytest.fixture
def world(sessions: Sessions, clock: TimeMachineFixture) -> SurveyWorld:
    clock.move_to(NOW, tick=True)
    return build_world(sessions)


def _open(client: TestClient, settings: Settings) -> dict[str, str]:
    sign_in(client, "naoko@example.org")
    preview = client.get(f"{API}/preview")
    assert preview.status_code == 200, preview.text
    count = preview.json()["school_invitations"] + preview.json()["alt_invitations"]
    assert count == 4
    opened = client.post(f"{API}/rounds", json={"expect": count}, headers=SAME_ORIGIN)
    assert opened.status_code == 201, opened.text
    again = client.post(f"{API}/rounds", json={"expect": count}, headers=SAME_ORIGIN)
    assert again.status_code == 409
    client.cookies.clear()
    return links_in(settings.mail_folder)


def test_a_school_answers_by_link_once_and_the_company_sees_it(
    client: TestClient, world: SurveyWorld, settings: Settings
) -> None:
    links = _open(client, settings)
    school, alt = links["sato@s1.example.jp"], links["amy@example.org"]
    form = client.get("/api/v1/survey", params={"token": school})
    assert form.status_code == 200 and form.json()["valid"] and form.json()["about"] == "Amy Clark"
    missing = client.post(
        "/api/v1/survey", params={"token": school}, json={"answers": {"punctuality": 3}}
    )
    assert missing.status_code == 422
    answered = client.post(
        "/api/v1/survey", params={"token": school}, json={"answers": SCHOOL, "comment": "準備を"}
    )
    assert answered.status_code == 200, answered.text
    twice = client.post("/api/v1/survey", params={"token": school}, json={"answers": SCHOOL})
    assert twice.status_code == 422
    alt_answers = {"support": 1, "workload": 2, "team_teaching": 1}
    assert (
        client.post(
            "/api/v1/survey",
            params={"token": alt},
            json={"answers": alt_answers, "comment": ALT_SECRET},
        ).status_code
        == 200
    )

    sign_in(client, "naoko@example.org")
    found = client.get(API).json()
    pair = next(p for p in found["pairs"] if p["alt"] == "A1")
    assert (
        pair["school_answer"]["scores"] == SCHOOL and pair["school_answer"]["comment"] == "準備を"
    )
    assert pair["alt_answer"]["comment"] == ALT_SECRET
    # school (2 + 3 + 2 + 2) / 4 = 2.25 -> 0.3125; ALT 4 / 3 -> 0.0833; fit 0.198 (3 places)
    assert pair["fit"] == pytest.approx(0.198)
    page = client.get("/dispatch/surveys")
    assert page.status_code == 200 and ALT_SECRET in page.text and "準備を" in page.text


def test_the_alts_answers_reach_nobody_but_the_company(
    client: TestClient, world: SurveyWorld, settings: Settings
) -> None:
    links = _open(client, settings)
    alt_answers = {"support": 1, "workload": 1, "team_teaching": 1}
    client.post(
        "/api/v1/survey",
        params={"token": links["amy@example.org"]},
        json={"answers": alt_answers, "comment": ALT_SECRET},
    )
    school_page = client.get("/survey", params={"token": links["sato@s1.example.jp"]})
    school_json = client.get("/api/v1/survey", params={"token": links["sato@s1.example.jp"]})
    assert school_page.status_code == 200 and ALT_SECRET not in school_page.text
    assert ALT_SECRET not in school_json.text and "support" not in school_json.text
    used = client.get("/api/v1/survey", params={"token": links["amy@example.org"]})
    assert used.json()["valid"] is False and used.json()["about"] is None
    assert ALT_SECRET not in used.text

    assert client.get(API).status_code == 401
    for email in ("kyoko@example.org", "amy@example.org"):  # the BoE's staff, the ALT
        client.cookies.clear()
        sign_in(client, email)
        assert client.get(API).status_code == 403
        assert client.get("/dispatch/surveys").status_code == 403
        assert client.get(f"{API}/preview").status_code == 403
    client.cookies.clear()
    sign_in(client, "kyoko@example.org")
    contracts = client.get("/api/v1/dispatch/contracts")
    assert contracts.status_code == 200 and ALT_SECRET not in contracts.text
    for contract in contracts.json()["contracts"]:
        detail = client.get(f"/api/v1/dispatch/contracts/{contract['id']}")
        assert ALT_SECRET not in detail.text

    client.cookies.clear()
    sign_in(client, "naoko@example.org")
    round_id = client.get(API).json()["rounds"][0]["id"]
    client.cookies.clear()
    sign_in(client, "daisuke@example.org")  # another company
    assert client.get(API, params={"round_id": round_id}).status_code == 404
    assert ALT_SECRET not in client.get(API).text
    refused = client.post(
        f"{API}/contacts",
        json={"position_id": world.positions["P1"], "contact_email": "x@example.org"},
        headers=SAME_ORIGIN,
    )
    assert refused.status_code == 404


def test_the_survey_page_is_japanese_first_and_answers_once(
    client: TestClient, world: SurveyWorld, settings: Settings
) -> None:
    links = _open(client, settings)
    token = links["ito@s2.example.jp"]
    page = client.get("/survey", params={"token": token}, headers={"Accept-Language": "en"})
    assert page.status_code == 200
    assert '<html lang="ja">' in page.text and "授業準備" in page.text and "Ben Davis" in page.text
    english = client.get("/survey", params={"token": token, "lang": "en"})
    assert "Lesson preparation" in english.text
    form = {"token": token, **{f"q_{k}": "4" for k in SCHOOL}, "comment": "いつもありがとう"}
    incomplete = client.post("/survey", data={"token": token, "q_punctuality": "4"})
    assert incomplete.status_code == 422 and 'id="e-lesson_preparation"' in incomplete.text
    done = client.post("/survey", data=form)
    assert done.status_code == 200 and 'id="survey-thanks"' in done.text
    again = client.post("/survey", data=form)
    assert again.status_code == 409 and 'id="survey-invalid"' in again.text
    unknown = client.get("/survey", params={"token": "nope"})
    assert unknown.status_code == 404 and "Ben Davis" not in unknown.text


def test_company_staff_open_a_round_from_the_page_after_a_preview(
    client: TestClient, world: SurveyWorld, settings: Settings
) -> None:
    sign_in(client, "naoko@example.org")
    saved = client.post(
        "/dispatch/surveys/contacts",
        data={"position_id": world.positions["P3"], "contact_name": "森", "contact_email": "bad"},
        headers=SAME_ORIGIN,
    )
    assert saved.status_code == 422
    saved = client.post(
        "/dispatch/surveys/contacts",
        data={
            "position_id": world.positions["P3"],
            "contact_name": "森",
            "contact_email": "mori@s3.example.jp",
        },
        headers=SAME_ORIGIN,
        follow_redirects=False,
    )
    assert saved.status_code == 303
    preview = client.post("/dispatch/surveys/preview", headers=SAME_ORIGIN)
    assert 'id="round-preview"' in preview.text and "mori@s3.example.jp" in preview.text
    expect = re.search(r'name="expect" value="(\d+)"', preview.text)
    assert expect is not None and expect.group(1) == "5"
    opened = client.post(
        "/dispatch/surveys/rounds",
        data={"expect": "5"},
        headers=SAME_ORIGIN,
        follow_redirects=False,
    )
    assert opened.status_code == 303
    assert "mori@s3.example.jp" in links_in(settings.mail_folder)
    page = client.get("/dispatch/surveys?opened=1")
    assert 'id="round-opened"' in page.text and 'id="round-exists"' in page.text


def test_the_assignment_api_weighs_the_surveys_only_when_asked(
    client: TestClient, world: SurveyWorld
) -> None:
    sign_in(client, "naoko@example.org")
    plain = client.post("/api/v1/dispatch/assignment/plan", json={}, headers=SAME_ORIGIN)
    weighed = client.post(
        "/api/v1/dispatch/assignment/plan", json={"use_satisfaction": True}, headers=SAME_ORIGIN
    )
    assert plain.status_code == weighed.status_code == 200, weighed.text
    assert not plain.json()["proposed"]["satisfaction_used"]
    assert weighed.json()["proposed"]["satisfaction_used"]
    assert weighed.json()["request"]["use_satisfaction"] is True


def test_the_assignment_page_says_when_the_surveys_moved_or_kept_someone(
    client: TestClient, world: SurveyWorld, settings: Settings, sessions: Sessions
) -> None:
    """S1 rates A1 poorly and A1 rates S1 poorly; S2 rates A2 well. With the option ticked the
    plan moves A1 to the spare position P4 and says why; A2's pair is kept and says so."""
    links = _open(client, settings)
    poor = dict.fromkeys(SCHOOL, 1)
    for token, answers in (
        (links["sato@s1.example.jp"], poor),
        (links["ito@s2.example.jp"], dict.fromkeys(SCHOOL, 5)),
        (links["amy@example.org"], {"support": 1, "workload": 1, "team_teaching": 1}),
    ):
        answered = client.post("/api/v1/survey", params={"token": token}, json={"answers": answers})
        assert answered.status_code == 200, answered.text
    add_spare(sessions, world)
    sign_in(client, "naoko@example.org")
    page = client.get("/dispatch/assignment")
    assert 'id="f-use-satisfaction"' in page.text
    plain = client.post("/dispatch/assignment/plan", data={}, headers=SAME_ORIGIN)
    assert plain.status_code == 200 and "satisfaction-note" not in plain.text
    weighed = client.post(
        "/dispatch/assignment/plan", data={"use_satisfaction": "1"}, headers=SAME_ORIGIN
    )
    assert weighed.status_code == 200
    move = re.search(r'<li class="move" data-alt="A1">(.*?)</li>', weighed.text, re.S)
    assert move is not None and "the surveys showed a poor match" in move.group(1)
    assert 'id="satisfaction-note"' in weighed.text
    assert "kept: the surveys showed a good match" in weighed.text
    assert 'name="use_satisfaction" value="1"' in weighed.text  # the commit form keeps it


def test_an_alt_sees_a_survey_waiting_on_their_placement_page_until_they_answer(
    client: TestClient, world: SurveyWorld, settings: Settings
) -> None:
    links = _open(client, settings)
    sign_in(client, "amy@example.org")
    waiting = client.get("/api/v1/me/placement").json()["surveys"]
    assert [(s["school"], s["sent_to"]) for s in waiting] == [("Kobe No. 1 JHS", "amy@example.org")]
    page = client.get("/my/placement", params={"lang": "ja"})
    assert 'id="survey-waiting-1"' in page.text and "神戸第1中学校" in page.text
    assert links["amy@example.org"] not in page.text  # the link itself is only in the e-mail
    answers = {"support": 4, "workload": 4, "team_teaching": 5}
    answered = client.post(
        "/api/v1/survey",
        params={"token": links["amy@example.org"]},
        json={"answers": answers},
        headers=SAME_ORIGIN,  # signed in, so the CSRF check wants the origin
    )
    assert answered.status_code == 200, answered.text
    assert client.get("/api/v1/me/placement").json()["surveys"] == []
