"""Shared fixtures: the clock, settings on a temporary data dir, a migrated database copied
from a template, the app, and cheap hashing.

Run the whole suite "at" another date with ALTMATCH_TEST_DATE=YYYY-MM-DD: the clock starts at
09:00 Japan time that day and runs on (see docs/testing.md).
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import time_machine
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from tests.schema_template import SchemaTemplate

from altmatch.clock import JAPAN
from altmatch.config import Settings
from altmatch.services.accounts import passwords
from altmatch.web.app import create_app

# Starlette's TestClient names its host "testserver": the tests' installations answer to it too
# (production's default does not).
os.environ.setdefault("ALTMATCH_ALLOWED_HOSTS", "127.0.0.1,localhost,::1,testserver")

TEST_DATE = "ALTMATCH_TEST_DATE"
CLOCK_OFFSET = "ALTMATCH_TEST_CLOCK_OFFSET"
CLOCK_TRAVEL = Path(__file__).resolve().parent / "clock_travel"
_TRAVEL = pytest.StashKey[time_machine.travel]()
# Argon2id at the smallest cost: real hashes, without 64 MiB and ~50 ms per password.
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "HASHER", CHEAP_HASHER)


def run_start() -> dt.datetime | None:
    """09:00 in Japan on the day ALTMATCH_TEST_DATE names, or None to run on the real clock."""
    value = os.environ.get(TEST_DATE, "").strip()
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError as error:
        raise pytest.UsageError(f"{TEST_DATE}={value!r} is not a YYYY-MM-DD date") from error
    return dt.datetime.combine(day, dt.time(9, 0), tzinfo=JAPAN)


def real_time() -> float:
    """Seconds since the epoch on the machine's clock, even while a test moves ours."""
    if time_machine.escape_hatch.is_travelling():
        return time_machine.escape_hatch.time.time()
    return time.time()


def pytest_configure(config: pytest.Config) -> None:
    # Started before collection, so module-level dates in the tests are computed on that day too.
    start = run_start()
    if start is None:
        return
    # One offset from the real clock for the whole run: set by the first process (pytest, or
    # xdist's controller) and inherited by its workers and by every process a test launches,
    # which tests/clock_travel/sitecustomize.py puts on the same clock.
    offset = float(os.environ.setdefault(CLOCK_OFFSET, str(start.timestamp() - real_time())))
    travel = time_machine.travel(real_time() + offset, tick=True)
    travel.start()
    config.stash[_TRAVEL] = travel
    inherited = os.environ.get("PYTHONPATH", "").split(os.pathsep)
    if str(CLOCK_TRAVEL) not in inherited:
        os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(CLOCK_TRAVEL), *inherited]))


def pytest_unconfigure(config: pytest.Config) -> None:
    travel = config.stash.get(_TRAVEL, None)
    if travel is not None:
        travel.stop()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # A parallel run (pytest-xdist) knows tests by id: two tests with one id would run once.
    repeated = sorted(nodeid for nodeid, n in Counter(i.nodeid for i in items).items() if n > 1)
    if repeated:
        raise pytest.UsageError(f"tests share an id, so one would be lost: {repeated[:5]}")


def pytest_report_header(config: pytest.Config) -> str:
    start = run_start()
    when = f"{start:%Y-%m-%d %H:%M} Japan time ({TEST_DATE})" if start else "the real clock"
    return f"altmatch clock: tests start at {when}"


@pytest.fixture
def clock(time_machine: time_machine.TimeMachineFixture) -> time_machine.TimeMachineFixture:
    """This test's clock. `clock.move_to(moment, tick=False)` sets "now" (frozen, or running on
    with tick=True) for the code under test; `clock.shift(delta)` moves it on. Undone after
    the test. Date-sensitive tests set it where their fixed dates live, so they pass any day."""
    return time_machine


@pytest.fixture(scope="session")
def schema_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SchemaTemplate]:
    """The migrations run once per run; every test that needs a database gets a copy."""
    template = SchemaTemplate(tmp_path_factory.mktemp("schema-template"))
    yield template
    template.close()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data")


@pytest.fixture
def client(
    request: pytest.FixtureRequest, settings: Settings, schema_template: SchemaTemplate
) -> Iterator[TestClient]:
    if "inline_jobs" in request.fixturenames:
        # Before the app starts: its start-up hands left jobs to the executor, and a real
        # thread doing so late could claim a job the test then expects to run inline.
        request.getfixturevalue("inline_jobs")
    schema_template.install(settings)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture
def inline_jobs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Background jobs run at once in the request's thread, done when it returns."""
    from altmatch.services.kernel import job_queue

    monkeypatch.setattr(job_queue, "EXECUTOR", job_queue.InlineExecutor())
