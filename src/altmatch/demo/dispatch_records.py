"""The records the demo's dispatch operations are made of, and the dates they are placed by.

Each names organisations, schools and ALTs by their demo ids ("boe-28-nishinomiya",
"boe-28-nishinomiya-s01", "SAK-A0001"), so the seeder can translate them to database ids.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from altmatch.clock import JAPAN
from altmatch.domain.timeline import add_months
from altmatch.rulebook.schema import Rulebook
from altmatch.rulebook.vocabulary import ContractType, HiringPath, Jlpt, RenewalIntention


@dataclass(frozen=True)
class DemoPosition:
    external_id: str  # unique within the company, e.g. "SAK-2025-03-02"
    school_external_id: str
    days_per_week: int
    requires_driving_licence: bool
    min_jlpt: Jlpt


@dataclass(frozen=True)
class DemoContract:
    company_id: str
    boe_id: str
    reference: str
    contract_type: ContractType
    start: date
    end: date
    renewal_date: date
    price_per_alt_month: int
    positions: tuple[DemoPosition, ...]


@dataclass(frozen=True)
class DemoTender:
    company_id: str
    boe_id: str
    title: str
    requested_alts: int
    requested_start: date
    bid_price_per_alt_month: int
    submitted_on: date
    outcome: str  # pending, won or lost
    contract_reference: str | None
    note: str


@dataclass(frozen=True)
class DemoRosterAlt:
    company_id: str
    external_id: str
    name: str
    home_prefecture: str
    home_municipality: str
    home_latitude: float
    home_longitude: float
    school_experience: tuple[str, ...]
    driving_licence: bool
    jlpt: Jlpt
    contract_end: date
    renewal_intention: RenewalIntention
    preferred_prefectures: tuple[str, ...]
    checklist: Mapping[str, str]  # onboarding item id -> ISO date completed
    persona_key: str | None = None  # the ALT persona signed in as this roster entry
    employed_since: date | None = None  # the compliance watch's dates
    residence_card_expires_on: date | None = None


@dataclass(frozen=True)
class DemoAssignment:
    company_id: str
    alt_external_id: str
    contract_reference: str
    position_external_id: str
    start: date
    end: date | None = None  # None: the ALT works there today


@dataclass(frozen=True)
class DemoTransferEvent:
    at: datetime
    action: str  # requested, approved, declined
    by_persona: str | None
    note: str


@dataclass(frozen=True)
class DemoTransfer:
    company_id: str
    alt_external_id: str
    to_prefecture: str
    to_municipality: str | None
    reasons: str
    status: str
    created_at: datetime
    requested_by_persona: str | None
    decided_by_persona: str | None
    decided_at: datetime | None
    decision_note: str
    events: tuple[DemoTransferEvent, ...]


@dataclass(frozen=True)
class DemoAcknowledgement:
    """A company's staff member acknowledged one compliance alert of an ALT."""

    company_id: str
    alt_external_id: str
    rule: str
    due_on: date
    by_persona: str | None
    at: datetime
    note: str


@dataclass(frozen=True)
class DemoRenewalAsk:
    """That the company asked an ALT whether they renew (their contract ending `contract_end`),
    and their answer if they gave one (see demo/dispatch_retention.py)."""

    company_id: str
    alt_external_id: str
    contract_end: date
    deadline: date
    asked_at: datetime
    reminded_at: datetime | None
    answered_at: datetime | None
    answer: RenewalIntention | None
    reason: str
    answered_by_persona: str | None


@dataclass(frozen=True)
class DemoContact:
    """The company's contact at a position's school, whom its survey goes to."""

    company_id: str
    position_external_id: str
    name: str
    email: str


@dataclass(frozen=True)
class DemoSurveyInvitation:
    """One survey of a round: `kind` school or alt; answered when `answered_at` is set."""

    kind: str
    alt_external_id: str
    position_external_id: str
    email: str
    recipient_name: str
    locale: str
    sent_at: datetime | None
    answered_at: datetime | None
    answers: Mapping[str, int] | None
    comment: str


@dataclass(frozen=True)
class DemoSurveyRound:
    company_id: str
    academic_year: int
    term: int
    opens_on: date
    closes_on: date
    remind_on: date
    opened_at: datetime
    opened_by_persona: str | None
    invitations: tuple[DemoSurveyInvitation, ...]


@dataclass(frozen=True)
class DemoSurveys:
    contacts: tuple[DemoContact, ...] = ()
    rounds: tuple[DemoSurveyRound, ...] = ()


@dataclass(frozen=True)
class DemoDispatch:
    contracts: tuple[DemoContract, ...]
    tenders: tuple[DemoTender, ...]
    roster: tuple[DemoRosterAlt, ...]
    assignments: tuple[DemoAssignment, ...]
    transfers: tuple[DemoTransfer, ...]
    acknowledgements: tuple[DemoAcknowledgement, ...] = ()
    renewal_asks: tuple[DemoRenewalAsk, ...] = ()
    surveys: DemoSurveys = DemoSurveys()

    @property
    def positions(self) -> int:
        return sum(len(c.positions) for c in self.contracts)


def fiscal_year_start(day: date) -> date:
    """April 1 of the Japanese fiscal year `day` falls in."""
    return date(day.year if day.month >= 4 else day.year - 1, 4, 1)


def next_date(month: int, day: int, after: date) -> date:
    """The first month/day strictly after `after`."""
    candidate = date(after.year, month, day)
    return candidate if candidate > after else date(after.year + 1, month, day)


def in_japan(day: date, hour: int) -> datetime:
    """`hour` o'clock Japan time on `day`, as an aware UTC datetime."""
    return datetime.combine(day, time(hour, 0), tzinfo=JAPAN).astimezone(UTC)


def persona_contract_term(rulebook: Rulebook, today: date) -> tuple[date, date]:
    """An employed-ALT persona's current one-year contract: from a year before the next JET
    start after today to the day before it. The intake is yearly, so once every start in the
    rulebook's timeline has passed, the last one is carried forward a year at a time: the demo
    must seed a current contract on any day, not only while the timeline lasts."""
    windows = rulebook.paths[HiringPath.JET].timeline.windows
    upcoming = [w.starts for w in windows if w.starts > today]
    following = min(upcoming) if upcoming else max(w.starts for w in windows)
    while following <= today:
        following = add_months(following, 12)
    start = add_months(following, -12)
    return start, following - timedelta(days=1)
