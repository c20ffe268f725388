"""The booking helpers the interview planner and booking add to the schedule rules: reminders
already due when a slot is booked, a candidate's clock, and why an assignment left someone out
(rulebook 2026: reminders at 72 and 24 hours; remote interviews 07:00-22:00 local)."""

from __future__ import annotations

import datetime as dt

from altmatch.domain.interview_schedule import (
    Candidate,
    Conflict,
    Slot,
    Unseated,
    assign,
    candidate_zone,
    clashes,
    reminders_due,
    reminders_passed,
    why_unseated,
)
from altmatch.rulebook import load_rulebook

RULES = load_rulebook(2026).interview_scheduling
UTC = dt.UTC


def _at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def test_a_booking_made_inside_a_reminders_window_counts_that_reminder_as_sent() -> None:
    slot = Slot("P1", _at(2027, 2, 10, 9), _at(2027, 2, 10, 9, 30))
    assert reminders_passed(slot, now=_at(2027, 2, 1, 9), rules=RULES) == ()
    passed = reminders_passed(slot, now=_at(2027, 2, 7, 12), rules=RULES)  # 69 hours before
    assert passed == (72,)
    # the 72-hour reminder is not sent right after the booking; the 24-hour one still is
    assert reminders_due(slot, sent=passed, now=_at(2027, 2, 7, 12), rules=RULES) == ()
    assert reminders_due(slot, sent=passed, now=_at(2027, 2, 9, 9), rules=RULES) == (24,)
    assert reminders_passed(slot, now=_at(2027, 2, 9, 12), rules=RULES) == (72, 24)


def test_a_candidates_clock_is_their_answer_when_it_names_a_zone_else_the_offices() -> None:
    assert candidate_zone("America/Los_Angeles", "America/New_York") == "America/Los_Angeles"
    assert candidate_zone(" Europe/Dublin ", "Europe/London") == "Europe/Dublin"
    for answer in (None, "", "Mars/Olympus", "../etc/passwd", 7):
        assert candidate_zone(answer, "Europe/London") == "Europe/London"


def test_an_unseated_candidate_is_told_whether_no_slot_was_open_or_others_needed_them() -> None:
    """One slot on panel P1 whose assessor A is conflicted with candidate 2; candidates 1 and 3
    compete for it. Candidate 3 is out because 1 took it; 2 because nothing is open to them."""
    free = [Slot("P1", _at(2027, 2, 10, 9), _at(2027, 2, 10, 9, 30))]
    panels = {"P1": ["A", "B"]}
    conflicts = [Conflict("A", 2)]
    people = [Candidate(1, "Europe/London"), Candidate(2, "Europe/London"), Candidate(3, "UTC")]
    plan = assign(people, free, panels, conflicts, RULES)
    assert plan.seats == {1: 0} and plan.unseated == (2, 3)
    reasons = {c.candidate_id: why_unseated(c, free, panels, conflicts, RULES) for c in people[1:]}
    assert reasons == {2: Unseated.NO_OPEN_SLOT, 3: Unseated.ALL_TAKEN}


def test_a_remote_candidate_whose_night_every_slot_falls_in_has_no_open_slot() -> None:
    """09:00 in London is 01:00 in Los Angeles (PST): outside 07:00-22:00 there."""
    free = [Slot("P1", _at(2027, 2, 10, 9), _at(2027, 2, 10, 9, 30))]
    remote = Candidate(5, "America/Los_Angeles", remote=True)
    assert why_unseated(remote, free, {"P1": ["A"]}, [], RULES) is Unseated.NO_OPEN_SLOT


def test_a_new_session_clashes_only_with_slots_it_overlaps() -> None:
    new = [Slot("P1", _at(2027, 2, 10, 9), _at(2027, 2, 10, 9, 30))]
    before = Slot("P2", _at(2027, 2, 10, 8, 30), _at(2027, 2, 10, 9))  # ends as it starts
    inside = Slot("P2", _at(2027, 2, 10, 9, 15), _at(2027, 2, 10, 9, 45))
    after = Slot("P2", _at(2027, 2, 10, 9, 30), _at(2027, 2, 10, 10))
    assert clashes(new, [before, inside, after]) == (inside,)
