"""Repository for a dispatch company's rows: contracts and their positions, tenders, the roster
of ALTs, their assignments and transfer requests; callers own the transaction and commit.

It only fetches: who may see which rows is decided by the dispatch services' access checks.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date, datetime
from itertools import islice

from sqlalchemy import ColumnElement, and_, case, false, func, insert, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from altmatch.db.listing import Column, ListQuery, ListSpec, Page, paged, search_clause
from altmatch.db.models import (
    ComplianceAcknowledgement,
    ContractPosition,
    DispatchContract,
    Organisation,
    RosterAlt,
    RosterAssignment,
    School,
    Tender,
    TransferEvent,
    TransferRequest,
    User,
)

TRANSFER_PENDING = "requested"  # a transfer request nobody has decided or withdrawn yet

# --- companies and BoEs ----------------------------------------------------------------------


def lock_company(session: Session, company_id: int) -> None:
    """Serialise roster writes of one company (a row lock on PostgreSQL; SQLite serialises
    writers anyway), so two commits cannot both pass the same fingerprint check."""
    session.execute(select(Organisation.id).where(Organisation.id == company_id).with_for_update())


def company_ids(session: Session) -> list[int]:
    """Every dispatch company's id, in order."""
    query = select(Organisation.id).where(Organisation.kind == "company")
    return list(session.scalars(query.order_by(Organisation.id)))


def all_boes(session: Session) -> list[Organisation]:
    """Every Board of Education, by English name."""
    query = select(Organisation).where(Organisation.kind == "boe")
    return list(session.scalars(query.order_by(Organisation.name_en)))


# --- contracts and positions -----------------------------------------------------------------

_NEWEST_CONTRACTS_FIRST = (DispatchContract.start.desc(), DispatchContract.reference)


def contracts_of_company(
    session: Session, company_id: int, *, by_reference: bool = False
) -> list[DispatchContract]:
    """Newest start first, then by reference (`by_reference`: by reference only)."""
    query = select(DispatchContract).where(DispatchContract.company_id == company_id)
    order = (DispatchContract.reference,) if by_reference else _NEWEST_CONTRACTS_FIRST
    return list(session.scalars(query.order_by(*order)))


def contracts_of_boe(session: Session, boe_id: int) -> list[DispatchContract]:
    """Newest start first, then by reference."""
    query = select(DispatchContract).where(DispatchContract.boe_id == boe_id)
    return list(session.scalars(query.order_by(*_NEWEST_CONTRACTS_FIRST)))


def contracts_with_boes(
    session: Session, company_id: int
) -> list[tuple[DispatchContract, Organisation]]:
    """The company's contracts with the BoE that signed each, by reference."""
    query = (
        select(DispatchContract, Organisation)
        .join(Organisation, Organisation.id == DispatchContract.boe_id)
        .where(DispatchContract.company_id == company_id)
        .order_by(DispatchContract.reference)
    )
    return [(contract, boe) for contract, boe in session.execute(query)]


def contract_id_with_reference(session: Session, company_id: int, reference: str) -> int | None:
    query = select(DispatchContract.id).where(
        DispatchContract.company_id == company_id, DispatchContract.reference == reference
    )
    return session.scalar(query)


def positions_of_contracts(
    session: Session, contract_ids: Collection[int]
) -> list[tuple[ContractPosition, School]]:
    """The contracts' positions with the school of each, by the positions' own ids."""
    if not contract_ids:
        return []
    query = (
        select(ContractPosition, School)
        .join(School, School.id == ContractPosition.school_id)
        .where(ContractPosition.contract_id.in_(list(contract_ids)))
        .order_by(ContractPosition.external_id, ContractPosition.id)
    )
    return [(position, school) for position, school in session.execute(query)]


def position_external_ids(session: Session, contract_id: int) -> set[str]:
    query = select(ContractPosition.external_id).where(ContractPosition.contract_id == contract_id)
    return set(session.scalars(query))


def positions_in_force(
    session: Session, company_id: int, on: date
) -> list[tuple[ContractPosition, DispatchContract, School, str | None]]:
    """(position, contract, school, the BoE's prefecture) of every position of the company's
    contracts in force on `on`, by contract reference, then position id."""
    query = (
        select(ContractPosition, DispatchContract, School, Organisation.prefecture)
        .join(DispatchContract, ContractPosition.contract_id == DispatchContract.id)
        .join(School, ContractPosition.school_id == School.id)
        .join(Organisation, DispatchContract.boe_id == Organisation.id)
        .where(
            DispatchContract.company_id == company_id,
            DispatchContract.start <= on,
            DispatchContract.end >= on,
        )
        .order_by(DispatchContract.reference, ContractPosition.external_id, ContractPosition.id)
    )
    return [(p, c, s, prefecture) for p, c, s, prefecture in session.execute(query)]


# --- tenders ---------------------------------------------------------------------------------


def tenders_of_company(session: Session, company_id: int) -> list[Tender]:
    """Newest submission first."""
    query = select(Tender).where(Tender.company_id == company_id)
    return list(session.scalars(query.order_by(Tender.submitted_on.desc(), Tender.id.desc())))


# --- the roster ------------------------------------------------------------------------------


def roster_alts_of_company(
    session: Session, company_id: int, *, by_name: bool = False
) -> list[RosterAlt]:
    """The company's ALTs in the order they were added (`by_name`: by name, then alt id)."""
    query = select(RosterAlt).where(RosterAlt.company_id == company_id)
    order = (RosterAlt.name, RosterAlt.external_id) if by_name else (RosterAlt.id,)
    return list(session.scalars(query.order_by(*order)))


def roster_alt_of_user(session: Session, user_id: int) -> RosterAlt | None:
    return session.scalars(select(RosterAlt).where(RosterAlt.user_id == user_id)).one_or_none()


# New ALTs go in as executemany batches: a 100,000-row roster takes seconds, not minutes, and
# only one batch of parameters is in memory at a time.
INSERT_BATCH = 5_000


def add_roster_alts(
    session: Session, company_id: int, alts: Iterable[Mapping[str, object]]
) -> None:
    """Insert new ALTs of the company (each its column values), INSERT_BATCH at a time; `alts`
    is read one batch at a time, so a generator keeps only that batch in memory."""
    remaining = iter(alts)
    while batch := [{"company_id": company_id, **alt} for alt in islice(remaining, INSERT_BATCH)]:
        session.execute(insert(RosterAlt), batch)


def open_assignments_of_alts(session: Session, alt_ids: Collection[int]) -> list[RosterAssignment]:
    """The ALTs' assignments without an end, oldest start first."""
    if not alt_ids:
        return []
    query = (
        select(RosterAssignment)
        .where(RosterAssignment.end.is_(None), RosterAssignment.alt_id.in_(list(alt_ids)))
        .order_by(RosterAssignment.start, RosterAssignment.id)
    )
    return list(session.scalars(query))


def assignment_history(
    session: Session, alt_ids: Collection[int], *, current_only: bool = False
) -> list[tuple[RosterAssignment, ContractPosition, DispatchContract, School]]:
    """The ALTs' assignments (`current_only`: those without an end) with the position, contract
    and school of each, newest start first."""
    if not alt_ids:
        return []
    query = (
        select(RosterAssignment, ContractPosition, DispatchContract, School)
        .join(ContractPosition, ContractPosition.id == RosterAssignment.position_id)
        .join(DispatchContract, DispatchContract.id == ContractPosition.contract_id)
        .join(School, School.id == ContractPosition.school_id)
        .where(RosterAssignment.alt_id.in_(list(alt_ids)))
        .order_by(RosterAssignment.start.desc(), RosterAssignment.id.desc())
    )
    if current_only:
        query = query.where(RosterAssignment.end.is_(None))
    return [(a, p, c, s) for a, p, c, s in session.execute(query)]


def open_assignments_at_positions(
    session: Session, position_ids: Collection[int]
) -> list[tuple[RosterAssignment, RosterAlt]]:
    """The assignments without an end at the positions, with their ALTs, oldest start first."""
    if not position_ids:
        return []
    query = (
        select(RosterAssignment, RosterAlt)
        .join(RosterAlt, RosterAlt.id == RosterAssignment.alt_id)
        .where(RosterAssignment.position_id.in_(list(position_ids)), RosterAssignment.end.is_(None))
        .order_by(RosterAssignment.start, RosterAssignment.id)
    )
    return [(assignment, alt) for assignment, alt in session.execute(query)]


def alts_at_positions(session: Session, position_ids: Collection[int]) -> dict[int, int]:
    """Position id -> the id of the ALT assigned there without an end (ids only, no rows)."""
    if not position_ids:
        return {}
    query = select(RosterAssignment.position_id, RosterAssignment.alt_id).where(
        RosterAssignment.end.is_(None), RosterAssignment.position_id.in_(list(position_ids))
    )
    return {position: alt for position, alt in session.execute(query)}


# --- transfer requests -----------------------------------------------------------------------


def pending_transfer_id(session: Session, alt_id: int) -> int | None:
    """The ALT's transfer request still pending, if any."""
    query = select(TransferRequest.id).where(
        TransferRequest.alt_id == alt_id, TransferRequest.status == TRANSFER_PENDING
    )
    return session.scalars(query).first()


def _transfers(session: Session, where: ColumnElement[bool]) -> list[TransferRequest]:
    pending_first = case((TransferRequest.status == TRANSFER_PENDING, 0), else_=1)
    query = select(TransferRequest).where(where)
    return list(session.scalars(query.order_by(pending_first, TransferRequest.id.desc())))


def transfers_of_alt(session: Session, alt_id: int) -> list[TransferRequest]:
    """Pending first, then newest first."""
    return _transfers(session, TransferRequest.alt_id == alt_id)


def transfers_of_company(session: Session, company_id: int) -> list[TransferRequest]:
    """Pending first, then newest first."""
    return _transfers(session, TransferRequest.company_id == company_id)


def transfer_events(session: Session, transfer_id: int) -> list[TransferEvent]:
    """The request's steps, oldest first."""
    query = select(TransferEvent).where(TransferEvent.transfer_id == transfer_id)
    return list(session.scalars(query.order_by(TransferEvent.at, TransferEvent.id)))


def _scheduled() -> ColumnElement[bool]:
    """Approved with a date, and not applied yet."""
    return and_(
        TransferRequest.status == "approved",
        TransferRequest.effective_on.is_not(None),
        TransferRequest.applied_at.is_(None),
    )


def open_transfer_id(session: Session, alt_id: int) -> int | None:
    """The ALT's transfer request still pending, or approved and not yet in effect, if any."""
    query = select(TransferRequest.id).where(
        TransferRequest.alt_id == alt_id,
        or_(TransferRequest.status == TRANSFER_PENDING, _scheduled()),
    )
    return session.scalars(query).first()


def due_transfer_ids(session: Session, on: date) -> list[int]:
    """Approved requests whose effective date is `on` or earlier and whose moves have not been
    applied yet, oldest date first."""
    query = select(TransferRequest.id).where(_scheduled(), TransferRequest.effective_on <= on)
    return list(session.scalars(query.order_by(TransferRequest.effective_on, TransferRequest.id)))


def scheduled_transfers_of_company(session: Session, company_id: int) -> list[TransferRequest]:
    """The company's approved requests not yet in effect, earliest date first (a chain of
    moves concerns ALTs other than the one who asked)."""
    query = select(TransferRequest).where(_scheduled(), TransferRequest.company_id == company_id)
    return list(session.scalars(query.order_by(TransferRequest.effective_on, TransferRequest.id)))


def position_places(
    session: Session, position_ids: Collection[int]
) -> dict[int, tuple[ContractPosition, School, Organisation]]:
    """Position id -> (position, its school, the BoE of its contract)."""
    if not position_ids:
        return {}
    query = (
        select(ContractPosition, School, Organisation)
        .join(School, School.id == ContractPosition.school_id)
        .join(DispatchContract, DispatchContract.id == ContractPosition.contract_id)
        .join(Organisation, Organisation.id == DispatchContract.boe_id)
        .where(ContractPosition.id.in_(list(position_ids)))
    )
    return {p.id: (p, s, boe) for p, s, boe in session.execute(query)}


def staff_of_organisations(
    session: Session, organisation_ids: Collection[int], role: str
) -> list[tuple[int, str, int]]:
    """(user id, locale, organisation id) of the enabled users with `role` in the
    organisations, by id: whom a transfer or hire is told to."""
    if not organisation_ids:
        return []
    query = select(User.id, User.locale, User.organisation_id).where(
        User.organisation_id.in_(list(organisation_ids)),
        User.role == role,
        User.disabled.is_(False),
    )
    rows = session.execute(query.order_by(User.id))
    return [(uid, loc, org) for uid, loc, org in rows if org is not None]


# --- the roster a page at a time -------------------------------------------------------------

# Filters' allowed values are the services' (the vocabulary is theirs): None here.
ROSTER_LIST = ListSpec(
    sorts=("name", "alt", "contract_end", "renewal"),
    filters={"contract": None, "renewal_intention": None, "jlpt": None, "prefecture": None},
)
UNASSIGNED = "unassigned"  # the contract filter's value for ALTs with no current assignment


def roster_page(
    session: Session, company_id: int, lq: ListQuery, *, renewal_order: Sequence[str] = ()
) -> Page:
    """One page of the company's ALTs, searched by ALT id or name, filtered by the contract of
    their current assignment (a row id, or UNASSIGNED), renewal intention, JLPT and home
    prefecture; sorted by name, ALT id, contract end or renewal intention (in `renewal_order`).
    Rows: (RosterAlt,). A contract id that is not a number matches nothing."""
    a = RosterAlt
    query = select(a).where(a.company_id == company_id)
    if lq.q:
        query = query.where(search_clause(lq.q, [a.external_id, a.name]))
    contract = lq.get("contract")
    if contract:
        open_at = (
            select(RosterAssignment.alt_id)
            .join(ContractPosition, ContractPosition.id == RosterAssignment.position_id)
            .where(RosterAssignment.end.is_(None))
        )
        if contract == UNASSIGNED:
            query = query.where(a.id.not_in(open_at))
        elif contract.isascii() and contract.isdigit() and len(contract) < 10:
            query = query.where(
                a.id.in_(open_at.where(ContractPosition.contract_id == int(contract)))
            )
        else:
            query = query.where(false())
    for name, column in (
        ("renewal_intention", a.renewal_intention),
        ("jlpt", a.jlpt),
        ("prefecture", a.home_prefecture),
    ):
        if lq.get(name):
            query = query.where(column == lq.get(name))
    renewal: Column = a.renewal_intention
    if renewal_order:
        renewal = case({v: i for i, v in enumerate(renewal_order)}, value=a.renewal_intention)
    sorts: dict[str, Column] = {
        "name": a.name,
        "alt": a.external_id,
        "contract_end": a.contract_end,
        "renewal": renewal,
    }
    return paged(session, query, lq, sorts=sorts, spec=ROSTER_LIST, tiebreak=a.id)


def roster_prefectures(session: Session, company_id: int) -> list[str]:
    """The home prefectures on the company's roster, each once, sorted: a filter's choices."""
    query = select(RosterAlt.home_prefecture).where(
        RosterAlt.company_id == company_id, RosterAlt.home_prefecture != ""
    )
    return sorted(set(session.scalars(query.distinct())))


def roster_size(session: Session, company_id: int) -> int:
    """How many ALTs the company's roster holds."""
    query = select(func.count(RosterAlt.id)).where(RosterAlt.company_id == company_id)
    return int(session.scalar(query) or 0)


# --- the compliance watch --------------------------------------------------------------------


def assignments_with_clients(
    session: Session, alt_ids: Collection[int]
) -> list[tuple[RosterAssignment, DispatchContract, School, Organisation]]:
    """Every assignment of the ALTs with its contract, school and the contract's BoE (the
    client), oldest start first."""
    if not alt_ids:
        return []
    query = (
        select(RosterAssignment, DispatchContract, School, Organisation)
        .join(ContractPosition, ContractPosition.id == RosterAssignment.position_id)
        .join(DispatchContract, DispatchContract.id == ContractPosition.contract_id)
        .join(School, School.id == ContractPosition.school_id)
        .join(Organisation, Organisation.id == DispatchContract.boe_id)
        .where(RosterAssignment.alt_id.in_(list(alt_ids)))
        .order_by(RosterAssignment.start, RosterAssignment.id)
    )
    return [(a, c, s, boe) for a, c, s, boe in session.execute(query)]


def acknowledgements_of_company(
    session: Session, company_id: int
) -> list[ComplianceAcknowledgement]:
    """The company's acknowledgements, oldest first."""
    query = select(ComplianceAcknowledgement).where(
        ComplianceAcknowledgement.company_id == company_id
    )
    return list(session.scalars(query.order_by(ComplianceAcknowledgement.id)))


def acknowledgements_of_alt(session: Session, alt_id: int) -> list[ComplianceAcknowledgement]:
    """The acknowledgements of one ALT's alerts, oldest first."""
    query = select(ComplianceAcknowledgement).where(ComplianceAcknowledgement.alt_id == alt_id)
    return list(session.scalars(query.order_by(ComplianceAcknowledgement.id)))


def acknowledgement_of(
    session: Session, alt_id: int, rule: str, due_on: date
) -> ComplianceAcknowledgement | None:
    query = select(ComplianceAcknowledgement).where(
        ComplianceAcknowledgement.alt_id == alt_id,
        ComplianceAcknowledgement.rule == rule,
        ComplianceAcknowledgement.due_on == due_on,
    )
    return session.scalars(query).one_or_none()


def add_acknowledgement(
    session: Session,
    *,
    company_id: int,
    alt_id: int,
    rule: str,
    due_on: date,
    by_user_id: int | None,
    at: datetime,
    note: str,
) -> ComplianceAcknowledgement | None:
    """Record an acknowledgement; None when the alert has one already (from anyone, even at
    the same moment: the unique key refuses the second insert, inside a savepoint)."""
    row = ComplianceAcknowledgement(
        company_id=company_id,
        alt_id=alt_id,
        rule=rule,
        due_on=due_on,
        acknowledged_by=by_user_id,
        acknowledged_at=at,
        note=note,
    )
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        return None
    return row
