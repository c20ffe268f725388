"""Database fixtures: the same test body runs on SQLite and on a throwaway PostgreSQL database."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from psycopg import sql
from sqlalchemy import Engine
from tests.schema_template import POSTGRES_SERVER, SchemaTemplate

from altmatch.config import Settings
from altmatch.db import Sessions, make_engine, session_factory

REQUIRE_POSTGRES = os.environ.get("ALTMATCH_REQUIRE_POSTGRES") == "1"


@pytest.fixture(scope="session")
def postgres_unavailable() -> str | None:
    """Why PostgreSQL cannot be used, or None if it can; checked once per run."""
    try:
        with psycopg.connect(f"postgresql://{POSTGRES_SERVER}/postgres", connect_timeout=3):
            return None
    except psycopg.OperationalError as error:
        reason = " ".join(str(error).split())
        return f"PostgreSQL at {POSTGRES_SERVER} is unreachable: {reason}"


@pytest.fixture
def postgres_url(
    request: pytest.FixtureRequest,
    postgres_unavailable: str | None,
    schema_template: SchemaTemplate,
) -> Iterator[str]:
    """A freshly created, uniquely named database, dropped (forcibly) afterwards: empty, or
    already at head (a clone of the run's template) when the test uses the `engine` fixture.

    Skips when the server is unreachable, but fails instead under ALTMATCH_REQUIRE_POSTGRES=1
    so CI cannot silently lose its PostgreSQL coverage.
    """
    skip_without_postgres(postgres_unavailable)
    with throwaway_postgres(schema_template, migrated="engine" in request.fixturenames) as url:
        yield url


def skip_without_postgres(postgres_unavailable: str | None) -> None:
    """Skip a PostgreSQL test when the server is unreachable, but fail instead under
    ALTMATCH_REQUIRE_POSTGRES=1, so CI cannot silently lose its PostgreSQL coverage."""
    if postgres_unavailable is not None:
        if REQUIRE_POSTGRES:
            pytest.fail(f"{postgres_unavailable} (and ALTMATCH_REQUIRE_POSTGRES=1)")
        pytest.skip(postgres_unavailable)


@contextmanager
def throwaway_postgres(schema_template: SchemaTemplate, *, migrated: bool) -> Iterator[str]:
    """The URL of a uniquely named PostgreSQL database (empty, or a clone of the migrated
    template), dropped (forcibly) afterwards."""
    name = f"altmatch_test_{secrets.token_hex(6)}"
    schema_template.create_postgres(name, migrated=migrated)
    try:
        yield f"postgresql+psycopg://{POSTGRES_SERVER}/{name}"
    finally:
        with psycopg.connect(f"postgresql://{POSTGRES_SERVER}/postgres", autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def settings(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings for an empty database on each backend; nothing is migrated yet."""
    # database_url is always passed so an ALTMATCH_DATABASE_URL in the environment can never
    # point a test at a real database.
    data_dir = tmp_path_factory.mktemp("altmatch") / "data"
    if request.param == "sqlite":
        return Settings(data_dir=data_dir, database_url="")
    url: str = request.getfixturevalue("postgres_url")
    return Settings(data_dir=data_dir, database_url=url)


@pytest.fixture
def engine(settings: Settings, schema_template: SchemaTemplate) -> Iterator[Engine]:
    """An engine on a database at head (a copy of the run's migrated template)."""
    if settings.is_sqlite:
        schema_template.install(settings)
    # On PostgreSQL, postgres_url has cloned the template already: this test uses `engine`.
    engine = make_engine(settings)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine: Engine) -> Sessions:
    """Session factory on the migrated database; each test opens and commits its own."""
    return session_factory(engine)
