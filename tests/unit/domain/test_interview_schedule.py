"""Interview slots, conflicts of interest, assignment and the booking rules (rulebook 2026:
booking and moving close 48 hours ahead, 2 moves, reminders at 72 and 24 hours, remote
interviews between 07:00 and 22:00 of the candidate's day)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from altmatch.domain.interview_schedule import (
    BookingRefusal,
    Candidate,
    Conflict,
    Session,
    Slot,
    assign,
    booking_refusal,
    conflicted,
    move_refusal,
    open_to,
    reminders_due,
    slots,
)
from altmatch.rulebook import load_rulebook

RULES = load_rulebook(2026).interview_scheduling
UTC = dt.UTC


def _at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def test_a_session_is_cut_into_interviews_with_a_gap_after_each() -> None:
    """London, Tuesday 2 February 2027 (GMT = UTC), 09:00-12:00, 30 minutes + 10: 09:00, 09:40,
    10:20, 11:00; 11:40 would end at 12:10, after the session."""
    session = Session("L1", dt.date(2027, 2, 2), dt.time(9), dt.time(12), "Europe/London", 30, 10)
    found = slots(session)
    assert [s.starts for s in found] == [
        _at(2027, 2, 2, 9, 0),
        _at(2027, 2, 2, 9, 40),
        _at(2027, 2, 2, 10, 20),
        _at(2027, 2, 2, 11, 0),
    ]
    assert found[-1].ends == _at(2027, 2, 2, 11, 30)


def test_the_offices_clock_follows_daylight_saving() -> None:
    """Washington's 09:00 is 13:00 UTC in October (EDT, UTC-4) and 14:00 UTC after the clocks
    go back on Sunday 1 November 2026 (EST, UTC-5)."""
    before = Session("W1", dt.date(2026, 10, 30), dt.time(9), dt.time(10), "America/New_York", 60)
    after = Session("W1", dt.date(2026, 11, 2), dt.time(9), dt.time(10), "America/New_York", 60)
    assert slots(before)[0].starts == _at(2026, 10, 30, 13)
    assert slots(after)[0].starts == _at(2026, 11, 2, 14)


def test_a_candidate_sees_the_slot_on_their_own_clock() -> None:
    """09:00 in Washington on 2 November 2026 is 23:00 the same day in Tokyo (UTC+9)."""
    slot = slots(
        Session("W1", dt.date(2026, 11, 2), dt.time(9), dt.time(10), "America/New_York", 60)
    )[0]
    starts, _ = slot.local("Asia/Tokyo")
    assert (starts.date(), starts.hour) == (dt.date(2026, 11, 2), 23)


def test_a_conflicted_assessor_bars_their_panel_only() -> None:
    panels = {"P1": ("officer-a", "alumni-b", "educator-c"), "P2": ("officer-d", "alumni-e")}
    conflicts = [Conflict("alumni-b", 7)]
    assert conflicted(panels["P1"], 7, conflicts) == ("alumni-b",)
    assert conflicted(panels["P1"], 8, conflicts) == ()
    slot1 = Slot("P1", _at(2027, 2, 2, 9), _at(2027, 2, 2, 9, 30))
    slot2 = Slot("P2", _at(2027, 2, 2, 9), _at(2027, 2, 2, 9, 30))
    seven = Candidate(7, "Europe/London")
    assert not open_to(seven, slot1, panels, conflicts, RULES)
    assert open_to(seven, slot2, panels, conflicts, RULES)


def test_a_remote_candidate_is_offered_only_their_waking_hours() -> None:
    """A 09:00 Washington slot (14:00 UTC in winter) is 23:00 in Tokyo: too late for a remote
    candidate there (the day ends at 22:00), fine for one in London (14:00)."""
    slot = Slot("W1", _at(2026, 12, 1, 14), _at(2026, 12, 1, 14, 30))
    panels = {"W1": ("officer",)}
    assert not open_to(Candidate(1, "Asia/Tokyo", remote=True), slot, panels, [], RULES)
    assert open_to(Candidate(1, "Europe/London", remote=True), slot, panels, [], RULES)
    assert open_to(Candidate(1, "Asia/Tokyo", remote=False), slot, panels, [], RULES)


def test_assignment_reshuffles_to_seat_everyone_a_greedy_pass_would_strand() -> None:
    """Two slots at 09:00 (P1) and 10:00 (P2). Candidate 1 may sit either; candidate 2 has a
    conflict on P2. Taking candidates in order and the earliest slot, 1 would take P1 and strand
    2; the matching moves 1 to P2."""
    free = [
        Slot("P1", _at(2027, 2, 2, 9), _at(2027, 2, 2, 9, 30)),
        Slot("P2", _at(2027, 2, 2, 10), _at(2027, 2, 2, 10, 30)),
    ]
    panels = {"P1": ("a",), "P2": ("b",)}
    conflicts = [Conflict("b", 2)]
    people = [Candidate(1, "Europe/London"), Candidate(2, "Europe/London")]
    result = assign(people, free, panels, conflicts, RULES)
    assert result.seats == {1: 1, 2: 0}
    assert result.unseated == ()


def test_assignment_says_who_could_not_be_seated() -> None:
    free = [Slot("P1", _at(2027, 2, 2, 9), _at(2027, 2, 2, 9, 30))]
    people = [Candidate(1, "Europe/London"), Candidate(2, "Europe/London")]
    result = assign(people, free, {"P1": ("a",)}, [], RULES)
    assert result.seats == {1: 0}
    assert result.unseated == (2,)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(min_value=1, max_value=6),
    st.integers(min_value=1, max_value=6),
    st.sets(st.tuples(st.integers(0, 5), st.integers(0, 1)), max_size=8),
)
def test_assignment_never_double_books_or_seats_a_conflict(
    people: int, count: int, barred: set[tuple[int, int]]
) -> None:
    free = [
        Slot(
            f"P{i % 2}",
            _at(2027, 2, 2, 9) + dt.timedelta(hours=i),
            _at(2027, 2, 2, 10) + dt.timedelta(hours=i),
        )
        for i in range(count)
    ]
    panels = {"P0": ("a0",), "P1": ("a1",)}
    conflicts = [Conflict(f"a{panel}", cid) for cid, panel in barred]
    who = [Candidate(c, "Europe/London") for c in range(people)]
    result = assign(who, free, panels, conflicts, RULES)
    assert len(set(result.seats.values())) == len(result.seats)
    for cid, i in result.seats.items():
        assert not conflicted(panels[free[i].panel_id], cid, conflicts)
    assert set(result.seats) | set(result.unseated) == set(range(people))
    # Maximal: no unseated candidate has a free slot open to them.
    taken = set(result.seats.values())
    for cid in result.unseated:
        assert all(
            i in taken or conflicted(panels[s.panel_id], cid, conflicts) for i, s in enumerate(free)
        )


def test_booking_closes_48_hours_before_the_slot() -> None:
    slot = Slot("P1", _at(2027, 2, 4, 9), _at(2027, 2, 4, 9, 30))
    assert booking_refusal(slot, now=_at(2027, 2, 2, 9), rules=RULES) is None
    assert booking_refusal(slot, now=_at(2027, 2, 2, 9, 1), rules=RULES) is BookingRefusal.CLOSED
    assert (
        booking_refusal(slot, now=_at(2027, 1, 1), rules=RULES, open_to_candidate=False)
        is BookingRefusal.NOT_OPEN_TO_YOU
    )


def test_a_booking_moves_twice_at_most_and_not_at_the_last_minute() -> None:
    booked = Slot("P1", _at(2027, 2, 4, 9), _at(2027, 2, 4, 9, 30))
    wanted = Slot("P1", _at(2027, 2, 10, 9), _at(2027, 2, 10, 9, 30))
    early = _at(2027, 2, 1, 9)
    assert move_refusal(booked, wanted, moves_so_far=1, now=early, rules=RULES) is None
    assert (
        move_refusal(booked, wanted, moves_so_far=2, now=early, rules=RULES)
        is BookingRefusal.TOO_MANY_MOVES
    )
    late = _at(2027, 2, 3, 12)  # 21 hours before the booked slot
    assert (
        move_refusal(booked, wanted, moves_so_far=0, now=late, rules=RULES) is BookingRefusal.CLOSED
    )


def test_reminders_go_at_72_and_24_hours_one_at_a_time() -> None:
    slot = Slot("P1", _at(2027, 2, 10, 9), _at(2027, 2, 10, 9, 30))
    assert reminders_due(slot, sent=[], now=_at(2027, 2, 6, 9), rules=RULES) == ()
    assert reminders_due(slot, sent=[], now=_at(2027, 2, 7, 9), rules=RULES) == (72,)
    assert reminders_due(slot, sent=[72], now=_at(2027, 2, 8, 9), rules=RULES) == ()
    assert reminders_due(slot, sent=[72], now=_at(2027, 2, 9, 9), rules=RULES) == (24,)
    # A sweep that first runs 20 hours before sends the nearest reminder only, and no stale
    # 72-hour one after it.
    assert reminders_due(slot, sent=[], now=_at(2027, 2, 9, 13), rules=RULES) == (24,)
    assert reminders_due(slot, sent=[24], now=_at(2027, 2, 9, 14), rules=RULES) == ()
    assert reminders_due(slot, sent=[], now=_at(2027, 2, 10, 9), rules=RULES) == ()
