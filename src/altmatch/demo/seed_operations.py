"""Write the demo's dispatch operations and direct-hire postings into the database.

Run by the operator only (`altmatch demo --db`), after the organisations, schools and persona
accounts exist. Everything goes in one transaction. Each part is written once: the dispatch
part when none of the demo's companies has a contract yet, the direct-hire part when none of
the demo's posting BoEs has a posting, so running it again adds nothing.

The records come from `altmatch.demo.dispatch` and `altmatch.demo.direct_hire`. They name
organisations, schools and people by their demo ids ("boe-28-kobe", "boe-28-kobe-s01", persona
keys); `orgs` and `logins` translate them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from altmatch.db import Sessions
from altmatch.db.models import (
    ComplianceAcknowledgement,
    ContractPosition,
    DispatchContract,
    Posting,
    PostingApplication,
    PostingStageChange,
    RenewalAsk,
    RosterAlt,
    RosterAssignment,
    School,
    SurveyInvitation,
    SurveyRound,
    Tender,
    TransferEvent,
    TransferRequest,
    User,
)
from altmatch.demo.direct_hire import DemoDirectHire
from altmatch.demo.dispatch_records import DemoDispatch
from altmatch.domain.access import Actor, Role, require_operator
from altmatch.services.accounts.users import add_user_in
from altmatch.services.dispatch.surveys import expires_at as survey_expiry
from altmatch.services.kernel.audit import record_audit


@dataclass(frozen=True)
class OperationsSeeded:
    """How many records of each kind were added (all zero when everything existed)."""

    contracts: int = 0
    positions: int = 0
    tenders: int = 0
    roster_alts: int = 0
    assignments: int = 0
    transfers: int = 0
    acknowledgements: int = 0
    renewal_asks: int = 0
    survey_rounds: int = 0
    postings: int = 0
    applications: int = 0
    applicant_accounts: int = 0


def seed_demo_operations(
    sessions: Sessions,
    operator: Actor,
    *,
    dispatch: DemoDispatch,
    direct_hire: DemoDirectHire,
    orgs: Mapping[str, int],
    logins: Mapping[str, str],
    boe_staff: Mapping[str, str],
) -> OperationsSeeded:
    """Add the demo's dispatch and direct-hire records that are missing (see the module).

    `orgs`: demo organisation id → database id; `logins`: persona key → login email;
    `boe_staff`: demo BoE id → the persona key of its staff (who posted and moved things).
    """
    require_operator(operator)
    with sessions.begin() as session:
        companies = {orgs[c.company_id] for c in dispatch.contracts}
        posting_boes = {orgs[p.boe_id] for p in direct_hire.postings}
        write_dispatch = bool(companies) and not session.scalar(
            select(func.count())
            .select_from(DispatchContract)
            .where(DispatchContract.company_id.in_(companies))
        )
        write_direct = bool(posting_boes) and not session.scalar(
            select(func.count()).select_from(Posting).where(Posting.boe_id.in_(posting_boes))
        )
        if not write_dispatch and not write_direct:
            return OperationsSeeded()
        # Personas, and applicant accounts made by an earlier run.
        users = _users(session, {**logins, **{a.key: a.email for a in direct_hire.applicants}})
        counts: dict[str, int] = {}
        if write_dispatch:
            schools = _schools(session, set(orgs.values()))
            counts |= _write_dispatch(session, dispatch, orgs, schools, users)
        if write_direct:
            staff = {orgs[boe]: users[key] for boe, key in boe_staff.items() if key in users}
            counts |= _write_direct_hire(session, direct_hire, orgs, users, staff)
        record_audit(session, None, "demo.operations_seeded", "demo", None, None, counts)
        return OperationsSeeded(**counts)


def _users(session: Session, logins: Mapping[str, str]) -> dict[str, int]:
    """Persona key → user id, for the personas that have an account."""
    wanted = sorted(set(logins.values()))
    rows = session.execute(select(User.email, User.id).where(User.email.in_(wanted)))
    by_email = {email: uid for email, uid in rows}
    return {key: by_email[email] for key, email in logins.items() if email in by_email}


def _schools(session: Session, boe_ids: set[int]) -> dict[str, int]:
    """Demo school id (e.g. 'boe-28-kobe-s01') → database id."""
    return {
        external_id: sid
        for sid, external_id in session.execute(
            select(School.id, School.external_id).where(School.boe_id.in_(boe_ids))
        )
    }


def _write_dispatch(
    session: Session,
    data: DemoDispatch,
    orgs: Mapping[str, int],
    schools: Mapping[str, int],
    users: Mapping[str, int],
) -> dict[str, int]:
    contract_ids: dict[tuple[str, str], int] = {}
    position_rows: dict[tuple[str, str], ContractPosition] = {}
    for c in data.contracts:
        row = DispatchContract(
            company_id=orgs[c.company_id],
            boe_id=orgs[c.boe_id],
            reference=c.reference,
            contract_type=c.contract_type.value,
            start=c.start,
            end=c.end,
            renewal_date=c.renewal_date,
            price_per_alt_month=c.price_per_alt_month,
        )
        session.add(row)
        session.flush()
        contract_ids[c.company_id, c.reference] = row.id
        for p in c.positions:
            position = ContractPosition(
                contract_id=row.id,
                external_id=p.external_id,
                school_id=schools[p.school_external_id],
                days_per_week=p.days_per_week,
                requires_driving_licence=p.requires_driving_licence,
                min_jlpt=p.min_jlpt.value,
            )
            session.add(position)
            position_rows[c.company_id, p.external_id] = position
    for t in data.tenders:
        session.add(
            Tender(
                company_id=orgs[t.company_id],
                boe_id=orgs[t.boe_id],
                title=t.title,
                requested_alts=t.requested_alts,
                requested_start=t.requested_start,
                bid_price_per_alt_month=t.bid_price_per_alt_month,
                submitted_on=t.submitted_on,
                outcome=t.outcome,
                contract_id=contract_ids[t.company_id, t.contract_reference]
                if t.contract_reference
                else None,
                note=t.note,
            )
        )
    alt_rows: dict[tuple[str, str], RosterAlt] = {}
    for a in data.roster:
        alt = RosterAlt(
            company_id=orgs[a.company_id],
            user_id=users.get(a.persona_key) if a.persona_key else None,
            external_id=a.external_id,
            name=a.name,
            home_prefecture=a.home_prefecture,
            home_municipality=a.home_municipality,
            home_latitude=a.home_latitude,
            home_longitude=a.home_longitude,
            school_experience=list(a.school_experience),
            driving_licence=a.driving_licence,
            jlpt=a.jlpt.value,
            contract_end=a.contract_end,
            renewal_intention=a.renewal_intention.value,
            preferred_prefectures=list(a.preferred_prefectures),
            checklist=dict(a.checklist),
            employed_since=a.employed_since,
            residence_card_expires_on=a.residence_card_expires_on,
        )
        session.add(alt)
        alt_rows[a.company_id, a.external_id] = alt
    session.flush()
    for s in data.assignments:
        session.add(
            RosterAssignment(
                alt_id=alt_rows[s.company_id, s.alt_external_id].id,
                position_id=position_rows[s.company_id, s.position_external_id].id,
                start=s.start,
                end=s.end,
            )
        )
    for tr in data.transfers:
        request = TransferRequest(
            company_id=orgs[tr.company_id],
            alt_id=alt_rows[tr.company_id, tr.alt_external_id].id,
            to_prefecture=tr.to_prefecture,
            to_municipality=tr.to_municipality,
            reasons=tr.reasons,
            status=tr.status,
            requested_by=_user(users, tr.requested_by_persona),
            created_at=tr.created_at,
            decided_by=_user(users, tr.decided_by_persona),
            decided_at=tr.decided_at,
            decision_note=tr.decision_note,
        )
        session.add(request)
        session.flush()
        for e in tr.events:
            session.add(
                TransferEvent(
                    transfer_id=request.id,
                    at=e.at,
                    by_user_id=_user(users, e.by_persona),
                    action=e.action,
                    note=e.note,
                )
            )
    for ack in data.acknowledgements:
        session.add(
            ComplianceAcknowledgement(
                company_id=orgs[ack.company_id],
                alt_id=alt_rows[ack.company_id, ack.alt_external_id].id,
                rule=ack.rule,
                due_on=ack.due_on,
                acknowledged_by=_user(users, ack.by_persona),
                acknowledged_at=ack.at,
                note=ack.note,
            )
        )
    for ask in data.renewal_asks:
        session.add(
            RenewalAsk(
                company_id=orgs[ask.company_id],
                alt_id=alt_rows[ask.company_id, ask.alt_external_id].id,
                contract_end=ask.contract_end,
                deadline=ask.deadline,
                asked_at=ask.asked_at,
                reminded_at=ask.reminded_at,
                answered_at=ask.answered_at,
                answer=ask.answer.value if ask.answer else None,
                reason=ask.reason,
                answered_by=_user(users, ask.answered_by_persona),
            )
        )
    session.flush()
    _write_surveys(session, data, orgs, position_rows, alt_rows, users)
    return {
        "survey_rounds": len(data.surveys.rounds),
        "contracts": len(data.contracts),
        "positions": data.positions,
        "tenders": len(data.tenders),
        "roster_alts": len(data.roster),
        "assignments": len(data.assignments),
        "transfers": len(data.transfers),
        "acknowledgements": len(data.acknowledgements),
        "renewal_asks": len(data.renewal_asks),
    }


def _write_surveys(
    session: Session,
    data: DemoDispatch,
    orgs: Mapping[str, int],
    positions: Mapping[tuple[str, str], ContractPosition],
    alts: Mapping[tuple[str, str], RosterAlt],
    users: Mapping[str, int],
) -> None:
    """The contacts at the schools, and the survey rounds with their invitations and answers."""
    for contact in data.surveys.contacts:
        position = positions[contact.company_id, contact.position_external_id]
        position.contact_name = contact.name
        position.contact_email = contact.email
    for r in data.surveys.rounds:
        round_ = SurveyRound(
            company_id=orgs[r.company_id],
            academic_year=r.academic_year,
            term=r.term,
            opens_on=r.opens_on,
            closes_on=r.closes_on,
            remind_on=r.remind_on,
            opened_by=_user(users, r.opened_by_persona),
            opened_at=r.opened_at,
        )
        session.add(round_)
        session.flush()
        for i in r.invitations:
            position = positions[r.company_id, i.position_external_id]
            session.add(
                SurveyInvitation(
                    round_id=round_.id,
                    company_id=orgs[r.company_id],
                    kind=i.kind,
                    alt_id=alts[r.company_id, i.alt_external_id].id,
                    school_id=position.school_id,
                    position_id=position.id,
                    email=i.email,
                    recipient_name=i.recipient_name,
                    locale=i.locale,
                    expires_at=survey_expiry(r.closes_on),
                    created_at=r.opened_at,
                    # A pending invitation is left unsent: the sweep sends it (with its link)
                    # once the round opens.
                    sent_at=i.sent_at if i.answered_at is not None else None,
                    answered_at=i.answered_at,
                    answers=dict(i.answers) if i.answers is not None else None,
                    comment=i.comment,
                )
            )
    session.flush()


def _write_direct_hire(
    session: Session,
    data: DemoDirectHire,
    orgs: Mapping[str, int],
    users: dict[str, int],
    staff: Mapping[int, int],
) -> dict[str, int]:
    made = 0
    for a in data.applicants:
        if a.key in users:
            continue
        if a.persona:
            raise LookupError(f"the demo persona {a.key!r} has no account yet")
        # An applicant account that cannot sign in (no password): a name on the BoE's list.
        account = add_user_in(
            session,
            actor=None,
            email=a.email,
            display_name=a.name,
            role=Role.ALT,
            password=None,
            email_verified=True,  # the demo's people are who they say they are
        )
        users[a.key] = account.id
        made += 1
    applicants = {a.key: a for a in data.applicants}
    posting_ids: dict[str, int] = {}
    for p in data.postings:
        boe = orgs[p.boe_id]
        row = Posting(
            boe_id=boe,
            title_en=p.title_en,
            title_ja=p.title_ja,
            description=p.description,
            school_levels=[lvl.value for lvl in p.school_levels],
            openings=p.openings,
            min_alt_years=p.requirements.min_alt_years,
            min_jlpt=p.requirements.min_jlpt.value,
            requires_residence_in_japan=p.requirements.requires_residence_in_japan,
            allowed_statuses=sorted(s.value for s in p.requirements.allowed_statuses),
            requires_driving_licence=p.requirements.requires_driving_licence,
            monthly_pay=p.monthly_pay,
            benefits=list(p.benefits),
            start=p.start,
            closes_on=p.closes_on,
            status=p.status,
            created_by=staff.get(boe),
            created_at=p.created_at,
        )
        session.add(row)
        session.flush()
        posting_ids[p.key] = row.id
    boe_of = {p.key: orgs[p.boe_id] for p in data.postings}
    for app in data.applications:
        applicant = applicants[app.applicant_key]
        user_id = users[app.applicant_key]
        application = PostingApplication(
            posting_id=posting_ids[app.posting_key],
            user_id=user_id,
            declared=applicant.declared(),
            cover_note=app.cover_note,
            stage=app.stage.value,
            created_at=app.created_at,
            updated_at=app.history[-1].at,
        )
        session.add(application)
        session.flush()
        for change in app.history:
            session.add(
                PostingStageChange(
                    application_id=application.id,
                    at=change.at,
                    by_user_id=user_id
                    if change.by_applicant
                    else staff.get(boe_of[app.posting_key]),
                    from_stage=change.from_stage.value if change.from_stage else None,
                    to_stage=change.to_stage.value,
                    note=change.note,
                )
            )
    session.flush()
    return {
        "postings": len(data.postings),
        "applications": len(data.applications),
        "applicant_accounts": made,
    }


def _user(users: Mapping[str, int], key: str | None) -> int | None:
    return users.get(key) if key else None
