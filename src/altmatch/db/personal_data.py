"""Repository for one person's records across the contexts: what their export reads, what
deleting their account erases or keeps, and the kept records whose retention has run out.
Callers own the transaction and commit.

The contexts' own repositories (accounts, season, dispatch, direct_hire, support, audit) serve
the reads they already have; this module holds the queries only the APPI export and erasure
need, so that each of them is written once.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, false, or_, select, update
from sqlalchemy.orm import Session, undefer

from altmatch.db.models import (
    AuditEntry,
    CaseAttachment,
    CaseMessage,
    ComplianceAcknowledgement,
    EmailToken,
    EmploymentContract,
    MatchRun,
    Notification,
    Organisation,
    Posting,
    PostingApplication,
    PostingStageChange,
    RenewalAsk,
    RetainedRecord,
    RosterAlt,
    RosterAssignment,
    RunPlacement,
    SeasonCandidate,
    SeasonRequest,
    SeasonRow,
    SupportCase,
    SurveyInvitation,
    TransferRequest,
    User,
)

# --- reads for the export ---------------------------------------------------------------------


def season_applications(session: Session, user_id: int) -> list[tuple[SeasonCandidate, SeasonRow]]:
    """The person's applications in every season, with the season, oldest season first."""
    query = (
        select(SeasonCandidate, SeasonRow)
        .join(SeasonRow, SeasonRow.id == SeasonCandidate.season_id)
        .where(SeasonCandidate.user_id == user_id)
        .order_by(SeasonRow.id, SeasonCandidate.id)
    )
    return [(candidate, season) for candidate, season in session.execute(query)]


PublishedPlacement = tuple[RunPlacement, MatchRun, SeasonRequest | None, Organisation | None]


def published_placements(
    session: Session, candidate_ids: Collection[int]
) -> list[PublishedPlacement]:
    """The applications' outcomes in published runs (reasons loaded), with the request they
    were placed at and its BoE (None when unplaced), by run."""
    if not candidate_ids:
        return []
    query = (
        select(RunPlacement, MatchRun, SeasonRequest, Organisation)
        .join(MatchRun, MatchRun.id == RunPlacement.run_id)
        .outerjoin(SeasonRequest, SeasonRequest.id == RunPlacement.request_id)
        .outerjoin(Organisation, Organisation.id == SeasonRequest.boe_id)
        .where(RunPlacement.candidate_id.in_(list(candidate_ids)), MatchRun.status == "published")
        .options(undefer(RunPlacement.reasons))
        .order_by(MatchRun.id, RunPlacement.id)
    )
    return [(p, run, request, boe) for p, run, request, boe in session.execute(query)]


def requests_by_id(session: Session, ids: Collection[int]) -> dict[int, SeasonRequest]:
    if not ids:
        return {}
    query = select(SeasonRequest).where(SeasonRequest.id.in_(list(ids)))
    return {r.id: r for r in session.scalars(query)}


def contracts_of(
    session: Session, user_id: int, candidate_ids: Collection[int]
) -> list[EmploymentContract]:
    """The contracts linked to the person's account or to one of their applications."""
    linked: ColumnElement[bool] = EmploymentContract.user_id == user_id
    if candidate_ids:
        linked = or_(linked, EmploymentContract.candidate_id.in_(list(candidate_ids)))
    query = select(EmploymentContract).where(linked)
    return list(session.scalars(query.order_by(EmploymentContract.start, EmploymentContract.id)))


def postings_by_id(session: Session, ids: Collection[int]) -> dict[int, Posting]:
    if not ids:
        return {}
    return {p.id: p for p in session.scalars(select(Posting).where(Posting.id.in_(list(ids))))}


def notifications_of(session: Session, user_id: int) -> list[Notification]:
    """Every notice to the person, oldest first."""
    query = select(Notification).where(Notification.user_id == user_id)
    return list(session.scalars(query.order_by(Notification.at, Notification.id)))


def email_tokens_of(session: Session, user_id: int, proven_email: str | None) -> list[EmailToken]:
    """The account e-mails for the person's account, and, once the address is proven theirs,
    every one to the address (invitations included), oldest first."""
    mine: ColumnElement[bool] = EmailToken.user_id == user_id
    if proven_email is not None:
        mine = or_(mine, EmailToken.email == proven_email)
    query = select(EmailToken).where(mine).order_by(EmailToken.created_at, EmailToken.id)
    return list(session.scalars(query))


def attachment_data(session: Session, attachment_id: int) -> bytes:
    """One attachment's bytes (read one at a time: an export never holds them all)."""
    query = select(CaseAttachment.data).where(CaseAttachment.id == attachment_id)
    return bytes(session.scalar(query) or b"")


def attachment_rows(session: Session, case_ids: Collection[int]) -> list[CaseAttachment]:
    """The cases' attachments without their bytes, by case, then id."""
    if not case_ids:
        return []
    query = select(CaseAttachment).where(CaseAttachment.case_id.in_(list(case_ids)))
    return list(session.scalars(query.order_by(CaseAttachment.case_id, CaseAttachment.id)))


def audit_entries_about(
    session: Session, user_id: int, records: Mapping[str, Collection[int]]
) -> list[AuditEntry]:
    """Entries the person caused, about their account, or about one of their records
    (`records`: entity name -> ids), oldest first."""
    about: list[ColumnElement[bool]] = [
        AuditEntry.actor_user_id == user_id,
        and_(AuditEntry.entity == "user", AuditEntry.entity_id == str(user_id)),
    ]
    about += [
        and_(AuditEntry.entity == entity, AuditEntry.entity_id.in_([str(i) for i in ids]))
        for entity, ids in records.items()
        if ids
    ]
    query = select(AuditEntry).where(or_(false(), *about)).order_by(AuditEntry.id)
    return list(session.scalars(query))


# --- erasure ---------------------------------------------------------------------------------


def candidates_in_runs(session: Session, candidate_ids: Collection[int]) -> set[int]:
    """Which of the applications a match run (draft or published) was computed with."""
    if not candidate_ids:
        return set()
    query = select(RunPlacement.candidate_id).where(
        RunPlacement.candidate_id.in_(list(candidate_ids))
    )
    return set(session.scalars(query.distinct()))


def delete_candidates(session: Session, candidate_ids: Collection[int]) -> None:
    """Delete applications no run used; their stage history and couple go with them (the
    database cascades), and a contract made from one keeps its row (candidate_id SET NULL)."""
    if candidate_ids:
        ids = list(candidate_ids)
        session.execute(delete(SeasonCandidate).where(SeasonCandidate.id.in_(ids)))


def delete_email_tokens(
    session: Session, user_id: int, candidate_ids: Collection[int], proven_email: str | None
) -> int:
    """Delete the account e-mails (sent or waiting) of the person: those for their account and
    their applications, and, when the address is proven theirs, every one to the address.
    An unconfirmed account's address is left alone: the invitations to it may be for the
    address's real holder, whose applications are not this account's to erase."""
    mine: list[ColumnElement[bool]] = [EmailToken.user_id == user_id]
    if candidate_ids:
        mine.append(EmailToken.season_candidate_id.in_(list(candidate_ids)))
    if proven_email is not None:
        mine.append(EmailToken.email == proven_email)
    gone = session.scalars(delete(EmailToken).where(or_(*mine)).returning(EmailToken.id))
    return len(gone.all())


def delete_transfers_of_alt(session: Session, alt_id: int) -> None:
    """Delete a roster ALT's transfer requests (their steps cascade)."""
    session.execute(delete(TransferRequest).where(TransferRequest.alt_id == alt_id))


def delete_acknowledgements_of_alt(session: Session, alt_id: int) -> int:
    """Delete the company's acknowledgements of a roster ALT's compliance alerts; how many."""
    gone = session.scalars(
        delete(ComplianceAcknowledgement)
        .where(ComplianceAcknowledgement.alt_id == alt_id)
        .returning(ComplianceAcknowledgement.id)
    )
    return len(gone.all())


def delete_renewal_asks_of_alt(session: Session, alt_id: int) -> int:
    """Delete the renewal questions asked of a roster ALT with their answers; how many."""
    gone = session.scalars(
        delete(RenewalAsk).where(RenewalAsk.alt_id == alt_id).returning(RenewalAsk.id)
    )
    return len(gone.all())


def delete_surveys_of_alt(session: Session, alt_id: int) -> int:
    """Delete every survey about a roster ALT (the ALT's own answers about their schools and
    the schools' answers about them, whose comments may say anything about the person); how
    many."""
    gone = session.scalars(
        delete(SurveyInvitation)
        .where(SurveyInvitation.alt_id == alt_id)
        .returning(SurveyInvitation.id)
    )
    return len(gone.all())


def own_survey_answers(session: Session, alt_id: int) -> list[SurveyInvitation]:
    """The roster ALT's own surveys of their schools (answered or not), oldest first."""
    query = select(SurveyInvitation).where(
        SurveyInvitation.alt_id == alt_id, SurveyInvitation.kind == "alt"
    )
    return list(session.scalars(query.order_by(SurveyInvitation.id)))


def end_open_assignments(session: Session, alt_id: int, on: date) -> None:
    """End the roster ALT's current assignments on `on` (no later than each one's start)."""
    rows = session.scalars(
        select(RosterAssignment).where(
            RosterAssignment.alt_id == alt_id, RosterAssignment.end.is_(None)
        )
    )
    for row in rows:
        row.end = max(on, row.start)


def delete_messages_by(session: Session, case_ids: Collection[int], user_id: int) -> None:
    """Delete the messages `user_id` wrote on these cases."""
    if case_ids:
        session.execute(
            delete(CaseMessage).where(
                CaseMessage.case_id.in_(list(case_ids)), CaseMessage.author_user_id == user_id
            )
        )


def delete_attachments_by(session: Session, case_ids: Collection[int], user_id: int) -> None:
    """Delete the files `user_id` attached to these cases."""
    if case_ids:
        session.execute(
            delete(CaseAttachment).where(
                CaseAttachment.case_id.in_(list(case_ids)), CaseAttachment.uploaded_by == user_id
            )
        )


def kept_messages(session: Session, case_ids: Collection[int]) -> list[CaseMessage]:
    """Every message left on these cases (internal notes included)."""
    if not case_ids:
        return []
    query = select(CaseMessage).where(CaseMessage.case_id.in_(list(case_ids)))
    return list(session.scalars(query.order_by(CaseMessage.id)))


def posting_stage_changes(
    session: Session, application_ids: Collection[int]
) -> list[PostingStageChange]:
    if not application_ids:
        return []
    query = select(PostingStageChange).where(
        PostingStageChange.application_id.in_(list(application_ids))
    )
    return list(session.scalars(query.order_by(PostingStageChange.id)))


def redact_audit_entries(
    session: Session,
    entry_ids: Collection[int],
    keep: Callable[[dict[str, Any] | None], dict[str, Any] | None],
) -> None:
    """The one change the append-only audit log allows: when a person deletes their account,
    the entries about them keep their ids and actions, but `keep` decides which values of
    `before` and `after` stay (no personal details)."""
    for entry in session.scalars(select(AuditEntry).where(AuditEntry.id.in_(list(entry_ids)))):
        entry.before = keep(entry.before)
        entry.after = keep(entry.after)


def staff_of(session: Session, organisation_ids: Collection[int]) -> list[User]:
    """The active staff accounts of these organisations."""
    if not organisation_ids:
        return []
    query = select(User).where(
        User.organisation_id.in_(list(organisation_ids)), User.disabled.is_(False)
    )
    return list(session.scalars(query.order_by(User.id)))


# --- kept records and their retention ---------------------------------------------------------


def add_retained(
    session: Session, *, entity: str, entity_id: int, kind: str, keep_until: date
) -> None:
    """Record a kept row until `keep_until` (a row already listed keeps the later day)."""
    found = session.scalars(
        select(RetainedRecord).where(
            RetainedRecord.entity == entity, RetainedRecord.entity_id == entity_id
        )
    ).one_or_none()
    if found is None:
        session.add(
            RetainedRecord(entity=entity, entity_id=entity_id, kind=kind, keep_until=keep_until)
        )
    elif found.keep_until < keep_until:
        found.keep_until = keep_until
    session.flush()


def retained_ids(session: Session, entity: str, ids: Collection[int]) -> set[int]:
    """Which of these rows of `entity` are kept records of a deleted account."""
    if not ids:
        return set()
    query = select(RetainedRecord.entity_id).where(
        RetainedRecord.entity == entity, RetainedRecord.entity_id.in_(list(ids))
    )
    return set(session.scalars(query))


def retained_of_company(session: Session, company_id: int) -> set[int]:
    """The company's roster entries kept after their ALTs deleted their accounts."""
    query = (
        select(RosterAlt.id)
        .join(
            RetainedRecord,
            and_(RetainedRecord.entity == "roster_alt", RetainedRecord.entity_id == RosterAlt.id),
        )
        .where(RosterAlt.company_id == company_id)
    )
    return set(session.scalars(query))


def due_records(session: Session, today: date) -> list[RetainedRecord]:
    """The kept records whose last day has passed, oldest first (locked on PostgreSQL)."""
    query = select(RetainedRecord).where(RetainedRecord.keep_until < today)
    return list(session.scalars(query.order_by(RetainedRecord.id).with_for_update()))


_ENTITIES: dict[str, Any] = {
    "employment_contract": EmploymentContract,
    "roster_alt": RosterAlt,
    "posting_application": PostingApplication,
    "support_case": SupportCase,
}


def erase_kept(session: Session, record: RetainedRecord) -> bool:
    """Delete the kept row (what belongs to it cascades) and its retention entry; whether the
    row was still there."""
    model = _ENTITIES[record.entity]
    result = session.execute(delete(model).where(model.id == record.entity_id))
    session.execute(delete(RetainedRecord).where(RetainedRecord.id == record.id))
    return bool(getattr(result, "rowcount", 0))


def unlink_contracts(session: Session, contract_ids: Collection[int]) -> None:
    """Unlink contracts from the account (the row stays, as a kept employment record)."""
    if contract_ids:
        session.execute(
            update(EmploymentContract)
            .where(EmploymentContract.id.in_(list(contract_ids)))
            .values(user_id=None)
        )


def delete_contracts(session: Session, contract_ids: Collection[int]) -> None:
    if contract_ids:
        session.execute(
            delete(EmploymentContract).where(EmploymentContract.id.in_(list(contract_ids)))
        )
