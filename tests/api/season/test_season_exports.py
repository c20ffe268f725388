"""The season's requests and applications export as CSV/XLSX: each for whom the page is, only
their tenant's rows, and text someone typed as a formula is neutralised."""

from __future__ import annotations

import io

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from tests.api.helpers import sign_in, sign_in_as_other_programme
from tests.season_world import (
    CANDIDATE_EMAILS,
    CONTRACT_START,
    World,
    build_world,
    candidates_csv,
    future_deadline,
    requests_csv,
)

from altmatch.db import Sessions
from altmatch.services.season.imports import import_candidates, import_requests
from altmatch.services.season.setup import open_season

EVIL = '=HYPERLINK("http://evil.example/","x")'
EVIL_ROW = ["C99", "N5", "0", "no", "", "60", "Hyogo", "", "", "yes", EVIL, "", ""]


@pytest.fixture
def season(sessions: Sessions) -> tuple[World, int]:
    world = build_world(sessions)
    season = open_season(
        sessions,
        world.coordinator,
        name="2027",
        year=2027,
        request_deadline=future_deadline(),
        contract_start=CONTRACT_START,
    ).id
    import_requests(
        sessions, world.coordinator, season, content=requests_csv(), filename="r.csv", commit=True
    )
    content = candidates_csv(extra_rows=[EVIL_ROW])
    imported = import_candidates(
        sessions, world.coordinator, season, content=content, filename="c.csv", commit=True
    )
    assert imported.committed, imported.errors
    return world, season


def _rows(content: bytes, fmt: str) -> list[list[str]]:
    if fmt == "csv":
        text = content.decode("utf-8-sig")
        return [line.split(",") for line in text.splitlines()]
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_coordinator_exports_every_application_with_a_formula_name_neutralised(
    client: TestClient, season: tuple[World, int], fmt: str
) -> None:
    _, season_id = season
    sign_in(client, "coordinator@example.org")
    response = client.get(f"/api/v1/seasons/{season_id}/applications/export?format={fmt}")
    assert response.status_code == 200
    assert f"applications-season-{season_id}.{fmt}" in response.headers["content-disposition"]
    if fmt == "csv":
        text = response.content.decode("utf-8-sig")
        assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text
        assert "C01,Emily Carter,submitted,Hyogo,urban,elementary,false" in text
    else:
        rows = _rows(response.content, fmt)
        assert rows[0][:3] == ["candidate_id", "name", "stage"]
        names = {row[0]: row[1] for row in rows[1:]}
        assert names["C99"] == "'" + EVIL
        assert names["C01"] == "Emily Carter"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_boe_staff_export_only_their_own_boes_requests(
    client: TestClient, season: tuple[World, int], fmt: str
) -> None:
    _, season_id = season
    sign_in(client, "kobe@example.org")
    response = client.get(f"/api/v1/seasons/{season_id}/requests/export?format={fmt}")
    assert response.status_code == 200
    rows = _rows(response.content, fmt)
    assert rows[0][0] == "request_id"
    boes = {row[1] for row in rows[1:]}
    assert boes == {"Kobe City BoE"}


def test_the_coordinator_exports_every_request_of_the_season(
    client: TestClient, season: tuple[World, int]
) -> None:
    _, season_id = season
    sign_in(client, "coordinator@example.org")
    response = client.get(f"/api/v1/seasons/{season_id}/requests/export?format=csv")
    boes = {row[1] for row in _rows(response.content, "csv")[1:]}
    assert {"Kobe City BoE", "Toyooka City BoE"} <= boes


def test_boe_staff_and_candidates_cannot_export_the_applications(
    client: TestClient, season: tuple[World, int]
) -> None:
    _, season_id = season
    for who in ("kobe@example.org", CANDIDATE_EMAILS["C01"]):
        sign_in(client, who)
        url = f"/api/v1/seasons/{season_id}/applications/export?format=csv"
        assert client.get(url).status_code == 403


def test_another_programmes_coordinator_gets_not_found_for_both_exports(
    client: TestClient, sessions: Sessions, season: tuple[World, int]
) -> None:
    _, season_id = season
    sign_in_as_other_programme(client, sessions)
    for what in ("requests", "applications"):
        url = f"/api/v1/seasons/{season_id}/{what}/export?format=xlsx"
        assert client.get(url).status_code == 404


def test_the_requests_and_overview_pages_link_their_exports(
    client: TestClient, season: tuple[World, int]
) -> None:
    _, season_id = season
    sign_in(client, "coordinator@example.org")
    overview = client.get(f"/seasons/{season_id}").text
    requests = client.get(f"/seasons/{season_id}/requests").text
    assert f"/api/v1/seasons/{season_id}/applications/export?format=xlsx" in overview
    assert f"/api/v1/seasons/{season_id}/requests/export?format=csv" in requests
