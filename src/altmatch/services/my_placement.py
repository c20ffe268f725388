"""An employed ALT's own placement: their contracts, employers and where they work.

Read by the "My placement" page and its JSON twin /api/v1/me/placement. Only the ALT's own
contracts (those linked to their user) are ever read; nobody else's can be asked for.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel
from sqlalchemy.orm import Session

from altmatch.db import Sessions
from altmatch.db import dispatch as dispatch_repo
from altmatch.db import season as repo
from altmatch.db.models import EmploymentContract, User
from altmatch.domain.access import Actor, Permission, Role, require, require_operator
from altmatch.rulebook import load_rulebook
from altmatch.rulebook.vocabulary import ContractType, HiringPath
from altmatch.services.kernel.audit import record_audit


class OrganisationNameOut(BaseModel):
    id: int
    name: str
    name_ja: str


class MyContractOut(BaseModel):
    id: int
    employer: OrganisationNameOut
    path: HiringPath
    start: date
    end: date
    recontract_year: int | None
    workplace_boe: OrganisationNameOut | None  # None: not recorded


class SchoolPostOut(BaseModel):
    """A dispatch ALT's current post: the school, days a week, and who may direct their work
    there under the company's contract with the BoE (from the rulebook's contract types)."""

    school: str
    school_ja: str
    municipality: str
    days_per_week: int
    since: date
    contract_type: ContractType
    who_directs: str
    who_directs_ja: str


class MyPlacementOut(BaseModel):
    contracts: list[MyContractOut]  # earliest start first
    posts: list[SchoolPostOut] = []  # a dispatch ALT's schools today (from the company roster)


def _posts(session: Session, user_id: int) -> list[SchoolPostOut]:
    types = load_rulebook().dispatch_operations.contract_types
    posts: list[SchoolPostOut] = []
    alt = dispatch_repo.roster_alt_of_user(session, user_id)
    if alt is None:
        return posts
    current = dispatch_repo.assignment_history(session, [alt.id], current_only=True)
    for assignment, position, contract, school in reversed(current):  # earliest start first
        kind = ContractType(contract.contract_type)
        posts.append(
            SchoolPostOut(
                school=school.name_en,
                school_ja=school.name_ja,
                municipality=school.municipality,
                days_per_week=position.days_per_week,
                since=assignment.start,
                contract_type=kind,
                who_directs=types[kind].who_directs.en,
                who_directs_ja=types[kind].who_directs.ja,
            )
        )
    return posts


def my_placement(sessions: Sessions, actor: Actor) -> MyPlacementOut:
    """The signed-in ALT's own employment contracts with their employer and workplace BoE, and
    (for a dispatch ALT on a company's roster) the schools they work at today."""
    require(actor, Permission.PLACEMENT_VIEW_OWN)
    with sessions() as session:
        rows = repo.contracts_of_user(session, actor.own_user_id())
        ids = {r.employer_id for r in rows} | {
            r.workplace_boe_id for r in rows if r.workplace_boe_id
        }
        orgs = {
            key: OrganisationNameOut(id=o.id, name=o.name_en, name_ja=o.name_ja)
            for key, o in repo.organisations(session, ids).items()
        }
        return MyPlacementOut(
            contracts=[
                MyContractOut(
                    id=r.id,
                    employer=orgs[r.employer_id],
                    path=HiringPath(r.path),
                    start=r.start,
                    end=r.end,
                    recontract_year=r.recontract_year,
                    workplace_boe=orgs.get(r.workplace_boe_id) if r.workplace_boe_id else None,
                )
                for r in rows
            ],
            posts=_posts(session, actor.own_user_id()),
        )


class AltContractIn(BaseModel):
    user_id: int
    employer_id: int
    path: HiringPath
    start: date
    end: date
    recontract_year: int | None = None
    workplace_boe_id: int | None = None


def record_alt_contract(sessions: Sessions, operator: Actor, fields: AltContractIn) -> int:
    """Record an employed ALT's contract unless the same one (user, employer, start) exists;
    the contract's id. Run from the command line (the demo), audited."""
    require_operator(operator)
    with sessions.begin() as session:
        user = session.get(User, fields.user_id)
        if user is None or user.role != Role.ALT.value:
            raise ValueError(f"user {fields.user_id} is not an employed ALT")
        for row in repo.contracts_of_user(session, fields.user_id):
            if row.employer_id == fields.employer_id and row.start == fields.start:
                return row.id
        row = EmploymentContract(
            user_id=fields.user_id,
            employer_id=fields.employer_id,
            path=fields.path.value,
            start=fields.start,
            end=fields.end,
            recontract_year=fields.recontract_year,
            workplace_boe_id=fields.workplace_boe_id,
        )
        session.add(row)
        session.flush()
        record_audit(
            session,
            None,
            "contract.record",
            "employment_contract",
            row.id,
            None,
            fields.model_dump(mode="json"),
            tenant_id=fields.employer_id,
        )
        return row.id
