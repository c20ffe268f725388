"""Applications to direct-hire postings: check eligibility, apply, move through the stages,
withdraw, and hire, which becomes the ALT's employment contract with the BoE.

Applicants declare their facts; the posting's requirements are checked against them before an
application is accepted (every unmet requirement named). BoE staff see and move only the
applications to their own BoE's postings; applicants only their own. Every change is audited,
and every move carries the `version` it started from (a stale one is StaleError, 409).

Hiring is final: the page shows `preview_hire` (the applicant, the posting, the start date and
what happens to the others) and hires only once confirmed. The hired applicant is told; when the
hire fills the posting, the applications still open are closed as not chosen, and each of those
applicants is told.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field, ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from altmatch.clock import today_in_japan, utc_now
from altmatch.db import Sessions
from altmatch.db import direct_hire as repo
from altmatch.db.models import (
    EmploymentContract,
    Organisation,
    Posting,
    PostingApplication,
    PostingStageChange,
    User,
)
from altmatch.domain.access import Actor, NotFoundError, Permission, require
from altmatch.domain.direct_hire import (
    Declared,
    PostingStage,
    Unmet,
    allowed_moves,
    appointment_end,
    move_refusal,
    unmet_requirements,
    work_capable_statuses,
)
from altmatch.i18n import N_, Message, label, render
from altmatch.rulebook.vocabulary import HiringPath, Jlpt, Residence, StatusOfResidence
from altmatch.services.direct_hire.postings import (
    LabelledOut,
    PostingOut,
    access_open_posting,
    access_own_posting,
    direct_hire,
    mark_closed,
    posting_out,
    requirements_of,
)
from altmatch.services.kernel.audit import record_audit
from altmatch.services.kernel.errors import RuleError
from altmatch.services.kernel.locking import expect_version, stale_guard, touch
from altmatch.services.notifications import notify


class DeclaredIn(BaseModel):
    """The facts an applicant declares (the same words as the path advisor's profile)."""

    alt_years: int = Field(default=0, ge=0, le=60)
    jlpt: Jlpt = Jlpt.NONE
    residence: Residence = Residence.OVERSEAS
    status_of_residence: StatusOfResidence | None = None
    driving_licence: bool = False

    def to_domain(self) -> Declared:
        return Declared(
            alt_years=self.alt_years,
            jlpt=self.jlpt,
            residence=self.residence,
            status_of_residence=self.status_of_residence,
            driving_licence=self.driving_licence,
        )


class ApplyIn(DeclaredIn):
    cover_note: str = Field(default="", max_length=2000)


class MoveIn(BaseModel):
    stage: PostingStage
    version: int
    note: str = Field(default="", max_length=2000)


class VersionIn(BaseModel):
    version: int


class UnmetOut(BaseModel):
    requirement: str
    reason: str
    fix: str


class EligibilityOut(BaseModel):
    posting_id: int
    eligible: bool
    unmet: list[UnmetOut]


class PostingStageChangeOut(BaseModel):
    at: dt.datetime
    from_stage: PostingStage | None
    to_stage: PostingStage
    to_label: str
    by: str  # "applicant" or "boe"
    note: str


class PostingApplicationOut(BaseModel):
    """One application as the BoE sees it."""

    id: int
    user_id: int | None  # None: the applicant deleted their account (a hire's kept record)
    applicant: str
    declared: DeclaredIn
    cover_note: str
    eligible: bool
    unmet: list[UnmetOut]
    stage: PostingStage
    stage_label: str
    version: int
    contract_id: int | None
    created_at: dt.datetime
    history: list[PostingStageChangeOut]
    moves: list[LabelledOut]


class BoePostingOut(BaseModel):
    posting: PostingOut
    hired: int
    applications: list[PostingApplicationOut]


class HirePreviewOut(BaseModel):
    """What hiring one applicant would do, for the confirmation step."""

    application_id: int
    version: int
    applicant: str
    posting_id: int
    title: str
    boe: str
    start: dt.date
    end: dt.date  # the appointment's last day (the fiscal year's)
    fills_posting: bool  # this hire fills the last opening: the posting closes
    openings_left: int  # after this hire
    others: list[str]  # applicants still in the running, told "not chosen" if it fills


class MyApplicationOut(BaseModel):
    """One application as its applicant sees it."""

    id: int
    posting_id: int
    title: str
    boe: str
    prefecture: str | None
    start: dt.date
    stage: PostingStage
    stage_label: str
    version: int
    can_withdraw: bool
    contract_id: int | None
    created_at: dt.datetime
    history: list[PostingStageChangeOut]


class MyApplicationsOut(BaseModel):
    applications: list[MyApplicationOut]


class IneligibleError(RuleError):
    """The declared facts do not meet the posting's requirements; `unmet` names each one."""

    def __init__(self, unmet: list[Unmet]) -> None:
        reasons = tuple(u.reason for u in unmet)
        super().__init__(
            Message(
                N_("You do not meet this posting's requirements: {reasons}"),
                {"reasons": _Sentences(reasons)},
            ),
            unmet[0].requirement,
        )
        self.unmet = unmet


class _Sentences:
    """Messages rendered one after another (for the combined refusal)."""

    def __init__(self, items: tuple[Message, ...]) -> None:
        self.items = items

    def get(self, locale: str) -> str:
        return ("" if locale == "ja" else " ").join(render(m, locale) for m in self.items)

    @property
    def en(self) -> str:
        return self.get("en")

    @property
    def ja(self) -> str:
        return self.get("ja")


def unmet_out(unmet: list[Unmet], locale: str) -> list[UnmetOut]:
    return [
        UnmetOut(
            requirement=u.requirement, reason=render(u.reason, locale), fix=render(u.fix, locale)
        )
        for u in unmet
    ]


def declared_from_json(data: dict[str, Any]) -> DeclaredIn:
    """The stored declaration, tolerant of missing or unreadable keys (rows written by other
    tools): the default for such a key is the cautious answer."""
    known = {k: v for k, v in data.items() if k in DeclaredIn.model_fields}
    try:
        return DeclaredIn.model_validate(known)
    except ValidationError:
        readable: dict[str, Any] = {}
        for key, value in known.items():
            try:
                DeclaredIn.model_validate({key: value})
            except ValidationError:
                continue
            readable[key] = value
        return DeclaredIn.model_validate(readable)


def _unmet(row: Posting, declared: Declared) -> list[Unmet]:
    return unmet_requirements(requirements_of(row), declared, work_capable_statuses(direct_hire()))


def check_eligibility(
    sessions: Sessions,
    actor: Actor,
    posting_id: int,
    declared: DeclaredIn,
    *,
    locale: str = "en",
    today: dt.date | None = None,
) -> EligibilityOut:
    """Whether the declared facts meet an open posting's requirements, with each reason."""
    require(actor, Permission.POSTING_APPLY)
    with sessions() as session:
        row = access_open_posting(session, posting_id, today or today_in_japan())
        unmet = _unmet(row, declared.to_domain())
        return EligibilityOut(posting_id=row.id, eligible=not unmet, unmet=unmet_out(unmet, locale))


def _history(
    session: Session, application: PostingApplication, locale: str
) -> list[PostingStageChangeOut]:
    changes = repo.stage_changes(session, application.id)
    return [
        PostingStageChangeOut(
            at=c.at,
            from_stage=PostingStage(c.from_stage) if c.from_stage else None,
            to_stage=PostingStage(c.to_stage),
            to_label=render(label(PostingStage(c.to_stage)), locale),
            by="applicant" if c.by_user_id == application.user_id else "boe",
            note=c.note,
        )
        for c in changes
    ]


def _my_out(session: Session, app: PostingApplication, locale: str) -> MyApplicationOut:
    posting = session.get(Posting, app.posting_id)
    assert posting is not None
    out = posting_out(
        posting, _org(session, posting.boe_id), direct_hire(), locale, today_in_japan()
    )
    stage = PostingStage(app.stage)
    return MyApplicationOut(
        id=app.id,
        posting_id=posting.id,
        title=out.title,
        boe=out.boe,
        prefecture=out.prefecture,
        start=posting.start,
        stage=stage,
        stage_label=render(label(stage), locale),
        version=app.version,
        can_withdraw=stage.is_open,
        contract_id=app.contract_id,
        created_at=app.created_at,
        history=_history(session, app, locale),
    )


def _org(session: Session, org_id: int) -> Organisation:
    org = session.get(Organisation, org_id)
    assert org is not None
    return org


def _record_change(
    session: Session,
    actor: Actor,
    app: PostingApplication,
    before: PostingStage | None,
    after: PostingStage,
    note: str,
) -> None:
    session.add(
        PostingStageChange(
            application_id=app.id,
            by_user_id=actor.user_id,
            from_stage=before.value if before else None,
            to_stage=after.value,
            note=note,
        )
    )
    record_audit(
        session,
        actor,
        "posting_application.applied" if before is None else "posting_application.moved",
        "posting_application",
        app.id,
        None if before is None else {"stage": before.value},
        {"stage": after.value, "posting_id": app.posting_id},
    )


def apply_to_posting(
    sessions: Sessions,
    actor: Actor,
    posting_id: int,
    application: ApplyIn,
    *,
    locale: str = "en",
    today: dt.date | None = None,
) -> MyApplicationOut:
    """Apply to an open posting: refused (IneligibleError) unless every requirement is met,
    and refused a second time for the same posting."""
    require(actor, Permission.POSTING_APPLY)
    try:
        with sessions.begin() as session:
            _require_confirmed_address(session, actor)
            row = access_open_posting(session, posting_id, today or today_in_japan())
            unmet = _unmet(row, application.to_domain())
            if unmet:
                raise IneligibleError(unmet)
            if _existing(session, row.id, actor.own_user_id()):
                raise _duplicate()
            declared = application.model_dump(mode="json", exclude={"cover_note"})
            app = PostingApplication(
                posting_id=row.id,
                user_id=actor.user_id,
                declared=declared,
                cover_note=application.cover_note.strip(),
                stage=PostingStage.APPLIED.value,
            )
            session.add(app)
            session.flush()
            _record_change(session, actor, app, None, PostingStage.APPLIED, "")
            session.flush()
            return _my_out(session, app, locale)
    except IntegrityError as exc:  # the same applicant, applying twice at once
        raise _duplicate() from exc


def _require_confirmed_address(session: Session, actor: Actor) -> None:
    """A BoE writes to an applicant at the account's address and may hire them: that address
    must be proven first, or anyone could apply in someone else's name."""
    user = session.get(User, actor.own_user_id())
    if user is None or user.email_verified_at is None:
        raise RuleError(
            Message(
                N_(
                    "Confirm your e-mail address before you apply: follow the link we sent "
                    "you, or ask for a new one on your account page."
                )
            ),
            "form",
        )


def _existing(session: Session, posting_id: int, user_id: int) -> bool:
    return repo.count_applications(session, posting_id, user_id=user_id) > 0


def _duplicate() -> RuleError:
    return RuleError(Message(N_("You have already applied to this posting.")), "posting_id")


def _application_out(
    session: Session, app: PostingApplication, row: Posting, locale: str
) -> PostingApplicationOut:
    declared = declared_from_json(app.declared)
    unmet = _unmet(row, declared.to_domain())
    user = session.get(User, app.user_id) if app.user_id is not None else None
    stage = PostingStage(app.stage)
    return PostingApplicationOut(
        id=app.id,
        user_id=app.user_id,
        applicant=user.display_name
        if user
        else render(Message(N_("Deleted applicant #{id}"), {"id": app.id}), locale),
        declared=declared,
        cover_note=app.cover_note,
        eligible=not unmet,
        unmet=unmet_out(unmet, locale),
        stage=stage,
        stage_label=render(label(stage), locale),
        version=app.version,
        contract_id=app.contract_id,
        created_at=app.created_at,
        history=_history(session, app, locale),
        moves=[
            LabelledOut(value=s.value, label=render(label(s), locale)) for s in allowed_moves(stage)
        ],
    )


def _hired(session: Session, posting_id: int) -> int:
    return repo.count_applications(session, posting_id, stage=PostingStage.HIRED.value)


def boe_posting_detail(
    sessions: Sessions,
    actor: Actor,
    posting_id: int,
    *,
    locale: str = "en",
    today: dt.date | None = None,
) -> BoePostingOut:
    """One of the BoE's postings with every application, its declared facts, eligibility and
    stage history (the operator, at the command line, sees any posting)."""
    with sessions() as session:
        row = access_own_posting(session, actor, posting_id)
        apps = repo.applications_to_posting(session, row.id)
        return BoePostingOut(
            posting=posting_out(
                row, _org(session, row.boe_id), direct_hire(), locale, today or today_in_japan()
            ),
            hired=_hired(session, row.id),
            applications=[_application_out(session, a, row, locale) for a in apps],
        )


def _access_application(
    session: Session, posting: Posting, application_id: int
) -> PostingApplication:
    app = session.get(PostingApplication, application_id, with_for_update=True)
    if app is None or app.posting_id != posting.id:
        raise NotFoundError("application")
    return app


def _move(
    session: Session,
    actor: Actor,
    app: PostingApplication,
    target: PostingStage,
    note: str,
    *,
    version: int,
    by_applicant: bool,
) -> PostingStage:
    expect_version(app, version)
    current = PostingStage(app.stage)
    refusal = move_refusal(current, target, by_applicant=by_applicant)
    if refusal is not None:
        raise RuleError(refusal, "stage")
    app.stage = target.value
    app.updated_at = utc_now()
    session.flush()
    _record_change(session, actor, app, current, target, note.strip())
    return current


@stale_guard()
def move_application(
    sessions: Sessions,
    actor: Actor,
    posting_id: int,
    application_id: int,
    move: MoveIn,
    *,
    locale: str = "en",
) -> PostingApplicationOut:
    """Move an application of the BoE's own posting one stage on, or reject it. Hiring makes
    the ALT's employment contract with the BoE and closes the posting once every opening is
    filled."""
    require(actor, Permission.POSTING_MANAGE)
    with sessions.begin() as session:
        row = access_own_posting(session, actor, posting_id)
        # Two hires at once cannot overfill it: the posting is locked (FOR UPDATE on
        # PostgreSQL, the write lock of an IMMEDIATE transaction on SQLite), and every hire
        # moves its version on (see _hire), so a hire that counted before another committed
        # loses the compare-and-swap (409) instead of adding one too many.
        session.refresh(row, with_for_update=True)
        app = _access_application(session, row, application_id)
        if move.stage is PostingStage.HIRED and _hired(session, row.id) >= row.openings:
            raise RuleError(
                Message(N_("Every opening of this posting is already filled.")), "stage"
            )
        _move(session, actor, app, move.stage, move.note, version=move.version, by_applicant=False)
        if move.stage is PostingStage.HIRED:
            _hire(session, actor, row, app)
            _tell_hired(session, actor, row, app)
        return _application_out(session, app, row, locale)


def _still_open(session: Session, row: Posting, but: int) -> list[PostingApplication]:
    return [
        a
        for a in repo.applications_to_posting(session, row.id)
        if a.id != but and PostingStage(a.stage).is_open
    ]


def _title(row: Posting, locale: str) -> str:
    return row.title_ja if locale == "ja" and row.title_ja else row.title_en


def _boe_name(boe: Organisation, locale: str) -> str:
    return boe.name_ja if locale == "ja" and boe.name_ja else boe.name_en


def _tell_hired(session: Session, actor: Actor, row: Posting, app: PostingApplication) -> None:
    """Tell the hired applicant; once the posting is filled, close every application still
    open as not chosen and tell each of those applicants."""
    boe = _org(session, row.boe_id)
    link = "/my/applications"

    def tell(user_id: int | None, kind: str, msgid: str) -> None:
        user = session.get(User, user_id) if user_id is not None else None
        if user is None or user.disabled:
            return
        loc = user.locale if user.locale in ("en", "ja") else "en"
        params = {
            "title": _title(row, loc),
            "boe": _boe_name(boe, loc),
            "date": row.start,
        }
        notify(session, [user.id], kind=kind, message=Message(msgid, params), link=link)

    tell(
        app.user_id,
        "hired",
        N_(
            "You are hired: {title} at {boe}, starting on {date}. Your application shows the "
            "details."
        ),
    )
    if row.status == "open":
        return
    for other in _still_open(session, row, app.id):
        _move(
            session,
            actor,
            other,
            PostingStage.REJECTED,
            "",
            version=other.version,
            by_applicant=False,
        )
        tell(
            other.user_id,
            "not_hired",
            N_(
                "Thank you for applying to {title} at {boe}: every opening is now filled, and "
                "your application was not chosen."
            ),
        )


def preview_hire(
    sessions: Sessions,
    actor: Actor,
    posting_id: int,
    application_id: int,
    *,
    version: int,
    locale: str = "en",
) -> HirePreviewOut:
    """What hiring the applicant would do (changes nothing); refuses a hire that could not be
    made (stale version, not at the offered stage, posting already filled)."""
    require(actor, Permission.POSTING_MANAGE)
    with sessions() as session:
        row = access_own_posting(session, actor, posting_id)
        app = session.get(PostingApplication, application_id)
        if app is None or app.posting_id != row.id:
            raise NotFoundError("application")
        expect_version(app, version)
        refusal = move_refusal(PostingStage(app.stage), PostingStage.HIRED, by_applicant=False)
        if refusal is not None:
            raise RuleError(refusal, "stage")
        hired = _hired(session, row.id)
        if hired >= row.openings:
            raise RuleError(
                Message(N_("Every opening of this posting is already filled.")), "stage"
            )
        fills = hired + 1 >= row.openings
        others = _still_open(session, row, app.id) if fills else []
        return HirePreviewOut(
            application_id=app.id,
            version=app.version,
            applicant=_application_out(session, app, row, locale).applicant,
            posting_id=row.id,
            title=_title(row, locale),
            boe=_boe_name(_org(session, row.boe_id), locale),
            start=row.start,
            end=appointment_end(row.start, direct_hire().timeline.start_months[0]),
            fills_posting=fills,
            openings_left=row.openings - hired - 1,
            others=[_application_out(session, a, row, locale).applicant for a in others],
        )


def _hire(session: Session, actor: Actor, row: Posting, app: PostingApplication) -> None:
    # Fiscal-year appointments: the rulebook's direct-hire timeline starts them in its first
    # start month (April), so the contract ends the day before the next fiscal year.
    fiscal_start = direct_hire().timeline.start_months[0]
    end = appointment_end(row.start, fiscal_start)
    contract = EmploymentContract(
        user_id=app.user_id,
        employer_id=row.boe_id,
        workplace_boe_id=row.boe_id,
        path=HiringPath.DIRECT_HIRE.value,
        start=row.start,
        end=end,
        recontract_year=end.year,
    )
    session.add(contract)
    session.flush()
    app.contract_id = contract.id
    session.flush()
    record_audit(
        session,
        actor,
        "employment_contract.created",
        "employment_contract",
        contract.id,
        None,
        {
            "path": contract.path,
            "employer_id": row.boe_id,
            "user_id": app.user_id,
            "start": row.start.isoformat(),
            "end": end.isoformat(),
            "posting_application_id": app.id,
        },
    )
    if row.status == "open" and _hired(session, row.id) >= row.openings:
        mark_closed(session, actor, row, reason="filled")
    else:
        touch(row)  # the posting's version moves on with every hire, closing or not


def my_applications(sessions: Sessions, actor: Actor, *, locale: str = "en") -> MyApplicationsOut:
    """The signed-in applicant's own applications, newest first, with their history."""
    require(actor, Permission.POSTING_APPLY)
    with sessions() as session:
        apps = repo.applications_of_user(session, actor.own_user_id())
        return MyApplicationsOut(applications=[_my_out(session, a, locale) for a in apps])


@stale_guard()
def withdraw_application(
    sessions: Sessions, actor: Actor, application_id: int, *, version: int, locale: str = "en"
) -> MyApplicationOut:
    """The applicant withdraws their own open application (audited; 409 if stale)."""
    require(actor, Permission.POSTING_APPLY)
    with sessions.begin() as session:
        app = session.get(PostingApplication, application_id, with_for_update=True)
        if app is None or app.user_id != actor.own_user_id():
            raise NotFoundError("application")
        _move(session, actor, app, PostingStage.WITHDRAWN, "", version=version, by_applicant=True)
        return _my_out(session, app, locale)
