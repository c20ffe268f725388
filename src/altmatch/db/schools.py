"""Repository for schools; callers own the transaction and commit."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from altmatch.db.models import School


def schools_of(session: Session, boe_id: int) -> list[School]:
    """A BoE's schools by level, then name."""
    query = select(School).where(School.boe_id == boe_id)
    return list(session.scalars(query.order_by(School.level, School.name_en, School.id)))


def external_ids(session: Session, boe_id: int) -> set[str]:
    return set(session.scalars(select(School.external_id).where(School.boe_id == boe_id)))
