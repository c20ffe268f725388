"""Queries of the retention watch and contract health: open support cases, pending transfer
requests and pending tenders of a company, counted per ALT or per BoE in one read each; and the
renewal asks (who was asked whether they renew, and what they answered)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from altmatch.db.dispatch import TRANSFER_PENDING
from altmatch.db.models import (
    ContractPosition,
    RenewalAsk,
    RosterAssignment,
    School,
    SupportCase,
    Tender,
    TransferRequest,
)

OPEN_CASE_STATUSES = ("open", "answered")


def open_cases_by_user(
    session: Session, employer_id: int, user_ids: Collection[int]
) -> dict[int, int]:
    """ALT user id -> the number of their support cases with this employer not yet resolved."""
    if not user_ids:
        return {}
    query = (
        select(SupportCase.alt_user_id, func.count())
        .where(
            SupportCase.employer_id == employer_id,
            SupportCase.status.in_(OPEN_CASE_STATUSES),
            SupportCase.alt_user_id.in_(list(user_ids)),
        )
        .group_by(SupportCase.alt_user_id)
    )
    return {int(user): int(count) for user, count in session.execute(query) if user is not None}


def alts_with_pending_transfer(session: Session, company_id: int) -> set[int]:
    """The company's ALTs (roster ids) with a transfer request waiting for a decision."""
    query = select(TransferRequest.alt_id).where(
        TransferRequest.company_id == company_id, TransferRequest.status == TRANSFER_PENDING
    )
    return set(session.scalars(query))


def next_pending_tenders(session: Session, company_id: int) -> dict[int, tuple[date, date]]:
    """BoE id -> (submitted on, requested start) of the company's latest pending tender there."""
    query = (
        select(Tender.boe_id, Tender.submitted_on, Tender.requested_start)
        .where(Tender.company_id == company_id, Tender.outcome == "pending")
        .order_by(Tender.submitted_on, Tender.id)
    )
    return {boe: (submitted, start) for boe, submitted, start in session.execute(query)}


def placements_of_alts(
    session: Session, alt_ids: Collection[int]
) -> dict[int, tuple[int, int, School]]:
    """ALT id -> (contract id, school id, school) of their current assignment, if any."""
    if not alt_ids:
        return {}
    query = (
        select(RosterAssignment.alt_id, ContractPosition.contract_id, School)
        .join(ContractPosition, ContractPosition.id == RosterAssignment.position_id)
        .join(School, School.id == ContractPosition.school_id)
        .where(RosterAssignment.end.is_(None), RosterAssignment.alt_id.in_(list(alt_ids)))
        .order_by(RosterAssignment.start, RosterAssignment.id)
    )
    return {alt: (contract, school.id, school) for alt, contract, school in session.execute(query)}


# --- renewal asks --------------------------------------------------------------------------


def asks_of_company(session: Session, company_id: int) -> list[RenewalAsk]:
    """Every renewal ask of the company, oldest first."""
    query = select(RenewalAsk).where(RenewalAsk.company_id == company_id)
    return list(session.scalars(query.order_by(RenewalAsk.asked_at, RenewalAsk.id)))


def ask_of(session: Session, alt_id: int, contract_end: date) -> RenewalAsk | None:
    query = select(RenewalAsk).where(
        RenewalAsk.alt_id == alt_id, RenewalAsk.contract_end == contract_end
    )
    return session.scalars(query).one_or_none()


def asks_of_alt(session: Session, alt_id: int) -> list[RenewalAsk]:
    query = select(RenewalAsk).where(RenewalAsk.alt_id == alt_id)
    return list(session.scalars(query.order_by(RenewalAsk.contract_end, RenewalAsk.id)))


def add_ask(
    session: Session,
    *,
    company_id: int,
    alt_id: int,
    contract_end: date,
    deadline: date,
    at: datetime,
) -> RenewalAsk | None:
    """Record that the ALT was asked about this term; None when they were already (even at the
    same moment: the unique key refuses the second insert, inside a savepoint)."""
    row = RenewalAsk(
        company_id=company_id,
        alt_id=alt_id,
        contract_end=contract_end,
        deadline=deadline,
        asked_at=at,
        reason="",
    )
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        return None
    return row
