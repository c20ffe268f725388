"""Support cases, one function per action: an ALT opens a case (routed by their current
employment contract, with deadlines on the business calendar), handlers reply, note, resolve
and record mediations, the ALT writes back or reopens. Each action is one transaction with its
CaseEvent, audit entry and notifications; the case's `version` guards against stale clients.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from altmatch.clock import JAPAN
from altmatch.db import Sessions
from altmatch.db import accounts as accounts_repo
from altmatch.db import support as repo
from altmatch.db.models import (
    CaseAttachment,
    CaseEvent,
    CaseMediation,
    CaseMessage,
    EmploymentContract,
    Organisation,
    School,
    SupportCase,
)
from altmatch.domain.access import Actor, Permission, require
from altmatch.domain.support import CaseStatus, deadlines
from altmatch.i18n import N_, Message
from altmatch.rulebook.vocabulary import CaseCategory, HiringPath, Urgency
from altmatch.services.kernel.audit import record_audit
from altmatch.services.kernel.bounds import RowId
from altmatch.services.kernel.errors import RuleError
from altmatch.services.kernel.locking import expect_version, stale_guard, touch
from altmatch.services.support.case_reads import (
    CaseOut,
    access_case,
    access_handled_case,
    case_out,
    is_alt_of,
)
from altmatch.services.support.escalation import (
    calendar,
    case_is_emergency,
    moment,
    support_rules,
)
from altmatch.services.support.notifications import notify
from altmatch.services.support.routing import reached_handlers, record_reached, route_length

# What a case's audit entries leave out: they say who did what to which case, not what it is
# about (the category and urgency would reveal a harassment or health case to the audit's
# readers).
NOT_AUDITED = frozenset({"category", "urgency"})


class CaseIn(BaseModel):
    category: CaseCategory
    urgency: Urgency = Urgency.NORMAL
    subject: str = Field(min_length=1, max_length=200)
    description: str = Field(min_length=1, max_length=20000)
    language: str = Field(default="en", pattern="^(en|ja)$")


class UploadIn(BaseModel):
    filename: str
    content_type: str
    data: bytes


class MessageIn(BaseModel):
    body: str = Field(min_length=1, max_length=20000)
    internal: bool = False
    version: int | None = None  # checked when given


class ResolveIn(BaseModel):
    version: int
    note: str = Field(default="", max_length=20000)  # sent to the ALT as a reply when given


class ReopenIn(BaseModel):
    version: int
    reason: str = Field(default="", max_length=20000)


class MediationIn(BaseModel):
    school_id: RowId | None = None
    contact_name: str = Field(min_length=1, max_length=200)
    contact_role: str = Field(default="", max_length=200)
    agreed: str = Field(min_length=1, max_length=20000)
    version: int | None = None


def _event(
    session: Session,
    actor: Actor,
    case: SupportCase,
    action: str,
    at: datetime,
    detail: dict[str, object] | None = None,
) -> None:
    """The case's own history entry and the audit entry for one change.

    The audit log is read by coordinators and administrators, who are not the case's handlers:
    its entries never hold a case's category or urgency (kept in the case's own history), for
    any case, so a missing category does not single out a harassment or health case either."""
    session.flush()  # the UPDATE moves the version on: audit the one it wrote
    session.add(
        CaseEvent(case_id=case.id, at=at, by_user_id=actor.user_id, action=action, detail=detail)
    )
    public = {k: v for k, v in (detail or {}).items() if k not in NOT_AUDITED}
    record_audit(
        session,
        actor,
        f"case.{action}",
        "support_case",
        case.id,
        None,
        {"status": case.status, "level": case.level, "version": case.version, **public},
        tenant_id=case.employer_id,
    )


def _check_files(files: list[UploadIn]) -> None:
    rules = support_rules().attachments
    if len(files) > rules.max_files:
        raise RuleError(
            Message(
                N_("Attach at most {limit} files; {file} is one too many."),
                {"limit": rules.max_files, "file": files[rules.max_files].filename},
            ),
            "attachments",
        )
    for f in files:
        if f.content_type not in rules.content_types:
            raise RuleError(
                Message(
                    N_("{file} is not a file type we accept ({types})."),
                    {"file": f.filename, "types": ", ".join(rules.content_types)},
                ),
                "attachments",
            )
        if len(f.data) > rules.max_bytes:
            raise RuleError(
                Message(
                    N_("{file} is larger than the limit of {limit} MB."),
                    {"file": f.filename, "limit": f"{rules.max_bytes / 1_000_000:g}"},
                ),
                "attachments",
            )


def _current_contract(session: Session, user_id: int, at: datetime) -> EmploymentContract:
    """The contract in force on the day (in Japan) the case is opened."""
    contract = repo.current_contract(session, user_id, at.astimezone(JAPAN).date())
    if contract is None:
        raise RuleError(
            Message(
                N_(
                    "altmatch has no current employment contract for you, so it cannot tell "
                    "who is responsible for supporting you. Contact your employer directly "
                    "(your Board of Education or dispatch company), or ask them to record "
                    "your contract."
                )
            ),
            "category",
        )
    return contract


def _adviser_org(session: Session, employer_id: int) -> int | None:
    """The prefecture's own BoE (same prefecture, no municipality) for a JET employer."""
    employer = session.get(Organisation, employer_id)
    if employer is None or employer.prefecture is None:
        return None
    if employer.kind == "boe" and employer.municipality is None:
        return employer.id
    return repo.prefecture_office_id(session, employer.prefecture)


def _store_files(
    session: Session, actor: Actor, case: SupportCase, files: list[UploadIn], at: datetime
) -> None:
    for f in files:
        row = CaseAttachment(
            case_id=case.id,
            filename=f.filename[:200],
            content_type=f.content_type,
            size=len(f.data),
            data=f.data,
            uploaded_by=actor.user_id,
            at=at,
        )
        session.add(row)
        session.flush()
        _event(session, actor, case, "attached", at, {"attachment_id": row.id, "size": row.size})


def open_case(
    sessions: Sessions,
    actor: Actor,
    body: CaseIn,
    files: list[UploadIn] | None = None,
    *,
    now: datetime | None = None,
    locale: str = "en",
) -> CaseOut:
    """Open a case for the signed-in ALT, routed by their current contract. An emergency
    reaches every level at once and the answer carries the emergency contacts."""
    require(actor, Permission.CASE_OPEN_OWN)
    files = files or []
    _check_files(files)
    at = moment(now)
    rules = support_rules()
    with sessions.begin() as session:
        contract = _current_contract(session, actor.own_user_id(), at)
        path = HiringPath(contract.path)
        due = deadlines(calendar(), rules.targets, body.category, body.urgency, at)
        case = SupportCase(
            alt_user_id=actor.user_id,
            contract_id=contract.id,
            path=path.value,
            employer_id=contract.employer_id,
            adviser_org_id=_adviser_org(session, contract.employer_id)
            if path is HiringPath.JET
            else None,
            category=body.category.value,
            urgency=body.urgency.value,
            language=body.language,
            subject=body.subject.strip(),
            description=body.description.strip(),
            status=CaseStatus.OPEN.value,
            level=1,
            opened_at=at,
            first_response_due=due.first_response_due,
            resolution_due=due.resolution_due,
            version=1,
        )
        session.add(case)
        session.flush()
        _event(
            session,
            actor,
            case,
            "opened",
            at,
            {"category": case.category, "urgency": case.urgency, "path": case.path},
        )
        _store_files(session, actor, case, files, at)
        msgid = N_("Support case #{case_id} was opened and routed to you.")
        if case_is_emergency(rules, case):
            case.level = route_length(case)
            _event(session, actor, case, "escalated", at, {"from": 1, "to": case.level})
            msgid = N_("EMERGENCY: support case #{case_id} needs you now.")
        handlers = record_reached(session, case, range(1, case.level + 1), at)
        notify(
            session,
            handlers,
            kind="case_opened",
            message=Message(msgid, {"case_id": case.id}),
            case_id=case.id,
        )
        if not handlers:
            _warn_unrouted(session, case)
        session.flush()
        return case_out(session, case, for_alt=True, now=at, locale=locale)


def _warn_unrouted(session: Session, case: SupportCase) -> None:
    """Nobody is on the route: tell the employer's staff to fill in their routing table. The
    notice names only the case number, so a confidential case stays hidden from them."""
    users = accounts_repo.list_users(session, organisation_id=case.employer_id)
    staff = [u.id for u in users if not u.disabled]
    notify(
        session,
        staff,
        kind="case_unrouted",
        message=Message(
            N_(
                "Support case #{case_id} has nobody on your support routing table to answer "
                "it. Name the handlers for each level under support routes."
            ),
            {"case_id": case.id},
        ),
        case_id=case.id,
    )


@stale_guard()
def post_message(
    sessions: Sessions,
    actor: Actor,
    case_id: int,
    body: MessageIn,
    *,
    now: datetime | None = None,
    locale: str = "en",
) -> CaseOut:
    """A message on the case. A handler's first public reply sets the first response and marks
    the case answered (the ALT is notified); an internal note is for handlers only. The ALT's
    own message sets an answered case back to open and notifies the handlers."""
    at = moment(now)
    with sessions.begin() as session:
        case = access_case(session, actor, case_id, lock=True, escalate_at=at)
        expect_version(case, body.version)
        from_alt = is_alt_of(actor, case)
        if from_alt:
            require(actor, Permission.CASE_OPEN_OWN)
            if body.internal:
                raise RuleError(Message(N_("Only handlers can write internal notes.")), "internal")
            if case.status == CaseStatus.RESOLVED:
                raise RuleError(
                    Message(N_("This case is resolved; reopen it to write again.")), "body"
                )
        else:
            require(actor, Permission.CASE_HANDLE)
        session.add(
            CaseMessage(
                case_id=case.id,
                author_user_id=actor.user_id,
                body=body.body.strip(),
                internal=body.internal,
                at=at,
            )
        )
        touch(case)  # a message changes the case even when none of its columns change
        if body.internal:
            _event(session, actor, case, "noted", at)
        elif from_alt:
            if case.status == CaseStatus.ANSWERED:
                case.status = CaseStatus.OPEN.value
            _event(session, actor, case, "alt_wrote", at)
            _notify_handlers(session, case, "case_message", N_("The ALT wrote on case #{case_id}."))
        else:
            if case.first_responded_at is None:
                case.first_responded_at = at
            if case.status == CaseStatus.OPEN:
                case.status = CaseStatus.ANSWERED.value
            _event(session, actor, case, "answered", at)
            _notify_alt(session, case, N_("Your support case #{case_id} has a reply."))
        session.flush()
        return case_out(session, case, for_alt=from_alt, now=at, locale=locale)


def _notify_alt(session: Session, case: SupportCase, msgid: str) -> None:
    """Tell the case's ALT (nobody, once they deleted their account)."""
    notify(
        session,
        [case.alt_user_id] if case.alt_user_id is not None else [],
        kind="case_update",
        message=Message(msgid, {"case_id": case.id}),
        case_id=case.id,
    )


def _notify_handlers(session: Session, case: SupportCase, kind: str, msgid: str) -> None:
    notify(
        session,
        reached_handlers(session, case),
        kind=kind,
        message=Message(msgid, {"case_id": case.id}),
        case_id=case.id,
    )


@stale_guard()
def resolve_case(
    sessions: Sessions,
    actor: Actor,
    case_id: int,
    body: ResolveIn,
    *,
    now: datetime | None = None,
    locale: str = "en",
) -> CaseOut:
    """A handler marks the case resolved (with an optional closing reply to the ALT)."""
    at = moment(now)
    with sessions.begin() as session:
        case = access_handled_case(session, actor, case_id, lock=True, escalate_at=at)
        expect_version(case, body.version)
        if case.status == CaseStatus.RESOLVED:
            raise RuleError(Message(N_("This case is already resolved.")), "version")
        if body.note.strip():
            session.add(
                CaseMessage(
                    case_id=case.id, author_user_id=actor.user_id, body=body.note.strip(), at=at
                )
            )
        if case.first_responded_at is None:
            case.first_responded_at = at
        case.status = CaseStatus.RESOLVED.value
        case.resolved_at = at
        _event(session, actor, case, "resolved", at)
        _notify_alt(session, case, N_("Your support case #{case_id} was marked resolved."))
        session.flush()
        return case_out(session, case, for_alt=False, now=at, locale=locale)


@stale_guard()
def reopen_case(
    sessions: Sessions,
    actor: Actor,
    case_id: int,
    body: ReopenIn,
    *,
    now: datetime | None = None,
    locale: str = "en",
) -> CaseOut:
    """The ALT reopens their resolved case: it counts as a reopening and gets a new resolution
    deadline from now."""
    require(actor, Permission.CASE_OPEN_OWN)
    at = moment(now)
    rules = support_rules()
    with sessions.begin() as session:
        case = access_case(session, actor, case_id, lock=True)
        if not is_alt_of(actor, case):
            raise RuleError(Message(N_("Only the ALT who opened a case can reopen it.")), "version")
        expect_version(case, body.version)
        if case.status != CaseStatus.RESOLVED:
            raise RuleError(Message(N_("Only a resolved case can be reopened.")), "version")
        if body.reason.strip():
            session.add(
                CaseMessage(
                    case_id=case.id, author_user_id=actor.user_id, body=body.reason.strip(), at=at
                )
            )
        due = deadlines(
            calendar(), rules.targets, CaseCategory(case.category), Urgency(case.urgency), at
        )
        case.status = CaseStatus.OPEN.value
        case.resolved_at = None
        case.resolution_due = due.resolution_due
        case.reopened_count += 1
        _event(session, actor, case, "reopened", at, {"reopened_count": case.reopened_count})
        # A case resolved before handlers were recorded (or with nobody routed) has none:
        # reopening routes it by today's table; recorded handlers are kept.
        record_reached(session, case, range(1, case.level + 1), at)
        _notify_handlers(
            session, case, "case_reopened", N_("Support case #{case_id} was reopened.")
        )
        session.flush()
        return case_out(session, case, for_alt=True, now=at, locale=locale)


def _workplace_boe(session: Session, case: SupportCase) -> int | None:
    """The BoE whose schools the ALT works at: the contract's workplace, else the employer when
    it is a BoE (JET and direct hire); None when unknown (a dispatch contract without one)."""
    contract = session.get(EmploymentContract, case.contract_id) if case.contract_id else None
    if contract is not None and contract.workplace_boe_id is not None:
        return contract.workplace_boe_id
    employer = session.get(Organisation, case.employer_id)
    return employer.id if employer is not None and employer.kind == "boe" else None


def _school_of_workplace(session: Session, case: SupportCase, school_id: int) -> bool:
    """Whether the school exists and belongs to the case's workplace BoE (one answer for both,
    so a refusal does not tell another BoE's schools apart from missing ones)."""
    school = session.get(School, school_id)
    return school is not None and school.boe_id == _workplace_boe(session, case)


@stale_guard()
def record_mediation(
    sessions: Sessions,
    actor: Actor,
    case_id: int,
    body: MediationIn,
    *,
    now: datetime | None = None,
    locale: str = "en",
) -> CaseOut:
    """A handler records a mediation with a school on a school-relations case: the school's
    contact and what was agreed (shown to the ALT too). A named school must be one of the
    case's workplace BoE."""
    at = moment(now)
    with sessions.begin() as session:
        case = access_handled_case(session, actor, case_id, lock=True, escalate_at=at)
        expect_version(case, body.version)
        if case.category != CaseCategory.SCHOOL_RELATIONS:
            raise RuleError(
                Message(N_("Mediation is recorded on school relations cases only.")), "category"
            )
        if body.school_id is not None and not _school_of_workplace(session, case, body.school_id):
            raise RuleError(
                Message(
                    N_("School {school_id} is not a school where this ALT works."),
                    {"school_id": body.school_id},
                ),
                "school_id",
            )
        row = CaseMediation(
            case_id=case.id,
            school_id=body.school_id,
            contact_name=body.contact_name.strip(),
            contact_role=body.contact_role.strip(),
            agreed=body.agreed.strip(),
            recorded_by=actor.user_id,
            at=at,
        )
        session.add(row)
        session.flush()
        touch(case)  # a mediation changes the case even when none of its columns change
        _event(session, actor, case, "mediation", at, {"mediation_id": row.id})
        _notify_alt(session, case, N_("A mediation was recorded on your support case #{case_id}."))
        session.flush()
        return case_out(session, case, for_alt=False, now=at, locale=locale)
