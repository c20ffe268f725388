"""An employed ALT's own placement: their contracts, employers and where they work.

Read by the "My placement" page and its JSON twin /api/v1/me/placement. Only the ALT's own
contracts (those linked to their user) are ever read; nobody else's can be asked for.

For a dispatch ALT the roster is the truth about where they work: each school today comes with
the BoE whose contract it is under, the BoE they work for is that one (after a transfer, the new
school's BoE, not the one recorded when they were hired), and an approved transfer not yet in
effect shows as a move to come ("moving to X on {date}"). A survey of their school that their
company e-mailed them and they have not answered is listed too (where the link went, by when).
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel
from sqlalchemy.orm import Session

from altmatch.clock import today_in_japan, utc_now
from altmatch.db import Sessions
from altmatch.db import dispatch as dispatch_repo
from altmatch.db import season as repo
from altmatch.db import surveys as surveys_repo
from altmatch.db.models import EmploymentContract, Organisation, RosterAlt, School, User
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
    boe: OrganisationNameOut  # whose contract the post is under
    municipality: str
    days_per_week: int
    since: date
    contract_type: ContractType
    who_directs: str
    who_directs_ja: str


class UpcomingMoveOut(BaseModel):
    """An approved transfer not yet in effect: the school the ALT moves to, and when."""

    transfer_id: int
    on: date
    school: str
    school_ja: str
    boe: OrganisationNameOut
    leaves_school: bool  # False: the move takes them off their post without a new one


class MySurveyOut(BaseModel):
    """A survey of their school that the ALT's company e-mailed them and they have not
    answered: where the link went, and by when (the link itself is only in the e-mail)."""

    school: str
    school_ja: str
    sent_to: str
    closes_on: date


class MyPlacementOut(BaseModel):
    contracts: list[MyContractOut]  # earliest start first
    posts: list[SchoolPostOut] = []  # a dispatch ALT's schools today (from the company roster)
    upcoming: list[UpcomingMoveOut] = []  # approved moves to come, earliest first
    surveys: list[MySurveyOut] = []  # the company's surveys waiting for the ALT's answers


def _surveys(session: Session, alt: RosterAlt) -> list[MySurveyOut]:
    out = []
    for invitation, round_ in surveys_repo.waiting_for_alt(session, alt.id, utc_now()):
        school = session.get(School, invitation.school_id)
        if school is not None:
            out.append(
                MySurveyOut(
                    school=school.name_en,
                    school_ja=school.name_ja,
                    sent_to=invitation.email,
                    closes_on=round_.closes_on,
                )
            )
    return out


def _org(o: Organisation) -> OrganisationNameOut:
    return OrganisationNameOut(id=o.id, name=o.name_en, name_ja=o.name_ja)


def _upcoming(session: Session, alt: RosterAlt) -> list[UpcomingMoveOut]:
    """The approved transfers of the ALT's company that move this ALT and are not in effect."""
    out: list[UpcomingMoveOut] = []
    for row in dispatch_repo.scheduled_transfers_of_company(session, alt.company_id):
        for move in (row.proposal or {}).get("moves", []):
            if move["alt_id"] != alt.id or row.effective_on is None:
                continue
            target = move["to_position_id"]
            places = dispatch_repo.position_places(session, [target] if target else [])
            if target not in places:
                continue
            _position, school, boe = places[target]
            out.append(
                UpcomingMoveOut(
                    transfer_id=row.id,
                    on=row.effective_on,
                    school=school.name_en,
                    school_ja=school.name_ja,
                    boe=_org(boe),
                    leaves_school=move["from_position_id"] is not None,
                )
            )
    return out


def _posts(session: Session, alt: RosterAlt | None) -> list[SchoolPostOut]:
    types = load_rulebook().dispatch_operations.contract_types
    posts: list[SchoolPostOut] = []
    if alt is None:
        return posts
    current = dispatch_repo.assignment_history(session, [alt.id], current_only=True)
    boes = repo.organisations(session, {contract.boe_id for _a, _p, contract, _s in current})
    for assignment, position, contract, school in reversed(current):  # earliest start first
        kind = ContractType(contract.contract_type)
        posts.append(
            SchoolPostOut(
                school=school.name_en,
                school_ja=school.name_ja,
                boe=_org(boes[contract.boe_id]),
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
        orgs = {key: _org(o) for key, o in repo.organisations(session, ids).items()}
        alt = dispatch_repo.roster_alt_of_user(session, actor.own_user_id())
        posts = _posts(session, alt)
        today = today_in_japan()

        def workplace(r: EmploymentContract) -> OrganisationNameOut | None:
            # The roster says where a dispatch ALT works today: their company's contract in
            # force names the BoE of their school, whatever was recorded at hiring.
            mine = alt is not None and r.employer_id == alt.company_id
            if posts and mine and r.start <= today <= r.end:
                return posts[-1].boe
            return orgs.get(r.workplace_boe_id) if r.workplace_boe_id else None

        return MyPlacementOut(
            contracts=[
                MyContractOut(
                    id=r.id,
                    employer=orgs[r.employer_id],
                    path=HiringPath(r.path),
                    start=r.start,
                    end=r.end,
                    recontract_year=r.recontract_year,
                    workplace_boe=workplace(r),
                )
                for r in rows
            ],
            posts=posts,
            upcoming=_upcoming(session, alt) if alt is not None else [],
            surveys=_surveys(session, alt) if alt is not None else [],
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
