"""Escalation: a case whose first response or resolution is overdue climbs its route.

`escalate_overdue` is the cron job (`altmatch support escalate`); reading a case or a queue runs
`escalate_case` on just those cases, so nobody waits for the cron. Both are idempotent: a case
only ever moves up to the level the domain says is due, once. The handlers a case reaches on
the way up are recorded on it (routing.record_reached): they, not today's table, may see it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import BaseModel
from sqlalchemy.orm import Session

from altmatch.clock import utc_now
from altmatch.db import Sessions
from altmatch.db import support as repo
from altmatch.db.models import CaseEvent, SupportCase
from altmatch.domain.business_calendar import BusinessCalendar
from altmatch.domain.support import CaseClock, is_emergency, level_due, target_for
from altmatch.i18n import N_, Message
from altmatch.rulebook import load_rulebook
from altmatch.rulebook.schema import SupportRules
from altmatch.rulebook.vocabulary import CaseCategory, Urgency
from altmatch.services.kernel.audit import record_audit
from altmatch.services.kernel.locking import stale_guard
from altmatch.services.support.notifications import notify
from altmatch.services.support.routing import record_reached, route_length

RESOLVED = "resolved"


class EscalatedOut(BaseModel):
    case_id: int
    from_level: int
    to_level: int
    notified: int


class EscalationOut(BaseModel):
    at: datetime
    checked: int
    escalated: list[EscalatedOut]


def support_rules() -> SupportRules:
    return load_rulebook().support


def calendar() -> BusinessCalendar:
    return BusinessCalendar.from_rules(support_rules().business_hours)


def moment(now: datetime | None = None) -> datetime:
    """`now` in UTC when the caller fixed it, otherwise the clock's current moment."""
    return (now or utc_now()).astimezone(UTC)


def clock_of(case: SupportCase) -> CaseClock:
    return CaseClock(
        category=CaseCategory(case.category),
        opened_at=case.opened_at,
        first_response_due=case.first_response_due,
        resolution_due=case.resolution_due,
        first_responded_at=case.first_responded_at,
        resolved_at=case.resolved_at,
        level=case.level,
    )


def case_is_emergency(rules: SupportRules, case: SupportCase) -> bool:
    target = target_for(rules.targets, CaseCategory(case.category), Urgency(case.urgency))
    return is_emergency(target)


def escalate_case(
    session: Session, case: SupportCase, now: datetime, rules: SupportRules | None = None
) -> EscalatedOut | None:
    """Raise the case to the level due now (if higher), record and notify; None if unchanged."""
    if case.status == RESOLVED:
        return None
    rules = rules or support_rules()
    due = level_due(
        clock_of(case), now, route_length(case), emergency=case_is_emergency(rules, case)
    )
    if due <= case.level:
        return None
    before = case.level
    case.level = due
    session.flush()  # the UPDATE moves the version on: audit the one it wrote
    session.add(
        CaseEvent(
            case_id=case.id,
            at=now,
            by_user_id=None,
            action="escalated",
            detail={"from": before, "to": due},
        )
    )
    record_audit(
        session,
        None,
        "case.escalated",
        "support_case",
        case.id,
        {"level": before},
        {"level": due, "version": case.version},
        tenant_id=case.employer_id,
    )
    reached = record_reached(session, case, range(before + 1, due + 1), now)
    notify(
        session,
        reached,
        kind="case_escalated",
        message=Message(
            N_("Support case #{case_id} is overdue and was escalated to you."), {"case_id": case.id}
        ),
        case_id=case.id,
    )
    return EscalatedOut(case_id=case.id, from_level=before, to_level=due, notified=len(reached))


@stale_guard()
def escalate_overdue(sessions: Sessions, now: datetime | None = None) -> EscalationOut:
    """The cron job: every unresolved case that is due a higher level gets it, in one
    transaction. Running it twice changes nothing the second time."""
    at = moment(now)
    rules = support_rules()
    with sessions.begin() as session:
        cases = repo.unresolved_cases(session, lock=True)
        done = [e for c in cases if (e := escalate_case(session, c, at, rules)) is not None]
        return EscalationOut(at=at, checked=len(cases), escalated=done)
