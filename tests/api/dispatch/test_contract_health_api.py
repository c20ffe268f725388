"""The contract health and retention pages and their JSON twins: the same rows in both
languages, sorting, "no survey yet" rather than 0, the netting on the coverage page, and
refusals for everyone but the company's own staff."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pytest
import time_machine
from fastapi.testclient import TestClient
from tests.api.helpers import PASSWORD, MakeAccount, sign_in
from tests.dispatch_coverage_world import TODAY, CoverageWorld, build_coverage_world

from altmatch.clock import JAPAN
from altmatch.db import Sessions
from altmatch.domain.access import OPERATOR, OrgKind, Role
from altmatch.services.accounts.users import create_user

pytestmark = pytest.mark.date_sensitive

Q = f"today={TODAY.isoformat()}"
API = f"/api/v1/dispatch/contract-health?{Q}"
PAGE = f"/dispatch/contract-health?{Q}"
RETENTION_API = f"/api/v1/dispatch/retention?{Q}"
RETENTION_PAGE = f"/dispatch/retention?{Q}"


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


def test_the_page_and_its_twin_show_the_same_contracts(
    client: TestClient, world: CoverageWorld
) -> None:
    """K-1: 2 of 3 posts, Ada leaving (6) and Ben (0): at risk. Q-1: 2 of 2, Cai undecided (1)
    and Dee (0): mean 0.5, ok."""
    sign_in(client, "company_staff@example.org")
    data = client.get(API).json()
    rows = {c["reference"]: c for c in data["contracts"]}
    assert list(rows) == ["K-1", "Q-1"]
    assert (rows["K-1"]["status"], rows["K-1"]["posts"], rows["K-1"]["filled"]) == (
        "at_risk",
        3,
        2,
    )
    assert [n["reason"] for n in rows["K-1"]["notes"]] == ["low_coverage", "many_at_high_risk"]
    assert (rows["Q-1"]["status"], rows["Q-1"]["retention_risk"]) == ("ok", 0.5)
    assert rows["K-1"]["school_satisfaction"] is None
    page = client.get(PAGE).text
    assert 'href="/api/v1/dispatch/contract-health"' in page
    assert 'id="nav-contract-health"' in page
    assert 'data-contract="K-1" data-status="at_risk"' in page
    assert "2 of 3 posts filled." in page and "No survey yet" in page
    assert "R-1" not in page  # the rival's contract


def test_sorting_by_reference_and_the_japanese_page(
    client: TestClient, world: CoverageWorld
) -> None:
    sign_in(client, "company_staff@example.org")
    data = client.get(f"{API}&sort=coverage").json()
    assert [c["reference"] for c in data["contracts"]] == ["K-1", "Q-1"]
    assert client.get(f"{API}&sort=nonsense").status_code == 422
    page = client.get(f"{PAGE}&lang=ja").text
    assert "契約の健全性" in page and "神戸市教育委員会" in page and "アンケート未実施" in page
    ja = client.get(API, headers={"Accept-Language": "ja"}).json()
    assert ja["contracts"][0]["status_label"] == "リスクあり"


def test_the_retention_page_lists_each_alt_with_reasons_and_points(
    client: TestClient, world: CoverageWorld
) -> None:
    sign_in(client, "company_staff@example.org")
    data = client.get(RETENTION_API).json()
    first = data["alts"][0]
    assert first["score"] == 6 and first["level"] == "high"
    assert first["external_id"] in {"A-ada", "A-eve"}
    assert first["reasons"] == [
        {"reason": "leaving", "label": "Said they are leaving", "points": 6}
    ]
    assert "R-rex" not in {a["external_id"] for a in data["alts"]}
    page = client.get(RETENTION_PAGE).text
    assert 'href="/api/v1/dispatch/retention"' in page
    assert 'data-alt="A-ada" data-level="high"' in page and "Said they are leaving: +6" in page
    ja = client.get(f"{RETENTION_PAGE}&lang=ja").text
    assert "退職の意向" in ja


def test_the_coverage_page_and_twin_show_how_targets_are_netted(
    client: TestClient, world: CoverageWorld
) -> None:
    sign_in(client, "company_staff@example.org")
    data = client.get(f"/api/v1/dispatch/coverage?{Q}").json()
    kyoto_aug = next(
        t for t in data["targets"] if (t["region"], t["start_month"]) == ("Kyoto", "2027-08-01")
    )
    assert (kyoto_aug["gross_need"], kyoto_aug["redeployable"], kyoto_aug["net_need"]) == (0, 1, 0)
    page = client.get(f"/dispatch/coverage?{Q}").text
    assert 'id="coverage-netting"' in page and "Gross need" in page
    assert 'data-region="Kyoto" data-start="2027-08-01"' in page
    k1 = next(c for c in data["contracts"] if c["reference"] == "K-1")
    assert k1["needs"][1] == {"start_month": "2027-08-01", "gross_need": 1, "expected_leavers": 1}
    assert "Need per start month" in page and "Aug 2027: 1 unfilled, 1 leaving" in page


def test_another_company_sees_only_its_own(client: TestClient, world: CoverageWorld) -> None:
    sign_in(client, "rival@example.org")
    data = client.get(API).json()
    assert [c["reference"] for c in data["contracts"]] == ["R-1"]
    assert [a["external_id"] for a in client.get(RETENTION_API).json()["alts"]] == ["R-rex"]
    assert "K-1" not in client.get(PAGE).text


@pytest.mark.parametrize("who", ["boe_staff", "alt", "candidate"])
def test_everyone_but_company_staff_is_refused(
    client: TestClient, world: CoverageWorld, who: str
) -> None:
    sign_in(client, f"{who}@example.org")
    for url in (API, PAGE, RETENTION_API, RETENTION_PAGE):
        assert client.get(url).status_code == 403, url


def test_signed_out_visitors_are_refused(client: TestClient, world: CoverageWorld) -> None:
    assert client.get(API).status_code == 401
    assert client.get(PAGE, follow_redirects=False).status_code in {303, 401}


def test_the_roster_entry_shows_the_alts_retention_risk(
    client: TestClient, world: CoverageWorld, clock: time_machine.TimeMachineFixture
) -> None:
    clock.move_to(dt.datetime.combine(TODAY, dt.time(9), tzinfo=JAPAN), tick=False)
    sign_in(client, "company_staff@example.org")
    ada = next(a for a in client.get(RETENTION_API).json()["alts"] if a["external_id"] == "A-ada")
    entry = client.get(f"/api/v1/dispatch/roster/{ada['alt_id']}").json()
    assert entry["retention"] == ada
    page = client.get(f"/dispatch/roster/{ada['alt_id']}?lang=en").text
    assert '<section id="retention" data-level="high">' in page
    assert "Said they are leaving: +6" in page
