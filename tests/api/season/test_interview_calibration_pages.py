"""The interview calibration page and its JSON twin, the upload over both, and the candidate
pages that tell how an interview score was adjusted: in English and Japanese, for the
season's coordinators only."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from httpx import Response
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
from altmatch.domain.calibrated_scores import ScoreFacts, explain_adjustment
from altmatch.i18n import render
from altmatch.services.season.interview_calibration import calibrate_season
from altmatch.services.season.publish import publish_run
from altmatch.services.season.runs import run_season_match

pytestmark = pytest.mark.date_sensitive  # the test seasons' request deadlines are a month on

COORDINATOR, KOBE = "coordinator@example.org", "kobe@example.org"
API = "/api/v1/seasons"
CSV = "text/csv"


@pytest.fixture
def world(sessions: Sessions) -> World:
    return build_world(sessions)


@pytest.fixture
def season(sessions: Sessions, world: World) -> int:
    return tiny_season(sessions, world)


def _store(sessions: Sessions, world: World, season: int, rows: list[str]) -> None:
    done = calibrate_season(
        sessions, world.coordinator, season, content=scores_file(rows), filename="s.csv"
    )
    assert done.committed, done.errors


def _post_page(
    client: TestClient, season: int, rows: list[str], action: str, confirm: bool
) -> Response:
    data = {"action": action} | ({"confirm": "yes"} if confirm else {})
    files = {"file": ("scores.csv", scores_file(rows), CSV)}
    return client.post(
        f"/seasons/{season}/interviews",
        data=data,
        files=files,
        headers=SAME_ORIGIN,
        follow_redirects=False,
    )


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_page_and_its_twin_show_the_same_report(
    client: TestClient, sessions: Sessions, world: World, season: int, lang: str
) -> None:
    _store(sessions, world, season, flip_rows())
    sign_in(client, COORDINATOR)

    twin = client.get(f"{API}/{season}/interviews?lang={lang}")
    page = client.get(f"/seasons/{season}/interviews?lang={lang}")
    assert twin.status_code == page.status_code == 200
    body = twin.json()
    assert body["calibration"]["candidates"] == 8 and len(body["assessors"]) == 5
    assert body["listing"]["total"] == 8 and body["open"] is True
    for row in body["candidates"]:
        assert f'data-candidate="{row["candidate_id"]}"' in page.text
    for assessor in body["assessors"]:
        assert f'data-assessor="{assessor["assessor_id"]}"' in page.text
    for warning in body["calibration"]["warnings"]:
        assert warning in page.text  # the same sentences, in the page's language
    assert '<figure class="chart" id="severity-chart">' in page.text
    assert page.text.count('class="series-0"') == 5  # one dot per assessor
    if lang == "ja":
        assert "面接評価の補正" in page.text and "評価者" in page.text
        assert 'lang="ja"' in page.text


def test_the_candidates_list_is_searched_sorted_and_paged_like_the_other_lists(
    client: TestClient, sessions: Sessions, world: World, season: int
) -> None:
    _store(sessions, world, season, flip_rows())
    sign_in(client, COORDINATOR)

    by_change = client.get(f"{API}/{season}/interviews?sort=change&dir=desc&per_page=2").json()
    assert by_change["listing"]["pages"] == 4
    assert [c["rank_change"] for c in by_change["candidates"]] == sorted(
        (c["rank_change"] for c in by_change["candidates"]), reverse=True
    )
    found = client.get(f"{API}/{season}/interviews?q=B01").json()
    assert [c["candidate_id"] for c in found["candidates"]] == ["B01"]
    b = found["candidates"][0]
    assert b["match_score"] == 75 and b["interview_score"] == 60 and b["rank_change"] > 0
    assert client.get(f"{API}/{season}/interviews?sort=charisma").status_code == 422


def test_storing_from_the_page_needs_the_confirmation_then_shows_the_report(
    client: TestClient, sessions: Sessions, season: int
) -> None:
    sign_in(client, COORDINATOR)

    unconfirmed = _post_page(client, season, flip_rows(), "commit", confirm=False)
    assert unconfirmed.status_code == 422
    assert 'data-field="confirm"' in unconfirmed.text
    assert client.get(f"{API}/{season}/interviews").json()["calibration"] is None

    stored = _post_page(client, season, flip_rows(), "commit", confirm=True)
    assert stored.status_code == 303
    assert stored.headers["location"] == f"/seasons/{season}/interviews?stored=1"
    page = client.get(f"/seasons/{season}/interviews?stored=1")
    assert 'id="calibration-stored"' in page.text and 'id="current-figures"' in page.text


def test_checking_a_file_shows_what_storing_would_give_and_stores_nothing(
    client: TestClient, season: int
) -> None:
    sign_in(client, COORDINATOR)
    checked = _post_page(client, season, flip_rows(), "preview", confirm=False)

    assert checked.status_code == 200
    assert 'id="calibration-preview"' in checked.text
    assert client.get(f"{API}/{season}/interviews").json()["calibration"] is None


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_bad_file_is_refused_by_row_and_column_on_the_page_and_over_the_api(
    client: TestClient, season: int, lang: str
) -> None:
    rows = [*flip_rows(), "ZZ9,PL,s,communication,7"]  # file row len(rows) + 1
    sign_in(client, COORDINATOR)

    page = _post_page(client, season, rows, "commit", confirm=True)
    assert page.status_code == 422
    cells = re.findall(r"<tr><td>(\d+)</td><td>(\w+)</td>", page.text)
    assert set(cells) == {(str(len(rows) + 1), "candidate_id"), (str(len(rows) + 1), "score")}

    files = {"file": ("scores.csv", scores_file(rows), CSV)}
    api = client.post(
        f"{API}/{season}/interviews/calibration?commit=true&lang={lang}",
        files=files,
        headers=SAME_ORIGIN,
    )
    assert api.status_code == 422 and api.json()["committed"] is False
    assert {(e["row"], e["column"]) for e in api.json()["errors"]} == {
        (len(rows) + 1, "candidate_id"),
        (len(rows) + 1, "score"),
    }
    if lang == "ja":  # the reader's checks speak Japanese already
        score = next(e for e in api.json()["errors"] if e["column"] == "score")
        assert re.search(r"[\u3040-\u30ff]", score["message"]), score["message"]
    assert client.get(f"{API}/{season}/interviews").json()["calibration"] is None


def test_the_api_upload_checks_then_stores_with_commit(client: TestClient, season: int) -> None:
    sign_in(client, COORDINATOR)
    files = {"file": ("scores.csv", scores_file(flip_rows()), CSV)}
    url = f"{API}/{season}/interviews/calibration"

    checked = client.post(url, files=files, headers=SAME_ORIGIN)
    assert checked.status_code == 200 and checked.json()["calibration"]["id"] is None
    stored = client.post(f"{url}?commit=true", files=files, headers=SAME_ORIGIN)
    assert stored.status_code == 200 and stored.json()["committed"] is True
    assert client.get(f"{API}/{season}/interviews").json()["calibration"]["candidates"] == 8


def test_a_board_of_education_gets_403_and_another_programme_404(
    client: TestClient, sessions: Sessions, season: int
) -> None:
    files = {"file": ("scores.csv", scores_file(flip_rows()), CSV)}
    sign_in(client, KOBE)
    assert client.get(f"{API}/{season}/interviews").status_code == 403
    assert client.get(f"/seasons/{season}/interviews").status_code == 403
    posted = client.post(f"{API}/{season}/interviews/calibration", files=files, headers=SAME_ORIGIN)
    assert posted.status_code == 403

    sign_in_as_other_programme(client, sessions)
    assert client.get(f"{API}/{season}/interviews").status_code == 404
    assert client.get(f"/seasons/{season}/interviews").status_code == 404
    url = f"{API}/{season}/interviews/calibration?commit=true"
    assert client.post(url, files=files, headers=SAME_ORIGIN).status_code == 404


def test_once_published_the_page_offers_no_upload_and_the_api_answers_409(
    client: TestClient, sessions: Sessions, world: World, season: int
) -> None:
    run = run_season_match(sessions, world.coordinator, season, seed=5).run.id
    publish_run(sessions, world.coordinator, season, run, overrides=PUBLISH_ANYWAY)
    sign_in(client, COORDINATOR)

    page = client.get(f"/seasons/{season}/interviews")
    assert 'id="calibration-closed"' in page.text and 'id="calibration-form"' not in page.text
    files = {"file": ("scores.csv", scores_file(flip_rows()), CSV)}
    url = f"{API}/{season}/interviews/calibration?commit=true"
    assert client.post(url, files=files, headers=SAME_ORIGIN).status_code == 409


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_coordinators_candidate_page_says_how_the_score_was_adjusted(
    client: TestClient, sessions: Sessions, world: World, season: int, lang: str
) -> None:
    """B01 was heard by the harsh panel: raised from a raw mean of 3.33 to 3.99."""
    _store(sessions, world, season, flip_rows())
    run_season_match(sessions, world.coordinator, season, seed=5)
    sign_in(client, COORDINATOR)
    overview = client.get(f"{API}/{season}?q=B01").json()
    b = overview["candidates"][0]["id"]

    review = client.get(f"{API}/{season}/candidates/{b}/review?lang={lang}").json()
    interview = review["interview"]
    assert interview["adjustment"] == "raised" and interview["match_score"] == 75
    facts = ScoreFacts(interview["raw_mean"], interview["score"], interview["se"], 1, 5)
    assert interview["text"] == render(explain_adjustment(facts, own=False), lang)
    assert f"{interview['raw_mean']:.2f}" in interview["text"]
    page = client.get(f"/seasons/{season}/candidates/{b}?lang={lang}")
    assert 'data-adjustment="raised"' in page.text
    assert interview["text"].replace("'", "&#39;") in page.text


def test_the_candidate_reads_how_their_score_was_adjusted_with_their_outcome(
    client: TestClient, sessions: Sessions, world: World
) -> None:
    """C01 (Emily) was heard by the lenient panel, so calibration lowered her score."""
    season = filled_season(sessions, world)
    others = [f"C0{i}" for i in range(3, 9)]
    _store(sessions, world, season, flip_rows("C01", "C02", others))
    sign_in(client, CANDIDATE_EMAILS["C01"])
    before = client.get(f"{API}/{season}/application").json()
    assert before["interview"] is None  # told with the outcome, not before

    run = run_season_match(sessions, world.coordinator, season, seed=3).run.id
    publish_run(sessions, world.coordinator, season, run, overrides=PUBLISH_ANYWAY)
    for lang in ("en", "ja"):
        mine = client.get(f"{API}/{season}/application?lang={lang}").json()["interview"]
        assert mine["adjustment"] == "lowered"
        facts = ScoreFacts(mine["raw_mean"], mine["score"], mine["se"], 1, 5)
        assert mine["text"] == render(explain_adjustment(facts, own=True), lang)
        page = client.get(f"/seasons/{season}/application?lang={lang}")
        assert 'id="interview-adjustment" data-adjustment="lowered"' in page.text
        assert mine["text"].replace("'", "&#39;") in page.text
