"""Queries of recruitment (issue 19): recruiting offices and their screeners, online
applications with their documents, references and screening decisions, and the screening
queue. The services decide; the SQL lives here."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from altmatch.db.listing import Column, ListQuery, ListSpec, Page, paged, search_clause
from altmatch.db.models import (
    ApplicationDocument,
    ApplicationReference,
    OfficeStaff,
    OnlineApplication,
    RecruitingOffice,
    ScreeningDecision,
    SeasonCandidate,
    SeasonRow,
    User,
)

Person = tuple[int, str, str]  # user id, display name, e-mail

# --- offices and screeners ------------------------------------------------------------------


def programme_offices(session: Session, programme_id: int) -> list[RecruitingOffice]:
    query = select(RecruitingOffice).where(RecruitingOffice.programme_id == programme_id)
    return list(session.scalars(query.order_by(RecruitingOffice.code)))


def offices(session: Session, programme_id: int | None = None) -> list[RecruitingOffice]:
    """Every programme's offices (or `programme_id`'s), by programme and code."""
    query = select(RecruitingOffice).order_by(RecruitingOffice.programme_id, RecruitingOffice.code)
    if programme_id is not None:
        query = query.where(RecruitingOffice.programme_id == programme_id)
    return list(session.scalars(query))


def office_screeners(session: Session, office_id: int) -> list[Person]:
    query = (
        select(User.id, User.display_name, User.email)
        .join(OfficeStaff, OfficeStaff.user_id == User.id)
        .where(OfficeStaff.office_id == office_id)
        .order_by(User.display_name)
    )
    return [(i, n, e) for i, n, e in session.execute(query)]


def coordinators_not_in(session: Session, programme_id: int, user_ids: list[int]) -> list[Person]:
    """The programme's active coordinators, but for `user_ids`, by name."""
    query = (
        select(User.id, User.display_name, User.email)
        .where(
            User.organisation_id == programme_id,
            User.role == "coordinator",
            User.disabled.is_(False),
            User.id.not_in(user_ids),
        )
        .order_by(User.display_name)
    )
    return [(i, n, e) for i, n, e in session.execute(query)]


def submitted_to(session: Session, office_id: int) -> int:
    query = (
        select(func.count())
        .select_from(OnlineApplication)
        .where(OnlineApplication.office_id == office_id, OnlineApplication.status == "submitted")
    )
    return int(session.scalar(query) or 0)


def offices_of_staff(session: Session, user_id: int) -> list[RecruitingOffice]:
    """The offices a user screens for (and plans interviews of), by code."""
    query = (
        select(RecruitingOffice)
        .join(OfficeStaff, OfficeStaff.office_id == RecruitingOffice.id)
        .where(OfficeStaff.user_id == user_id)
        .order_by(RecruitingOffice.code)
    )
    return list(session.scalars(query))


def awaiting_screening(session: Session, office_id: int) -> int:
    """The office's submitted applications still at stage submitted: its queue's waiting."""
    query = (
        select(func.count())
        .select_from(OnlineApplication)
        .join(SeasonCandidate, SeasonCandidate.id == OnlineApplication.candidate_id)
        .where(
            OnlineApplication.office_id == office_id,
            OnlineApplication.status == "submitted",
            SeasonCandidate.stage == "submitted",
        )
    )
    return int(session.scalar(query) or 0)


# --- applications -----------------------------------------------------------------------------


def open_seasons(session: Session) -> list[SeasonRow]:
    query = select(SeasonRow).where(SeasonRow.status == "open").order_by(SeasonRow.id)
    return list(session.scalars(query))


def own_application(session: Session, season_id: int, user_id: int) -> OnlineApplication | None:
    query = select(OnlineApplication).where(
        OnlineApplication.season_id == season_id, OnlineApplication.user_id == user_id
    )
    return session.scalars(query).one_or_none()


def applications_of_user(session: Session, user_id: int) -> list[OnlineApplication]:
    query = select(OnlineApplication).where(OnlineApplication.user_id == user_id)
    return list(session.scalars(query.order_by(OnlineApplication.id)))


def season_candidate_of_user(
    session: Session, season_id: int, user_id: int
) -> SeasonCandidate | None:
    query = select(SeasonCandidate).where(
        SeasonCandidate.season_id == season_id, SeasonCandidate.user_id == user_id
    )
    return session.scalars(query).one_or_none()


def documents_of(session: Session, application_id: int) -> list[ApplicationDocument]:
    query = select(ApplicationDocument).where(ApplicationDocument.application_id == application_id)
    return list(session.scalars(query.order_by(ApplicationDocument.kind)))


def document_of(session: Session, application_id: int, kind: str) -> ApplicationDocument | None:
    query = select(ApplicationDocument).where(
        ApplicationDocument.application_id == application_id, ApplicationDocument.kind == kind
    )
    return session.scalars(query).one_or_none()


def references_of(session: Session, application_id: int) -> list[ApplicationReference]:
    query = select(ApplicationReference).where(
        ApplicationReference.application_id == application_id
    )
    return list(session.scalars(query.order_by(ApplicationReference.slot)))


def reference_of(session: Session, application_id: int, slot: int) -> ApplicationReference | None:
    query = select(ApplicationReference).where(
        ApplicationReference.application_id == application_id, ApplicationReference.slot == slot
    )
    return session.scalars(query).one_or_none()


def reference_by_token(session: Session, token_hash: str) -> ApplicationReference | None:
    query = select(ApplicationReference).where(ApplicationReference.token_hash == token_hash)
    return session.scalars(query).one_or_none()


def receive_reference(
    session: Session,
    ref: ApplicationReference,
    *,
    at: datetime,
    filename: str,
    content_type: str,
    data: bytes,
) -> bool:
    """Store the letter and spend the link in one conditional update: False when the link was
    spent (or replaced) meanwhile, so two uploads through one link cannot both win."""
    spent = session.execute(
        update(ApplicationReference)
        .where(
            ApplicationReference.id == ref.id,
            ApplicationReference.token_hash == ref.token_hash,
            ApplicationReference.received_at.is_(None),
        )
        .values(
            token_hash=None,
            received_at=at,
            filename=filename,
            content_type=content_type,
            size=len(data),
            data=data,
        )
        .execution_options(synchronize_session=False)
    )
    return bool(spent.rowcount == 1)  # type: ignore[attr-defined]


def latest_screening_decision(session: Session, application_id: int) -> ScreeningDecision | None:
    query = (
        select(ScreeningDecision)
        .where(ScreeningDecision.application_id == application_id)
        .order_by(ScreeningDecision.id.desc())
        .limit(1)
    )
    return session.scalars(query).first()


def screening_decisions_of(session: Session, application_id: int) -> list[ScreeningDecision]:
    query = select(ScreeningDecision).where(ScreeningDecision.application_id == application_id)
    return list(session.scalars(query))


def file_data(session: Session, table: str, row_id: int) -> bytes:
    """An uploaded file's bytes: a document (`application_documents`) or a reference letter."""
    model = ApplicationDocument if table == "application_documents" else ApplicationReference
    return session.scalar(select(model.data).where(model.id == row_id)) or b""


def delete_draft(session: Session, application_id: int, version: int) -> bool:
    """Delete a draft with its documents and references, if it is still a draft at `version`:
    one conditional UPDATE claims the row first (a racing save or upload waits for it, then
    finds nothing), so a stale or submitted one deletes nothing (False)."""
    claimed = session.execute(
        update(OnlineApplication)
        .where(
            OnlineApplication.id == application_id,
            OnlineApplication.version == version,
            OnlineApplication.status == "draft",
        )
        .values(version=OnlineApplication.version + 1)
        .execution_options(synchronize_session=False)
    )
    if int(getattr(claimed, "rowcount", 0) or 0) != 1:
        return False
    for model in (ApplicationDocument, ApplicationReference):
        session.execute(
            delete(model)
            .where(model.application_id == application_id)
            .execution_options(synchronize_session=False)
        )
    session.execute(
        delete(OnlineApplication)
        .where(OnlineApplication.id == application_id)
        .execution_options(synchronize_session=False)
    )
    return True


def delete_online_applications(session: Session, user_id: int) -> int:
    """Delete the person's online applications with their files, references and decisions."""
    ids = list(
        session.scalars(select(OnlineApplication.id).where(OnlineApplication.user_id == user_id))
    )
    if not ids:
        return 0
    for model in (ApplicationDocument, ApplicationReference, ScreeningDecision):
        session.execute(delete(model).where(model.application_id.in_(ids)))
    session.execute(delete(OnlineApplication).where(OnlineApplication.id.in_(ids)))
    return len(ids)


# --- the screening queue ------------------------------------------------------------------------


def screening_queue_page(
    session: Session,
    office: RecruitingOffice,
    lq: ListQuery,
    *,
    spec: ListSpec,
    stage: str | None,
) -> Page:
    """An office's submitted applications, a page at a time: each row is (application, the
    applicant's name, their stage, references received)."""
    received = (
        select(func.count())
        .select_from(ApplicationReference)
        .where(
            ApplicationReference.application_id == OnlineApplication.id,
            ApplicationReference.received_at.is_not(None),
        )
        .correlate(OnlineApplication)
        .scalar_subquery()
    )
    query = (
        select(OnlineApplication, SeasonCandidate.name, SeasonCandidate.stage, received)
        .join(SeasonCandidate, SeasonCandidate.id == OnlineApplication.candidate_id)
        .join(SeasonRow, SeasonRow.id == OnlineApplication.season_id)
        .where(
            OnlineApplication.office_id == office.id,
            OnlineApplication.status == "submitted",
            SeasonRow.programme_id == office.programme_id,
        )
    )
    if stage:
        query = query.where(SeasonCandidate.stage == stage)
    if lq.q:
        query = query.where(
            search_clause(lq.q, [SeasonCandidate.name, OnlineApplication.reference_number])
        )
    sorts: dict[str, Column] = {
        "submitted": OnlineApplication.submitted_at,
        "name": SeasonCandidate.name,
        "reference": OnlineApplication.reference_number,
    }
    return paged(session, query, lq, sorts=sorts, spec=spec, tiebreak=OnlineApplication.id)
