"""The interview round against SQLite and PostgreSQL: planning and access, booking races (one
slot, one winner; one slot per application), moves as compare-and-swap, assignment with its
preview, conflicts of interest, reminders sent once, and what is audited and told."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from tests.interview_world import InterviewWorld, build_interviews

from altmatch.cli.sweep import periodic_tasks
from altmatch.db import Sessions
from altmatch.db.interview_round import user_by_email
from altmatch.db.models import (
    AuditEntry,
    InterviewConflict,
    InterviewSlot,
    Notification,
    OnlineApplication,
)
from altmatch.domain.access import OPERATOR, AccessDeniedError, NotFoundError
from altmatch.domain.interview_schedule import Unseated
from altmatch.services.kernel.errors import RuleError, StaleError
from altmatch.services.season.interview_assignment import (
    RescheduleIn,
    confirm_assignment,
    preview_assignment,
    reschedule,
)
from altmatch.services.season.interview_booking import (
    BookIn,
    MoveBookingIn,
    book_interview,
    move_interview,
    my_interview,
    remind_interviews,
)
from altmatch.services.season.interview_planner import (
    MemberIn,
    PanelIn,
    SessionIn,
    add_panel,
    delete_session,
    plan_session,
    planner,
    set_member,
)

pytestmark = pytest.mark.date_sensitive  # the session is ten days from today


@pytest.fixture
def iw(sessions: Sessions) -> InterviewWorld:
    return build_interviews(sessions)


def _slot(sessions: Sessions, slot_id: int) -> InterviewSlot:
    with sessions() as session:
        row = session.get(InterviewSlot, slot_id)
        assert row is not None
        session.expunge(row)
        return row


def _count(sessions: Sessions, model: type, *where: object) -> int:
    with sessions() as session:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def test_planning_materialises_the_slots_on_the_offices_clock(
    sessions: Sessions, iw: InterviewWorld
) -> None:
    rw = iw.rw
    out = planner(sessions, rw.london_screener, rw.london, rw.season_id)
    assert [p.code for p in out.panels] == ["L1"]
    assert {m.background for m in out.panels[0].members} == {
        "officer",
        "former_participant",
        "educator",
    }
    assert [s.office_time[-5:] for s in out.slots] == ["10:00", "10:40", "11:20"]
    assert {w.name for w in out.waiting} == {"Emily Carter", "Olivia Smith"}
    assert out.heard == 2 and out.booked == 0


def test_another_office_and_a_programme_coordinator_without_membership_are_told_not_found(
    sessions: Sessions, iw: InterviewWorld
) -> None:
    rw = iw.rw
    for actor in (rw.dublin_screener, rw.world.coordinator):
        with pytest.raises(NotFoundError):
            planner(sessions, actor, rw.london, rw.season_id)
    with pytest.raises(AccessDeniedError):  # a candidate may not plan at all
        planner(sessions, rw.emily, rw.london, rw.season_id)
    assert planner(sessions, OPERATOR, rw.london, rw.season_id).office_code == "london"


def test_a_panel_code_is_unique_in_the_season_and_an_assessor_must_belong_to_the_programme(
    sessions: Sessions, iw: InterviewWorld
) -> None:
    rw = iw.rw
    with pytest.raises(RuleError, match="already has the code"):
        add_panel(sessions, rw.dublin_screener, rw.dublin, rw.season_id, PanelIn(code="L1"))
    with pytest.raises(RuleError, match="Only an assessor or a coordinator"):
        set_member(
            sessions,
            rw.london_screener,
            rw.london,
            rw.season_id,
            iw.panel,
            MemberIn(email="emily@example.org", background="other"),
        )


def test_a_session_may_not_overlap_an_assessors_other_sitting(
    sessions: Sessions, iw: InterviewWorld
) -> None:
    rw = iw.rw
    out = add_panel(sessions, rw.london_screener, rw.london, rw.season_id, PanelIn(code="L2"))
    second = next(p.id for p in out.panels if p.code == "L2")
    set_member(
        sessions,
        rw.london_screener,
        rw.london,
        rw.season_id,
        second,
        MemberIn(email="officer@example.org", background="officer"),
    )
    body = SessionIn(panel_id=second, day=iw.day, starts=dt.time(11), ends=dt.time(13), minutes=30)
    with pytest.raises(RuleError, match="overlaps"):
        plan_session(sessions, rw.london_screener, rw.london, rw.season_id, body)
    later = body.model_copy(update={"starts": dt.time(14), "ends": dt.time(15)})
    out = plan_session(sessions, rw.london_screener, rw.london, rw.season_id, later)
    assert len(out.slots) == 5


def _race(calls: list[Callable[[], object]]) -> tuple[list[object], list[Exception]]:
    barrier = threading.Barrier(len(calls))
    won: list[object] = []
    refused: list[Exception] = []
    lock = threading.Lock()

    def run(call: Callable[[], object]) -> None:
        barrier.wait()
        try:
            result = call()
        except RuleError as exc:
            with lock:
                refused.append(exc)
        else:
            with lock:
                won.append(result)

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return won, refused


def test_two_candidates_booking_one_slot_at_once_one_wins(
    sessions: Sessions, iw: InterviewWorld
) -> None:
    rw, slot = iw.rw, iw.slots[0]
    won, refused = _race(
        [
            lambda: book_interview(sessions, rw.emily, rw.season_id, BookIn(slot_id=slot)),
            lambda: book_interview(sessions, iw.olivia, rw.season_id, BookIn(slot_id=slot)),
        ]
    )
    assert len(won) == 1 and len(refused) == 1 and isinstance(refused[0], StaleError)
    assert _slot(sessions, slot).candidate_id in iw.candidates.values()
    assert _count(sessions, AuditEntry, AuditEntry.action == "interview.booked") == 1


def test_an_application_holds_one_slot_even_when_it_books_two_at_once(
    sessions: Sessions, iw: InterviewWorld
) -> None:
    rw = iw.rw
    won, refused = _race(
        [
            lambda s=s: book_interview(sessions, rw.emily, rw.season_id, BookIn(slot_id=s))
            for s in iw.slots[:2]
        ]
    )
    assert len(won) == 1 and len(refused) == 1
    emily = iw.candidates["Emily Carter"]
    assert _count(sessions, InterviewSlot, InterviewSlot.candidate_id == emily) == 1
    with pytest.raises(StaleError, match="already hold"):
        book_interview(sessions, rw.emily, rw.season_id, BookIn(slot_id=iw.slots[2]))


def test_a_move_releases_and_books_at_the_version_read_and_counts_the_move(
    sessions: Sessions, iw: InterviewWorld
) -> None:
    rw = iw.rw
    booked = book_interview(sessions, rw.emily, rw.season_id, BookIn(slot_id=iw.slots[0]))
    assert booked.booking is not None and booked.moves_left == 2
    version = booked.booking.version
    moved = move_interview(
        sessions, rw.emily, rw.season_id, MoveBookingIn(slot_id=iw.slots[1], version=version)
    )
    assert moved.booking is not None and moved.booking.id == iw.slots[1]
    assert moved.moves_left == 1 and _slot(sessions, iw.slots[0]).candidate_id is None
    with pytest.raises(StaleError):  # a version read before the move
        move_interview(
            sessions,
            rw.emily,
            rw.season_id,
            MoveBookingIn(slot_id=iw.slots[2], version=version - 1),
        )
    # someone takes the target first: the release is undone with the refused booking
    book_interview(sessions, iw.olivia, rw.season_id, BookIn(slot_id=iw.slots[2]))
    with pytest.raises(StaleError):
        move_interview(
            sessions,
            rw.emily,
            rw.season_id,
            MoveBookingIn(slot_id=iw.slots[2], version=moved.booking.version),
        )
    assert _slot(sessions, iw.slots[1]).candidate_id == iw.candidates["Emily Carter"]
    moves = my_interview(sessions, rw.emily, rw.season_id)
    assert moves.booking is not None and moves.booking.id == iw.slots[1]


def test_a_candidate_moves_twice_at_most_and_not_once_booking_has_closed(
    sessions: Sessions, iw: InterviewWorld, clock: object
) -> None:
    rw = iw.rw
    out = book_interview(sessions, rw.emily, rw.season_id, BookIn(slot_id=iw.slots[0]))
    for target in (iw.slots[1], iw.slots[0]):
        assert out.booking is not None
        out = move_interview(
            sessions,
            rw.emily,
            rw.season_id,
            MoveBookingIn(slot_id=target, version=out.booking.version),
        )
    assert out.booking is not None and out.moves_left == 0
    assert out.move_refusal == "too_many_moves"
    with pytest.raises(RuleError, match="moved as often as allowed"):
        move_interview(
            sessions,
            rw.emily,
            rw.season_id,
            MoveBookingIn(slot_id=iw.slots[2], version=out.booking.version),
        )
    starts = _slot(sessions, iw.slots[2]).starts_at
    clock.move_to(starts - dt.timedelta(hours=47), tick=False)  # type: ignore[attr-defined]
    with pytest.raises(RuleError, match="has closed"):
        book_interview(sessions, iw.olivia, rw.season_id, BookIn(slot_id=iw.slots[2]))
    assert my_interview(sessions, iw.olivia, rw.season_id).open_slots == []


def test_a_candidate_sees_only_their_offices_slots_open_to_them(
    sessions: Sessions, iw: InterviewWorld
) -> None:
    rw = iw.rw
    mine = my_interview(sessions, rw.emily, rw.season_id)
    assert mine.screened_in and [s.id for s in mine.open_slots] == iw.slots
    assert mine.your_zone == mine.office_zone == "Europe/London"
    liam = my_interview(sessions, rw.liam, rw.season_id)
    assert liam.open_slots == []  # Dublin has planned nothing
    with pytest.raises(NotFoundError):  # London's slot by id, from Dublin's applicant
        book_interview(sessions, rw.liam, rw.season_id, BookIn(slot_id=iw.slots[0]))
    with sessions.begin() as session:  # the educator knows Emily: L1 never hears her
        educator = user_by_email(session, "teacher@example.org")
        assert educator is not None
        session.add(
            InterviewConflict(
                assessor_id=educator.id,
                candidate_id=iw.candidates["Emily Carter"],
                reason="former_student",
            )
        )
    assert my_interview(sessions, rw.emily, rw.season_id).open_slots == []
    with pytest.raises(RuleError, match="not open to you"):
        book_interview(sessions, rw.emily, rw.season_id, BookIn(slot_id=iw.slots[0]))


def test_a_booking_heard_by_a_conflicted_panel_is_flagged_on_the_planner(
    sessions: Sessions, iw: InterviewWorld
) -> None:
    rw = iw.rw
    book_interview(sessions, rw.emily, rw.season_id, BookIn(slot_id=iw.slots[0]))
    flagged = [s.id for s in planner(sessions, rw.london_screener, rw.london).slots if s.conflicted]
    assert flagged == []
    with sessions.begin() as session:  # declared after she booked: the office must move her
        educator = user_by_email(session, "teacher@example.org")
        assert educator is not None
        session.add(
            InterviewConflict(
                assessor_id=educator.id,
                candidate_id=iw.candidates["Emily Carter"],
                reason="former_student",
            )
        )
    flagged = [s.id for s in planner(sessions, rw.london_screener, rw.london).slots if s.conflicted]
    assert flagged == [iw.slots[0]]


def test_assignment_previews_then_books_everyone_it_can_and_says_why_others_wait(
    sessions: Sessions, iw: InterviewWorld
) -> None:
    rw = iw.rw
    with sessions.begin() as session:  # Olivia is in Los Angeles: London's morning is her night
        row = session.scalar(
            select(OnlineApplication).where(
                OnlineApplication.candidate_id == iw.candidates["Olivia Smith"]
            )
        )
        assert row is not None
        row.answers = {**row.answers, "time_zone": "America/Los_Angeles"}
    preview = preview_assignment(sessions, rw.london_screener, rw.london, rw.season_id)
    assert [(s.name, s.slot_id) for s in preview.seats] == [("Emily Carter", iw.slots[0])]
    assert [(u.name, u.reason) for u in preview.unseated] == [
        ("Olivia Smith", Unseated.NO_OPEN_SLOT)
    ]
    assert _slot(sessions, iw.slots[0]).candidate_id is None  # a preview writes nothing
    with pytest.raises(StaleError, match="changed since you previewed"):
        confirm_assignment(sessions, rw.london_screener, rw.london, rw.season_id, "0" * 16)
    done = confirm_assignment(sessions, rw.london_screener, rw.london, rw.season_id, preview.plan)
    assert done.seats == preview.seats
    assert _slot(sessions, iw.slots[0]).candidate_id == iw.candidates["Emily Carter"]
    assert _count(sessions, Notification, Notification.kind == "interview_booked") == 1
    assert _count(sessions, AuditEntry, AuditEntry.action == "interview.assigned") == 1


def test_the_office_moves_a_booking_with_a_reason_without_spending_the_candidates_moves(
    sessions: Sessions, iw: InterviewWorld
) -> None:
    rw = iw.rw
    out = book_interview(sessions, rw.emily, rw.season_id, BookIn(slot_id=iw.slots[0]))
    assert out.booking is not None
    body = RescheduleIn(
        candidate_id=iw.candidates["Emily Carter"],
        slot_id=iw.slots[2],
        version=out.booking.version,
        reason="The officer is called away that morning.",
    )
    with pytest.raises(NotFoundError):
        reschedule(sessions, rw.dublin_screener, rw.london, rw.season_id, body)
    grid = reschedule(sessions, rw.london_screener, rw.london, rw.season_id, body)
    held = next(s for s in grid.slots if s.candidate_id == body.candidate_id)
    assert held.id == iw.slots[2] and held.moves == 0
    assert my_interview(sessions, rw.emily, rw.season_id).moves_left == 2
    with sessions() as session:
        notice = session.scalars(
            select(Notification).where(Notification.kind == "interview_moved")
        ).one()
        assert notice.message["params"]["reason"] == body.reason
    assert _count(sessions, AuditEntry, AuditEntry.action == "interview.rescheduled") == 1
    with pytest.raises(StaleError):  # the same stale version again
        reschedule(sessions, rw.london_screener, rw.london, rw.season_id, body)


def test_a_session_with_a_booking_cannot_be_deleted_but_a_free_one_can(
    sessions: Sessions, iw: InterviewWorld
) -> None:
    rw = iw.rw
    book_interview(sessions, rw.emily, rw.season_id, BookIn(slot_id=iw.slots[1]))
    grid = planner(sessions, rw.london_screener, rw.london, rw.season_id)
    session_id = grid.panels[0].sessions[0].id
    with pytest.raises(StaleError, match="is booked"):
        delete_session(sessions, rw.london_screener, rw.london, rw.season_id, session_id)
    assert _count(sessions, InterviewSlot) == 3  # nothing deleted
    with sessions.begin() as session:
        session.execute(
            InterviewSlot.__table__.update().values(candidate_id=None)  # type: ignore[attr-defined]
        )
    out = delete_session(sessions, rw.london_screener, rw.london, rw.season_id, session_id)
    assert out.slots == [] and _count(sessions, InterviewSlot) == 0


def test_a_reminder_goes_once_even_when_two_sweeps_run_together(
    sessions: Sessions, iw: InterviewWorld, clock: object
) -> None:
    rw = iw.rw
    book_interview(sessions, rw.emily, rw.season_id, BookIn(slot_id=iw.slots[0]))
    starts = _slot(sessions, iw.slots[0]).starts_at
    clock.move_to(starts - dt.timedelta(hours=71), tick=False)  # type: ignore[attr-defined]
    won, refused = _race([lambda: remind_interviews(sessions) for _ in range(3)])
    assert refused == [] and sorted(won) == [0, 0, 1]  # type: ignore[type-var]
    assert remind_interviews(sessions) == 0
    clock.move_to(starts - dt.timedelta(hours=23), tick=False)  # type: ignore[attr-defined]
    assert remind_interviews(sessions) == 1 and remind_interviews(sessions) == 0
    assert _slot(sessions, iw.slots[0]).reminders_sent == [72, 24]
    assert _count(sessions, Notification, Notification.kind == "interview_reminder") == 2


def test_the_periodic_sweep_sends_the_interview_reminders(
    sessions: Sessions, iw: InterviewWorld, clock: object
) -> None:
    book_interview(sessions, iw.rw.emily, iw.rw.season_id, BookIn(slot_id=iw.slots[0]))
    starts = _slot(sessions, iw.slots[0]).starts_at
    clock.move_to(starts - dt.timedelta(hours=23), tick=False)  # type: ignore[attr-defined]
    tasks = dict(periodic_tasks(sessions))
    assert tasks["interview reminders"]() == 1 and tasks["interview reminders"]() == 0
