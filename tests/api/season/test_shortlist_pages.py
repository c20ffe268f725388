"""The shortlist page and its JSON twin: preview, confirm, refusals (no confirmation, a stale
preview), access (BoE staff and candidates are refused, another programme sees nothing), and
the candidate's own result with reasons, in English and Japanese."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from tests.api.helpers import SAME_ORIGIN, sign_in, sign_in_as_other_programme
from tests.calibration_world import flip_rows, scores_file, tiny_season
from tests.season_world import (
    CANDIDATE_EMAILS,
    PUBLISH_ANYWAY,
    World,
    build_world,
    filled_season,
)

from altmatch.db import Sessions
from altmatch.db.models import InterviewDecision, SeasonCandidate
from altmatch.services.season.interview_calibration import calibrate_season
from altmatch.services.season.publish import publish_run
from altmatch.services.season.runs import run_season_match

pytestmark = pytest.mark.date_sensitive  # the test seasons' request deadlines are a month on

COORDINATOR, KOBE = "coordinator@example.org", "kobe@example.org"
API = "/api/v1/seasons"


@pytest.fixture
def world(sessions: Sessions) -> World:
    return build_world(sessions)


def _ready(sessions: Sessions, world: World, season: int, rows: list[str]) -> None:
    with sessions.begin() as session:
        session.execute(
            update(SeasonCandidate)
            .where(SeasonCandidate.season_id == season)
            .values(stage="interviewed")
        )
    done = calibrate_season(
        sessions, world.coordinator, season, content=scores_file(rows), filename="s.csv"
    )
    assert done.committed


@pytest.fixture
def season(sessions: Sessions, world: World) -> int:
    season = tiny_season(sessions, world)
    _ready(sessions, world, season, flip_rows())
    return season


def _decisions(sessions: Sessions) -> int:
    with sessions() as session:
        return len(list(session.scalars(select(InterviewDecision))))


def _form(twin: dict[str, object]) -> dict[str, str]:
    calibration = twin["calibration"]
    assert isinstance(calibration, dict)
    return {
        "places": str(twin["places"]),
        "alternates": str(twin["alternates"]),
        "seed": str(twin["seed"]),
        "calibration_id": str(calibration["id"]),
        "versions": str(twin["versions"]),
        "confirm": "yes",
    }


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_page_and_its_twin_show_the_same_preview(
    client: TestClient, season: int, lang: str
) -> None:
    sign_in(client, COORDINATOR)
    query = f"places=3&alternates=2&lang={lang}"
    twin = client.get(f"{API}/{season}/shortlist?{query}")
    page = client.get(f"/seasons/{season}/shortlist?{query}")
    assert twin.status_code == page.status_code == 200
    body = twin.json()
    assert (body["crossed_in"], body["crossed_out"], body["ties"]) == (2, 2, 2)
    assert body["counts"] == {"shortlisted": 3, "alternate": 2, "not_selected": 3}
    assert f'href="/api/v1/seasons/{season}/shortlist?places=3' in page.text
    for row in body["rows"]:
        assert f'data-candidate="{row["candidate_id"]}"' in page.text
    assert 'data-flag="in"' in page.text and 'data-flag="tie"' in page.text
    assert 'id="decide-form"' in page.text
    if lang == "ja":
        assert "候補者" in page.text


def test_confirming_on_the_page_decides_and_the_candidate_page_links_back(
    client: TestClient, sessions: Sessions, season: int
) -> None:
    sign_in(client, COORDINATOR)
    twin = client.get(f"{API}/{season}/shortlist?places=3&alternates=2").json()
    unconfirmed = {**_form(twin), "confirm": ""}
    refused = client.post(f"/seasons/{season}/shortlist", data=unconfirmed, headers=SAME_ORIGIN)
    assert refused.status_code == 422 and 'id="e-confirm"' in refused.text
    assert _decisions(sessions) == 0

    done = client.post(
        f"/seasons/{season}/shortlist",
        data=_form(twin),
        headers=SAME_ORIGIN,
        follow_redirects=False,
    )
    assert done.status_code == 303 and "decided=1" in done.headers["location"]
    page = client.get(done.headers["location"])
    assert 'id="shortlist-decided"' in page.text and 'id="last-decision"' in page.text
    assert _decisions(sessions) == 8


def test_a_stale_preview_is_refused_whole_over_the_page_and_the_api(
    client: TestClient, sessions: Sessions, season: int
) -> None:
    sign_in(client, COORDINATOR)
    twin = client.get(f"{API}/{season}/shortlist?places=3&alternates=2").json()
    with sessions.begin() as session:  # someone moves A01 back meanwhile
        row = session.scalars(
            select(SeasonCandidate).where(SeasonCandidate.external_id == "A01")
        ).one()
        row.stage = "screened"
    page = client.post(f"/seasons/{season}/shortlist", data=_form(twin), headers=SAME_ORIGIN)
    assert page.status_code == 409 and "A01" in page.text
    body = {
        "places": 3,
        "alternates": 2,
        "seed": twin["seed"],
        "calibration_id": twin["calibration"]["id"],
        "versions": {str(r["id"]): r["version"] for r in twin["rows"]},
    }
    answer = client.post(f"{API}/{season}/shortlist", json=body, headers=SAME_ORIGIN)
    assert answer.status_code == 409
    assert _decisions(sessions) == 0
    fresh = client.get(f"{API}/{season}/shortlist?places=3&alternates=2").json()
    body["versions"] = {str(r["id"]): r["version"] for r in fresh["rows"]}
    answer = client.post(f"{API}/{season}/shortlist", json=body, headers=SAME_ORIGIN)
    assert answer.status_code == 200 and answer.json()["committed"] is True


def test_a_bad_number_is_shown_next_to_its_field(client: TestClient, season: int) -> None:
    sign_in(client, COORDINATOR)
    page = client.get(f"/seasons/{season}/shortlist?places=many")
    assert page.status_code == 422
    assert 'id="e-places"' in page.text and 'href="#f-places"' in page.text
    assert client.get(f"{API}/{season}/shortlist?places=-1").status_code == 422


def test_boe_staff_and_candidates_cannot_see_the_shortlist(
    client: TestClient, sessions: Sessions, world: World
) -> None:
    season = filled_season(sessions, world)
    _ready(sessions, world, season, flip_rows("C01", "C02", [f"C0{i}" for i in range(3, 9)]))
    for who in (KOBE, CANDIDATE_EMAILS["C01"]):
        sign_in(client, who)
        assert client.get(f"{API}/{season}/shortlist").status_code == 403
        assert client.get(f"/seasons/{season}/shortlist").status_code == 403
        body = {"places": 1, "alternates": 0, "seed": 1, "calibration_id": 1, "versions": {}}
        posted = client.post(f"{API}/{season}/shortlist", json=body, headers=SAME_ORIGIN)
        assert posted.status_code == 403
    sign_in_as_other_programme(client, sessions)
    assert client.get(f"{API}/{season}/shortlist").status_code == 404
    assert client.get(f"/seasons/{season}/shortlist").status_code == 404
    body = {"places": 1, "alternates": 0, "seed": 1, "calibration_id": 1, "versions": {}}
    posted = client.post(f"{API}/{season}/shortlist", json=body, headers=SAME_ORIGIN)
    assert posted.status_code == 404
    assert _decisions(sessions) == 0


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_candidate_reads_their_own_result_with_reasons_and_no_one_elses(
    client: TestClient, sessions: Sessions, world: World, lang: str
) -> None:
    """Emily (C01) was heard by the lenient panel: calibrated 3.00 against a raw mean of 3.67;
    with three places she is alternate number 2, one whom raw means would have shortlisted."""
    season = filled_season(sessions, world)
    _ready(sessions, world, season, flip_rows("C01", "C02", [f"C0{i}" for i in range(3, 9)]))
    sign_in(client, CANDIDATE_EMAILS["C01"])
    assert client.get(f"{API}/{season}/application").json()["interview_result"] is None

    sign_in(client, COORDINATOR)
    twin = client.get(f"{API}/{season}/shortlist?places=3&alternates=2").json()
    client.post(f"/seasons/{season}/shortlist", data=_form(twin), headers=SAME_ORIGIN)

    sign_in(client, CANDIDATE_EMAILS["C01"])
    mine = client.get(f"{API}/{season}/application?lang={lang}").json()["interview_result"]
    assert mine["decision"] == "alternate" and mine["alternate_position"] == 2
    assert mine["adjustment"] == "lowered"
    assert mine["reason_codes"] == ["alternate_range", "crossed_out", "statistical_tie"]
    assert len(mine["reasons"]) == 3 and f"{mine['cut']:.2f}" in mine["reasons"][0]
    page = client.get(f"/seasons/{season}/application?lang={lang}")
    assert 'id="interview-result" data-decision="alternate"' in page.text
    for reason in mine["reasons"]:
        assert reason.replace("'", "&#39;") in page.text
    liam = next(r for r in twin["rows"] if r["candidate_id"] == "C02")
    assert client.get(f"{API}/{season}/candidates/{liam['id']}").status_code == 404
    # The coordinator's view of Emily shows the same decision, about her.
    sign_in(client, COORDINATOR)
    emily = next(r for r in twin["rows"] if r["candidate_id"] == "C01")
    review = client.get(f"{API}/{season}/candidates/{emily['id']}").json()["interview_result"]
    assert (review["decision"], review["alternate_position"]) == ("alternate", 2)
    page = client.get(f"/seasons/{season}/candidates/{emily['id']}?lang={lang}")
    assert 'id="interview-decision" data-decision="alternate"' in page.text
    number = "補欠2番" if lang == "ja" else "Alternate number 2"
    assert number in page.text


def test_once_published_the_page_offers_no_decision_and_the_api_answers_409(
    client: TestClient, sessions: Sessions, world: World, season: int
) -> None:
    sign_in(client, COORDINATOR)
    twin = client.get(f"{API}/{season}/shortlist").json()
    run = run_season_match(sessions, world.coordinator, season, seed=5).run.id
    publish_run(sessions, world.coordinator, season, run, overrides=PUBLISH_ANYWAY)
    page = client.get(f"/seasons/{season}/shortlist")
    assert 'id="shortlist-closed"' in page.text and 'id="decide-form"' not in page.text
    body = {
        "places": twin["places"],
        "alternates": twin["alternates"],
        "seed": twin["seed"],
        "calibration_id": twin["calibration"]["id"],
        "versions": {str(r["id"]): r["version"] for r in twin["rows"]},
    }
    assert (
        client.post(f"{API}/{season}/shortlist", json=body, headers=SAME_ORIGIN).status_code == 409
    )
    assert _decisions(sessions) == 0
