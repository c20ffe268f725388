"""Schemathesis fuzzes every JSON API operation, signed in as each role and anonymously.

The app runs in-process on a temporary SQLite database seeded with the demo, so generated ids
mostly name real rows (`fuzz_setup.ID_TABLES`) and the services' deep paths run; generation
covers valid and invalid input (schemathesis' positive and negative modes), derandomized so a
run repeats. Every response must not be a server error and must have a documented status code,
a documented content type and a body matching the documented schema.

`ALTMATCH_FUZZ_EXAMPLES` raises the examples per operation and role (default below: the whole
module takes about 2-3 minutes on two cores).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from schemathesis import Case
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from tests.api.fuzz_setup import PERSONAS, SAME_ORIGIN, FuzzWorld, build_world, fresh_session
from tests.conftest import CHEAP_HASHER

from altmatch.config import Settings
from altmatch.services.accounts import passwords
from altmatch.services.dispatch.tenders import TenderFields
from altmatch.web.api.files import XLSX
from altmatch.web.app import create_app

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = int(os.environ.get("ALTMATCH_FUZZ_EXAMPLES", "8"))  # per operation and role
ANONYMOUS_EXAMPLES = max(2, EXAMPLES // 3)  # nearly everything answers 401 before reading input
SIGNED_IN = [role for role, persona in PERSONAS.items() if persona is not None]

# Operations that end the caller's session (sign-out; a candidate deleting their account).
# The signed-in runs share one session per role, so these get a fresh session per example in
# test_session_ending_operation instead.
ENDS_SESSION = ["DELETE /api/v1/session", "DELETE /api/v1/me"]

FUZZ_SETTINGS = settings(
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate, Phase.shrink],
    suppress_health_check=list(HealthCheck),
)


def _spec() -> dict[str, Any]:
    """The OpenAPI document of an app built only for it (building touches no database)."""
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(Settings(data_dir=Path(folder) / "data"))
        spec = app.openapi()
        app.state.engine.dispose()
    return spec


SCHEMA = schemathesis.openapi.from_dict(_spec())
# The world the module's tests run against, for the hook below (set by the `world` fixture).
WORLD: list[FuzzWorld] = []


@SCHEMA.hook
def flatmap_path_parameters(
    context: schemathesis.HookContext, path_parameters: dict[str, Any]
) -> st.SearchStrategy[dict[str, Any]]:
    """Mostly swap a generated id for one that exists, so calls get past 404 to the service."""
    if not path_parameters:
        return st.just(path_parameters)
    choices: dict[str, st.SearchStrategy[Any]] = {}
    for name, value in path_parameters.items():
        real = WORLD[0].existing_ids(name) if WORLD else []
        if not real:
            choices[name] = st.just(value)
        else:
            choices[name] = st.one_of(st.sampled_from(real), st.just(value))
    return st.fixed_dictionaries(choices)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FuzzWorld]:
    with pytest.MonkeyPatch.context() as patch:
        # Cheap hashes for the personas, so the fresh sign-ins below cost milliseconds.
        patch.setattr(passwords, "HASHER", CHEAP_HASHER)
        built = build_world(tmp_path_factory.mktemp("fuzz") / "data")
    WORLD.append(built)
    yield built
    WORLD.clear()
    built.app.state.engine.dispose()


def _call(case: Case, world: FuzzWorld, cookies: dict[str, str]) -> None:
    case.call_and_validate(app=world.app, cookies=cookies, headers=dict(SAME_ORIGIN), checks=CHECKS)


@pytest.mark.parametrize("role", SIGNED_IN)
@SCHEMA.exclude(name=ENDS_SESSION).parametrize()
@settings(FUZZ_SETTINGS, max_examples=EXAMPLES)
def test_operation(case: Case, role: str, world: FuzzWorld) -> None:
    _call(case, world, dict(world.cookies[role]))


# The extra parameter gives each operation its own test id (schemathesis names a lone
# parametrize only by the function), so that a parallel run (pytest-xdist) keeps every one.
@pytest.mark.parametrize("caller", ["anonymous"])
@SCHEMA.parametrize()
@settings(FUZZ_SETTINGS, max_examples=ANONYMOUS_EXAMPLES)
def test_operation_anonymous(case: Case, caller: str, world: FuzzWorld) -> None:
    _call(case, world, {})


@pytest.mark.parametrize("role", SIGNED_IN)
@SCHEMA.include(name=ENDS_SESSION).parametrize()
@settings(FUZZ_SETTINGS, max_examples=3)
def test_session_ending_operation(case: Case, role: str, world: FuzzWorld) -> None:
    _call(case, world, fresh_session(world.app, role))


# Pinned examples of what the fuzzer found, so each fix stays in place without fuzzing.


def test_an_id_beyond_any_row_is_refused_as_input_naming_it(client: TestClient) -> None:
    response = client.get(f"/api/v1/postings/{2**63}")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "posting_id"]


def test_an_id_beyond_any_row_in_a_body_is_refused_as_input() -> None:
    tender = {
        "boe_id": 2**63,
        "title": "Tender",
        "requested_alts": 1,
        "requested_start": "2027-04-01",
        "bid_price_per_alt_month": 300_000,
        "submitted_on": "2026-11-25",
    }
    with pytest.raises(ValidationError) as refused:
        TenderFields.model_validate(tender)
    assert [e["loc"] for e in refused.value.errors()] == [("boe_id",)]


def test_every_operation_documents_the_errors_it_can_give() -> None:
    for path, operations in _spec()["paths"].items():
        for method, operation in operations.items():
            documented = set(operation["responses"])
            assert {"400", "401", "403", "404", "409", "422", "429"} <= documented, (method, path)


def test_exports_document_a_file_not_json() -> None:
    spec = _spec()
    for path, operations in spec["paths"].items():
        if path.endswith("/export") and path != "/api/v1/me/export":
            content = operations["get"]["responses"]["200"]["content"]
            assert set(content) == {"text/csv", XLSX}, path


def test_no_schema_name_carries_a_module_path() -> None:
    # FastAPI names a schema after its module when two classes share a name; moving the file
    # would then rename the public API. Each read model has a name of its own instead.
    names = _spec()["components"]["schemas"]
    assert [name for name in names if "altmatch__" in name] == []
