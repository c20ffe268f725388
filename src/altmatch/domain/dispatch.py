"""A dispatch company's pure rules: what a contract is worth, which schools it covers, how far
an ALT's onboarding has come, how often tenders are won, and checks on a contract's terms.

No storage and no I/O: services hand in plain values and get plain values (or Messages naming
the field at fault) back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from altmatch.i18n.message import N_, Message
from altmatch.rulebook.vocabulary import Jlpt

MIN_DAYS_PER_WEEK, MAX_DAYS_PER_WEEK = 1, 5


@dataclass(frozen=True)
class Problem:
    """A refused value: the input field at fault and why, rendered in the reader's language."""

    field: str
    message: Message


@dataclass(frozen=True)
class SchoolCover:
    """One school a contract covers: how many positions are based there and the ALT-days a week
    they add up to."""

    school_id: int
    positions: int
    days_per_week: int


@dataclass(frozen=True)
class Progress:
    """Onboarding checklist progress: items done out of the rulebook's items."""

    done: int
    total: int

    @property
    def percent(self) -> int:
        return 0 if self.total == 0 else round(100 * self.done / self.total)

    @property
    def complete(self) -> bool:
        return self.done == self.total


@dataclass(frozen=True)
class TenderRecord:
    """Tender outcomes so far; the win rate counts only decided tenders (won or lost)."""

    won: int
    lost: int
    pending: int

    @property
    def decided(self) -> int:
        return self.won + self.lost

    @property
    def win_rate(self) -> float | None:
        return None if self.decided == 0 else self.won / self.decided


def monthly_value(price_per_alt_month: int, alts: int) -> int:
    """What a contract earns a month (yen, before consumption tax): one price per ALT."""
    return price_per_alt_month * alts


def schools_covered(positions: Iterable[tuple[int, int]]) -> list[SchoolCover]:
    """Per school (in order of first appearance), the positions and the ALT-days a week, from
    (school_id, days_per_week) pairs, one per position."""
    counts: dict[int, int] = {}
    days: dict[int, int] = {}
    for school_id, per_week in positions:
        counts[school_id] = counts.get(school_id, 0) + 1
        days[school_id] = days.get(school_id, 0) + per_week
    return [SchoolCover(s, counts[s], days[s]) for s in counts]


def checklist_progress(item_ids: Sequence[str], completed: Mapping[str, str]) -> Progress:
    """How many of the checklist's items have a completion date (unknown ids are ignored)."""
    return Progress(sum(1 for item in item_ids if completed.get(item)), len(item_ids))


def tender_record(outcomes: Iterable[str]) -> TenderRecord:
    """Count the outcomes ('won', 'lost', 'pending')."""
    listed = list(outcomes)
    return TenderRecord(listed.count("won"), listed.count("lost"), listed.count("pending"))


def meets_jlpt(have: Jlpt, need: Jlpt) -> bool:
    """Whether a JLPT level is at least the one required (N1 is the hardest)."""
    return have.rank >= need.rank


def term_problems(start: dt.date, end: dt.date, renewal_date: dt.date | None) -> list[Problem]:
    """A contract's term must not end before it starts; its renewal date (when the parties
    decide whether to renew) falls on or before the end and not before the start."""
    problems: list[Problem] = []
    if end < start:
        problems.append(Problem("end", Message(N_("The contract cannot end before it starts."))))
    if renewal_date is not None and renewal_date > end:
        problems.append(
            Problem(
                "renewal_date",
                Message(N_("The renewal date must be on or before the end of the contract.")),
            )
        )
    elif renewal_date is not None and renewal_date < start:
        problems.append(
            Problem(
                "renewal_date",
                Message(N_("The renewal date cannot be before the contract starts.")),
            )
        )
    return problems


def price_problems(price_per_alt_month: int) -> list[Problem]:
    """A price per ALT-month must be a positive number of yen."""
    if price_per_alt_month <= 0:
        return [
            Problem(
                "price_per_alt_month",
                Message(N_("The price per ALT-month must be more than zero yen.")),
            )
        ]
    return []


def days_problem(days_per_week: int) -> Message | None:
    """A position needs an ALT on one to five school days a week."""
    if MIN_DAYS_PER_WEEK <= days_per_week <= MAX_DAYS_PER_WEEK:
        return None
    return Message(
        N_("A position needs between {low} and {high} days a week."),
        {"low": MIN_DAYS_PER_WEEK, "high": MAX_DAYS_PER_WEEK},
    )
