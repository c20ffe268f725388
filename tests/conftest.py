"""Shared fixtures: settings on a temporary data dir, the app, a fixed today, cheap hashing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from altmatch.config import Settings
from altmatch.services import passwords
from altmatch.services.setup import prepare_installation
from altmatch.web.app import create_app

TODAY = dt.date(2026, 11, 25)
# Argon2id at the smallest cost: real hashes, without 64 MiB and ~50 ms per password.
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "HASHER", CHEAP_HASHER)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data")


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    prepare_installation(settings)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture
def inline_jobs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Background season jobs run at once in the request's thread, done when it returns."""
    from altmatch.services import season_jobs

    monkeypatch.setattr(season_jobs, "EXECUTOR", season_jobs.InlineExecutor())
