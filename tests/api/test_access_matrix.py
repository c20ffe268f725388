"""Every route × {anonymous, each role}, generated from the app itself.

Routes added later are covered without touching this file: each non-public route must refuse
anonymous visitors (401 from the API, a redirect to /sign-in from pages), and a route that
declares a PermissionGate (or a StaffGate) must refuse (403) every role the permission table (or
the StaffGate's roles) leaves out while admitting the others. Only the routes in PUBLIC may be
used without signing in.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import BaseRoute, Mount
from tests.api.helpers import PASSWORD, SAME_ORIGIN

from altmatch.config import Settings
from altmatch.domain.access import (
    OPERATOR,
    PERMISSIONS,
    ROLE_ORG_KIND,
    OrgKind,
    Permission,
    Role,
)
from altmatch.services.accounts import passwords
from altmatch.services.accounts.authentication import sign_in
from altmatch.services.accounts.users import create_organisation, create_user
from altmatch.services.setup import prepare_installation
from altmatch.web.app import create_app
from altmatch.web.auth import SESSION_COOKIE, PermissionGate, StaffGate

# Reachable without signing in: the path advisor, static files, the API's own description,
# signing in, up and out, links mailed to an address, and the open direct-hire postings (a
# public jobs board).
# Anything else that appears in the app must demand a session.
PUBLIC_PREFIXES = ("/advisor", "/api/v1/advice", "/paths", "/api/v1/paths", "/static")
PUBLIC = {
    ("GET", "/"),
    ("GET", "/api/v1/openapi.json"),
    ("GET", "/api/v1/docs"),
    ("GET", "/health"),
    ("GET", "/api/v1/health"),
    ("GET", "/sign-in"),
    ("POST", "/sign-in"),
    ("GET", "/sign-up"),
    ("POST", "/sign-up"),
    ("POST", "/sign-out"),  # signing out is always allowed, and harmless
    ("POST", "/api/v1/session"),
    ("POST", "/api/v1/session/second-factor"),  # the second step of signing in
    ("GET", "/sign-in/code"),
    ("POST", "/sign-in/code"),
    ("DELETE", "/api/v1/session"),
    ("GET", "/api/v1/signup"),
    ("POST", "/api/v1/signup"),
    # A link mailed to an address: what it can do, and setting up the address's account
    # through it (the link's token is the credential).
    ("GET", "/verify-email"),
    ("POST", "/verify-email/account"),
    ("GET", "/api/v1/verify-email"),
    ("POST", "/api/v1/verify-email/account"),
    # A dispatch company's termly survey, mailed to a school's contact or an ALT (the link's
    # token is the credential; it opens that one form and nothing else).
    ("GET", "/survey"),
    ("POST", "/survey"),
    ("GET", "/api/v1/survey"),
    ("POST", "/api/v1/survey"),
    ("GET", "/postings"),
    ("GET", "/postings/{posting_id}"),
    ("GET", "/api/v1/postings"),
    ("GET", "/api/v1/postings/{posting_id}"),
    # A referee's upload link (issue 19): no account, the link's single-use token is the
    # credential.
    ("GET", "/references/{token}"),
    ("POST", "/references/{token}"),
    ("GET", "/api/v1/references/{token}"),
    ("POST", "/api/v1/references/{token}"),
}
# Mounted apps (no routes of ours inside): our static files and Swagger UI's installed files.
MOUNTS = {"/static", "/api/v1/docs/assets"}
# Routes that end every session of the caller's account: the role signs in again after one.
SESSION_ENDING = {
    ("POST", "/account/sign-out-everywhere"),
    ("POST", "/api/v1/me/sign-out-everywhere"),
}
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    permissions: frozenset[Permission]
    roles: frozenset[Role] | None = None  # a StaffGate's roles, if the route has one

    @property
    def staff_only(self) -> bool:
        return self.roles is not None

    def admits(self, role: Role) -> bool:
        by_permission = all(role in PERMISSIONS[p] for p in self.permissions)
        return by_permission and (self.roles is None or role in self.roles)

    @property
    def public(self) -> bool:
        return (self.method, self.path) in PUBLIC or self.path.startswith(PUBLIC_PREFIXES)

    @property
    def url(self) -> str:
        return re.sub(r"\{[^}]+\}", "1", self.path)

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def _gates(dependant: object) -> Iterator[Permission]:
    for dependency in getattr(dependant, "dependencies", []):
        if isinstance(dependency.call, PermissionGate):
            yield dependency.call.permission
        yield from _gates(dependency)


def _staff_roles(dependant: object) -> frozenset[Role] | None:
    """The roles a StaffGate on the route (or its dependencies) admits; None without one."""
    for dependency in getattr(dependant, "dependencies", []):
        if isinstance(dependency.call, StaffGate):
            return dependency.call.roles
        found = _staff_roles(dependency)
        if found is not None:
            return found
    return None


def _flat_routes(app: FastAPI) -> Iterator[tuple[BaseRoute, str | None]]:
    """Every route with its full path, also inside included routers."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # FastAPI before included routers became lazy
        for route in app.routes:
            yield route, getattr(route, "path", None)
        return
    for context in iter_route_contexts(app.routes):
        yield context.original_route, context.path


def endpoints(app: FastAPI) -> list[Endpoint]:
    found = []
    for route, path in _flat_routes(app):
        if isinstance(route, Mount):
            assert route.path in MOUNTS, f"unknown mount {route.path}: say who may use it"
            continue
        assert path is not None, route
        api_route = isinstance(route, APIRoute)
        permissions = frozenset(_gates(route.dependant)) if api_route else frozenset()
        staff_roles = _staff_roles(route.dependant) if api_route else None
        for method in sorted(getattr(route, "methods", None) or {"GET"}):
            if method != "HEAD":
                found.append(Endpoint(method, path, permissions, staff_roles))
    return found


ENDPOINTS = endpoints(create_app(Settings(database_url="sqlite://")))
PRIVATE = [e for e in ENDPOINTS if not e.public]


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    settings = Settings(data_dir=tmp_path_factory.mktemp("matrix"), database_url="")
    prepare_installation(settings)
    return create_app(settings)


@pytest.fixture(scope="module")
def tokens(app: FastAPI) -> dict[Role, str]:
    """One signed-in user per role, each in an organisation of the right kind."""
    sessions = app.state.sessions
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            passwords, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
        )
        orgs = {
            kind: create_organisation(
                sessions, actor=OPERATOR, kind=kind, name_en=kind.value, name_ja=kind.value
            ).id
            for kind in OrgKind
        }
        found = {}
        for role in Role:
            kind = ROLE_ORG_KIND[role]
            email = f"{role.value}@example.org"
            create_user(
                sessions,
                actor=OPERATOR,
                email=email,
                display_name=role.value,
                role=role,
                password=PASSWORD,
                organisation_id=orgs[kind] if kind else None,
            )
            found[role] = sign_in(sessions, email=email, password=PASSWORD, ip="matrix").token
    return found


def call(app: FastAPI, endpoint: Endpoint, token: str | None) -> tuple[int, str]:
    cookies = {SESSION_COOKIE: token} if token else None
    client = TestClient(app, cookies=cookies)
    headers = SAME_ORIGIN if endpoint.method in UNSAFE else {}
    body = {"json": {}} if endpoint.method in UNSAFE else {}
    response = client.request(
        endpoint.method, endpoint.url, headers=headers, follow_redirects=False, **body
    )
    return response.status_code, response.headers.get("location", "")


def test_the_app_has_routes_of_every_kind() -> None:
    assert any(e.public for e in ENDPOINTS) and PRIVATE
    assert any(e.permissions for e in PRIVATE), "no role-restricted route found"
    assert any(e.staff_only for e in PRIVATE), "no staff-only route found"


def test_every_allowlisted_public_route_exists_or_is_reserved() -> None:
    paths = {(e.method, e.path) for e in ENDPOINTS}
    reserved = {("GET", "/health"), ("GET", "/api/v1/health")}
    assert PUBLIC - reserved <= paths, PUBLIC - reserved - paths


@pytest.mark.parametrize("endpoint", PRIVATE, ids=str)
def test_a_private_route_refuses_anonymous_visitors(app: FastAPI, endpoint: Endpoint) -> None:
    status, location = call(app, endpoint, None)
    if endpoint.path.startswith("/api/"):
        assert status == 401, f"{endpoint} answered {status} without a session"
    else:
        assert status == 303 and location.startswith("/sign-in?next="), (endpoint, status)


@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if e.public], ids=str)
def test_a_public_route_serves_anonymous_visitors(app: FastAPI, endpoint: Endpoint) -> None:
    status, location = call(app, endpoint, None)
    assert status not in (401, 403), (endpoint, status)
    assert not location.startswith("/sign-in"), endpoint


@pytest.mark.parametrize("role", list(Role), ids=str)
@pytest.mark.parametrize("endpoint", PRIVATE, ids=str)
def test_each_role_gets_exactly_what_the_permission_table_allows(
    app: FastAPI, tokens: dict[Role, str], endpoint: Endpoint, role: Role
) -> None:
    allowed = endpoint.admits(role)
    status, location = call(app, endpoint, tokens[role])
    if (endpoint.method, endpoint.path) in SESSION_ENDING:
        email = f"{role.value}@example.org"
        tokens[role] = sign_in(
            app.state.sessions, email=email, password=PASSWORD, ip="matrix"
        ).token
    assert not location.startswith("/sign-in"), f"{endpoint} did not see {role}'s session"
    if allowed:
        assert status not in (401, 403), f"{endpoint} refused {role} ({status})"
    else:
        assert status == 403, f"{endpoint} let {role} through ({status})"
