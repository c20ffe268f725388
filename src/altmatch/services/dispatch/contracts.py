"""Dispatch contracts between a company and a BoE: listing, one contract with its positions and
who works them, creating a contract, and adding positions from a CSV/XLSX file (all or nothing).

Company staff see and change their own company's contracts; a BoE's staff see (read only) the
contracts their BoE signed, and nothing of the company's other clients. The command line acts as
the operator for a named company. Every change is audited in its own transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from altmatch.db import Sessions
from altmatch.db.dispatch import (
    all_boes,
    contract_id_with_reference,
    contracts_of_boe,
    contracts_of_company,
    open_assignments_at_positions,
    position_external_ids,
    positions_of_contracts,
)
from altmatch.db.models import ContractPosition, DispatchContract, Organisation, School
from altmatch.db.schools import schools_of
from altmatch.domain.access import (
    Actor,
    NotFoundError,
    OrgKind,
    Permission,
    Role,
    require,
)
from altmatch.domain.dispatch import (
    Problem,
    days_problem,
    monthly_value,
    price_problems,
    schools_covered,
    term_problems,
)
from altmatch.i18n import N_, Message, render
from altmatch.io.errors import file_error
from altmatch.io.limits import DEFAULT_LIMITS, ImportLimits
from altmatch.io.positions_file import PositionRecord, read_positions_upload
from altmatch.io.tabular import RowError
from altmatch.rulebook import load_rulebook
from altmatch.rulebook.vocabulary import ContractType, Jlpt
from altmatch.services.dispatch.access import access_contract, company_of
from altmatch.services.kernel.audit import record_audit
from altmatch.services.kernel.bounds import MAX_DB_INT, RowId
from altmatch.services.kernel.errors import RuleError
from altmatch.services.kernel.imports import ImportOut, import_result
from altmatch.services.kernel.locking import stale_guard, touch

# --- shared by the dispatch services -------------------------------------------------------


def company_for(session: Session, actor: Actor, company_id: int | None) -> Organisation:
    """The company whose records the request is about: the staff member's own (naming another
    is NotFoundError), or for the operator the company named."""
    if actor.is_operator:
        if company_id is None:
            raise RuleError(Message(N_("Name the company.")), "company_id")
        wanted = company_id
    else:
        wanted = company_of(actor)
        if company_id is not None and company_id != wanted:
            raise NotFoundError("company")
    company = session.get(Organisation, wanted)
    if company is None or company.kind != OrgKind.COMPANY:
        raise NotFoundError("company")
    return company


def named(org_or_school: Organisation | School, locale: str) -> str:
    return org_or_school.name_ja if locale == "ja" else org_or_school.name_en


def raise_first(problems: Sequence[Problem]) -> None:
    if problems:
        raise RuleError(problems[0].message, problems[0].field)


# --- read models ---------------------------------------------------------------------------


class PositionFields(BaseModel):
    """One position as given when creating a contract."""

    position_id: str = Field(min_length=1, max_length=64)
    school_id: str = Field(min_length=1, max_length=64, description="The BoE's id for the school")
    days_per_week: int = Field(ge=1, le=5)
    requires_driving_licence: bool = False
    min_jlpt: Jlpt = Jlpt.NONE


class ContractFields(BaseModel):
    boe_id: RowId
    reference: str = Field(min_length=1, max_length=64)
    contract_type: ContractType
    start: date
    end: date
    renewal_date: date | None = None
    price_per_alt_month: int = Field(
        le=MAX_DB_INT, description="Yen per ALT per month, before consumption tax"
    )
    positions: list[PositionFields] = Field(default_factory=list)


class AssignedAltOut(BaseModel):
    alt_id: int
    external_id: str
    name: str
    since: date


class PositionOut(BaseModel):
    id: int
    position_id: str
    school_id: int
    school_external_id: str
    school: str
    school_level: str
    municipality: str
    days_per_week: int
    requires_driving_licence: bool
    min_jlpt: Jlpt
    alt: AssignedAltOut | None


class SchoolCoverOut(BaseModel):
    school_id: int
    school: str
    positions: int
    days_per_week: int


class ContractTypeOut(BaseModel):
    code: ContractType
    name: str
    who_directs: str
    obligations: list[str]


class ContractSummaryOut(BaseModel):
    id: int
    reference: str
    company_id: int
    company: str
    boe_id: int
    boe: str
    contract_type: ContractType
    contract_type_name: str
    start: date
    end: date
    renewal_date: date | None
    price_per_alt_month: int
    alts: int
    filled: int
    monthly_value: int


class DispatchContractOut(ContractSummaryOut):
    type: ContractTypeOut
    version: int
    positions: list[PositionOut]
    schools: list[SchoolCoverOut]
    total_days_per_week: int
    can_manage: bool


class BoeOption(BaseModel):
    id: int
    name: str


class ContractsOut(BaseModel):
    can_manage: bool
    contracts: list[ContractSummaryOut]
    boes: list[BoeOption]  # whom a new contract may be signed with (company staff only)
    contract_types: list[ContractTypeOut]


def contract_type_out(code: ContractType, locale: str) -> ContractTypeOut:
    info = load_rulebook().dispatch_operations.contract_types[code]
    return ContractTypeOut(
        code=code,
        name=info.name.get(locale),
        who_directs=info.who_directs.get(locale),
        obligations=[o.get(locale) for o in info.obligations],
    )


def _current(session: Session, position_ids: Sequence[int]) -> dict[int, AssignedAltOut]:
    return {
        a.position_id: AssignedAltOut(
            alt_id=alt.id, external_id=alt.external_id, name=alt.name, since=a.start
        )
        for a, alt in open_assignments_at_positions(session, position_ids)
    }


def _summary(
    contract: DispatchContract,
    company: Organisation,
    boe: Organisation,
    alts: int,
    filled: int,
    locale: str,
) -> ContractSummaryOut:
    code = ContractType(contract.contract_type)
    return ContractSummaryOut(
        id=contract.id,
        reference=contract.reference,
        company_id=company.id,
        company=named(company, locale),
        boe_id=boe.id,
        boe=named(boe, locale),
        contract_type=code,
        contract_type_name=contract_type_out(code, locale).name,
        start=contract.start,
        end=contract.end,
        renewal_date=contract.renewal_date,
        price_per_alt_month=contract.price_per_alt_month,
        alts=alts,
        filled=filled,
        monthly_value=monthly_value(contract.price_per_alt_month, alts),
    )


def _org(session: Session, org_id: int) -> Organisation:
    org = session.get(Organisation, org_id)
    assert org is not None
    return org


def _contract_out(
    session: Session,
    contract: DispatchContract,
    locale: str,
    can_manage: bool,
    *,
    boe_viewer: int | None = None,
) -> DispatchContractOut:
    """`boe_viewer`: a BoE's staff read it, who see only the ALTs at their own schools."""
    pairs = positions_of_contracts(session, [contract.id])
    current = _current(session, [p.id for p, _ in pairs])
    if boe_viewer is not None:
        mine = {p.id for p, s in pairs if s.boe_id == boe_viewer}
        current = {k: v for k, v in current.items() if k in mine}
    positions = [
        PositionOut(
            id=p.id,
            position_id=p.external_id,
            school_id=s.id,
            school_external_id=s.external_id,
            school=named(s, locale),
            school_level=s.level,
            municipality=s.municipality,
            days_per_week=p.days_per_week,
            requires_driving_licence=p.requires_driving_licence,
            min_jlpt=Jlpt(p.min_jlpt),
            alt=current.get(p.id),
        )
        for p, s in pairs
    ]
    schools = {s.id: s for _, s in pairs}
    covers = schools_covered((p.school_id, p.days_per_week) for p, _ in pairs)
    summary = _summary(
        contract,
        _org(session, contract.company_id),
        _org(session, contract.boe_id),
        len(positions),
        len(current),
        locale,
    )
    return DispatchContractOut(
        **summary.model_dump(),
        type=contract_type_out(ContractType(contract.contract_type), locale),
        version=contract.version,
        positions=positions,
        schools=[
            SchoolCoverOut(
                school_id=c.school_id,
                school=named(schools[c.school_id], locale),
                positions=c.positions,
                days_per_week=c.days_per_week,
            )
            for c in covers
        ],
        total_days_per_week=sum(c.days_per_week for c in covers),
        can_manage=can_manage,
    )


def _access(session: Session, actor: Actor, contract_id: int) -> DispatchContract:
    if actor.is_operator:
        contract = session.get(DispatchContract, contract_id)
        if contract is None:
            raise NotFoundError("contract")
        return contract
    return access_contract(session, actor, contract_id)


def list_contracts(
    sessions: Sessions,
    actor: Actor,
    *,
    locale: str = "en",
    company_id: int | None = None,
) -> ContractsOut:
    """The company's contracts (BoE staff: the ones their BoE signed), newest start first."""
    with sessions() as session:
        if not actor.is_operator and actor.role is Role.BOE_STAFF:
            require(actor, Permission.CONTRACT_VIEW)
            if actor.organisation_id is None:
                raise NotFoundError("boe")
            contracts = contracts_of_boe(session, actor.organisation_id)
        else:
            company = company_for(session, actor, company_id)
            contracts = contracts_of_company(session, company.id)
        pairs = positions_of_contracts(session, [c.id for c in contracts])
        current = _current(session, [p.id for p, _ in pairs])
        counts: dict[int, int] = {}
        filled: dict[int, int] = {}
        for p, _ in pairs:
            counts[p.contract_id] = counts.get(p.contract_id, 0) + 1
            filled[p.contract_id] = filled.get(p.contract_id, 0) + (p.id in current)
        manage = actor.can(Permission.DISPATCH_MANAGE)
        boes = all_boes(session) if manage else []
        return ContractsOut(
            can_manage=manage,
            contracts=[
                _summary(
                    c,
                    _org(session, c.company_id),
                    _org(session, c.boe_id),
                    counts.get(c.id, 0),
                    filled.get(c.id, 0),
                    locale,
                )
                for c in contracts
            ],
            boes=[BoeOption(id=b.id, name=named(b, locale)) for b in boes],
            contract_types=[contract_type_out(code, locale) for code in ContractType],
        )


def get_contract(
    sessions: Sessions, actor: Actor, contract_id: int, *, locale: str = "en"
) -> DispatchContractOut:
    """One contract with its type's duties, positions, who works each and the schools covered."""
    with sessions() as session:
        contract = _access(session, actor, contract_id)
        boe_viewer = (
            actor.organisation_id
            if not actor.is_operator and actor.role is Role.BOE_STAFF
            else None
        )
        return _contract_out(
            session, contract, locale, actor.can(Permission.DISPATCH_MANAGE), boe_viewer=boe_viewer
        )


# --- writes --------------------------------------------------------------------------------


def _boe_schools(session: Session, boe_id: int) -> dict[str, School]:
    return {s.external_id: s for s in schools_of(session, boe_id)}


def _position_row(
    contract: DispatchContract, record: PositionRecord, school: School
) -> ContractPosition:
    return ContractPosition(
        contract_id=contract.id,
        external_id=record.position_id,
        school_id=school.id,
        days_per_week=record.days_per_week,
        requires_driving_licence=record.requires_driving_licence,
        min_jlpt=record.min_jlpt.value,
    )


def _record(fields: PositionFields) -> PositionRecord:
    return PositionRecord(
        position_id=fields.position_id.strip(),
        school_id=fields.school_id.strip(),
        days_per_week=fields.days_per_week,
        requires_driving_licence=fields.requires_driving_licence,
        min_jlpt=fields.min_jlpt,
    )


def _position_audit(row: ContractPosition) -> dict[str, object]:
    return {
        "contract_id": row.contract_id,
        "position_id": row.external_id,
        "school_id": row.school_id,
        "days_per_week": row.days_per_week,
        "requires_driving_licence": row.requires_driving_licence,
        "min_jlpt": row.min_jlpt,
    }


def create_contract(
    sessions: Sessions,
    actor: Actor,
    fields: ContractFields,
    *,
    company_id: int | None = None,
    locale: str = "en",
) -> DispatchContractOut:
    """Sign a contract with a BoE, with any positions given (each at a school of that BoE)."""
    require(actor, Permission.DISPATCH_MANAGE)
    raise_first(term_problems(fields.start, fields.end, fields.renewal_date))
    raise_first(price_problems(fields.price_per_alt_month))
    with sessions.begin() as session:
        company = company_for(session, actor, company_id)
        boe = session.get(Organisation, fields.boe_id)
        if boe is None or boe.kind != OrgKind.BOE:
            raise RuleError(Message(N_("Choose a Board of Education.")), "boe_id")
        reference = fields.reference.strip()
        if contract_id_with_reference(session, company.id, reference) is not None:
            raise RuleError(
                Message(N_("Your company already has a contract with this reference.")),
                "reference",
            )
        schools = _boe_schools(session, boe.id)
        seen: set[str] = set()
        records = [_record(p) for p in fields.positions]
        for i, record in enumerate(records):
            if record.position_id in seen:
                raise RuleError(
                    Message(N_("Position {id} appears twice."), {"id": record.position_id}),
                    f"positions.{i}.position_id",
                )
            seen.add(record.position_id)
            if record.school_id not in schools:
                raise RuleError(
                    Message(
                        N_("{school} is not a school of this Board of Education."),
                        {"school": record.school_id},
                    ),
                    f"positions.{i}.school_id",
                )
        contract = DispatchContract(
            company_id=company.id,
            boe_id=boe.id,
            reference=reference,
            contract_type=fields.contract_type.value,
            start=fields.start,
            end=fields.end,
            renewal_date=fields.renewal_date,
            price_per_alt_month=fields.price_per_alt_month,
        )
        session.add(contract)
        session.flush()
        rows = [_position_row(contract, r, schools[r.school_id]) for r in records]
        session.add_all(rows)
        session.flush()
        after = fields.model_dump(mode="json", exclude={"positions"}) | {"positions": len(rows)}
        record_audit(
            session,
            actor,
            "contract.created",
            "dispatch_contract",
            contract.id,
            None,
            after,
            tenant_id=company.id,
        )
        for row in rows:
            record_audit(
                session,
                actor,
                "position.added",
                "contract_position",
                row.id,
                None,
                _position_audit(row),
                tenant_id=company.id,
            )
        return _contract_out(session, contract, locale, True)


def managed_contract(session: Session, actor: Actor, contract_id: int) -> DispatchContract:
    """A contract the actor's company holds (the operator: any), to change; else not found."""
    if actor.is_operator:
        return _access(session, actor, contract_id)
    require(actor, Permission.DISPATCH_MANAGE)
    contract = access_contract(session, actor, contract_id)
    if contract.company_id != actor.organisation_id:
        raise NotFoundError("contract")
    return contract


def import_out(
    rows: int, errors: Sequence[RowError], sha256: str, committed: bool, locale: str = "en"
) -> ImportOut:
    return import_result(rows, errors, sha256, committed, locale)


@stale_guard()
def import_positions(
    sessions: Sessions,
    actor: Actor,
    contract_id: int,
    *,
    content: bytes,
    filename: str,
    commit: bool = True,
    limits: ImportLimits = DEFAULT_LIMITS,
    locale: str = "en",
) -> ImportOut:
    """Check (and with `commit`, add) a contract's positions from a file: every row or none.

    Each school_id must be a school of the contract's BoE; a position id may not repeat one
    already in the contract.
    """
    upload = read_positions_upload(content, filename, limits)
    # The file is parsed above, outside any transaction; only a commit takes the write lock.
    with sessions.begin() if commit else sessions() as session:
        contract = managed_contract(session, actor, contract_id)
        schools = _boe_schools(session, contract.boe_id)
        existing = position_external_ids(session, contract.id)
        errors = list(upload.errors)
        for record, row in zip(upload.records, upload.rows, strict=True):
            if record.position_id in existing:
                already = N_("already in this contract")
                errors.append(file_error(filename, row, "position_id", already))
            if record.school_id and record.school_id not in schools:
                unknown = N_("unknown school {value}: not a school of this BoE")
                value = repr(record.school_id)
                errors.append(file_error(filename, row, "school_id", unknown, value=value))
            problem = days_problem(record.days_per_week)
            if problem is not None:
                errors.append(
                    RowError(
                        filename,
                        row,
                        "days_per_week",
                        render(problem, "en"),
                        problem.template,
                        tuple(problem.params.items()),
                    )
                )
        if errors or not commit:
            return import_out(len(upload.records), errors, upload.sha256, False, locale)
        rows = [_position_row(contract, r, schools[r.school_id]) for r in upload.records]
        session.add_all(rows)
        session.flush()
        for position in rows:
            record_audit(
                session,
                actor,
                "position.added",
                "contract_position",
                position.id,
                None,
                _position_audit(position),
                tenant_id=contract.company_id,
            )
        after = {"rows": len(rows), "sha256": upload.sha256}
        record_audit(
            session,
            actor,
            "contract.positions_imported",
            "dispatch_contract",
            contract.id,
            None,
            after,
            tenant_id=contract.company_id,
        )
        touch(contract)  # new positions change the contract: its version moves on
        return import_out(len(rows), [], upload.sha256, committed=True)
