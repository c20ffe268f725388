"""Who may see a support case, and what they see: the ALT's own cases, one case (every view is a
"viewed" event), a handler's queue with its breaches, attachments and in-app notices.

Visibility (`access_case`): the ALT who opened the case; the handlers recorded on the case
(those it reached when it opened or escalated, see routing.record_reached), while they are
staff of its employer or adviser's office; and, for a case whose category is not
confidential, any staff of the employer. Today's routing table grants nothing by itself.
Everyone else (other BoEs, other companies, coordinators, candidates, administrators) gets
NotFoundError, so a refusal never confirms that a case exists. The ALT's view never holds
internal notes, nor the handlers' view events.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from pydantic import BaseModel
from sqlalchemy.orm import Session

from altmatch.db import Sessions
from altmatch.db import accounts as accounts_repo
from altmatch.db import support as repo
from altmatch.db.models import (
    CaseAttachment,
    CaseEvent,
    Notification,
    Organisation,
    SupportCase,
    User,
)
from altmatch.domain.access import Actor, NotFoundError, Permission, Role, require
from altmatch.domain.support import CaseStatus, breaches, is_confidential
from altmatch.i18n import Message, render
from altmatch.rulebook.schema import SupportRules
from altmatch.rulebook.vocabulary import CaseCategory, HiringPath, Urgency
from altmatch.services.kernel.listing import ListMetaOut, ListQuery, ListSpec, list_meta
from altmatch.services.kernel.locking import stale_guard
from altmatch.services.support.escalation import (
    case_is_emergency,
    clock_of,
    escalate_case,
    moment,
    support_rules,
)
from altmatch.services.support.routing import reached_handlers, route_length

STAFF = (Role.BOE_STAFF, Role.COMPANY_STAFF)
# What the ALT sees of a case's history: no views, no internal notes, no names of viewers.
ALT_EVENTS = frozenset({"opened", "answered", "escalated", "resolved", "reopened", "mediation"})


class MessageOut(BaseModel):
    id: int
    at: datetime
    author_user_id: int | None
    author: str
    from_alt: bool
    body: str
    internal: bool


class CaseEventOut(BaseModel):
    at: datetime
    action: str
    by_user_id: int | None
    detail: dict[str, object] | None


class AttachmentOut(BaseModel):
    id: int
    filename: str
    content_type: str
    size: int


class MediationOut(BaseModel):
    id: int
    at: datetime
    school_id: int | None
    school: str | None
    contact_name: str
    contact_role: str
    agreed: str


class HandlerOut(BaseModel):
    level: int
    role: str
    user_id: int
    name: str


class EmergencyContactOut(BaseModel):
    id: str
    label: str
    number: str
    hours: str


class CaseSummaryOut(BaseModel):
    id: int
    subject: str
    category: CaseCategory
    urgency: Urgency
    path: HiringPath
    employer_id: int
    employer: str
    employer_ja: str = ""
    alt_user_id: int | None  # None: the ALT deleted their account (the case is a kept record)
    alt_name: str
    status: str
    level: int
    levels: int
    confidential: bool
    opened_at: datetime
    first_response_due: datetime
    resolution_due: datetime
    first_responded_at: datetime | None
    resolved_at: datetime | None
    breaches: list[str]
    version: int


class CaseOut(CaseSummaryOut):
    language: str
    description: str
    reopened_count: int
    adviser_org_id: int | None
    viewer: str  # "alt" or "handler"
    handlers: list[HandlerOut]
    messages: list[MessageOut]
    attachments: list[AttachmentOut]
    mediations: list[MediationOut]
    events: list[CaseEventOut]
    emergency_contacts: list[EmergencyContactOut]  # filled for emergencies


class CasesOut(BaseModel):
    cases: list[CaseSummaryOut]


class NotificationOut(BaseModel):
    id: int
    at: datetime
    kind: str
    case_id: int | None
    text: str
    read_at: datetime | None


class NotificationsOut(BaseModel):
    notifications: list[NotificationOut]
    unread: int


class AttachmentFile(BaseModel):
    filename: str
    content_type: str
    data: bytes


def is_alt_of(actor: Actor, case: SupportCase) -> bool:
    return (
        actor.role is Role.ALT
        and case.alt_user_id is not None
        and case.alt_user_id == actor.user_id
    )


def is_handler_of(session: Session, actor: Actor, case: SupportCase) -> bool:
    """A handler recorded on the case (still staff of its employer or adviser's office), or
    (non-confidential cases) any employer staff."""
    if actor.role not in STAFF or actor.organisation_id is None:
        return False
    if actor.organisation_id in (case.employer_id, case.adviser_org_id) and (
        actor.user_id in reached_handlers(session, case)
    ):
        return True
    rules = support_rules()
    return (
        not is_confidential(rules, CaseCategory(case.category))
        and case.employer_id == actor.organisation_id
    )


def access_case(
    session: Session,
    actor: Actor,
    case_id: int,
    *,
    lock: bool = False,
    escalate_at: datetime | None = None,
) -> SupportCase:
    """The case, if the actor may see it (see the module docstring); NotFoundError otherwise.

    With `escalate_at`, an overdue case is escalated first (what the cron would do anyway), so
    a handler it has just reached can read it without waiting for the next run.
    """
    case = repo.get_case(session, case_id, lock=lock)
    if case is None:
        raise NotFoundError("case")
    if escalate_at is not None:
        escalate_case(session, case, escalate_at)
    if is_alt_of(actor, case) or is_handler_of(session, actor, case):
        return case
    raise NotFoundError("case")


def access_handled_case(
    session: Session,
    actor: Actor,
    case_id: int,
    *,
    lock: bool = False,
    escalate_at: datetime | None = None,
) -> SupportCase:
    """The case, for a handler who may see it (not the ALT)."""
    require(actor, Permission.CASE_HANDLE)
    case = access_case(session, actor, case_id, lock=lock, escalate_at=escalate_at)
    if is_alt_of(actor, case):
        raise NotFoundError("case")
    return case


def summary_out(
    session: Session, case: SupportCase, now: datetime, rules: SupportRules
) -> CaseSummaryOut:
    employer = session.get(Organisation, case.employer_id)
    alt = session.get(User, case.alt_user_id) if case.alt_user_id is not None else None
    return CaseSummaryOut(
        id=case.id,
        subject=case.subject,
        category=CaseCategory(case.category),
        urgency=Urgency(case.urgency),
        path=HiringPath(case.path),
        employer_id=case.employer_id,
        employer=employer.name_en if employer else "",
        employer_ja=employer.name_ja if employer else "",
        alt_user_id=case.alt_user_id,
        alt_name=alt.display_name if alt else "",
        status=case.status,
        level=case.level,
        levels=route_length(case),
        confidential=is_confidential(rules, CaseCategory(case.category)),
        opened_at=case.opened_at,
        first_response_due=case.first_response_due,
        resolution_due=case.resolution_due,
        first_responded_at=case.first_responded_at,
        resolved_at=case.resolved_at,
        breaches=list(breaches(clock_of(case), now)),
        version=case.version,
    )


def emergency_contacts(rules: SupportRules, locale: str) -> list[EmergencyContactOut]:
    return [
        EmergencyContactOut(
            id=c.id, label=c.label.get(locale), number=c.number, hours=c.hours.get(locale)
        )
        for c in rules.emergency_contacts
    ]


def _handlers(session: Session, case: SupportCase) -> list[HandlerOut]:
    """The handlers recorded on the case, level by level."""
    return [
        HandlerOut(level=row.level, role=row.role, user_id=row.user_id, name=name)
        for row, name in repo.case_handlers(session, case.id)
    ]


def case_out(
    session: Session,
    case: SupportCase,
    *,
    for_alt: bool,
    now: datetime,
    locale: str = "en",
) -> CaseOut:
    """The case as its reader may see it: the ALT never gets internal notes or view events."""
    rules = support_rules()
    messages = repo.case_messages(session, case.id)
    if for_alt:
        messages = [m for m in messages if not m.internal]
    events = repo.case_events(session, case.id)
    if for_alt:
        events = [e for e in events if e.action in ALT_EVENTS]
    authors = {m.author_user_id for m in messages if m.author_user_id is not None}
    names = accounts_repo.display_names(session, authors)
    files = repo.attachment_summaries(session, case.id)
    mediations = repo.case_mediations(session, case.id)
    summary = summary_out(session, case, now, rules)
    return CaseOut(
        **summary.model_dump(),
        language=case.language,
        description=case.description,
        reopened_count=case.reopened_count,
        adviser_org_id=case.adviser_org_id,
        viewer="alt" if for_alt else "handler",
        handlers=_handlers(session, case),
        messages=[
            MessageOut(
                id=m.id,
                at=m.at,
                author_user_id=m.author_user_id,
                author=names.get(m.author_user_id, "") if m.author_user_id else "",
                from_alt=case.alt_user_id is not None and m.author_user_id == case.alt_user_id,
                body=m.body,
                internal=m.internal,
            )
            for m in messages
        ],
        attachments=[
            AttachmentOut(id=i, filename=f, content_type=t, size=s) for i, f, t, s in files
        ],
        mediations=[
            MediationOut(
                id=m.id,
                at=m.at,
                school_id=m.school_id,
                school=school,
                contact_name=m.contact_name,
                contact_role=m.contact_role,
                agreed=m.agreed,
            )
            for m, school in mediations
        ],
        events=[
            CaseEventOut(
                at=e.at,
                action=e.action,
                by_user_id=None if for_alt else e.by_user_id,
                detail=None if for_alt else e.detail,
            )
            for e in events
        ],
        emergency_contacts=emergency_contacts(rules, locale)
        if case_is_emergency(rules, case)
        else [],
    )


def record_view(session: Session, actor: Actor, case: SupportCase, now: datetime) -> None:
    session.add(CaseEvent(case_id=case.id, at=now, by_user_id=actor.user_id, action="viewed"))


@stale_guard()  # reading escalates an overdue case: a write that may lose a race
def get_case(
    sessions: Sessions,
    actor: Actor,
    case_id: int,
    *,
    now: datetime | None = None,
    locale: str = "en",
) -> CaseOut:
    """One case for the ALT or a handler; escalated first if overdue, and the view recorded."""
    at = moment(now)
    with sessions.begin() as session:
        case = access_case(session, actor, case_id, lock=True, escalate_at=at)
        record_view(session, actor, case, at)
        session.flush()
        return case_out(session, case, for_alt=is_alt_of(actor, case), now=at, locale=locale)


@stale_guard()
def list_my_cases(sessions: Sessions, actor: Actor, *, now: datetime | None = None) -> CasesOut:
    """The signed-in ALT's cases, newest first."""
    require(actor, Permission.CASE_OPEN_OWN)
    at = moment(now)
    rules = support_rules()
    with sessions.begin() as session:
        cases = repo.cases_of_alt(session, actor.own_user_id())
        for case in cases:
            escalate_case(session, case, at, rules)
        session.flush()
        return CasesOut(cases=[summary_out(session, c, at, rules) for c in cases])


def _visible_queue(
    session: Session,
    actor: Actor,
    at: datetime,
    rules: SupportRules,
    *,
    include_resolved: bool,
) -> list[SupportCase]:
    """The cases the handler may see, by id; overdue ones are escalated first (which may reach
    the reader), so what is shown is their new level."""
    # Candidates: cases the reader handles, and cases of the organisations whose route names
    # them or that they work for; who sees one is decided by is_handler_of alone.
    user_id = actor.own_user_id()
    orgs = repo.routed_organisation_ids(session, user_id)
    if actor.organisation_id is not None:
        orgs.add(actor.organisation_id)
    candidates = {
        c.id: c
        for c in (
            *repo.cases_handled_by(session, user_id, include_resolved=include_resolved),
            *repo.cases_of_organisations(session, orgs, include_resolved=include_resolved),
        )
    }
    visible = []
    for _, case in sorted(candidates.items()):
        escalate_case(session, case, at, rules)
        if is_handler_of(session, actor, case):
            visible.append(case)
    session.flush()
    return visible


@stale_guard()
def list_queue(
    sessions: Sessions,
    actor: Actor,
    *,
    include_resolved: bool = False,
    now: datetime | None = None,
) -> CasesOut:
    """A handler's queue: the cases they may see, breached first, then by the nearest due time.
    Overdue cases are escalated first (which may reach the reader), so the queue shows their
    new level."""
    require(actor, Permission.CASE_HANDLE)
    at = moment(now)
    rules = support_rules()
    with sessions.begin() as session:
        visible = _visible_queue(session, actor, at, rules, include_resolved=include_resolved)
        items = [summary_out(session, c, at, rules) for c in visible]

    def order(item: CaseSummaryOut) -> tuple[int, int, datetime, int]:
        due = item.first_response_due if item.first_responded_at is None else item.resolution_due
        return (0 if item.breaches else 1, item.status == "resolved", due, item.id)

    return CasesOut(cases=sorted(items, key=order))


# The queue as a long list (db.listing): its filters' values are the vocabulary's.
QUEUE: ListSpec = replace(
    repo.CASE_LIST,
    filters={
        "status": tuple(s.value for s in CaseStatus),
        "category": tuple(c.value for c in CaseCategory),
        "urgency": tuple(u.value for u in Urgency),
        "overdue": ("yes", "no"),
        "include_resolved": ("true", "false"),
    },
)


class QueuePageOut(CasesOut):
    """One page of a handler's queue (`cases`) and the query it answers."""

    listing: ListMetaOut
    include_resolved: bool


def includes_resolved(lq: ListQuery) -> bool:
    """Whether the query reads resolved cases too: asked for, or filtering by that status."""
    return lq.get("include_resolved") == "true" or lq.get("status") == CaseStatus.RESOLVED


@stale_guard()  # reading escalates overdue cases, as list_queue does
def queue_page(
    sessions: Sessions, actor: Actor, lq: ListQuery, *, now: datetime | None = None
) -> QueuePageOut:
    """One page of the handler's queue: the same cases list_queue shows (escalated alike, with
    resolved ones when `includes_resolved`), then searched, filtered, sorted and paged in the
    database among them only; unsorted, in the queue's order (breached first, then the nearest
    deadline)."""
    require(actor, Permission.CASE_HANDLE)
    at = moment(now)
    rules = support_rules()
    include_resolved = includes_resolved(lq)
    with sessions.begin() as session:
        visible = _visible_queue(session, actor, at, rules, include_resolved=include_resolved)
        overdue = [c.id for c in visible if breaches(clock_of(c), at)]
        order = [u.value for u in Urgency]
        page = repo.case_page(
            session, [c.id for c in visible], lq, overdue_ids=overdue, urgency_order=order
        )
        return QueuePageOut(
            cases=[summary_out(session, c, at, rules) for (c,) in page.rows],
            listing=list_meta(page, QUEUE),
            include_resolved=include_resolved,
        )


def get_attachment(
    sessions: Sessions,
    actor: Actor,
    case_id: int,
    attachment_id: int,
    *,
    now: datetime | None = None,
) -> AttachmentFile:
    """An attachment's bytes, for whoever may see its case (the download is a recorded view)."""
    at = moment(now)
    with sessions.begin() as session:
        case = access_case(session, actor, case_id)
        row = session.get(CaseAttachment, attachment_id)
        if row is None or row.case_id != case.id:
            raise NotFoundError("attachment")
        session.add(
            CaseEvent(
                case_id=case.id,
                at=at,
                by_user_id=actor.user_id,
                action="viewed",
                detail={"attachment_id": row.id},
            )
        )
        return AttachmentFile(filename=row.filename, content_type=row.content_type, data=row.data)


def list_notifications(
    sessions: Sessions, actor: Actor, *, locale: str = "en", limit: int = 100
) -> NotificationsOut:
    """The signed-in user's notices, newest first, in their language."""
    with sessions() as session:
        rows = repo.notifications_of_user(session, actor.own_user_id(), limit=limit)
        unread = sum(1 for r in rows if r.read_at is None)
        return NotificationsOut(
            notifications=[_notification_out(r, locale) for r in rows], unread=unread
        )


def _notification_out(row: Notification, locale: str) -> NotificationOut:
    message = Message(str(row.message.get("msgid", "")), dict(row.message.get("params") or {}))
    return NotificationOut(
        id=row.id,
        at=row.at,
        kind=row.kind,
        case_id=row.case_id,
        text=render(message, locale),
        read_at=row.read_at,
    )


def mark_notification_read(
    sessions: Sessions, actor: Actor, notification_id: int, *, locale: str = "en"
) -> NotificationOut:
    """Mark one of the user's own notices read (NotFoundError for anyone else's)."""
    with sessions.begin() as session:
        row = session.get(Notification, notification_id)
        if row is None or row.user_id != actor.own_user_id():
            raise NotFoundError("notification")
        if row.read_at is None:
            row.read_at = moment()
        return _notification_out(row, locale)
