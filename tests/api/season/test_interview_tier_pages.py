"""The run's pages tell what the interview decision did to the match: the run page and its
twin show each candidate's tier, the publication page how many were ranked in each and left
out, and the coordinator's candidate page the tier in the run, or that the candidate was left
out; in English and Japanese.

The tiny season (tests/calibration_world.py), decided with three places and two alternates:
B01 (shortlisted) and A01 (alternate 2) want Kobe's one place; F05 is not selected."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from tests.api.helpers import SAME_ORIGIN, sign_in
from tests.calibration_world import flip_rows, scores_file, tiny_season
from tests.season_world import World, build_world

from altmatch.db import Sessions
from altmatch.db.models import SeasonCandidate
from altmatch.services.season.interview_calibration import calibrate_season

pytestmark = pytest.mark.date_sensitive  # the test season's request deadline is a month on

COORDINATOR = "coordinator@example.org"
API = "/api/v1/seasons"


@pytest.fixture
def world(sessions: Sessions) -> World:
    return build_world(sessions)


@pytest.fixture
def run(client: TestClient, sessions: Sessions, world: World) -> tuple[int, int]:
    """(season, run) after deciding the round and running the match, signed in."""
    season = tiny_season(sessions, world)
    with sessions.begin() as session:
        session.execute(
            update(SeasonCandidate)
            .where(SeasonCandidate.season_id == season)
            .values(stage="interviewed")
        )
    done = calibrate_season(
        sessions, world.coordinator, season, content=scores_file(flip_rows()), filename="s.csv"
    )
    assert done.committed
    sign_in(client, COORDINATOR)
    twin = client.get(f"{API}/{season}/shortlist?places=3&alternates=2").json()
    body = {
        "places": 3,
        "alternates": 2,
        "seed": twin["seed"],
        "calibration_id": twin["calibration"]["id"],
        "versions": dict(v.split(".") for v in twin["versions"].split(",")),
    }
    decided = client.post(f"{API}/{season}/shortlist", json=body, headers=SAME_ORIGIN)
    assert decided.status_code == 200, decided.text
    made = client.post(f"{API}/{season}/runs", json={"seed": 1}, headers=SAME_ORIGIN)
    assert made.status_code == 201, made.text
    return season, made.json()["run"]["id"]


def _row_id(sessions: Sessions, external: str) -> int:
    with sessions() as session:
        query = select(SeasonCandidate.id).where(SeasonCandidate.external_id == external)
        return session.scalars(query).one()


@pytest.mark.parametrize(
    ("lang", "shortlisted", "alternate"),
    [("en", "Shortlisted", "Alternate 2"), ("ja", "最終候補", "補欠 2")],
)
def test_the_run_page_and_its_twin_show_each_tier(
    client: TestClient, run: tuple[int, int], lang: str, shortlisted: str, alternate: str
) -> None:
    season, run_id = run
    twin = client.get(f"{API}/{season}/runs/{run_id}?lang={lang}").json()
    assert twin["interview"] == {
        "shortlisted": 3,
        "alternates": 2,
        "not_selected": 3,
        "undecided": 0,
    }
    tiers = {p["candidate_id"]: p["interview"] for p in twin["placements"]}
    assert tiers["B01"] == shortlisted and tiers["A01"] == alternate
    assert "F05" not in tiers  # left out of the match
    page = client.get(f"/seasons/{season}/runs/{run_id}?lang={lang}")
    assert page.status_code == 200
    assert 'id="run-interview"' in page.text
    cells = set(re.findall(r"<td class=\"text\" data-tier>([^<]*)</td>", page.text))
    assert {shortlisted, alternate} <= cells  # each row's tier, in the reader's language


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_publication_page_says_the_decision_bound_the_run(
    client: TestClient, run: tuple[int, int], lang: str
) -> None:
    season, run_id = run
    twin = client.get(f"{API}/{season}/runs/{run_id}/publication?lang={lang}").json()
    assert twin["interview"]["not_selected"] == 3
    decided = next(c for c in twin["checks"] if c["check"] == "applications_decided")
    assert decided["passed"]
    page = client.get(f"/seasons/{season}/runs/{run_id}/publish?lang={lang}")
    assert 'id="publication-interview"' in page.text
    if lang == "ja":
        assert "interview round" not in page.text and "面接" in page.text


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_candidate_page_shows_the_tier_or_that_the_run_left_them_out(
    client: TestClient, sessions: Sessions, run: tuple[int, int], lang: str
) -> None:
    season, run_id = run
    a01, f05 = _row_id(sessions, "A01"), _row_id(sessions, "F05")
    seen = client.get(f"{API}/{season}/candidates/{a01}/review?run={run_id}").json()
    assert seen["run_interview"] == "Alternate 2" and not seen["left_out"]
    seen = client.get(f"{API}/{season}/candidates/{f05}/review?run={run_id}").json()
    assert seen["left_out"] and seen["outcome"] is None
    page = client.get(f"/seasons/{season}/candidates/{f05}?run={run_id}&lang={lang}")
    assert page.status_code == 200
    assert 'id="run-interview"' in page.text and 'id="no-outcome"' in page.text
    if lang == "en":
        assert "Not selected at interview: left out of run" in page.text
    else:
        assert "left out of run" not in page.text
