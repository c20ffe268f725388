"""Every HTML page has a JSON twin under /api/v1 that serves the same read model.

A page added without declaring its twin here fails the first test, so the rule cannot be
forgotten; pages that hold no data of their own say why instead.
"""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from tests.api.helpers import sign_in
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

from altmatch.config import Settings
from altmatch.db import Sessions
from altmatch.services.season.imports import import_candidates, import_requests
from altmatch.services.season.publish import publish_run
from altmatch.services.season.runs import run_season_match
from altmatch.services.season.setup import open_season
from altmatch.web.app import create_app

NO_DATA = "no data of its own"
PAGE_TWINS: dict[str, str | None] = {
    "/": "/api/v1/home",  # signed in: the next steps (visitors: the landing page's text)
    "/sign-in": None,  # a form: NO_DATA
    "/sign-in/code": None,  # the second step's form: NO_DATA
    "/boe/schools": None,  # a redirect to the BoE's own schools page
    "/advisor": "/api/v1/advice/options",
    "/advisor/saved/{token}": "/api/v1/advice/saved/{token}",
    "/paths": "/api/v1/paths",
    "/paths/{path}": "/api/v1/paths/{path}",
    "/sign-up": "/api/v1/signup",
    "/verify-email": "/api/v1/verify-email",
    "/account": "/api/v1/me",
    "/account/export": "/api/v1/me/export",
    "/account/delete": "/api/v1/me/deletion",
    "/account/two-factor": "/api/v1/me/two-factor",
    "/my/placement": "/api/v1/me/placement",
    "/seasons": "/api/v1/seasons",
    "/seasons/{season_id}": "/api/v1/seasons/{season_id}",
    "/seasons/{season_id}/runs/{run_id}": "/api/v1/seasons/{season_id}/runs/{run_id}",
    "/seasons/{season_id}/runs/{run_id}/publish": (
        "/api/v1/seasons/{season_id}/runs/{run_id}/publication"
    ),
    "/seasons/{season_id}/candidates/{candidate_id}": (
        "/api/v1/seasons/{season_id}/candidates/{candidate_id}/review"
    ),
    "/seasons/{season_id}/requests": "/api/v1/seasons/{season_id}/requests",
    "/seasons/{season_id}/placements": "/api/v1/seasons/{season_id}/placements",
    "/seasons/{season_id}/application": "/api/v1/seasons/{season_id}/application",
    "/seasons/{season_id}/jobs/{job_id}": "/api/v1/seasons/{season_id}/jobs/{job_id}",
    "/organisations/{boe_id}/schools": "/api/v1/organisations/{boe_id}/schools",
    "/dispatch/contracts": "/api/v1/dispatch/contracts",
    "/dispatch/contracts/{contract_id}": "/api/v1/dispatch/contracts/{contract_id}",
    "/dispatch/tenders": "/api/v1/dispatch/tenders",
    "/dispatch/roster": "/api/v1/dispatch/roster",
    "/dispatch/jobs/{job_id}": "/api/v1/dispatch/jobs/{job_id}",
    "/dispatch/roster/{alt_id}": "/api/v1/dispatch/roster/{alt_id}",
    "/dispatch/assignment": "/api/v1/dispatch/assignment",
    "/dispatch/coverage": "/api/v1/dispatch/coverage",
    "/dispatch/compliance": "/api/v1/dispatch/compliance",
    "/dispatch/contract-health": "/api/v1/dispatch/contract-health",
    "/dispatch/retention": "/api/v1/dispatch/retention",
    "/dispatch/surveys": "/api/v1/dispatch/surveys",
    "/survey": "/api/v1/survey",  # by the mailed link's token, no sign-in
    "/dispatch/transfers": "/api/v1/dispatch/transfers",
    "/dispatch/transfers/{transfer_id}": "/api/v1/dispatch/transfers/{transfer_id}",
    "/my/transfers": "/api/v1/me/transfers",
    "/my/renewal": "/api/v1/me/renewal",
    "/postings": "/api/v1/postings",
    "/postings/{posting_id}": "/api/v1/postings/{posting_id}",
    "/boe/postings": "/api/v1/boe/postings",
    "/boe/postings/{posting_id}": "/api/v1/boe/postings/{posting_id}",
    "/my/applications": "/api/v1/me/applications",
    "/my/cases": "/api/v1/me/cases",
    "/cases": "/api/v1/cases",
    "/cases/{case_id}": "/api/v1/cases/{case_id}",
    "/my/notifications": "/api/v1/me/notifications",
    "/support/routes": None,  # a redirect to the staff member's own organisation's routing page
    "/organisations/{org_id}/support-routes": "/api/v1/organisations/{org_id}/support-routes",
    "/support/metrics": "/api/v1/support/metrics",
    "/seasons/{season_id}/stages": "/api/v1/seasons/{season_id}/stages",
    "/seasons/{season_id}/interviews": "/api/v1/seasons/{season_id}/interviews",
    "/assessing": "/api/v1/assessing",
    "/assessing/candidates/{candidate_id}": "/api/v1/assessing/candidates/{candidate_id}",
    "/seasons/{season_id}/shortlist": "/api/v1/seasons/{season_id}/shortlist",
    "/seasons/{season_id}/requests/new": "/api/v1/seasons/{season_id}/requests/new",
    "/admin/users": "/api/v1/admin/users",
    "/admin/users/{user_id}": "/api/v1/admin/users/{user_id}",
    # the confirmation steps show the user's read model, with what would change
    "/admin/users/{user_id}/role": "/api/v1/admin/users/{user_id}",
    "/admin/users/{user_id}/two-factor/reset": "/api/v1/admin/users/{user_id}",
    "/admin/organisations": "/api/v1/admin/organisations",
    "/admin/organisations/new": "/api/v1/admin/organisations",  # the programmes to choose from
    "/admin/organisations/{organisation_id}": "/api/v1/admin/organisations/{organisation_id}",
    "/admin/audit": "/api/v1/admin/audit",
    "/apply": "/api/v1/me/applications/online",
    "/seasons/{season_id}/apply": "/api/v1/seasons/{season_id}/online-application",
    "/seasons/{season_id}/apply/confirm": "/api/v1/seasons/{season_id}/online-application",
    # deleting the draft and withdrawing show what taking the application back would do
    "/seasons/{season_id}/apply/delete": (
        "/api/v1/seasons/{season_id}/online-application/withdrawal"
    ),
    "/seasons/{season_id}/apply/withdraw": (
        "/api/v1/seasons/{season_id}/online-application/withdrawal"
    ),
    "/references/{token}": "/api/v1/references/{token}",
    "/offices": "/api/v1/offices",
    "/offices/{office_id}/queue": "/api/v1/offices/{office_id}/queue",
    "/offices/{office_id}/applications/{application_id}": (
        "/api/v1/offices/{office_id}/applications/{application_id}"
    ),
    "/offices/{office_id}/interviews": "/api/v1/offices/{office_id}/interviews",
    "/offices/{office_id}/interviews/assign": "/api/v1/offices/{office_id}/interviews/assignment",
    # the move step shows the planner's read model: the booking held and the free slots
    "/offices/{office_id}/interviews/move": "/api/v1/offices/{office_id}/interviews",
    "/seasons/{season_id}/apply/interview": (
        "/api/v1/seasons/{season_id}/online-application/interview"
    ),
}


def get_routes(app: FastAPI, *, api: bool) -> set[str]:
    return {
        context.path
        for context in iter_route_contexts(app.routes)
        if isinstance(context.original_route, APIRoute)
        and "GET" in context.original_route.methods
        and context.path.startswith("/api/") == api
        and not context.path.startswith("/docs")
    }


APP = create_app(Settings(database_url="sqlite://"))


def test_every_page_declares_its_json_twin() -> None:
    assert get_routes(APP, api=False) == set(PAGE_TWINS)


def test_every_declared_twin_is_a_json_route() -> None:
    api = get_routes(APP, api=True)
    missing = {page: twin for page, twin in PAGE_TWINS.items() if twin and twin not in api}
    assert missing == {}


@pytest.fixture
def published(sessions: Sessions) -> tuple[World, int, int]:
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
    import_candidates(
        sessions, world.coordinator, season, content=candidates_csv(), filename="c.csv", commit=True
    )
    run = run_season_match(sessions, world.coordinator, season, seed=3).run.id
    publish_run(sessions, world.coordinator, season, run, overrides=PUBLISH_ANYWAY)
    return world, season, run


@pytest.mark.parametrize(
    ("who", "page"),
    [
        ("coordinator@example.org", "/seasons/{season_id}"),
        ("coordinator@example.org", "/seasons/{season_id}/runs/{run_id}"),
        ("coordinator@example.org", "/seasons/{season_id}/placements"),
        ("kobe@example.org", "/seasons/{season_id}/requests"),
        ("kobe@example.org", "/seasons/{season_id}/placements"),
        (CANDIDATE_EMAILS["C01"], "/seasons/{season_id}/application"),
        ("coordinator@example.org", "/seasons/{season_id}/stages"),
    ],
)
def test_a_page_and_its_twin_show_the_same_records(
    client: TestClient, published: tuple[World, int, int], who: str, page: str
) -> None:
    _, season, run = published
    sign_in(client, who)
    twin = PAGE_TWINS[page]
    assert twin is not None
    html = client.get(page.format(season_id=season, run_id=run))
    data = client.get(twin.format(season_id=season, run_id=run))
    assert html.status_code == data.status_code == 200
    ids = _record_ids(data.json())
    assert ids, f"{twin} holds no records to compare"
    for value in ids:
        assert value in html.text, f"{value!r} from {twin} is missing on {page}"


def _record_ids(data: object) -> set[str]:
    """The ids of the records a read model holds: what a page must show too."""
    found: set[str] = set()
    if isinstance(data, dict):
        for key, value in data.items():
            if key in {"request_id", "external_id", "candidate_id"} and isinstance(value, str):
                found.add(value)
            else:
                found |= _record_ids(value)
    elif isinstance(data, list):
        for item in data[:50]:
            found |= _record_ids(item)
    return found
