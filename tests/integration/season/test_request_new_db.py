"""Filing a new request on SQLite and PostgreSQL: inside the deadline it is stored for the
filer's own BoE and audited; after the deadline (the clock set explicitly) it is refused and
nothing is stored; the form's frame says which."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from sqlalchemy import func, select
from tests.season_world import CONTRACT_START, World, build_world

from altmatch.clock import JAPAN
from altmatch.db import Sessions
from altmatch.db.models import AuditEntry, SeasonRequest
from altmatch.domain.access import AccessDeniedError
from altmatch.rulebook.vocabulary import Jlpt, SchoolLevel
from altmatch.services.kernel.errors import StaleError
from altmatch.services.season.request_form import new_request_form
from altmatch.services.season.requests import NewRequest, file_request
from altmatch.services.season.setup import open_season

DEADLINE = datetime(2027, 1, 31, 23, 59, tzinfo=JAPAN)
REQUEST = NewRequest(
    request_id="KOBE-NEW-1",
    capacity=2,
    prefecture="Hyogo",
    school_levels=[SchoolLevel("elementary")],
    min_jlpt=Jlpt("N4"),
)


@pytest.fixture
def world(sessions: Sessions) -> World:
    return build_world(sessions)


@pytest.fixture
def season(sessions: Sessions, world: World, clock: time_machine.TimeMachineFixture) -> int:
    clock.move_to(datetime(2027, 1, 10, 9, 0, tzinfo=JAPAN), tick=False)
    return open_season(
        sessions,
        world.coordinator,
        name="2027",
        year=2027,
        request_deadline=DEADLINE,
        contract_start=CONTRACT_START,
    ).id


def _count(sessions: Sessions) -> int:
    with sessions() as session:
        return int(session.scalar(select(func.count()).select_from(SeasonRequest)) or 0)


def test_a_request_filed_a_minute_before_the_deadline_is_stored_for_the_own_boe(
    sessions: Sessions, world: World, season: int, clock: time_machine.TimeMachineFixture
) -> None:
    clock.move_to(datetime(2027, 1, 31, 23, 58, tzinfo=JAPAN), tick=False)
    frame = new_request_form(sessions, world.kobe, season)
    assert frame.accepting is True
    assert frame.boe == "Kobe City BoE"
    filed = file_request(sessions, world.kobe, season, REQUEST)
    assert filed.boe_id == world.boe_ids["Kobe City BoE"]
    assert (filed.capacity, filed.min_jlpt) == (2, "N4")
    with sessions() as session:
        actions = session.scalars(
            select(AuditEntry.action).where(AuditEntry.action == "request.filed")
        )
        assert list(actions) == ["request.filed"]


def test_after_the_deadline_nothing_is_filed(
    sessions: Sessions, world: World, season: int, clock: time_machine.TimeMachineFixture
) -> None:
    clock.move_to(datetime(2027, 2, 1, 0, 0, tzinfo=JAPAN), tick=False)
    assert new_request_form(sessions, world.kobe, season).accepting is False
    with pytest.raises(StaleError):
        file_request(sessions, world.kobe, season, REQUEST)
    assert _count(sessions) == 0


def test_only_boe_staff_file_requests(sessions: Sessions, world: World, season: int) -> None:
    for outsider in (world.coordinator, world.emily):
        with pytest.raises(AccessDeniedError):
            new_request_form(sessions, outsider, season)
        with pytest.raises(AccessDeniedError):
            file_request(sessions, outsider, season, REQUEST)
    assert _count(sessions) == 0
