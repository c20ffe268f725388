"""The season over /api/v1/seasons: imports, tenant isolation, optimistic locking, publication."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

import openpyxl
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from tests.api.helpers import SAME_ORIGIN, sign_in
from tests.season_world import (
    CANDIDATE_EMAILS,
    PUBLISH_ANYWAY,
    World,
    build_world,
    candidates_csv,
    future_deadline,
    replace_alternates,
    requests_csv,
)

from altmatch.db import Sessions
from altmatch.db import season as repo
from altmatch.db.models import MatchRun, SeasonRow

pytestmark = pytest.mark.date_sensitive

COORDINATOR, KOBE, TOYOOKA = "coordinator@example.org", "kobe@example.org", "toyooka@example.org"
EMILY, LIAM = CANDIDATE_EMAILS["C01"], CANDIDATE_EMAILS["C02"]
API = "/api/v1/seasons"


@pytest.fixture
def world(sessions: Sessions) -> World:
    return build_world(sessions)


def _upload(
    client: TestClient, url: str, name: str, content: bytes, commit: bool
) -> dict[str, Any]:
    response = client.post(
        f"{url}?commit={str(commit).lower()}", files={"file": (name, content)}, headers=SAME_ORIGIN
    )
    assert response.status_code in (200, 422), response.text
    body: dict[str, Any] = response.json()
    body["status"] = response.status_code
    return body


@pytest.fixture
def season(client: TestClient, world: World) -> int:
    """A season with the example requests and candidates, signed in as the coordinator."""
    sign_in(client, COORDINATOR)
    body = {
        "name": "2027 season",
        "year": 2027,
        "request_deadline": future_deadline().isoformat(),
        "contract_start": "2027-07-25",
    }
    created = client.post(API, json=body, headers=SAME_ORIGIN)
    assert created.status_code == 201, created.text
    season_id: int = created.json()["id"]
    for kind, content in (("requests", requests_csv()), ("candidates", candidates_csv())):
        done = _upload(client, f"{API}/{season_id}/{kind}/import", f"{kind}.csv", content, True)
        assert done["committed"], done["errors"]
    return season_id


def _publish(client: TestClient, season: int) -> dict[str, Any]:
    sign_in(client, COORDINATOR)
    run = client.post(f"{API}/{season}/runs", json={"seed": 2026}, headers=SAME_ORIGIN)
    assert run.status_code == 201, run.text
    run_id = run.json()["run"]["id"]
    published = client.post(
        f"{API}/{season}/runs/{run_id}/publish",
        headers=SAME_ORIGIN,
        json={"overrides": PUBLISH_ANYWAY},
    )
    assert published.status_code == 200, published.text
    result: dict[str, Any] = published.json()
    return result


def test_a_preview_lists_every_bad_row_of_a_cp932_file_and_a_commit_then_stores_nothing(
    client: TestClient, world: World, season: int
) -> None:
    bad_rows = [
        ["C20", "N9", "1", "yes", "", "50", "", "", "", "no", "田中 一郎", "", ""],
        ["C21", "N3", "many", "maybe", "", "50", "", "", "", "no", "鈴木 二郎", "x@", "C99"],
    ]
    content = candidates_csv(encoding="cp932", extra_rows=bad_rows)
    url = f"{API}/{season}/candidates/import"

    preview = _upload(client, url, "new.csv", content, False)
    commit = _upload(client, url, "new.csv", content, True)

    where = {(e["row"], e["column"]) for e in preview["errors"]}
    assert {(14, "jlpt"), (15, "teaching_years"), (15, "driving_licence"), (15, "email")} <= where
    assert (15, "partner_id") in where
    assert (2, "candidate_id") in where  # C01 is already in the season
    assert preview["status"] == 200 and not preview["committed"]
    assert commit["status"] == 422 and not commit["committed"]
    overview = client.get(f"{API}/{season}").json()
    assert overview["counts"]["candidates"] == 12


def test_an_xlsx_requests_file_may_name_its_boe_by_id_or_by_japanese_name(
    client: TestClient, world: World, season: int
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["request_id", "capacity", "boe", "prefecture"])
    sheet.append(["KOB-X", 1, world.boe_ids["Kobe City BoE"], "Hyogo"])
    sheet.append(["TYO-X", 1, "豊岡市教育委員会", "Hyogo"])
    sheet.append(["OSA-X", 1, "Osaka City BoE", "Osaka"])
    buffer = io.BytesIO()
    book.save(buffer)
    url = f"{API}/{season}/requests/import"

    refused = _upload(client, url, "more.xlsx", buffer.getvalue(), True)

    assert [(e["row"], e["column"]) for e in refused["errors"]] == [(4, "boe")]
    sheet.delete_rows(4)
    buffer = io.BytesIO()
    book.save(buffer)
    assert _upload(client, url, "more.xlsx", buffer.getvalue(), True)["committed"]
    assert client.get(f"{API}/{season}").json()["counts"]["requests"] == 7


def test_a_boe_sees_and_edits_only_its_own_requests(
    client: TestClient, world: World, season: int
) -> None:
    sign_in(client, TOYOOKA)
    toyooka = client.get(f"{API}/{season}/requests").json()["requests"]
    sign_in(client, KOBE)
    kobe = client.get(f"{API}/{season}/requests").json()["requests"]
    assert {r["request_id"] for r in kobe} == {"KOB-ES", "KOB-JHS"}
    other = toyooka[0]

    response = client.put(
        f"{API}/{season}/requests/{other['id']}", json=other | {"capacity": 9}, headers=SAME_ORIGIN
    )

    assert response.status_code == 404


def test_two_edits_from_the_same_version_the_second_gets_409(
    client: TestClient, world: World, season: int
) -> None:
    sign_in(client, KOBE)
    request = client.get(f"{API}/{season}/requests").json()["requests"][0]
    url = f"{API}/{season}/requests/{request['id']}"

    first = client.put(url, json=request | {"capacity": 3}, headers=SAME_ORIGIN)
    second = client.put(url, json=request | {"capacity": 4}, headers=SAME_ORIGIN)

    assert first.status_code == 200 and first.json()["version"] == request["version"] + 1
    assert second.status_code == 409
    assert client.get(f"{API}/{season}/requests").json()["requests"][0]["capacity"] == 3


def test_requests_are_locked_after_the_deadline(
    client: TestClient, world: World, season: int, sessions: Sessions
) -> None:
    with sessions.begin() as session:
        past = datetime.now(UTC) - timedelta(hours=1)
        session.execute(update(SeasonRow).values(request_deadline=past))
    sign_in(client, KOBE)
    listed = client.get(f"{API}/{season}/requests").json()
    request = listed["requests"][0]

    response = client.put(
        f"{API}/{season}/requests/{request['id']}", json=request, headers=SAME_ORIGIN
    )
    new = client.post(
        f"{API}/{season}/requests",
        json={"request_id": "KOB-NEW", "capacity": 1, "prefecture": "Hyogo"},
        headers=SAME_ORIGIN,
    )

    assert listed["locked"] is True
    assert response.status_code == 409 and new.status_code == 409


def test_a_boe_files_a_new_request_for_itself(
    client: TestClient, world: World, season: int
) -> None:
    sign_in(client, KOBE)
    body = {"request_id": "KOB-SN", "capacity": 1, "prefecture": "Hyogo", "min_jlpt": "N3"}

    created = client.post(f"{API}/{season}/requests", json=body, headers=SAME_ORIGIN)
    again = client.post(f"{API}/{season}/requests", json=body, headers=SAME_ORIGIN)

    assert created.status_code == 201 and created.json()["boe"] == "Kobe City BoE"
    assert again.status_code == 422


def test_a_candidate_sees_their_own_application_but_not_another_candidates(
    client: TestClient, world: World, season: int
) -> None:
    sign_in(client, COORDINATOR)
    overview = client.get(f"{API}/{season}").json()
    ids = {c["candidate_id"]: c["id"] for c in overview["candidates"]}
    sign_in(client, EMILY)

    mine = client.get(f"{API}/{season}/application")
    own = client.get(f"{API}/{season}/candidates/{ids['C01']}")
    other = client.get(f"{API}/{season}/candidates/{ids['C02']}")

    assert mine.status_code == 200 and mine.json()["application"]["candidate_id"] == "C01"
    assert mine.json()["application"]["stage"] == "submitted"
    assert own.status_code == 200
    assert other.status_code == 404


def test_a_candidate_changes_preferences_and_a_stale_version_gets_409(
    client: TestClient, world: World, season: int
) -> None:
    sign_in(client, EMILY)
    version = client.get(f"{API}/{season}/application").json()["application"]["version"]
    body = {"prefectures": ["Kyoto"], "area": "urban", "anywhere": True, "version": version}
    url = f"{API}/{season}/application/preferences"

    first = client.put(url, json=body, headers=SAME_ORIGIN)
    second = client.put(url, json=body, headers=SAME_ORIGIN)

    assert first.status_code == 200
    assert first.json()["application"]["preferences"]["prefectures"] == ["Kyoto"]
    assert second.status_code == 409


def test_a_published_run_cannot_be_published_again_nor_replaced(
    client: TestClient, world: World, season: int
) -> None:
    published = _publish(client, season)
    run_id = published["run"]["id"]

    again = client.post(
        f"{API}/{season}/runs/{run_id}/publish",
        headers=SAME_ORIGIN,
        json={"overrides": PUBLISH_ANYWAY},
    )
    chances = client.post(f"{API}/{season}/runs/{run_id}/chances", json={}, headers=SAME_ORIGIN)
    rerun = client.post(f"{API}/{season}/runs", json={}, headers=SAME_ORIGIN)

    assert published["run"]["status"] == "published"
    assert (again.status_code, chances.status_code, rerun.status_code) == (409, 409, 409)
    assert client.get(f"{API}/{season}/runs/{run_id}").json()["run"]["status"] == "published"


def test_the_coordinator_reviews_a_draft_with_its_stability_check_and_chances(
    client: TestClient, world: World, season: int
) -> None:
    run = client.post(f"{API}/{season}/runs", json={"seed": 7}, headers=SAME_ORIGIN).json()
    url = f"{API}/{season}/runs/{run['run']['id']}"

    chances = client.post(f"{url}/chances", json={"runs": 50}, headers=SAME_ORIGIN)

    assert run["summary"]["seed"] == 7 and "stable" in run["summary"]["stability"]
    assert chances.status_code == 200
    placements = chances.json()["placements"]
    assert all(0 <= p["chance_low"] <= p["chance"] <= p["chance_high"] <= 1 for p in placements)
    assert client.get(f"{url}/export?format=csv").content.startswith(b"\xef\xbb\xbf")


def test_after_publishing_a_candidate_sees_the_outcome_and_its_explanation(
    client: TestClient, world: World, season: int
) -> None:
    sign_in(client, LIAM)
    assert client.get(f"{API}/{season}/application").json()["outcome"] is None
    published = _publish(client, season)
    sign_in(client, LIAM)

    outcome = client.get(f"{API}/{season}/application").json()

    liam = next(p for p in published["placements"] if p["candidate_id"] == "C02")
    assert outcome["outcome"]["request_id"] == liam["request_id"]
    assert outcome["outcome"]["text"]
    assert outcome["application"]["stage"] in ("placed", "alternate", "not_selected")
    assert outcome["outcome"]["alternate_position"] == liam["alternate_position"]


def test_a_boe_sees_and_exports_only_its_own_placements(
    client: TestClient, world: World, season: int
) -> None:
    _publish(client, season)
    sign_in(client, KOBE)

    placements = client.get(f"{API}/{season}/placements").json()
    csv_file = client.get(f"{API}/{season}/placements/export?format=csv")
    xlsx_file = client.get(f"{API}/{season}/placements/export?format=xlsx")

    assert placements["placements"]
    assert {p["request_id"] for p in placements["placements"]} <= {"KOB-ES", "KOB-JHS"}
    text = csv_file.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("request_id,boe")
    assert "Toyooka" not in text and "Nagano" not in text
    rows = list(openpyxl.load_workbook(io.BytesIO(xlsx_file.content)).active.values)
    assert len(rows) == len(placements["placements"]) + 1


def test_a_withdrawal_makes_an_upgrade_draft_that_the_coordinator_publishes(
    client: TestClient, world: World, season: int
) -> None:
    published = _publish(client, season)
    leaving = next(p for p in published["placements"] if p["request_id"])

    upgrade = client.post(
        f"{API}/{season}/withdrawals",
        json={"candidate_ids": [leaving["candidate_id"]]},
        headers=SAME_ORIGIN,
    )
    assert upgrade.status_code == 201, upgrade.text
    run = upgrade.json()
    done = client.post(
        f"{API}/{season}/runs/{run['run']['id']}/publish",
        headers=SAME_ORIGIN,
        json={"overrides": PUBLISH_ANYWAY},
    )

    assert run["run"]["kind"] == "upgrade" and run["summary"]["withdrawn"] == [
        leaving["candidate_id"]
    ]
    assert done.status_code == 200
    overview = client.get(f"{API}/{season}").json()
    assert overview["published_run_id"] == run["run"]["id"]
    assert overview["counts"]["by_stage"]["withdrawn"] == 1


def _set_alternates(sessions: Sessions, run_id: int, lists: dict[str, list[str]]) -> None:
    """Overwrite the run's stored alternates (by external ids, whole lists) and the first
    places they give: the stores themselves change underneath every reader."""
    with sessions() as session:
        run = session.get(MatchRun, run_id)
        assert run is not None
        requests = {r.external_id: r.id for r in repo.requests(session, run.season_id)}
        candidates = {c.external_id: c.id for c in repo.candidates(session, run.season_id)}
    by_row = {requests[r]: [candidates[c] for c in ids] for r, ids in lists.items()}
    replace_alternates(sessions, run_id, by_row)


def _waits(review: dict[str, Any]) -> dict[str, tuple[str | None, int | None]]:
    return {
        p["candidate_id"]: (p["alternate_request_id"], p["alternate_position"])
        for p in review["placements"]
    }


def test_the_api_and_a_withdrawal_follow_the_runs_stored_alternates(
    client: TestClient, world: World, season: int, sessions: Sessions
) -> None:
    draft = client.post(f"{API}/{season}/runs", json={"seed": 2026}, headers=SAME_ORIGIN).json()
    run_id = draft["run"]["id"]
    assert _waits(draft)["C11"] == (None, None)  # the engine lists C11 nowhere ...
    lists = {"KOB-ES": ["C02", "C03", "C10"], "KOB-JHS": ["C10", "C11"], "NAG-SHS": ["C07"]}
    _set_alternates(sessions, run_id, lists)  # ... the store now does; C02 comes first

    review = client.get(f"{API}/{season}/runs/{run_id}").json()
    published = client.post(
        f"{API}/{season}/runs/{run_id}/publish",
        headers=SAME_ORIGIN,
        json={"overrides": PUBLISH_ANYWAY},
    )
    applications = client.get(f"{API}/{season}/applications/export?format=csv")
    c11 = next(p["candidate"] for p in review["placements"] if p["candidate_id"] == "C11")
    c11_application = client.get(f"{API}/{season}/candidates/{c11}").json()

    expected = {"C02": ("KOB-ES", 1), "C03": ("KOB-ES", 2), "C10": ("KOB-JHS", 1)}
    expected |= {"C11": ("KOB-JHS", 2), "C07": ("NAG-SHS", 1)}
    assert {c: w for c, w in _waits(review).items() if w != (None, None)} == expected
    assert _waits(published.json()) == _waits(review)
    rows = csv.DictReader(io.StringIO(applications.content.decode("utf-8-sig")))
    assert {
        r["candidate_id"]: (r["alternate_request_id"], r["alternate_position"])
        for r in rows
        if r["alternate_position"]
    } == {c: (r, str(p)) for c, (r, p) in expected.items()}
    assert c11_application["application"]["stage"] == "alternate"
    assert c11_application["outcome"]["alternate_request_id"] == "KOB-JHS"
    sign_in(client, LIAM)
    liam = client.get(f"{API}/{season}/application").json()["outcome"]
    assert (liam["alternate_request_id"], liam["alternate_position"]) == ("KOB-ES", 1)
    sign_in(client, KOBE)
    kobe = client.get(f"{API}/{season}/placements?alternates=2").json()["alternates"]
    assert [(a["request_id"], a["position"], a["candidate_id"]) for a in kobe] == [
        ("KOB-ES", 1, "C02"),
        ("KOB-ES", 2, "C03"),
        ("KOB-JHS", 1, "C10"),
        ("KOB-JHS", 2, "C11"),
    ]

    # A withdrawal's upgrade stores its own lists (the engine's, replayed from the published
    # run's inputs and seed); its review and publication follow them as they are stored.
    sign_in(client, COORDINATOR)
    upgrade = client.post(
        f"{API}/{season}/withdrawals", json={"candidate_ids": ["C01"]}, headers=SAME_ORIGIN
    ).json()
    upgrade_id = upgrade["run"]["id"]
    _set_alternates(sessions, upgrade_id, {"TYO-MIX": ["C11", "C02"]})
    again = client.get(f"{API}/{season}/runs/{upgrade_id}").json()
    done = client.post(
        f"{API}/{season}/runs/{upgrade_id}/publish",
        headers=SAME_ORIGIN,
        json={"overrides": PUBLISH_ANYWAY},
    )

    assert done.status_code == 200, done.text
    assert {c: w for c, w in _waits(again).items() if w != (None, None)} == {
        "C11": ("TYO-MIX", 1),
        "C02": ("TYO-MIX", 2),
    }
    everyone = client.get(f"{API}/{season}/placements").json()["alternates"]
    assert [(a["request_id"], a["position"], a["candidate_id"]) for a in everyone] == [
        ("TYO-MIX", 1, "C11"),
        ("TYO-MIX", 2, "C02"),
    ]
    for p in again["placements"]:  # everyone but C01, who withdrew
        got = client.get(f"{API}/{season}/candidates/{p['candidate']}").json()
        waits = p["candidate_id"] in ("C11", "C02")
        stage = "placed" if p["request_id"] else "alternate" if waits else "not_selected"
        assert got["application"]["stage"] == stage, p["candidate_id"]
    assert any(p["request_id"] is None for p in again["placements"])
