"""GET /api/v1/support/metrics: who sees which employer's support figures, in which language."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from fastapi.testclient import TestClient
from tests.api.helpers import MakeAccount, sign_in
from tests.integration.support.test_support_metrics import add_case

from altmatch.db import Sessions
from altmatch.domain.access import OPERATOR, OrgKind, Role
from altmatch.services.accounts.users import create_organisation, create_user
from altmatch.web.api.support import metrics as support_metrics

pytestmark = pytest.mark.date_sensitive

URL = "/api/v1/support/metrics"


@pytest.fixture(autouse=True)
def metrics_route(client: TestClient) -> None:
    """The router, mounted here until the API package registers it."""
    app = client.app
    if not any(getattr(r, "path", None) == URL for r in app.routes):  # type: ignore[attr-defined]
        app.include_router(support_metrics.router, prefix="/api/v1")  # type: ignore[attr-defined]


@pytest.fixture
def figures(sessions: Sessions, tenants: Mapping[OrgKind, int]) -> int:
    """Five closed cases at the BoE and the company; returns another company's id."""
    alt = create_user(
        sessions,
        actor=OPERATOR,
        email="alt-case@example.org",
        display_name="Alex",
        role=Role.ALT,
        password=None,
    ).id
    for hours in (1, 2, 3, 4, 5):
        add_case(sessions, alt=alt, employer=tenants[OrgKind.BOE], response_hours=hours)
        add_case(sessions, alt=alt, employer=tenants[OrgKind.COMPANY], path="dispatch", reopened=1)
    return create_organisation(
        sessions, actor=OPERATOR, kind=OrgKind.COMPANY, name_en="Fuji", name_ja="富士"
    ).id


def test_boe_staff_see_their_own_boe_s_figures(
    client: TestClient, make_account: MakeAccount, tenants: Mapping[OrgKind, int], figures: int
) -> None:
    sign_in(client, make_account(Role.BOE_STAFF))
    response = client.get(URL)
    assert response.status_code == 200, response.text
    [boe] = response.json()["employers"]
    assert boe["organisation_id"] == tenants[OrgKind.BOE]
    assert boe["name"] == "Kobe City BoE"
    assert (boe["shown"], boe["cases"], boe["median_first_response_hours"]) == (True, 5, 3.0)
    assert (boe["resolved_within_target"], boe["reopen_rate"]) == (1.0, 0.0)


def test_company_staff_see_their_company_and_nothing_of_another(
    client: TestClient, make_account: MakeAccount, tenants: Mapping[OrgKind, int], figures: int
) -> None:
    sign_in(client, make_account(Role.COMPANY_STAFF))
    [company] = client.get(URL).json()["employers"]
    assert (company["organisation_id"], company["reopen_rate"]) == (tenants[OrgKind.COMPANY], 1.0)
    assert client.get(URL, params={"org": figures}).status_code == 404
    assert client.get(URL, params={"org": tenants[OrgKind.BOE]}).status_code == 404


def test_a_coordinator_sees_the_programme_s_boes_and_no_company(
    client: TestClient, make_account: MakeAccount, tenants: Mapping[OrgKind, int], figures: int
) -> None:
    sign_in(client, make_account(Role.COORDINATOR))
    employers = client.get(URL, params={"lang": "ja"}).json()["employers"]
    assert [e["organisation_id"] for e in employers] == [tenants[OrgKind.BOE]]
    assert employers[0]["name"] == "神戸市教育委員会"
    assert client.get(URL, params={"org": tenants[OrgKind.COMPANY]}).status_code == 404


def test_an_admin_sees_every_employer_and_few_cases_show_no_figures(
    client: TestClient, make_account: MakeAccount, tenants: Mapping[OrgKind, int], figures: int
) -> None:
    sign_in(client, make_account(Role.ADMIN))
    body = client.get(URL).json()
    assert body["min_cases_to_show"] == 5
    by_id = {e["organisation_id"]: e for e in body["employers"]}
    assert set(by_id) == {tenants[OrgKind.BOE], tenants[OrgKind.COMPANY], figures}
    fuji = by_id[figures]
    assert fuji["shown"] is False
    assert fuji["cases"] is None and fuji["reopen_rate"] is None
    assert fuji["note"] == "Not enough closed cases to show figures (at least 5 are needed)."


@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.ALT])
def test_candidates_and_alts_are_refused(
    client: TestClient, make_account: MakeAccount, role: Role
) -> None:
    sign_in(client, make_account(role))
    assert client.get(URL).status_code == 403


def test_signed_out_readers_must_sign_in(client: TestClient) -> None:
    assert client.get(URL).status_code == 401
