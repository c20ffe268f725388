"""Interview days as slots, who may sit with whom, and when booking, moving and reminding happen.

A recruiting office plans a **session**: one panel in one room on one day, from a start to an
end time on the office's own clock, cut into interviews of a fixed length with a gap after each
(for scoring and changeover). Times are kept as instants (UTC); the office's zone turns its
wall-clock plan into instants, and a candidate's zone turns each instant back into their own
wall clock, so a candidate abroad, or an office across a daylight-saving change, sees the right
hour. A wall-clock time that does not exist (skipped at the spring change) or happens twice
(the autumn change) is read as the zone's rules say (`fold=0`: the first one).

**Conflicts of interest.** An assessor who declared a conflict with a candidate (a relative, a
colleague, a former student...) never sits on that candidate's panel: a slot is open to a
candidate only when none of its panel's assessors is conflicted with them.

**Assignment.** Offices may assign candidates instead of letting them book: every candidate gets
a free slot open to them (conflicts, and for remote candidates their own waking hours) when any
assignment can give everyone one. It is a maximum bipartite matching (augmenting paths),
trying each candidate's slots in time order, so the result is deterministic and fills as many
candidates as possible: a greedy pass can strand a candidate a reshuffle would have placed.

**Booking rules** (rulebook `interview_scheduling`): booking and rescheduling close a set number
of hours before the slot; a candidate may move a booking a limited number of times; reminders go
out at set hours before. Pure: the caller passes `now`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo

from altmatch.i18n import N_, register_labels
from altmatch.rulebook.interview_scheduling import InterviewScheduling

UTC = dt.UTC


@dataclass(frozen=True)
class Session:
    """One panel's interviews on one day, on the office's wall clock."""

    panel_id: str
    day: dt.date
    starts: dt.time
    ends: dt.time
    zone: str  # the office's IANA time zone
    minutes: int  # one interview
    gap_minutes: int = 0  # after each interview

    def __post_init__(self) -> None:
        if self.minutes <= 0 or self.gap_minutes < 0:
            raise ValueError("an interview lasts a positive number of minutes")
        if self.ends <= self.starts:
            raise ValueError("a session ends after it starts")
        ZoneInfo(self.zone)  # an unknown zone fails here, not later


@dataclass(frozen=True)
class Slot:
    """One interview: its panel and its start and end as instants (UTC)."""

    panel_id: str
    starts: dt.datetime
    ends: dt.datetime

    def local(self, zone: str) -> tuple[dt.datetime, dt.datetime]:
        """The slot on the wall clock of `zone` (a candidate's, an office's)."""
        where = ZoneInfo(zone)
        return self.starts.astimezone(where), self.ends.astimezone(where)


def slots(session: Session) -> tuple[Slot, ...]:
    """The session's interviews in order; the last one ends by the session's end."""
    zone = ZoneInfo(session.zone)
    start = dt.datetime.combine(session.day, session.starts, tzinfo=zone).astimezone(UTC)
    end = dt.datetime.combine(session.day, session.ends, tzinfo=zone).astimezone(UTC)
    length = dt.timedelta(minutes=session.minutes)
    step = length + dt.timedelta(minutes=session.gap_minutes)
    out: list[Slot] = []
    at = start
    while at + length <= end:
        out.append(Slot(session.panel_id, at, at + length))
        at += step
    return tuple(out)


@dataclass(frozen=True)
class Conflict:
    """An assessor's declared conflict of interest with one candidate."""

    assessor_id: str
    candidate_id: int


def conflicted(
    assessors: Collection[str], candidate_id: int, conflicts: Collection[Conflict]
) -> tuple[str, ...]:
    """The assessors of a panel who may not hear this candidate, in the panel's order."""
    barred = {c.assessor_id for c in conflicts if c.candidate_id == candidate_id}
    return tuple(a for a in assessors if a in barred)


@dataclass(frozen=True)
class Candidate:
    """A candidate to seat: `zone` is where they are; `remote` when heard by video from there
    (their waking hours then limit the slots offered)."""

    candidate_id: int
    zone: str
    remote: bool = False


def within_local_hours(slot: Slot, zone: str, rules: InterviewScheduling) -> bool:
    """Whether the slot starts and ends within the candidate's allowed local hours."""
    hours = rules.remote_local_hours
    starts, ends = slot.local(zone)
    first = starts.replace(hour=hours.earliest, minute=0, second=0, microsecond=0)
    last = starts.replace(hour=0, minute=0, second=0, microsecond=0) + dt.timedelta(
        hours=hours.latest
    )
    return first <= starts and ends <= last


def open_to(
    candidate: Candidate,
    slot: Slot,
    panels: Mapping[str, Collection[str]],
    conflicts: Collection[Conflict],
    rules: InterviewScheduling,
) -> bool:
    """Whether `candidate` may be heard in `slot`: no conflicted assessor on its panel and, for
    a remote candidate, inside their local hours."""
    if conflicted(panels.get(slot.panel_id, ()), candidate.candidate_id, conflicts):
        return False
    return not candidate.remote or within_local_hours(slot, candidate.zone, rules)


@dataclass(frozen=True)
class Assignment:
    """Which slot each candidate got (an index into the slots given), and who got none."""

    seats: Mapping[int, int]  # candidate id -> slot index
    unseated: tuple[int, ...]


def assign(
    candidates: Sequence[Candidate],
    free: Sequence[Slot],
    panels: Mapping[str, Collection[str]],
    conflicts: Collection[Conflict],
    rules: InterviewScheduling,
) -> Assignment:
    """Seat as many candidates as any assignment can, each in a free slot open to them
    (module docstring); earlier candidates and earlier slots are tried first."""
    order = sorted(range(len(free)), key=lambda i: (free[i].starts, free[i].panel_id))
    options = [
        [i for i in order if open_to(c, free[i], panels, conflicts, rules)] for c in candidates
    ]
    holder: dict[int, int] = {}  # slot index -> candidate index

    def seat(k: int, seen: set[int]) -> bool:
        for i in options[k]:
            if i in seen:
                continue
            seen.add(i)
            if i not in holder or seat(holder[i], seen):
                holder[i] = k
                return True
        return False

    for k in range(len(candidates)):
        seat(k, set())
    seats = {candidates[k].candidate_id: i for i, k in holder.items()}
    unseated = tuple(c.candidate_id for c in candidates if c.candidate_id not in seats)
    return Assignment(dict(sorted(seats.items())), unseated)


class BookingRefusal(StrEnum):
    """Why a candidate may not book or move a slot now."""

    CLOSED = "closed"  # too close to the slot (or past it)
    TOO_MANY_MOVES = "too_many_moves"
    NOT_OPEN_TO_YOU = "not_open_to_you"  # a conflict, or outside a remote candidate's hours


register_labels(
    BookingRefusal,
    {
        BookingRefusal.CLOSED: N_(
            "Booking for this slot has closed: contact the recruiting office."
        ),
        BookingRefusal.TOO_MANY_MOVES: N_(
            "This booking has been moved as often as allowed: contact the recruiting office."
        ),
        BookingRefusal.NOT_OPEN_TO_YOU: N_("This slot is not open to you: choose another one."),
    },
)


def booking_refusal(
    slot: Slot,
    *,
    now: dt.datetime,
    rules: InterviewScheduling,
    open_to_candidate: bool = True,
) -> BookingRefusal | None:
    """None when the candidate may book `slot` now."""
    if not open_to_candidate:
        return BookingRefusal.NOT_OPEN_TO_YOU
    if now > slot.starts - dt.timedelta(hours=rules.booking_closes.hours):
        return BookingRefusal.CLOSED
    return None


def move_refusal(
    booked: Slot,
    wanted: Slot,
    *,
    moves_so_far: int,
    now: dt.datetime,
    rules: InterviewScheduling,
    open_to_candidate: bool = True,
) -> BookingRefusal | None:
    """None when a booking of `booked` may move to `wanted` now: both far enough ahead, and
    moves left."""
    if moves_so_far >= rules.reschedules.count:
        return BookingRefusal.TOO_MANY_MOVES
    if now > booked.starts - dt.timedelta(hours=rules.rescheduling_closes.hours):
        return BookingRefusal.CLOSED
    return booking_refusal(wanted, now=now, rules=rules, open_to_candidate=open_to_candidate)


def reminders_due(
    slot: Slot, *, sent: Collection[int], now: dt.datetime, rules: InterviewScheduling
) -> tuple[int, ...]:
    """The reminder (hours before) to send now, if any: the nearest one whose time has come,
    not sent, and nearer than any already sent; none once the slot has started. A sweep that
    ran late sends only that one, so a candidate never gets two at once or a stale one after."""
    if now >= slot.starts:
        return ()
    nearest_sent = min(sent, default=None)
    due = [
        h
        for h in sorted(rules.reminders.hours_before)
        if h not in sent
        and now >= slot.starts - dt.timedelta(hours=h)
        and (nearest_sent is None or h < nearest_sent)
    ]
    return tuple(due[:1])


def reminders_passed(
    slot: Slot, *, now: dt.datetime, rules: InterviewScheduling
) -> tuple[int, ...]:
    """The reminders (hours before) whose time has already come when a slot is booked or moved
    to at `now`: recorded as sent, because the booking's own notice already gives the time and
    a "reminder" a minute later would only repeat it."""
    return tuple(
        sorted(
            (h for h in rules.reminders.hours_before if now >= slot.starts - dt.timedelta(hours=h)),
            reverse=True,
        )
    )


def candidate_zone(answer: object, office_zone: str) -> str:
    """Where a candidate is: the time zone they gave on their application if it is a real zone
    name, else their recruiting office's (they apply through the office serving their country,
    so that is the likely clock)."""
    if isinstance(answer, str) and answer.strip():
        try:
            ZoneInfo(answer.strip())
        except (ValueError, KeyError):  # ZoneInfoNotFoundError is a KeyError
            return office_zone
        return answer.strip()
    return office_zone


class Unseated(StrEnum):
    """Why an assignment left a candidate without a slot."""

    NO_OPEN_SLOT = "no_open_slot"  # every free slot has a conflicted assessor or odd hours
    ALL_TAKEN = "all_taken"  # slots open to them exist, but others needed them


register_labels(
    Unseated,
    {
        Unseated.NO_OPEN_SLOT: N_(
            "No free slot is open to this candidate (a declared conflict of interest, or outside "
            "their local hours): plan a session with another panel or at other hours."
        ),
        Unseated.ALL_TAKEN: N_(
            "The free slots open to this candidate are needed by others: plan another session."
        ),
    },
)


def why_unseated(
    candidate: Candidate,
    free: Sequence[Slot],
    panels: Mapping[str, Collection[str]],
    conflicts: Collection[Conflict],
    rules: InterviewScheduling,
) -> Unseated:
    """The reason `assign` left `candidate` out, for the office's preview."""
    if any(open_to(candidate, s, panels, conflicts, rules) for s in free):
        return Unseated.ALL_TAKEN
    return Unseated.NO_OPEN_SLOT


def clashes(new: Sequence[Slot], taken: Sequence[Slot]) -> tuple[Slot, ...]:
    """The slots of `taken` that overlap any of `new`: a panel, or an assessor sitting on two
    panels, cannot hear two candidates at once."""
    return tuple(t for t in taken if any(n.starts < t.ends and t.starts < n.ends for n in new))
