"""Support cases: who answers by path, deadlines on business time, escalation and metrics.

Routing is a ladder of roles per hiring path (JET: the BoE's supervisor, its section chief, the
prefecture's programme adviser; direct hire: supervisor, section chief; dispatch: the
company's support desk, then its area manager); level n is the n-th role.

Deadlines come from the rulebook's targets: a category override (harassment, health,
emergency) wins over the urgency's target. First response is counted in business hours and
resolution in business days from the opening (see business_calendar). A 0/0 target is an
emergency: both deadlines are the opening moment and the case goes to the top of the ladder
at once.

A deadline is breached when its moment passed without the thing done, or when it was done
late; the first response counts as done when the case was answered or, failing that,
resolved. An unanswered case climbs to level 2 once the first response is breached and to
level 3 once resolution is; never above the ladder, never down.

Metrics are over closed (resolved) cases only, and withheld below the rulebook's minimum so
that no figure points to a person: median first response in business hours, the share
resolved by its deadline (emergencies, which have no window, are left out of that share), and
the share of ever-resolved cases that were reopened.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from statistics import median
from types import MappingProxyType

from altmatch.domain.business_calendar import BusinessCalendar
from altmatch.i18n import N_, register_labels
from altmatch.rulebook.schema import CaseTarget, CaseTargets, SupportRules
from altmatch.rulebook.vocabulary import CaseCategory, HiringPath, Urgency


class Breach(StrEnum):
    """A deadline a case missed (plain strings where stored)."""

    FIRST_RESPONSE = "first_response"
    RESOLUTION = "resolution"


register_labels(
    Breach,
    {
        Breach.FIRST_RESPONSE: N_("First response overdue"),
        Breach.RESOLUTION: N_("Resolution overdue"),
    },
)

FIRST_RESPONSE = Breach.FIRST_RESPONSE
RESOLUTION = Breach.RESOLUTION


class RouteRole(StrEnum):
    """A rung of a support ladder, held by a person in an organisation's routing table."""

    SUPERVISOR = "supervisor"
    SECTION_CHIEF = "section_chief"
    PROGRAMME_ADVISER = "programme_adviser"
    SUPPORT_DESK = "support_desk"
    AREA_MANAGER = "area_manager"


register_labels(
    RouteRole,
    {
        RouteRole.SUPERVISOR: N_("Supervisor"),
        RouteRole.SECTION_CHIEF: N_("Section chief"),
        RouteRole.PROGRAMME_ADVISER: N_("Programme adviser"),
        RouteRole.SUPPORT_DESK: N_("Support desk"),
        RouteRole.AREA_MANAGER: N_("Area manager"),
    },
)


ROUTE_BY_PATH: Mapping[HiringPath, tuple[RouteRole, ...]] = MappingProxyType(
    {
        HiringPath.JET: (
            RouteRole.SUPERVISOR,
            RouteRole.SECTION_CHIEF,
            RouteRole.PROGRAMME_ADVISER,
        ),
        HiringPath.DIRECT_HIRE: (RouteRole.SUPERVISOR, RouteRole.SECTION_CHIEF),
        HiringPath.DISPATCH: (RouteRole.SUPPORT_DESK, RouteRole.AREA_MANAGER),
    }
)


class CaseStatus(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    RESOLVED = "resolved"


register_labels(
    CaseStatus,
    {
        CaseStatus.OPEN: N_("Open"),
        CaseStatus.ANSWERED: N_("Answered"),
        CaseStatus.RESOLVED: N_("Resolved"),
    },
)


def _aware(value: datetime | None, name: str) -> None:
    if value is not None and (value.tzinfo is None or value.utcoffset() is None):
        raise ValueError(f"{name} must be timezone-aware, got naive {value!r}")


def target_for(targets: CaseTargets, category: CaseCategory, urgency: Urgency) -> CaseTarget:
    """The category's override when it has one (whatever the urgency), else the urgency's."""
    override = targets.by_category.get(category)
    return override if override is not None else targets.by_urgency[urgency]


def is_emergency(target: CaseTarget) -> bool:
    """A 0/0 target: answer and act at once, round the clock."""
    return target.first_response_hours == 0 and target.resolution_days == 0


def is_confidential(rules: SupportRules, category: CaseCategory) -> bool:
    """Only the ALT and the assigned handlers may see cases of this category."""
    return category in rules.confidential_categories


@dataclass(frozen=True)
class Deadlines:
    first_response_due: datetime
    resolution_due: datetime


def deadlines(
    calendar: BusinessCalendar,
    targets: CaseTargets,
    category: CaseCategory,
    urgency: Urgency,
    opened_at: datetime,
) -> Deadlines:
    """When a case opened at `opened_at` must be answered and resolved (UTC)."""
    _aware(opened_at, "opened_at")
    target = target_for(targets, category, urgency)
    if is_emergency(target):
        at_once = opened_at.astimezone(UTC)
        return Deadlines(first_response_due=at_once, resolution_due=at_once)
    return Deadlines(
        first_response_due=calendar.add_business_hours(opened_at, target.first_response_hours),
        resolution_due=calendar.add_business_days(opened_at, target.resolution_days),
    )


@dataclass(frozen=True)
class CaseClock:
    """What escalation needs to know about a case; every moment timezone-aware."""

    category: CaseCategory
    opened_at: datetime
    first_response_due: datetime
    resolution_due: datetime
    first_responded_at: datetime | None
    resolved_at: datetime | None
    level: int

    def __post_init__(self) -> None:
        for name in (
            "opened_at",
            "first_response_due",
            "resolution_due",
            "first_responded_at",
            "resolved_at",
        ):
            _aware(getattr(self, name), name)


def _answered_at(
    first_responded_at: datetime | None, resolved_at: datetime | None
) -> datetime | None:
    """When the ALT stopped waiting for a first answer: the answer, or else the resolution."""
    return first_responded_at if first_responded_at is not None else resolved_at


def _missed(due: datetime, done_at: datetime | None, now: datetime) -> bool:
    return done_at > due if done_at is not None else now > due


def breaches(clock: CaseClock, now: datetime) -> tuple[str, ...]:
    """Which deadlines are missed at `now`: "first_response" and/or "resolution"."""
    _aware(now, "now")
    missed: list[str] = []
    answered = _answered_at(clock.first_responded_at, clock.resolved_at)
    if _missed(clock.first_response_due, answered, now):
        missed.append(FIRST_RESPONSE)
    if _missed(clock.resolution_due, clock.resolved_at, now):
        missed.append(RESOLUTION)
    return tuple(missed)


def level_due(clock: CaseClock, now: datetime, route_length: int, *, emergency: bool) -> int:
    """The level the case should be at: 1, 2 after a first-response breach, 3 after a
    resolution breach; capped at `route_length`; emergencies at the top; never below now."""
    if route_length < 1:
        raise ValueError("route_length must be at least 1")
    if emergency:
        wanted = route_length
    else:
        missed = breaches(clock, now)
        wanted = 3 if RESOLUTION in missed else 2 if FIRST_RESPONSE in missed else 1
    return max(min(wanted, route_length), clock.level)


@dataclass(frozen=True)
class CaseOutcome:
    """One case's timeline, for metrics; every moment timezone-aware."""

    opened_at: datetime
    first_responded_at: datetime | None
    resolved_at: datetime | None
    first_response_due: datetime
    resolution_due: datetime
    reopened_count: int

    def __post_init__(self) -> None:
        for name in (
            "opened_at",
            "first_responded_at",
            "resolved_at",
            "first_response_due",
            "resolution_due",
        ):
            _aware(getattr(self, name), name)
        if self.reopened_count < 0:
            raise ValueError("reopened_count must not be negative")


@dataclass(frozen=True)
class SupportMetrics:
    """An employer's support figures over `cases` closed cases; shares are 0 to 1."""

    cases: int
    median_first_response_hours: float | None
    resolved_within_target: float | None
    reopen_rate: float


def support_metrics(
    outcomes: Sequence[CaseOutcome], calendar: BusinessCalendar, *, min_cases: int
) -> SupportMetrics | None:
    """Figures over the closed cases, or None when fewer than `min_cases` are closed.

    Median first response is in business hours from opening to the first answer (or the
    resolution, when there was none). Resolved within target is the share of closed cases with
    a resolution window (not emergencies) resolved by their deadline; None when there is none.
    Reopen rate is the share of ever-resolved cases (closed, or open again after a reopening)
    that were reopened at least once.
    """
    closed = [o for o in outcomes if o.resolved_at is not None]
    if len(closed) < min_cases:
        return None
    waits = [
        calendar.business_hours_between(o.opened_at, answered)
        for o in closed
        if (answered := _answered_at(o.first_responded_at, o.resolved_at)) is not None
    ]
    windowed = [o for o in closed if o.resolution_due > o.opened_at]
    on_time = [
        o for o in windowed if o.resolved_at is not None and o.resolved_at <= o.resolution_due
    ]
    ever_resolved = [o for o in outcomes if o.resolved_at is not None or o.reopened_count > 0]
    reopened = [o for o in ever_resolved if o.reopened_count > 0]
    return SupportMetrics(
        cases=len(closed),
        median_first_response_hours=float(median(waits)) if waits else None,
        resolved_within_target=len(on_time) / len(windowed) if windowed else None,
        reopen_rate=len(reopened) / len(ever_resolved) if ever_resolved else 0.0,
    )
