"""The coverage page and its JSON twin: the same numbers, in both languages, for the company's
own staff only."""

from __future__ import annotations

import re
from collections.abc import Mapping

import pytest
from fastapi.testclient import TestClient
from tests.api.helpers import PASSWORD, MakeAccount, sign_in
from tests.dispatch_coverage_world import TODAY, CoverageWorld, build_coverage_world

from altmatch.db import Sessions
from altmatch.domain.access import OPERATOR, OrgKind, Role
from altmatch.services.accounts.users import create_organisation, create_user

pytestmark = pytest.mark.date_sensitive

URL = f"/dispatch/coverage?today={TODAY.isoformat()}"
API = f"/api/v1/dispatch/coverage?today={TODAY.isoformat()}"


@pytest.fixture
def world(
    sessions: Sessions, tenants: Mapping[OrgKind, int], make_account: MakeAccount
) -> CoverageWorld:
    world = build_coverage_world(
        sessions, company=tenants[OrgKind.COMPANY], kobe=tenants[OrgKind.BOE]
    )
    for role in (Role.COMPANY_STAFF, Role.BOE_STAFF, Role.ALT, Role.CANDIDATE):
        make_account(role)
    create_user(
        sessions,
        actor=OPERATOR,
        email="rival@example.org",
        display_name="Rita Rival",
        role=Role.COMPANY_STAFF,
        password=PASSWORD,
        organisation_id=world.other_company,
    )
    return world


def test_the_api_gives_the_company_its_months_targets_and_alts_at_risk(
    client: TestClient, world: CoverageWorld
) -> None:
    sign_in(client, "company_staff@example.org")
    data = client.get(API).json()
    assert data["company_id"] == world.company
    assert data["today"] == "2026-11-25"
    assert [m["total"]["gap"] for m in data["series"]] == [1] * 5 + [2] * 3 + [3] + [2] * 3
    assert data["hires_total"] == 3
    assert [(t["start_month"], t["hires"]) for t in data["target_totals"]] == [
        ("2027-04-01", 2),
        ("2027-08-01", 1),
        ("2027-09-01", 0),
    ]
    assert [a["external_id"] for a in data["at_risk"]] == ["A-cai", "A-ada"]
    assert data["rule"]["start_months"] == [4, 8, 9]


def test_another_company_never_sees_these_numbers(client: TestClient, world: CoverageWorld) -> None:
    sign_in(client, "rival@example.org")
    data = client.get(API).json()
    assert data["company_id"] == world.other_company
    assert [c["reference"] for c in data["contracts"]] == ["R-1"]
    assert [a["external_id"] for a in data["at_risk"]] == ["R-rex"]
    page = client.get(URL).text
    assert "Ada Lovelace" not in page and "K-1" not in page
    assert "Rex Rival" in page


@pytest.mark.parametrize("who", ["boe_staff", "alt", "candidate"])
def test_everyone_but_company_staff_is_refused(
    client: TestClient, world: CoverageWorld, who: str
) -> None:
    sign_in(client, f"{who}@example.org")
    assert client.get(API).status_code == 403
    assert client.get(URL).status_code == 403


def test_signed_out_visitors_are_asked_to_sign_in(client: TestClient, world: CoverageWorld) -> None:
    assert client.get(API).status_code == 401
    page = client.get(URL, follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/sign-in")


def test_a_region_filter_and_an_unknown_region(client: TestClient, world: CoverageWorld) -> None:
    sign_in(client, "company_staff@example.org")
    data = client.get(API + "&region=Kyoto").json()
    assert [c["reference"] for c in data["contracts"]] == ["Q-1"]
    assert data["hires_total"] == 1
    refused = client.get(API + "&region=Okinawa")
    assert refused.status_code == 422
    assert "region" in refused.text
    assert client.get(URL + "&region=Okinawa").status_code == 422
    assert client.get(API.replace("2026-11-25", "not-a-day")).status_code == 422


def _cells(html: str, table: str) -> list[list[str]]:
    body = html.split(f'id="{table}"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.S)
    return [
        [
            re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", r, re.S)
        ]
        for r in rows
    ]


@pytest.mark.parametrize(("lang", "first_month"), [("en", "Nov 2026"), ("ja", "2026年11月")])
def test_the_page_shows_the_same_numbers_as_its_twin_in_both_languages(
    client: TestClient, world: CoverageWorld, lang: str, first_month: str
) -> None:
    sign_in(client, "company_staff@example.org")
    data = client.get(API).json()
    response = client.get(URL + f"&lang={lang}")
    assert response.status_code == 200
    html = response.text
    months = _cells(html, "coverage-months")[1:]
    assert months[0][0] == first_month
    assert [[int(v) for v in row[1:]] for row in months] == [
        [
            m["total"][k]
            for k in ("positions", "assigned", "at_risk", "expected_covered", "gap", "released")
        ]
        for m in data["series"]
    ]
    targets = _cells(html, "coverage-targets")
    assert targets[-1][1:] == [str(t["hires"]) for t in data["target_totals"]]
    assert targets[1][0] == ("兵庫県" if lang == "ja" else "Hyogo")  # the prefecture, as read
    assert targets[1][1:] == ["1", "1", "0"]
    summary = re.findall(r'data-key="([a-z-]+)">(\d+)<', html)
    assert dict(summary) == {
        "positions": str(data["now"]["positions"]),
        "assigned": str(data["now"]["assigned"]),
        "gap-now": str(data["now"]["gap"]),
        "gap-horizon": str(data["at_horizon"]["gap"]),
        "at-risk": "2",
        "hires": str(data["hires_total"]),
    }
    for alt in data["at_risk"]:
        assert f'data-alt="{alt["external_id"]}"' in html
    assert _cells(html, "coverage-at-risk")[2][1] == (
        "30 Jun 2027" if lang == "en" else "2027年6月30日"
    )
    assert 'data-intention="leaving"' in html


def test_the_chart_is_inline_svg_without_scripts_and_marks_the_gaps(
    client: TestClient, world: CoverageWorld
) -> None:
    sign_in(client, "company_staff@example.org")
    html = client.get(URL).text
    svg = html.split('id="coverage-chart"', 1)[1].split("</svg>", 1)[0]
    assert "<script" not in svg
    months = re.findall(
        r'data-month="([\d-]+)" data-positions="(\d+)" data-covered="(\d+)" data-gap="(\d+)"', svg
    )
    assert len(months) == 12
    assert months[0] == ("2026-11-01", "5", "4", "1")
    assert months[8] == ("2027-07-01", "5", "2", "3")
    assert svg.count('class="gap"') == 12  # every month has a gap in this world
    assert 'class="positions"' in svg


def test_a_what_if_day_moves_the_horizon_on_the_page(
    client: TestClient, world: CoverageWorld
) -> None:
    sign_in(client, "company_staff@example.org")
    html = client.get("/dispatch/coverage?today=2027-05-02").text
    assert 'id="what-if"' in html
    assert _cells(html, "coverage-months")[1][0] == "May 2027"


def test_a_company_without_contracts_gets_an_empty_page_not_an_error(
    client: TestClient, world: CoverageWorld, sessions: Sessions
) -> None:
    empty = create_organisation(
        sessions, actor=OPERATOR, kind=OrgKind.COMPANY, name_en="New Co", name_ja="新会社"
    )
    create_user(
        sessions,
        actor=OPERATOR,
        email="new@example.org",
        display_name="Nao New",
        role=Role.COMPANY_STAFF,
        password=PASSWORD,
        organisation_id=empty.id,
    )
    sign_in(client, "new@example.org")
    assert client.get(API).json()["hires_total"] == 0
    html = client.get(URL).text
    assert "Your company has no contracts yet." in html
    assert 'id="coverage-chart"' in html
