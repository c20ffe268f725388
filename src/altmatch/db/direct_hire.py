"""Repository for direct-hire postings, the applications to them and their stage changes;
callers own the transaction and commit."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from altmatch.db.models import Organisation, Posting, PostingApplication, PostingStageChange


def postings_of_boe(session: Session, boe_id: int) -> list[Posting]:
    """Newest first."""
    query = select(Posting).where(Posting.boe_id == boe_id).order_by(Posting.id.desc())
    return list(session.scalars(query))


def open_postings(session: Session, on: date) -> list[tuple[Posting, Organisation]]:
    """Each posting open on `on` with its BoE, soonest closing first."""
    query = (
        select(Posting, Organisation)
        .join(Organisation, Organisation.id == Posting.boe_id)
        .where(Posting.status == "open", Posting.closes_on >= on)
        .order_by(Posting.closes_on, Posting.id)
    )
    return [(posting, boe) for posting, boe in session.execute(query)]


def stage_counts_of_boe(session: Session, boe_id: int) -> list[tuple[int, str, int]]:
    """(posting id, stage, applications) for each stage that holds applications to one of the
    BoE's postings: counted in one grouped query, not per posting."""
    query = (
        select(PostingApplication.posting_id, PostingApplication.stage, func.count())
        .join(Posting, Posting.id == PostingApplication.posting_id)
        .where(Posting.boe_id == boe_id)
        .group_by(PostingApplication.posting_id, PostingApplication.stage)
    )
    return [(posting_id, stage, n) for posting_id, stage, n in session.execute(query)]


def count_applications(
    session: Session, posting_id: int, *, stage: str | None = None, user_id: int | None = None
) -> int:
    """Applications to the posting (only those at `stage`, or by `user_id`, when given)."""
    query = select(func.count()).select_from(PostingApplication)
    query = query.where(PostingApplication.posting_id == posting_id)
    if stage is not None:
        query = query.where(PostingApplication.stage == stage)
    if user_id is not None:
        query = query.where(PostingApplication.user_id == user_id)
    return int(session.scalar(query) or 0)


def applications_to_posting(session: Session, posting_id: int) -> list[PostingApplication]:
    """Oldest first."""
    query = select(PostingApplication).where(PostingApplication.posting_id == posting_id)
    order = (PostingApplication.created_at, PostingApplication.id)
    return list(session.scalars(query.order_by(*order)))


def applications_of_user(session: Session, user_id: int) -> list[PostingApplication]:
    """Newest first."""
    query = select(PostingApplication).where(PostingApplication.user_id == user_id)
    order = (PostingApplication.created_at.desc(), PostingApplication.id.desc())
    return list(session.scalars(query.order_by(*order)))


def stage_changes(session: Session, application_id: int) -> list[PostingStageChange]:
    """Oldest first."""
    query = select(PostingStageChange).where(PostingStageChange.application_id == application_id)
    order = (PostingStageChange.at, PostingStageChange.id)
    return list(session.scalars(query.order_by(*order)))
