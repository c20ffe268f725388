"""Shared fixtures: settings on a temporary data dir, the app, and a fixed 'today'."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from altmatch.config import Settings
from altmatch.services.setup import prepare_installation
from altmatch.web.app import create_app

TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data")


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    prepare_installation(settings)
    with TestClient(create_app(settings)) as test_client:
        yield test_client
