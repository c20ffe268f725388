"""Where a candidate will be for their interview, against SQLite and PostgreSQL: the draft's
answer checked and defaulted at submission, a candidate in Los Angeles offered only London's
slots inside their own hours and skipped in their night by the office's assignment, and changing
the zone later as a compare-and-swap that keeps the booking and tells the office."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from tests.interview_world import InterviewWorld, build_interviews
from tests.recruitment_world import answers, build_recruitment, complete_application

from altmatch.db import Sessions
from altmatch.db.models import AuditEntry, InterviewSlot, Notification
from altmatch.domain.access import NotFoundError
from altmatch.rulebook import load_rulebook
from altmatch.services.kernel.errors import RuleError, StaleError
from altmatch.services.season.application_reads import application_page
from altmatch.services.season.interview_assignment import (
    preview_assignment,
)
from altmatch.services.season.interview_booking import (
    BookIn,
    TimeZoneIn,
    book_interview,
    change_time_zone,
    my_interview,
)
from altmatch.services.season.interview_planner import (
    SessionIn,
    plan_session,
)
from altmatch.services.season.online_application import save_draft, submit_application

pytestmark = pytest.mark.date_sensitive  # the sessions are ten days from today

LA = "America/Los_Angeles"


@pytest.fixture
def iw(sessions: Sessions) -> InterviewWorld:
    return build_interviews(sessions)


def _afternoon(sessions: Sessions, iw: InterviewWorld) -> list[int]:
    """A second session of L1, 13:00-16:00 London: 13:00, 13:40, 14:20 and 15:00, which is
    05:00-08:00 in Los Angeles (06:00-09:00 in the weeks the two clocks change apart)."""
    out = plan_session(
        sessions,
        iw.rw.london_screener,
        iw.rw.london,
        iw.rw.season_id,
        SessionIn(
            panel_id=iw.panel,
            day=iw.day,
            starts=dt.time(13),
            ends=dt.time(16),
            minutes=30,
            gap_minutes=10,
        ),
    )
    return [s.id for s in out.slots if s.id not in iw.slots]


def _in_hours(sessions: Sessions, slot_id: int, zone: str) -> bool:
    """Independently of the domain: starts and ends within the rulebook's hours in `zone`."""
    hours = load_rulebook().interview_scheduling.remote_local_hours
    with sessions() as session:
        slot = session.get(InterviewSlot, slot_id)
        assert slot is not None
        starts = slot.starts_at.astimezone(ZoneInfo(zone))
        ends = slot.ends_at.astimezone(ZoneInfo(zone))
    day = starts.replace(hour=0, minute=0, second=0, microsecond=0)
    return day + dt.timedelta(hours=hours.earliest) <= starts and ends <= day + dt.timedelta(
        hours=hours.latest
    )


def _count(sessions: Sessions, model: type, *where: object) -> int:
    with sessions() as session:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def _move_to_la(sessions: Sessions, iw: InterviewWorld) -> None:
    mine = my_interview(sessions, iw.olivia, iw.rw.season_id)
    change_time_zone(
        sessions,
        iw.olivia,
        iw.rw.season_id,
        TimeZoneIn(time_zone=LA, version=mine.application_version),
    )


def test_a_draft_refuses_an_unknown_zone_and_a_blank_one_becomes_the_offices_at_submission(
    sessions: Sessions,
) -> None:
    rw = build_recruitment(sessions)
    with pytest.raises(RuleError) as refused:  # refused before anything is stored
        save_draft(
            sessions, rw.emily, rw.season_id, answers(time_zone="Mars/Olympus"), version=None
        )
    assert refused.value.field == "time_zone"
    assert application_page(sessions, rw.emily, rw.season_id).application is None
    version = complete_application(sessions, rw, rw.emily, answers())
    page = application_page(sessions, rw.emily, rw.season_id)
    assert page.application is not None and page.application.answers.time_zone == ""
    assert page.time_zones is not None and page.time_zones.first[0] == "Europe/London"
    out = submit_application(sessions, rw.emily, rw.season_id, version=version)
    assert out.answers.time_zone == "Europe/London"
    assert out.receipt is not None and out.receipt.time_zone == "Europe/London"


def test_a_chosen_zone_is_kept_through_submission(sessions: Sessions) -> None:
    rw = build_recruitment(sessions)
    body = answers("Liam Walsh", "IE", time_zone=" America/New_York ")
    version = complete_application(sessions, rw, rw.liam, body)
    out = submit_application(sessions, rw.liam, rw.season_id, version=version)
    assert out.answers.time_zone == "America/New_York"
    assert out.receipt is not None and out.receipt.time_zone == "America/New_York"
    mine = my_interview(sessions, rw.liam, rw.season_id)  # not screened in yet: still their clock
    assert not mine.screened_in and mine.your_zone == "America/New_York" and mine.remote


def test_a_candidate_in_los_angeles_is_offered_only_the_slots_inside_their_hours(
    sessions: Sessions, iw: InterviewWorld
) -> None:
    rw = iw.rw
    afternoon = _afternoon(sessions, iw)
    before = my_interview(sessions, iw.olivia, rw.season_id)
    assert not before.remote and [s.id for s in before.open_slots] == iw.slots + afternoon
    _move_to_la(sessions, iw)
    mine = my_interview(sessions, iw.olivia, rw.season_id)
    assert mine.remote and mine.your_zone == LA and mine.office_zone == "Europe/London"
    inside = [s for s in iw.slots + afternoon if _in_hours(sessions, s, LA)]
    assert inside and set(inside) < set(afternoon)  # some of the afternoon, none of the morning
    assert [s.id for s in mine.open_slots] == inside
    shown = mine.open_slots[0]
    assert shown.your_time == f"{shown.starts_at.astimezone(ZoneInfo(LA)):%Y-%m-%d %H:%M}"
    assert shown.office_time[-5:] in {"14:20", "15:00"}
    with pytest.raises(RuleError, match="not open to you"):  # London's morning is her night
        book_interview(sessions, iw.olivia, rw.season_id, BookIn(slot_id=iw.slots[0]))
    booked = book_interview(sessions, iw.olivia, rw.season_id, BookIn(slot_id=inside[0]))
    assert booked.booking is not None and not booked.outside_hours
    assert _count(sessions, AuditEntry, AuditEntry.action == "application.time_zone_changed") == 1


def test_the_offices_assignment_skips_the_slots_in_a_remote_candidates_night(
    sessions: Sessions, iw: InterviewWorld
) -> None:
    rw = iw.rw
    afternoon = _afternoon(sessions, iw)
    _move_to_la(sessions, iw)
    preview = preview_assignment(sessions, rw.london_screener, rw.london, rw.season_id)
    seats = {s.name: s for s in preview.seats}
    olivia = seats["Olivia Smith"]
    assert olivia.candidate_zone == LA and olivia.slot_id in afternoon
    assert _in_hours(sessions, olivia.slot_id, LA)
    assert seats["Emily Carter"].slot_id == iw.slots[0]  # in London: the first slot is hers


def test_changing_the_zone_is_a_compare_and_swap_that_keeps_the_booking_and_tells_the_office(
    sessions: Sessions, iw: InterviewWorld
) -> None:
    rw = iw.rw
    book_interview(sessions, iw.olivia, rw.season_id, BookIn(slot_id=iw.slots[0]))
    mine = my_interview(sessions, iw.olivia, rw.season_id)
    stale = TimeZoneIn(time_zone=LA, version=mine.application_version - 1)
    with pytest.raises(StaleError):
        change_time_zone(sessions, iw.olivia, rw.season_id, stale)
    bad = TimeZoneIn(time_zone="Mars/Olympus", version=mine.application_version)
    with pytest.raises(RuleError) as refused:
        change_time_zone(sessions, iw.olivia, rw.season_id, bad)
    assert refused.value.field == "time_zone"
    assert _count(sessions, AuditEntry, AuditEntry.action == "application.time_zone_changed") == 0
    done = change_time_zone(
        sessions,
        iw.olivia,
        rw.season_id,
        TimeZoneIn(time_zone=LA, version=mine.application_version),
    )
    assert done.booking is not None and done.booking.id == iw.slots[0]  # the booking stays
    assert done.outside_hours and done.your_zone == LA
    assert done.application_version > mine.application_version
    with sessions() as session:
        told = session.scalars(
            select(Notification).where(Notification.kind == "interview_zone_changed")
        ).all()
    assert told and all("outside their hours" in n.message["msgid"] for n in told)
    with sessions() as session:
        entry = session.scalar(
            select(AuditEntry).where(AuditEntry.action == "application.time_zone_changed")
        )
    assert entry is not None and entry.before == {"time_zone": "Europe/London"}
    assert entry.after == {"time_zone": LA}


def test_a_candidate_without_a_submitted_application_has_no_zone_to_change(
    sessions: Sessions,
) -> None:
    rw = build_recruitment(sessions)
    complete_application(sessions, rw, rw.emily, answers())  # a draft only
    for who in (rw.emily, rw.liam):  # a draft; no application at all
        with pytest.raises(NotFoundError):
            change_time_zone(sessions, who, rw.season_id, TimeZoneIn(time_zone=LA, version=1))
