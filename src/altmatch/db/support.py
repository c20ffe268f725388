"""Repository for support cases, their messages, events, attachments and mediations, routing
tables and notifications; callers own the transaction and commit.

It never decides who may see a case: the support services do, on the rows it returns.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime

from sqlalchemy import case, delete, literal, or_, select, update
from sqlalchemy.orm import Session

from altmatch.db.listing import Column, ListQuery, ListSpec, Page, paged, search_clause
from altmatch.db.models import (
    CaseAttachment,
    CaseEvent,
    CaseMediation,
    CaseMessage,
    EmploymentContract,
    Notification,
    Organisation,
    School,
    SupportCase,
    SupportCaseHandler,
    SupportRoute,
    User,
)

RESOLVED = "resolved"


def get_case(session: Session, case_id: int, *, lock: bool = False) -> SupportCase | None:
    """With `lock`, the row is locked (FOR UPDATE) until the transaction ends."""
    query = select(SupportCase).where(SupportCase.id == case_id)
    return session.scalars(query.with_for_update() if lock else query).one_or_none()


def cases_of_alt(session: Session, alt_user_id: int) -> list[SupportCase]:
    """Newest first."""
    query = select(SupportCase).where(SupportCase.alt_user_id == alt_user_id)
    order = (SupportCase.opened_at.desc(), SupportCase.id.desc())
    return list(session.scalars(query.order_by(*order)))


def cases_of_organisations(
    session: Session, organisation_ids: Collection[int], *, include_resolved: bool
) -> list[SupportCase]:
    """The cases whose employer or programme adviser's office is one of `organisation_ids`."""
    ids = list(organisation_ids)
    query = select(SupportCase).where(
        or_(SupportCase.employer_id.in_(ids), SupportCase.adviser_org_id.in_(ids))
    )
    if not include_resolved:
        query = query.where(SupportCase.status != RESOLVED)
    return list(session.scalars(query.order_by(SupportCase.id)))


def unresolved_cases(session: Session, *, lock: bool = False) -> list[SupportCase]:
    query = select(SupportCase).where(SupportCase.status != RESOLVED).order_by(SupportCase.id)
    return list(session.scalars(query.with_for_update() if lock else query))


def case_messages(session: Session, case_id: int) -> list[CaseMessage]:
    """Internal notes included, oldest first."""
    query = select(CaseMessage).where(CaseMessage.case_id == case_id)
    return list(session.scalars(query.order_by(CaseMessage.at, CaseMessage.id)))


def case_events(session: Session, case_id: int) -> list[CaseEvent]:
    query = select(CaseEvent).where(CaseEvent.case_id == case_id)
    return list(session.scalars(query.order_by(CaseEvent.id)))


def attachment_summaries(session: Session, case_id: int) -> list[tuple[int, str, str, int]]:
    """(id, filename, content type, size) of the case's attachments: not their bytes."""
    query = (
        select(
            CaseAttachment.id,
            CaseAttachment.filename,
            CaseAttachment.content_type,
            CaseAttachment.size,
        )
        .where(CaseAttachment.case_id == case_id)
        .order_by(CaseAttachment.id)
    )
    return [(i, f, t, s) for i, f, t, s in session.execute(query)]


def case_mediations(session: Session, case_id: int) -> list[tuple[CaseMediation, str | None]]:
    """Each mediation with its school's English name (None when no school is named)."""
    query = (
        select(CaseMediation, School.name_en)
        .outerjoin(School, School.id == CaseMediation.school_id)
        .where(CaseMediation.case_id == case_id)
        .order_by(CaseMediation.id)
    )
    return [(m, school) for m, school in session.execute(query)]


def current_contract(session: Session, user_id: int, on: date) -> EmploymentContract | None:
    """The user's employment contract in force on `on` (the latest started, if several are)."""
    query = (
        select(EmploymentContract)
        .where(
            EmploymentContract.user_id == user_id,
            EmploymentContract.start <= on,
            EmploymentContract.end >= on,
        )
        .order_by(EmploymentContract.start.desc(), EmploymentContract.id.desc())
    )
    return session.scalars(query).first()


def prefecture_office_id(session: Session, prefecture: str) -> int | None:
    """The prefecture's own BoE: a BoE of that prefecture with no municipality."""
    query = (
        select(Organisation.id)
        .where(
            Organisation.kind == "boe",
            Organisation.prefecture == prefecture,
            Organisation.municipality.is_(None),
        )
        .order_by(Organisation.id)
    )
    return session.scalars(query).first()


def routes(session: Session, organisation_id: int) -> list[SupportRoute]:
    query = select(SupportRoute).where(SupportRoute.organisation_id == organisation_id)
    return list(session.scalars(query))


def routes_with_users(session: Session, organisation_id: int) -> list[tuple[SupportRoute, User]]:
    query = (
        select(SupportRoute, User)
        .join(User, User.id == SupportRoute.user_id)
        .where(SupportRoute.organisation_id == organisation_id)
    )
    return [(route, user) for route, user in session.execute(query)]


def delete_routes(session: Session, organisation_id: int) -> None:
    session.execute(delete(SupportRoute).where(SupportRoute.organisation_id == organisation_id))


def handler_ids(session: Session, organisation_id: int, role: str) -> list[int]:
    """The users routed at `role` of the organisation, by id."""
    query = select(SupportRoute.user_id).where(
        SupportRoute.organisation_id == organisation_id, SupportRoute.role == role
    )
    return list(session.scalars(query.order_by(SupportRoute.user_id)))


def routed_organisation_ids(session: Session, user_id: int) -> set[int]:
    """The organisations whose routing table names the user."""
    query = select(SupportRoute.organisation_id).where(SupportRoute.user_id == user_id)
    return set(session.scalars(query))


def case_handlers(session: Session, case_id: int) -> list[tuple[SupportCaseHandler, str]]:
    """The handlers recorded on the case (those it has reached) with their display names, by
    level, then user id."""
    query = (
        select(SupportCaseHandler, User.display_name)
        .join(User, User.id == SupportCaseHandler.user_id)
        .where(SupportCaseHandler.case_id == case_id)
        .order_by(SupportCaseHandler.level, SupportCaseHandler.user_id)
    )
    return [(row, name) for row, name in session.execute(query)]


def case_handler_ids(session: Session, case_id: int) -> list[int]:
    """User ids of the handlers recorded on the case, each once, in the order they were added."""
    query = (
        select(SupportCaseHandler.user_id)
        .where(SupportCaseHandler.case_id == case_id)
        .order_by(SupportCaseHandler.id)
    )
    return list(dict.fromkeys(session.scalars(query)))


def case_handler_levels(session: Session, case_id: int) -> set[int]:
    """The levels at which the case has at least one recorded handler."""
    query = select(SupportCaseHandler.level).where(SupportCaseHandler.case_id == case_id)
    return set(session.scalars(query))


def cases_handled_by(
    session: Session, user_id: int, *, include_resolved: bool
) -> list[SupportCase]:
    """The cases on which the user is a recorded handler."""
    handled = select(SupportCaseHandler.case_id).where(SupportCaseHandler.user_id == user_id)
    query = select(SupportCase).where(SupportCase.id.in_(handled))
    if not include_resolved:
        query = query.where(SupportCase.status != RESOLVED)
    return list(session.scalars(query.order_by(SupportCase.id)))


def notifications_of_user(session: Session, user_id: int, *, limit: int) -> list[Notification]:
    """The user's latest `limit` notices, newest first."""
    query = (
        select(Notification)
        .where(Notification.user_id == user_id)
        .order_by(Notification.at.desc(), Notification.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def unsent_notifications(session: Session) -> list[tuple[Notification, str, str, str | None]]:
    """(notice, e-mail address, locale, case category or None) of every notice not yet e-mailed
    to an active user with an address, oldest first."""
    query = (
        select(Notification, User.email, User.locale, SupportCase.category)
        .join(User, User.id == Notification.user_id)
        .outerjoin(SupportCase, SupportCase.id == Notification.case_id)
        .where(
            Notification.emailed_at.is_(None),
            Notification.email_skipped_at.is_(None),
            User.email != "",
            User.disabled.is_(False),
        )
        .order_by(Notification.at, Notification.id)
    )
    return [(n, email, locale, category) for n, email, locale, category in session.execute(query)]


def claim_notification(
    session: Session, notification_id: int, *, at: datetime, stale_before: datetime
) -> bool:
    """Claim an unsent notice for sending unless another process holds a claim made since
    `stale_before`: one conditional UPDATE, so two senders cannot both win."""
    result = session.execute(
        update(Notification)
        .where(
            Notification.id == notification_id,
            Notification.emailed_at.is_(None),
            or_(
                Notification.email_claimed_at.is_(None),
                Notification.email_claimed_at < stale_before,
            ),
        )
        .values(email_claimed_at=at)
    )
    return bool(getattr(result, "rowcount", 0))


def release_notification(session: Session, notification_id: int) -> None:
    """Drop the claim on a notice still unsent, for the next run."""
    session.execute(
        update(Notification)
        .where(Notification.id == notification_id, Notification.emailed_at.is_(None))
        .values(email_claimed_at=None)
    )


def mark_notification_emailed(session: Session, notification_id: int, *, at: datetime) -> None:
    session.execute(
        update(Notification)
        .where(Notification.id == notification_id, Notification.emailed_at.is_(None))
        .values(emailed_at=at)
    )


def organisations_by_name(
    session: Session,
    kinds: Collection[str],
    *,
    programme_id: int | None = None,
    organisation_id: int | None = None,
) -> list[Organisation]:
    """Organisations of these kinds (only the programme's, or only the one, when given), by
    English name."""
    query = select(Organisation).where(Organisation.kind.in_(list(kinds)))
    if programme_id is not None:
        query = query.where(Organisation.programme_id == programme_id)
    if organisation_id is not None:
        query = query.where(Organisation.id == organisation_id)
    return list(session.scalars(query.order_by(Organisation.name_en, Organisation.id)))


# What support metrics read of a case: its timeline, never who opened or handled it.
# (opened, first responded, resolved, first response due, resolution due, times reopened)
CaseTimeline = tuple[datetime, datetime | None, datetime | None, datetime, datetime, int]

_TIMELINE = (
    SupportCase.opened_at,
    SupportCase.first_responded_at,
    SupportCase.resolved_at,
    SupportCase.first_response_due,
    SupportCase.resolution_due,
    SupportCase.reopened_count,
)


def timelines_by_employer(
    session: Session, employer_ids: Collection[int]
) -> list[tuple[int, CaseTimeline]]:
    """(employer id, timeline) of every case of these employers."""
    if not employer_ids:
        return []
    query = select(SupportCase.employer_id, *_TIMELINE).where(
        SupportCase.employer_id.in_(list(employer_ids))
    )
    rows = session.execute(query)
    return [(employer, (o, f, r, fd, rd, n)) for employer, o, f, r, fd, rd, n in rows]


def timelines_by_employer_and_path(session: Session) -> list[tuple[int, str, CaseTimeline]]:
    """(employer id, hiring path, timeline) of every case."""
    rows = session.execute(select(SupportCase.employer_id, SupportCase.path, *_TIMELINE))
    return [(e, path, (o, f, r, fd, rd, n)) for e, path, o, f, r, fd, rd, n in rows]


def organisations_by_id(session: Session, ids: Collection[int]) -> dict[int, Organisation]:
    """The organisations with these ids."""
    if not ids:
        return {}
    query = select(Organisation).where(Organisation.id.in_(list(ids)))
    return {o.id: o for o in session.scalars(query)}


# --- the queue a page at a time --------------------------------------------------------------

# Filters' allowed values are the services' (the vocabulary is theirs): None here.
CASE_LIST = ListSpec(
    sorts=("deadline", "opened", "urgency", "status"),
    filters={
        "status": None,
        "category": None,
        "urgency": None,
        "overdue": None,
        "include_resolved": None,  # which cases are read at all: the service's
    },
)


def case_page(
    session: Session,
    case_ids: Collection[int],
    lq: ListQuery,
    *,
    overdue_ids: Collection[int],
    urgency_order: Sequence[str] = (),
) -> Page:
    """One page of the cases `case_ids` (the ones the reader may see: the service decides),
    searched by case number (`12` or `#12`) or subject, filtered by status, category, urgency
    and overdue ("yes": one of `overdue_ids`, "no": not), sorted by the deadline that runs now
    (first response until answered, then resolution), opened, urgency (in `urgency_order`) or
    status. Unsorted, breached cases come first and resolved ones last, then by deadline.
    Rows: (SupportCase,)."""
    c = SupportCase
    overdue = list(overdue_ids)
    query = select(c).where(c.id.in_(list(case_ids)))
    if lq.q:
        number = lq.q.strip().removeprefix("#").strip()
        by_subject = search_clause(lq.q, [c.subject])
        query = query.where(
            or_(c.id == int(number), by_subject)
            if number.isascii() and number.isdigit() and len(number) < 10
            else by_subject
        )
    for name, column in (("status", c.status), ("category", c.category), ("urgency", c.urgency)):
        if lq.get(name):
            query = query.where(column == lq.get(name))
    if lq.get("overdue") == "yes":
        query = query.where(c.id.in_(overdue))
    elif lq.get("overdue") == "no":
        query = query.where(c.id.not_in(overdue))
    if not lq.sort:  # the queue's own order: what needs doing first
        breached = case((c.id.in_(overdue), 0), else_=1) if overdue else literal(1)
        query = query.order_by(breached, case((c.status == RESOLVED, 1), else_=0))
    urgency: Column = c.urgency
    if urgency_order:
        urgency = case({v: i for i, v in enumerate(urgency_order)}, value=c.urgency)
    sorts: dict[str, Column] = {
        "deadline": case(
            (c.first_responded_at.is_(None), c.first_response_due), else_=c.resolution_due
        ),
        "opened": c.opened_at,
        "urgency": urgency,
        "status": c.status,
    }
    return paged(session, query, lq, sorts=sorts, spec=CASE_LIST, tiebreak=c.id)
