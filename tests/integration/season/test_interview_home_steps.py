"""The interview round on people's home pages, against SQLite and PostgreSQL: a screened-in
applicant is asked to book, then sees when; an office's staff see their screening queue and who
still waits for a slot; a declared conflict on a booked panel asks them to move it."""

from __future__ import annotations

import pytest
from tests.interview_world import InterviewWorld, build_interviews

from altmatch.clock import utc_now
from altmatch.db import Sessions
from altmatch.db.interview_round import user_by_email
from altmatch.db.models import InterviewConflict
from altmatch.services.home import NextStep, StepStatus, home
from altmatch.services.season.interview_booking import BookIn, book_interview

pytestmark = pytest.mark.date_sensitive  # the session is ten days from today


@pytest.fixture
def iw(sessions: Sessions) -> InterviewWorld:
    return build_interviews(sessions)


def _step(steps: list[NextStep], key: str) -> NextStep:
    found = [s for s in steps if s.key == key]
    assert len(found) == 1, [s.key for s in steps]
    return found[0]


def test_a_screened_in_applicant_is_asked_to_book_then_told_when(
    sessions: Sessions, iw: InterviewWorld
) -> None:
    rw = iw.rw
    key = f"interview-{rw.season_id}"
    step = _step(home(sessions, rw.emily).steps, key)
    assert step.status is StepStatus.TO_DO and step.detail == "Slots open to you: 3."
    booked = book_interview(sessions, rw.emily, rw.season_id, BookIn(slot_id=iw.slots[1]))
    assert booked.booking is not None
    step = _step(home(sessions, rw.emily, locale="ja").steps, key)
    assert step.status is StepStatus.WAITING
    assert step.due == booked.booking.starts_at
    assert step.detail == f"{booked.booking.your_time}（Europe/London）。"
    late = booked.booking.starts_at.replace(microsecond=1)  # heard: the stage says the rest
    assert all(s.key != key for s in home(sessions, rw.emily, now=late).steps)


def test_an_offices_staff_see_their_queue_and_who_waits_for_a_slot(
    sessions: Sessions, iw: InterviewWorld
) -> None:
    rw = iw.rw
    steps = home(sessions, rw.london_screener, now=utc_now()).steps
    queue = _step(steps, f"office-{rw.london}-queue")
    assert queue.status is StepStatus.DONE and queue.href == f"/offices/{rw.london}/queue"
    interviews = _step(steps, f"office-{rw.london}-interviews")
    assert interviews.status is StepStatus.TO_DO
    assert interviews.detail == (
        "Screened in: 2. Booked: 0. Waiting for a slot: 2. To move for a conflict of interest: 0."
    )
    assert all(not s.key.startswith(f"office-{rw.dublin}") for s in steps)  # not their office

    for who, slot in ((rw.emily, iw.slots[0]), (iw.olivia, iw.slots[1])):
        book_interview(sessions, who, rw.season_id, BookIn(slot_id=slot))
    done = _step(home(sessions, rw.london_screener).steps, f"office-{rw.london}-interviews")
    assert done.status is StepStatus.DONE
    with sessions.begin() as session:  # the educator knows Emily, already booked on L1
        educator = user_by_email(session, "teacher@example.org")
        assert educator is not None
        session.add(
            InterviewConflict(
                assessor_id=educator.id,
                candidate_id=iw.candidates["Emily Carter"],
                reason="former_student",
            )
        )
    move = _step(home(sessions, rw.london_screener).steps, f"office-{rw.london}-interviews")
    assert move.status is StepStatus.TO_DO and move.detail.endswith(
        "To move for a conflict of interest: 1."
    )
