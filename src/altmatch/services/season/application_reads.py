"""The online application's read side (issue 19): its request and read models, which seasons
take applications, an applicant's own application, and eligibility as they type.

Writes live in services.season.online_application; screeners read an application through
services.season.screening, which renders the same `application_out`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from altmatch.clock import utc_now
from altmatch.db import Sessions
from altmatch.db import recruitment as repo
from altmatch.db.models import (
    ApplicationDocument,
    ApplicationReference,
    OnlineApplication,
    RecruitingOffice,
    ScreeningDecision,
    SeasonCandidate,
    SeasonRow,
)
from altmatch.domain.access import Actor, NotFoundError, Permission, require
from altmatch.domain.application import ApplicationStage
from altmatch.domain.eligibility import assess
from altmatch.domain.recruitment import (
    Answers,
    DocumentKind,
    Missing,
    ReferenceStatus,
    missing_items,
    office_for,
    profile_of,
    statement_length,
)
from altmatch.rulebook import load_rulebook
from altmatch.rulebook.recruitment import Recruitment
from altmatch.rulebook.vocabulary import Degree, English, HiringPath, Jlpt
from altmatch.services.season.recruiting_offices import office_domain, programme_offices
from altmatch.services.season.time_zones import TimeZoneChoicesOut, time_zone_choices

JAPAN = ZoneInfo("Asia/Tokyo")
MAX_TOKEN_LENGTH = 128


def recruitment_rules() -> Recruitment:
    return load_rulebook().recruitment


class ApplicationIn(BaseModel):
    """The form's answers; a draft may leave any empty."""

    name: str = Field(default="", max_length=200)
    citizenship: str = Field(default="", max_length=2, pattern=r"^[A-Za-z]{0,2}$")
    degree: Degree = Degree.BACHELOR
    english: English = English.NATIVE
    jlpt: Jlpt = Jlpt.NONE
    teaching_years: int = Field(default=0, ge=0, le=60)
    driving_licence: bool = False
    prior_jet_years: int = Field(default=0, ge=0, le=10)
    years_in_japan_recent: int = Field(default=0, ge=0, le=10)
    preferred_prefectures: list[str] = Field(default=[], max_length=47)
    statement: str = Field(default="", max_length=20000)
    time_zone: str = Field(
        default="",
        max_length=64,
        description="Where you will be for the interview, an IANA zone (Europe/London); "
        "blank: the recruiting office's.",
    )

    def answers(self) -> Answers:
        return Answers(
            name=self.name.strip(),
            citizenship=self.citizenship.strip().upper(),
            degree=self.degree,
            english=self.english,
            jlpt=self.jlpt,
            teaching_years=self.teaching_years,
            driving_licence=self.driving_licence,
            prior_jet_years=self.prior_jet_years,
            years_in_japan_recent=self.years_in_japan_recent,
            preferred_prefectures=tuple(p.strip() for p in self.preferred_prefectures if p.strip()),
            statement=self.statement,
            time_zone=self.time_zone.strip(),
        )


class RuleOut(BaseModel):
    rule: str
    description: dict[str, str]  # en, ja
    fix: dict[str, str]


class ApplicationEligibilityOut(BaseModel):
    """The JET path's eligibility rules against the answers: failed ones close it."""

    eligible: bool
    failed: list[RuleOut]
    caveats: list[RuleOut]
    statement_length: int
    statement_max: int


class OfficeBriefOut(BaseModel):
    id: int
    code: str
    name_en: str
    name_ja: str
    time_zone: str
    email: str


class DocumentOut(BaseModel):
    id: int
    kind: DocumentKind
    filename: str
    content_type: str
    size: int
    uploaded_at: datetime


class ReferenceOut(BaseModel):
    slot: int
    referee_name: str
    referee_email: str
    status: ReferenceStatus
    requested_at: datetime
    requests_sent: int
    expires_at: datetime | None
    received_at: datetime | None
    filename: str | None


class ReceiptItemOut(BaseModel):
    """One thing submitted: a document (its kind and file) or a reference (slot, referee)."""

    kind: str  # degree, transcript or reference
    slot: int | None = None
    referee: str | None = None
    filename: str | None = None


class ReceiptOut(BaseModel):
    reference_number: str
    submitted_at: datetime
    office_time: (
        str  # the moment in the office's time zone, e.g. "2026-12-06 10:15 (Europe/London)"
    )
    japan_time: str  # in Japan: "2026-12-06 19:15" (the label says which zone)
    time_zone: str  # where the applicant will be for the interview: times are shown on it
    items: list[ReceiptItemOut]


class DecisionOut(BaseModel):
    decision: str
    reason_code: str
    reason: dict[str, str]  # en, ja
    note: str
    at: datetime


class OnlineApplicationOut(BaseModel):
    id: int
    season_id: int
    season_name: str
    status: str  # draft or submitted
    answers: ApplicationIn
    office: OfficeBriefOut | None
    documents: list[DocumentOut]
    references: list[ReferenceOut]
    missing: list[Missing]
    eligibility: ApplicationEligibilityOut
    receipt: ReceiptOut | None
    stage: ApplicationStage | None  # once submitted
    decision: DecisionOut | None  # once screened
    version: int


class ApplicationPageOut(BaseModel):
    """An open season's form: the candidate's application, or None before their first save."""

    season_id: int
    season_name: str
    application: OnlineApplicationOut | None
    # the form's choices for "where you will be for your interview" (its office's zones first)
    time_zones: TimeZoneChoicesOut | None = None


@dataclass(frozen=True)
class RefereeLetter:
    """The e-mail a referee gets: sent by the adapter after the commit (the link is live)."""

    to: str
    subject: str
    body: str
    label: str  # names the message (its file in the mail folder): reference-<id>-<n>


class UploadFileIn(BaseModel):
    filename: str = Field(max_length=500)
    data: bytes


# -- reading ------------------------------------------------------------------------------------


def _season(session: Session, actor: Actor, season_id: int) -> SeasonRow:
    """A season a candidate may apply to: open, and its programme has recruiting offices."""
    require(actor, Permission.APPLICATION_EDIT_OWN)
    season = session.get(SeasonRow, season_id)
    if season is None or season.status != "open":
        raise NotFoundError("season")
    if not programme_offices(session, season.programme_id):
        raise NotFoundError("season")
    return season


def _own(session: Session, actor: Actor, season: SeasonRow) -> OnlineApplication | None:
    return repo.own_application(session, season.id, actor.own_user_id())


def _own_required(session: Session, actor: Actor, season: SeasonRow) -> OnlineApplication:
    row = _own(session, actor, season)
    if row is None:
        raise NotFoundError("application")
    return row


def application_page(sessions: Sessions, actor: Actor, season_id: int) -> ApplicationPageOut:
    with sessions() as session:
        season = _season(session, actor, season_id)
        row = _own(session, actor, season)
        office = session.get(RecruitingOffice, row.office_id) if row and row.office_id else None
        return ApplicationPageOut(
            season_id=season.id,
            season_name=season.name,
            application=application_out(session, season, row) if row else None,
            time_zones=time_zone_choices(
                office.time_zone if office else None, list(office.countries) if office else []
            ),
        )


def open_seasons(sessions: Sessions, actor: Actor) -> list[ApplicationPageOut]:
    """Seasons taking online applications, with the candidate's own application in each."""
    require(actor, Permission.APPLICATION_EDIT_OWN)
    with sessions() as session:
        seasons = repo.open_seasons(session)
        out = []
        for season in seasons:
            if not programme_offices(session, season.programme_id):
                continue
            row = _own(session, actor, season)
            out.append(
                ApplicationPageOut(
                    season_id=season.id,
                    season_name=season.name,
                    application=application_out(session, season, row) if row else None,
                )
            )
        return out


def answers_in(row: OnlineApplication) -> ApplicationIn:
    return ApplicationIn.model_validate({**row.answers, "statement": row.statement})


def eligibility_of(
    body: ApplicationIn, season: SeasonRow | None = None
) -> ApplicationEligibilityOut:
    rules = load_rulebook()
    answers = body.answers()
    result = assess(
        rules.paths[HiringPath.JET],
        profile_of(answers),
        start=season.contract_start if season else None,
    )
    return ApplicationEligibilityOut(
        eligible=not result.failed,
        failed=[_rule(r) for r in result.failed],
        caveats=[_rule(c.rule) for c in result.caveats],
        statement_length=statement_length(answers.statement),
        statement_max=rules.recruitment.statement.max_chars,
    )


def check_answers(
    sessions: Sessions, actor: Actor, season_id: int, body: ApplicationIn
) -> ApplicationEligibilityOut:
    """Eligibility as the applicant types: the same rulebook `assess()`, nothing stored."""
    with sessions() as session:
        return eligibility_of(body, _season(session, actor, season_id))


def _rule(rule: Any) -> RuleOut:
    return RuleOut(
        rule=rule.id,
        description={"en": rule.description.en, "ja": rule.description.ja},
        fix={"en": rule.fix.en, "ja": rule.fix.ja},
    )


def _status(ref: ApplicationReference, now: datetime) -> ReferenceStatus:
    if ref.received_at is not None:
        return ReferenceStatus.RECEIVED
    if ref.expires_at is not None and ref.expires_at <= now:
        return ReferenceStatus.EXPIRED
    return ReferenceStatus.REQUESTED


def _documents(session: Session, row: OnlineApplication) -> list[ApplicationDocument]:
    return repo.documents_of(session, row.id)


def _references(session: Session, row: OnlineApplication) -> list[ApplicationReference]:
    return repo.references_of(session, row.id)


def _office(session: Session, season: SeasonRow, citizenship: str) -> RecruitingOffice | None:
    offices = programme_offices(session, season.programme_id)
    found = office_for(citizenship, [office_domain(o) for o in offices])
    return next((o for o in offices if found and o.code == found.code), None)


def _missing(
    session: Session, season: SeasonRow, row: OnlineApplication, body: ApplicationIn
) -> list[Missing]:
    answers = body.answers()
    office = _office(session, season, answers.citizenship)
    references = _references(session, row)
    return missing_items(
        answers,
        recruitment_rules(),
        office=office_domain(office) if office else None,
        documents=[DocumentKind(d.kind) for d in _documents(session, row)],
        referees=len(references),
        references_received=sum(1 for r in references if r.received_at is not None),
    )


def application_out(
    session: Session, season: SeasonRow, row: OnlineApplication
) -> OnlineApplicationOut:
    now = utc_now()
    body = answers_in(row)
    office = session.get(RecruitingOffice, row.office_id) if row.office_id else None
    candidate = session.get(SeasonCandidate, row.candidate_id) if row.candidate_id else None
    decision = repo.latest_screening_decision(session, row.id)
    references = _references(session, row)
    return OnlineApplicationOut(
        id=row.id,
        season_id=season.id,
        season_name=season.name,
        status=row.status,
        answers=body,
        office=_office_brief(office) if office else None,
        documents=[
            DocumentOut(
                id=d.id,
                kind=DocumentKind(d.kind),
                filename=d.filename,
                content_type=d.content_type,
                size=d.size,
                uploaded_at=d.uploaded_at,
            )
            for d in _documents(session, row)
        ],
        references=[
            ReferenceOut(
                slot=r.slot,
                referee_name=r.referee_name,
                referee_email=r.referee_email,
                status=_status(r, now),
                requested_at=r.requested_at,
                requests_sent=r.requests_sent,
                expires_at=r.expires_at if r.received_at is None else None,
                received_at=r.received_at,
                filename=r.filename,
            )
            for r in references
        ],
        missing=[] if row.status == "submitted" else _missing(session, season, row, body),
        eligibility=eligibility_of(body, season),
        receipt=_receipt(session, row, office) if row.status == "submitted" else None,
        stage=ApplicationStage(candidate.stage) if candidate else None,
        decision=decision_out(decision) if decision else None,
        version=row.version,
    )


def _office_brief(office: RecruitingOffice) -> OfficeBriefOut:
    return OfficeBriefOut(
        id=office.id,
        code=office.code,
        name_en=office.name_en,
        name_ja=office.name_ja,
        time_zone=office.time_zone,
        email=office.email,
    )


def decision_out(row: ScreeningDecision) -> DecisionOut:
    reason = recruitment_rules().reasons.get(row.reason_code)
    return DecisionOut(
        decision=row.decision,
        reason_code=row.reason_code,
        reason={"en": reason.text.en, "ja": reason.text.ja} if reason else {},
        note=row.note,
        at=row.at,
    )


def clock(at: datetime, zone: str) -> str:
    """`at` on the wall clock of `zone`: "2027-02-02 09:00"."""
    return f"{at.astimezone(ZoneInfo(zone)):%Y-%m-%d %H:%M}"


def local_time(at: datetime, zone: str) -> str:
    """`at` as read in `zone`, naming it: "2026-12-06 10:15 (Europe/London)"."""
    return f"{clock(at, zone)} ({zone})"


def _receipt(
    session: Session, row: OnlineApplication, office: RecruitingOffice | None
) -> ReceiptOut | None:
    if row.submitted_at is None or row.reference_number is None:
        return None
    items = [ReceiptItemOut(kind=d.kind, filename=d.filename) for d in _documents(session, row)]
    items += [
        ReceiptItemOut(kind="reference", slot=r.slot, referee=r.referee_name, filename=r.filename)
        for r in _references(session, row)
    ]
    return ReceiptOut(
        reference_number=row.reference_number,
        submitted_at=row.submitted_at,
        office_time=local_time(row.submitted_at, office.time_zone) if office else "",
        japan_time=f"{row.submitted_at.astimezone(JAPAN):%Y-%m-%d %H:%M}",
        time_zone=str(row.answers.get("time_zone") or (office.time_zone if office else "")),
        items=items,
    )
