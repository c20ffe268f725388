"""The season's pages render the same read models as their JSON twins, in both languages."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from tests.api.helpers import SAME_ORIGIN, sign_in
from tests.season_world import (
    CANDIDATE_EMAILS,
    CONTRACT_START,
    PUBLISH_ANYWAY,
    World,
    build_world,
    candidates_csv,
    future_deadline,
    requests_csv,
)

from altmatch.db import Sessions
from altmatch.rulebook.prefectures import load_prefectures
from altmatch.services.season.imports import import_candidates, import_requests
from altmatch.services.season.publish import publish_run
from altmatch.services.season.runs import run_season_chances, run_season_match
from altmatch.services.season.setup import open_season

pytestmark = pytest.mark.date_sensitive

COORDINATOR, KOBE, EMILY = "coordinator@example.org", "kobe@example.org", CANDIDATE_EMAILS["C01"]


@pytest.fixture
def world(sessions: Sessions) -> World:
    return build_world(sessions)


@pytest.fixture
def season(sessions: Sessions, world: World) -> int:
    season = open_season(
        sessions,
        world.coordinator,
        name="2027",
        year=2027,
        request_deadline=future_deadline(),
        contract_start=CONTRACT_START,
    )
    import_requests(
        sessions,
        world.coordinator,
        season.id,
        content=requests_csv(),
        filename="r.csv",
        commit=True,
    )
    return season.id


def test_the_coordinator_checks_a_file_on_the_overview_and_sees_each_bad_row_in_japanese(
    client: TestClient, world: World, season: int
) -> None:
    sign_in(client, COORDINATOR)
    bad = candidates_csv(extra_rows=[["C13", "N9", "", "", "", "", "", "", "", "", "", "", ""]])

    response = client.post(
        f"/seasons/{season}/import/candidates?lang=ja",
        files={"file": ("c.csv", bad)},
        data={"action": "preview"},
        headers=SAME_ORIGIN,
    )

    assert response.status_code == 422
    assert 'id="import-errors"' in response.text and "何も取り込まれていません" in response.text
    assert "<td>14</td><td>jlpt</td>" in response.text


def test_the_coordinator_imports_runs_and_publishes_through_the_pages(
    client: TestClient, world: World, season: int, inline_jobs: None
) -> None:
    sign_in(client, COORDINATOR)
    imported = client.post(
        f"/seasons/{season}/import/candidates",
        files={"file": ("c.csv", candidates_csv())},
        data={"action": "commit"},
        headers=SAME_ORIGIN,
    )
    # Importing is a job: its progress page shows the report (inline jobs: done already).
    assert imported.url.path.startswith(f"/seasons/{season}/jobs/")
    assert imported.status_code == 200 and 'id="import-committed"' in imported.text

    progress = client.post(f"/seasons/{season}/runs", data={"seed": "5"}, headers=SAME_ORIGIN)
    assert progress.url.path.startswith(f"/seasons/{season}/jobs/")
    assert 'id="open-run"' in progress.text  # inline jobs: done by the time the page renders
    run_url = progress.text.split('id="job-done"><a href="')[1].split('"')[0]
    run = client.get(run_url)
    assert run.status_code == 200 and 'id="stability"' in run.text
    run_id = run.url.path.rsplit("/", 1)[1]
    assert f'href="/seasons/{season}/runs/{run_id}/publish" id="publish"' in run.text
    review = client.get(f"/seasons/{season}/runs/{run_id}/publish")
    assert review.status_code == 200 and 'id="publication-checks"' in review.text
    form = {f"overrides.{code}": reason for code, reason in PUBLISH_ANYWAY.items()}
    unconfirmed = client.post(
        f"/seasons/{season}/runs/{run_id}/publish", data=form, headers=SAME_ORIGIN
    )
    assert unconfirmed.status_code == 422 and 'id="e-confirm"' in unconfirmed.text
    published = client.post(
        f"/seasons/{season}/runs/{run_id}/publish",
        data={**form, "confirm": "yes"},
        headers=SAME_ORIGIN,
    )

    assert 'id="run-status"' in published.text and "Published" in published.text
    again = client.post(
        f"/seasons/{season}/runs/{run_id}/publish",
        data={**form, "confirm": "yes"},
        headers=SAME_ORIGIN,
    )
    assert again.status_code == 409 and 'id="already-published"' in again.text


def test_importing_on_the_overview_goes_on_to_the_jobs_progress_page_which_shows_the_report(
    client: TestClient, world: World, season: int, inline_jobs: None
) -> None:
    sign_in(client, COORDINATOR)

    started = client.post(
        f"/seasons/{season}/import/candidates",
        files={"file": ("c.csv", candidates_csv())},
        data={"action": "commit"},
        headers=SAME_ORIGIN,
        follow_redirects=False,
    )
    htmx = client.post(
        f"/seasons/{season}/import/requests",
        files={"file": ("r.csv", requests_csv())},
        data={"action": "commit"},
        headers={**SAME_ORIGIN, "HX-Request": "true"},
    )

    assert started.status_code == 303
    progress = started.headers["location"]
    assert progress.startswith(f"/seasons/{season}/jobs/")
    page = client.get(progress)
    assert 'data-status="done"' in page.text and "Imported 12 rows." in page.text
    assert f'href="/seasons/{season}" id="job-back"' in page.text
    assert "hx-trigger" not in page.text and "http-equiv" not in page.text  # finished
    # An htmx form is sent on to the page itself (not given a fragment in the form's place).
    assert htmx.headers["HX-Redirect"].startswith(f"/seasons/{season}/jobs/")
    overview = client.get(f"/seasons/{season}")
    assert '<dd id="count-candidates">12</dd>' in overview.text


def test_a_failed_import_jobs_page_names_each_bad_row_and_column_in_japanese(
    client: TestClient, world: World, season: int, inline_jobs: None
) -> None:
    sign_in(client, COORDINATOR)
    client.cookies.set("lang", "ja")  # as the language switch leaves it
    bad = candidates_csv(extra_rows=[["C13", "N9", "", "", "", "", "", "", "", "", "", "", ""]])

    page = client.post(
        f"/seasons/{season}/import/candidates",
        files={"file": ("c.csv", bad)},
        data={"action": "commit"},
        headers=SAME_ORIGIN,
    )

    assert page.url.path.startswith(f"/seasons/{season}/jobs/") and 'lang="ja"' in page.text
    assert 'data-status="failed"' in page.text and 'id="import-errors"' in page.text
    assert "何も取り込まれていません" in page.text and "シーズンに戻る" in page.text
    assert "<td>14</td><td>jlpt</td>" in page.text
    assert '<dd id="count-candidates">0</dd>' in client.get(f"/seasons/{season}").text


def test_an_unfinished_import_jobs_page_refreshes_itself_without_javascript(
    client: TestClient, world: World, season: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from altmatch.services.kernel import job_queue

    monkeypatch.setattr(job_queue, "hand_on", lambda sessions, job_id: None)  # stays queued
    sign_in(client, COORDINATOR)

    page = client.post(
        f"/seasons/{season}/import/candidates",
        files={"file": ("c.csv", candidates_csv())},
        data={"action": "commit"},
        headers=SAME_ORIGIN,
    )

    assert 'data-status="queued"' in page.text and 'id="check-again"' in page.text
    assert 'hx-trigger="every 1s"' in page.text  # htmx polls...
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page.text  # ...or not


def test_a_boe_edits_its_request_on_its_page(client: TestClient, world: World, season: int) -> None:
    sign_in(client, KOBE)
    listing = client.get(f"/api/v1/seasons/{season}/requests").json()["requests"]
    first = listing[0]
    page = client.get(f"/seasons/{season}/requests?edit={first['id']}")
    assert page.status_code == 200 and 'id="save-request"' in page.text
    assert "TYO-MIX" not in page.text  # another BoE's request

    form = {
        "version": str(first["version"]),
        "capacity": "4",
        "prefecture": "Hyogo",
        "min_jlpt": "N4",
        "school_levels": ["elementary", "junior_high"],
        "requires_driving_licence": "on",
    }
    saved = client.post(f"/seasons/{season}/requests/{first['id']}", data=form, headers=SAME_ORIGIN)
    stale = client.post(f"/seasons/{season}/requests/{first['id']}", data=form, headers=SAME_ORIGIN)

    edited = client.get(f"/api/v1/seasons/{season}/requests").json()["requests"][0]
    assert saved.status_code == 200 and edited["capacity"] == 4
    assert edited["school_levels"] == ["elementary", "junior_high"]
    assert edited["requires_driving_licence"] is True
    assert stale.status_code == 409 and 'id="form-error"' in stale.text


def test_a_candidate_sees_the_outcome_on_my_application_in_japanese(
    client: TestClient, world: World, season: int, sessions: Sessions
) -> None:
    import_candidates(
        sessions,
        world.coordinator,
        season,
        content=candidates_csv(),
        filename="c.csv",
        commit=True,
    )
    sign_in(client, EMILY)
    before = client.get(f"/seasons/{season}/application")
    assert 'id="preferences-form"' in before.text and 'id="outcome"' not in before.text
    run = run_season_match(sessions, world.coordinator, season, seed=2026)
    publish_run(sessions, world.coordinator, season, run.run.id, overrides=PUBLISH_ANYWAY)

    after = client.get(f"/seasons/{season}/application?lang=ja")
    twin = client.get(f"/api/v1/seasons/{season}/application").json()

    assert 'id="outcome"' in after.text and "あなたの結果" in after.text
    assert f'data-stage="{twin["application"]["stage"]}"' in after.text
    assert 'id="preferences-form"' not in after.text  # published: preferences are final
    # placed: the prefecture reads in Japanese, not as stored ("Hyogo")
    place = load_prefectures().find(twin["outcome"]["prefecture"])
    assert place is not None and place.ja in after.text and place.en not in after.text


def test_signed_in_staff_and_candidates_find_the_seasons_in_the_header(
    client: TestClient, world: World, season: int
) -> None:
    sign_in(client, KOBE)
    page = client.get("/seasons")
    assert 'id="nav-seasons"' in page.text and f"/seasons/{season}/requests" in page.text
    assert client.get(f"/seasons/{season}/placements").status_code == 200


def test_a_published_run_with_chances_shows_each_candidate_how_much_luck_was_involved(
    client: TestClient, world: World, season: int, sessions: Sessions
) -> None:
    import_candidates(
        sessions, world.coordinator, season, content=candidates_csv(), filename="c.csv", commit=True
    )
    run = run_season_match(sessions, world.coordinator, season, seed=7)
    run_season_chances(sessions, world.coordinator, season, run.run.id, runs=400)
    publish_run(sessions, world.coordinator, season, run.run.id, overrides=PUBLISH_ANYWAY)

    sign_in(client, EMILY)
    twin = client.get(f"/api/v1/seasons/{season}/application").json()["outcome"]
    page = client.get(f"/seasons/{season}/application?lang=en")

    assert 0 <= twin["chance_low"] <= twin["chance"] <= twin["chance_high"] <= 1
    assert 'id="chance"' in page.text
    assert f"placed in {twin['chance'] * 100:.0f}% of them" in page.text
