"""Every page route with an id in its path, given an id no row can have, on both databases.

Ids are 32-bit integers on PostgreSQL and 64-bit on SQLite: 2**31 overflows PostgreSQL's
columns and 2**63 SQLite's, and either used to reach the driver and answer 500. The pages bound
their ids like the API (`web.params.Id`): an id out of range is refused as input (422, the
refusal page), as `GET /api/v1/...` refuses it (422). Each route is requested as every role, so
each one is reached past its permission gate by someone.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from tests.api.helpers import PASSWORD, SAME_ORIGIN, flat_routes, sign_in
from tests.integration.conftest import skip_without_postgres, throwaway_postgres
from tests.schema_template import SchemaTemplate

from altmatch.config import Settings
from altmatch.db import make_engine, session_factory
from altmatch.domain.access import OPERATOR, ROLE_ORG_KIND, OrgKind, Role
from altmatch.services.accounts.users import create_organisation, create_user
from altmatch.web.app import create_app

OUT_OF_RANGE = [2**63, 2**31]
_PARAM = re.compile(r"{(\w+)(?::\w+)?}")
# Path parameters that are not ids: a plausible value, so the route is the one under test.
_OTHER_PARAMS = {"kind": "candidates", "step": "approve", "token": "t0ken"}


def _page_routes() -> list[tuple[str, str]]:
    """(method, path) of every page route (not /api/) with an `…_id` path parameter."""
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(Settings(data_dir=Path(folder) / "data"))
        app.state.engine.dispose()
    found = set()
    for route, path in flat_routes(app):
        if not isinstance(route, APIRoute) or path is None or path.startswith("/api/"):
            continue
        if any(name.endswith("_id") for name in _PARAM.findall(path)):
            found.update((method, path) for method in route.methods)
    return sorted(found, key=lambda pair: (pair[1], pair[0]))


PAGE_ROUTES = _page_routes()


def _url(path: str, id_value: int) -> str:
    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        return str(id_value) if name.endswith("_id") else _OTHER_PARAMS.get(name, "x")

    return _PARAM.sub(fill, path)


@dataclass
class World:
    app: FastAPI
    clients: dict[str, TestClient]  # role (or "anonymous") → a client signed in as it


@contextmanager
def _database(
    backend: str, template: SchemaTemplate, postgres_unavailable: str | None
) -> Iterator[str]:
    """An empty database URL ("" is SQLite under the data folder) or a migrated PostgreSQL."""
    if backend == "sqlite":
        yield ""
        return
    skip_without_postgres(postgres_unavailable)
    with throwaway_postgres(template, migrated=True) as url:
        yield url


def _accounts(settings: Settings) -> None:
    engine = make_engine(settings)
    sessions = session_factory(engine)
    programme = create_organisation(
        sessions, actor=OPERATOR, kind=OrgKind.PROGRAMME, name_en="JET", name_ja="JET"
    )
    orgs = {
        OrgKind.PROGRAMME: programme.id,
        OrgKind.BOE: create_organisation(
            sessions,
            actor=OPERATOR,
            kind=OrgKind.BOE,
            name_en="Kobe City BoE",
            name_ja="神戸市教育委員会",
            prefecture="Hyogo",
            programme_id=programme.id,
        ).id,
        OrgKind.COMPANY: create_organisation(
            sessions, actor=OPERATOR, kind=OrgKind.COMPANY, name_en="Sakura", name_ja="さくら"
        ).id,
    }
    for role in Role:
        kind = ROLE_ORG_KIND[role]
        create_user(
            sessions,
            actor=OPERATOR,
            email=f"{role.value}@example.org",
            display_name=role.value,
            role=role,
            password=PASSWORD,
            organisation_id=orgs[kind] if kind else None,
        )
    engine.dispose()


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def world(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    schema_template: SchemaTemplate,
    postgres_unavailable: str | None,
) -> Iterator[World]:
    with _database(request.param, schema_template, postgres_unavailable) as url:
        settings = Settings(data_dir=tmp_path_factory.mktemp("ids") / "data", database_url=url)
        if settings.is_sqlite:
            schema_template.install(settings)
        _accounts(settings)
        app = create_app(settings)
        clients = {"anonymous": TestClient(app, follow_redirects=False)}
        for role in Role:
            client = TestClient(app, follow_redirects=False)
            sign_in(client, f"{role.value}@example.org")
            clients[role.value] = client
        yield World(app, clients)
        app.state.engine.dispose()


def test_every_page_route_with_an_id_is_enumerated() -> None:
    paths = {path for _, path in PAGE_ROUTES}
    assert "/seasons/{season_id}" in paths
    assert "/cases/{case_id}/mediation" in paths
    assert len(paths) >= 30


@pytest.mark.parametrize(("method", "path"), PAGE_ROUTES)
def test_an_id_out_of_range_is_never_a_server_error(world: World, method: str, path: str) -> None:
    refused = 0
    for value in OUT_OF_RANGE:
        url = _url(path, value)
        for who, client in world.clients.items():
            response = client.request(method, url, headers=SAME_ORIGIN, data={"version": "1"})
            assert response.status_code < 500, (who, method, url, response.status_code)
            refused += response.status_code == 422
    # Someone gets past the route's gate, and is refused the id as input, like the API.
    assert refused, (method, path)


@pytest.mark.parametrize("value", OUT_OF_RANGE)
def test_a_page_refuses_an_id_out_of_range_like_its_json_twin(world: World, value: int) -> None:
    coordinator = world.clients[Role.COORDINATOR.value]
    page = coordinator.get(f"/seasons/{value}")
    twin = coordinator.get(f"/api/v1/seasons/{value}")
    assert (page.status_code, twin.status_code) == (422, 422)
    assert "text/html" in page.headers["content-type"]
    # An id in range that names no row is "not found" on both.
    assert coordinator.get("/seasons/2147483647").status_code == 404
    assert coordinator.get("/api/v1/seasons/2147483647").status_code == 404


@pytest.mark.parametrize(
    ("role", "url"),
    [
        (Role.BOE_STAFF, "/seasons/1/requests?edit={value}"),
        (Role.ADMIN, "/support/metrics?org={value}"),
        (Role.ADMIN, "/api/v1/support/metrics?org={value}"),
    ],
)
@pytest.mark.parametrize("value", OUT_OF_RANGE)
def test_an_id_out_of_range_in_a_query_is_refused(
    world: World, role: Role, url: str, value: int
) -> None:
    response = world.clients[role.value].get(url.format(value=value))
    assert response.status_code == 422, response.text
