"""The assessor's pages and their JSON twins: my panels, one candidate's sheet, saving,
submitting after the confirmation page, declaring a conflict; every refusal (anonymous,
another role, another panel's candidate, a stale sheet, unconfirmed forms); and the
coordinator's calibration from the sheets on the season's interviews page and in JSON."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from tests.api.helpers import PASSWORD, SAME_ORIGIN, sign_in
from tests.calibration_world import CRITERIA
from tests.interview_round_world import REFERENCE, STATEMENT, Round, build_round, score_lines
from tests.season_world import _actor

from altmatch.db import Sessions
from altmatch.domain.access import OPERATOR, Role
from altmatch.services.accounts.users import create_user
from altmatch.services.admin.users import change_role
from altmatch.services.season.interview_scoring import ScoreSheetIn, save_sheet

pytestmark = pytest.mark.date_sensitive  # the tiny season's request deadline is a month on

API = "/api/v1/assessing"


@pytest.fixture
def r(sessions: Sessions) -> Round:
    return build_round(sessions)


def _form(scores: dict[str, int], **extra: str) -> dict[str, str]:
    return {f"score_{k}": str(v) for k, v in scores.items()} | extra


def _submit_all(sessions: Sessions, r: Round) -> None:
    for (who, candidate), scores in score_lines(r).items():
        save_sheet(
            sessions,
            r.assessors[who],
            r.candidates[candidate],
            ScoreSheetIn(scores=scores),
            version=0,
            submit=True,
        )


def test_my_panels_page_and_its_twin_list_my_candidates_in_both_languages(
    client: TestClient, r: Round
) -> None:
    sign_in(client, "l1@example.org")
    data = client.get(API, params={"tz": "Europe/London"}).json()
    assert [p["code"] for p in data["panels"]] == ["PL"]
    ids = [s["candidate_id"] for s in data["panels"][0]["slots"]]
    page = client.get("/assessing")
    assert page.status_code == 200
    assert re.findall(r'data-candidate="(\d+)"', page.text) == [str(i) for i in ids]
    assert REFERENCE in page.text and "Not started" in page.text
    ja = client.get("/assessing", params={"lang": "ja"})
    assert "面接" in ja.text and "未着手" in ja.text
    assert client.get("/assessing", params={"tz": "Nowhere/Atlantis"}).status_code == 422


@pytest.mark.parametrize(
    "email", ["h1@example.org", "outsider@example.org", "coordinator@example.org"]
)
def test_a_candidate_of_a_panel_one_does_not_sit_on_is_not_found(
    client: TestClient, r: Round, email: str
) -> None:
    sign_in(client, email)
    candidate = r.candidates["A01"]
    assert client.get(f"/assessing/candidates/{candidate}").status_code == 404
    assert client.get(f"{API}/candidates/{candidate}").status_code == 404
    put = client.put(
        f"{API}/candidates/{candidate}/sheet",
        json={"scores": {}, "version": 0},
        headers=SAME_ORIGIN,
    )
    assert put.status_code == 404
    conflict = client.post(
        f"{API}/candidates/{candidate}/conflict", json={"reason": "friend"}, headers=SAME_ORIGIN
    )
    assert conflict.status_code == 404
    posted = client.post(
        f"/assessing/candidates/{candidate}/sheet",
        data=_form({CRITERIA[0]: 3}, action="save", version="0"),
        headers=SAME_ORIGIN,
    )
    assert posted.status_code == 404


@pytest.mark.parametrize("email", ["kobe@example.org", "emily@example.org"])
def test_other_roles_are_refused_the_assessing_pages(
    client: TestClient, r: Round, email: str
) -> None:
    sign_in(client, email)
    assert client.get("/assessing").status_code == 403
    assert client.get(API).status_code == 403
    assert client.get(f"{API}/candidates/{r.candidates['A01']}").status_code == 403


def test_an_assessor_is_refused_everything_else(client: TestClient, r: Round) -> None:
    sign_in(client, "l1@example.org")
    for path in (
        f"/seasons/{r.season_id}",
        f"/seasons/{r.season_id}/interviews",
        f"/api/v1/seasons/{r.season_id}/interviews/sheets",
        "/offices",
        f"/offices/{r.office_id}/queue",
        "/admin/users",
        "/dispatch/contracts",
    ):
        assert client.get(path).status_code == 403, path
    calibrate = client.post(
        f"/api/v1/seasons/{r.season_id}/interviews/calibration/sheets", headers=SAME_ORIGIN
    )
    assert calibrate.status_code == 403
    home = client.get("/")
    assert home.status_code == 200 and 'href="/assessing"' in home.text


def test_the_sheet_page_shows_the_anchors_the_statement_and_the_twin(
    client: TestClient, r: Round
) -> None:
    sign_in(client, "l1@example.org")
    candidate = r.candidates["A01"]
    page = client.get(f"/assessing/candidates/{candidate}", params={"lang": "ja"})
    assert page.status_code == 200
    assert STATEMENT in page.text
    for criterion in CRITERIA:
        assert len(re.findall(rf'name="score_{criterion}"', page.text)) == 5
    assert "コミュニケーション" in page.text and "利益相反" in page.text
    twin = client.get(f"{API}/candidates/{candidate}").json()
    assert twin["statement"] == STATEMENT and twin["version"] == 0


def test_saving_reviewing_and_submitting_a_sheet_on_the_page(client: TestClient, r: Round) -> None:
    sign_in(client, "l1@example.org")
    client.follow_redirects = False
    candidate = r.candidates["A01"]
    url = f"/assessing/candidates/{candidate}/sheet"
    saved = client.post(
        url, data=_form({CRITERIA[0]: 4}, action="save", version="0"), headers=SAME_ORIGIN
    )
    assert saved.status_code == 303 and saved.headers["location"].endswith("?saved=draft")
    version = client.get(f"{API}/candidates/{candidate}").json()["version"]
    incomplete = client.post(
        url,
        data=_form({CRITERIA[0]: 4}, action="review", version=str(version)),
        headers=SAME_ORIGIN,
    )
    assert incomplete.status_code == 422 and 'id="confirm-scores"' not in incomplete.text
    scores = dict.fromkeys(CRITERIA, 4)
    review = client.post(
        url, data=_form(scores, action="review", version=str(version)), headers=SAME_ORIGIN
    )
    assert review.status_code == 200 and 'id="confirm-scores"' in review.text
    assert client.get(f"{API}/candidates/{candidate}").json()["status"] == "draft"  # not yet
    unticked = client.post(
        url, data=_form(scores, action="submit", version=str(version)), headers=SAME_ORIGIN
    )
    assert unticked.status_code == 422 and 'id="confirm-scores"' in unticked.text
    done = client.post(
        url,
        data=_form(scores, action="submit", confirm="yes", version=str(version)),
        headers=SAME_ORIGIN,
    )
    assert done.status_code == 303 and done.headers["location"].endswith("?saved=submitted")
    sheet = client.get(f"{API}/candidates/{candidate}").json()
    assert sheet["status"] == "submitted" and sheet["scores"] == scores
    stale = client.post(
        url,
        data=_form(scores, action="submit", confirm="yes", version=str(version)),
        headers=SAME_ORIGIN,
    )
    assert stale.status_code == 409


def test_the_json_sheet_is_saved_whole_with_its_version(client: TestClient, r: Round) -> None:
    sign_in(client, "s@example.org")  # a coordinator who sits on the panel scores it
    candidate = r.candidates["B01"]
    url = f"{API}/candidates/{candidate}/sheet"
    first = client.put(url, json={"scores": {CRITERIA[0]: 2}, "version": 0}, headers=SAME_ORIGIN)
    assert first.status_code == 200 and first.json()["status"] == "draft"
    again = client.put(url, json={"scores": {}, "version": 0}, headers=SAME_ORIGIN)
    assert again.status_code == 409
    partial = client.put(
        url,
        json={"scores": {CRITERIA[0]: 2}, "version": first.json()["version"], "submit": True},
        headers=SAME_ORIGIN,
    )
    assert partial.status_code == 422
    off = client.put(
        url,
        json={"scores": {CRITERIA[0]: 9}, "version": first.json()["version"]},
        headers=SAME_ORIGIN,
    )
    assert off.status_code == 422


def test_declaring_a_conflict_asks_to_confirm_then_hides_the_candidate(
    client: TestClient, r: Round
) -> None:
    sign_in(client, "l2@example.org")
    client.follow_redirects = False
    candidate = r.candidates["F02"]
    url = f"/assessing/candidates/{candidate}/conflict"
    unconfirmed = client.post(url, data={"reason": "friend"}, headers=SAME_ORIGIN)
    assert unconfirmed.status_code == 422
    unexplained = client.post(url, data={"reason": "other", "confirm": "yes"}, headers=SAME_ORIGIN)
    assert unexplained.status_code == 422
    done = client.post(
        url,
        data={"reason": "friend", "note": "We climb together", "confirm": "yes"},
        headers=SAME_ORIGIN,
    )
    assert done.status_code == 303 and done.headers["location"] == "/assessing?declared=1"
    assert client.get(f"/assessing/candidates/{candidate}").status_code == 404
    listed = client.get(API).json()["panels"][0]["slots"]
    assert candidate not in [s["candidate_id"] for s in listed]
    json_again = client.post(
        f"{API}/candidates/{candidate}/conflict", json={"reason": "friend"}, headers=SAME_ORIGIN
    )
    assert json_again.status_code == 404


def test_the_coordinator_calibrates_from_the_sheets_after_seeing_the_counts(
    client: TestClient, sessions: Sessions, r: Round
) -> None:
    _submit_all(sessions, r)
    sign_in(client, "coordinator@example.org")
    client.follow_redirects = False
    summary = client.get(f"/api/v1/seasons/{r.season_id}/interviews/sheets").json()
    assert (summary["submitted"], summary["candidates"], summary["assessors"]) == (24, 8, 5)
    page = client.get(f"/seasons/{r.season_id}/interviews")
    assert 'id="sheets-submitted">24<' in page.text and summary["sha256"] in page.text
    url = f"/seasons/{r.season_id}/interviews/sheets"
    preview = client.post(url, data={"action": "preview"}, headers=SAME_ORIGIN)
    assert preview.status_code == 200 and 'id="sheets-preview"' in preview.text
    unticked = client.post(
        url, data={"action": "commit", "sha256": summary["sha256"]}, headers=SAME_ORIGIN
    )
    assert unticked.status_code == 422
    stale = client.post(
        url, data={"action": "commit", "confirm": "yes", "sha256": "0" * 64}, headers=SAME_ORIGIN
    )
    assert stale.status_code == 409
    stored = client.post(
        url,
        data={"action": "commit", "confirm": "yes", "sha256": summary["sha256"]},
        headers=SAME_ORIGIN,
    )
    assert stored.status_code == 303
    report = client.get(f"/api/v1/seasons/{r.season_id}/interviews").json()
    assert report["calibration"]["filename"] == "score sheets"
    api = client.post(
        f"/api/v1/seasons/{r.season_id}/interviews/calibration/sheets",
        params={"commit": "false"},
        headers=SAME_ORIGIN,
    )
    assert api.status_code == 200 and api.json()["calibration"]["candidates"] == 8


def test_an_administrator_makes_assessor_accounts_of_the_programme(
    client: TestClient, sessions: Sessions, r: Round
) -> None:
    create_user(
        sessions,
        actor=OPERATOR,
        email="admin@example.org",
        display_name="Admin",
        role=Role.ADMIN,
        password=PASSWORD,
    )
    sign_in(client, "admin@example.org")
    made = client.post(
        "/api/v1/users",
        json={
            "email": "officer@example.org",
            "display_name": "Embassy Officer",
            "role": "assessor",
            "organisation_id": r.world.programme_id,
            "password": PASSWORD,
        },
        headers=SAME_ORIGIN,
    )
    assert made.status_code == 201, made.text
    boe = client.post(
        "/api/v1/users",
        json={
            "email": "wrong@example.org",
            "display_name": "Wrong",
            "role": "assessor",
            "organisation_id": r.world.boe_ids["Kobe City BoE"],
        },
        headers=SAME_ORIGIN,
    )
    assert boe.status_code == 422  # an assessor belongs to a programme
    user = client.get(f"/api/v1/admin/users/{made.json()['id']}").json()
    assert "assessor" in user["roles_allowed"] and "coordinator" in user["roles_allowed"]
    listed = client.get("/admin/users", params={"role": "assessor", "lang": "ja"})
    assert "officer@example.org" in listed.text and "面接評価者" in listed.text
    changed = change_role(
        sessions,
        _actor(sessions, "admin@example.org"),
        r.user_ids["outsider"],
        Role.COORDINATOR,
        expected_role=Role.ASSESSOR,
        reason="Joins the programme office",
    )
    assert changed.user.role is Role.COORDINATOR
    back = change_role(
        sessions,
        _actor(sessions, "admin@example.org"),
        r.user_ids["outsider"],
        Role.ASSESSOR,
        expected_role=Role.COORDINATOR,
        reason="Back to the panels",
    )
    assert back.user.role is Role.ASSESSOR
