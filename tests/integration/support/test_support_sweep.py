"""The support sweep escalates overdue cases without anyone opening them, and `altmatch serve`'s
background sweeper runs it on its timer."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from tests.support_world import build_support_world
from time_machine import TimeMachineFixture

from altmatch.config import Settings
from altmatch.db import Sessions
from altmatch.db.models import SupportCase
from altmatch.domain.access import Actor
from altmatch.rulebook.vocabulary import CaseCategory, Urgency
from altmatch.services.support.cases import CaseIn, open_case
from altmatch.services.support.sweep import SupportSweeper, sweep_support

pytestmark = pytest.mark.date_sensitive

NO_SMTP = Settings(database_url="sqlite://", smtp_host=None)


def _open(sessions: Sessions, alt: Actor, now: datetime) -> int:
    body = CaseIn(
        category=CaseCategory.HOUSING,
        urgency=Urgency.NORMAL,
        subject="Broken heater",
        description="The heater in my flat does not work.",
    )
    return open_case(sessions, alt, body, now=now).id


def _level(sessions: Sessions, case_id: int) -> int:
    with sessions() as session:
        case = session.get(SupportCase, case_id)
        assert case is not None
        return case.level


def test_a_sweep_escalates_an_overdue_case_once(
    sessions: Sessions, clock: TimeMachineFixture
) -> None:
    opened = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)  # Monday 9:00 in Japan
    clock.move_to(opened, tick=False)  # the contracts run around the day the case opens
    world = build_support_world(sessions)
    case_id = _open(sessions, world.actors["jet_alt"], opened)
    assert sweep_support(sessions, NO_SMTP, now=opened + timedelta(hours=1)).escalated == 0
    late = opened + timedelta(days=7)
    first = sweep_support(sessions, NO_SMTP, now=late)
    assert (first.escalated, first.emailed) == (1, 0)  # no SMTP host: nothing e-mailed
    assert _level(sessions, case_id) == 2
    assert sweep_support(sessions, NO_SMTP, now=late).escalated == 0


def test_the_background_sweeper_escalates_on_its_own_timer(sessions: Sessions) -> None:
    world = build_support_world(sessions)
    opened = datetime.now(UTC) - timedelta(days=30)  # long overdue by now
    case_id = _open(sessions, world.actors["jet_alt"], opened)
    sweeper = SupportSweeper(sessions, NO_SMTP, minutes=0.001)  # every 0.06 s
    sweeper.start()
    try:
        deadline = time.monotonic() + 10
        while sweeper.sweeps == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        sweeper.stop()
    assert sweeper.sweeps >= 1
    assert _level(sessions, case_id) == 3  # both deadlines long past: the programme adviser
