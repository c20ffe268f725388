"""Direct-hire postings: a BoE's staff post and close them; anyone may browse the open ones.

A posting's pay must lie within the rulebook's direct-hire range and its benefits come from
the rulebook's list. Open means status "open" and a closing date not yet passed (in Japan).
BoE staff see only their own BoE's postings; anything else is NotFoundError.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from altmatch.clock import today_in_japan
from altmatch.db import Sessions
from altmatch.db import direct_hire as repo
from altmatch.db.models import Organisation, Posting
from altmatch.domain.access import Actor, NotFoundError, Permission, require
from altmatch.domain.direct_hire import (
    Declared,
    PostingStage,
    Requirements,
    accepted_statuses,
    pay_refusal,
    unknown_benefits,
    unmet_requirements,
    work_capable_statuses,
)
from altmatch.i18n import N_, Message, label, render
from altmatch.rulebook import Rulebook, load_rulebook
from altmatch.rulebook.schema import PathInfo, RangePay
from altmatch.rulebook.vocabulary import HiringPath, Jlpt, SchoolLevel, StatusOfResidence
from altmatch.services.direct_hire.posting_links import PostingLinkOut
from altmatch.services.kernel.audit import record_audit
from altmatch.services.kernel.bounds import MAX_DB_INT
from altmatch.services.kernel.errors import RuleError
from altmatch.services.kernel.locking import expect_version, stale_guard

MAX_OPENINGS = 100
MAX_YEARS = 40


def direct_hire(book: Rulebook | None = None) -> PathInfo:
    return (book or load_rulebook()).paths[HiringPath.DIRECT_HIRE]


def pay_range(path: PathInfo) -> RangePay:
    assert isinstance(path.pay, RangePay), "direct hire pay is a monthly range"
    return path.pay


class PostingFields(BaseModel):
    """What a BoE says about an opening."""

    title_en: str = Field(min_length=1, max_length=200)
    title_ja: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=5000)
    school_levels: list[SchoolLevel] = Field(min_length=1)
    openings: int = Field(default=1, ge=1, le=MAX_OPENINGS)
    min_alt_years: int = Field(default=0, ge=0, le=MAX_YEARS)
    min_jlpt: Jlpt = Jlpt.NONE
    requires_residence_in_japan: bool = True
    allowed_statuses: list[StatusOfResidence] = []  # empty: any status that allows the work
    requires_driving_licence: bool = False
    monthly_pay: int = Field(gt=0, le=MAX_DB_INT)
    benefits: list[str] = []
    start: dt.date
    closes_on: dt.date


class PostingBenefitOut(BaseModel):
    id: str
    label: str
    value: str


class PayRangeOut(BaseModel):
    """The rulebook's direct-hire pay range a posting's pay must lie in (an estimate)."""

    monthly_min: int
    monthly_max: int
    estimate: bool
    source: str
    as_of: dt.date


class LabelledOut(BaseModel):
    value: str
    label: str


class PostingOut(BaseModel):
    id: int
    boe_id: int
    boe: str
    prefecture: str | None
    municipality: str | None
    title: str
    title_en: str
    title_ja: str
    description: str
    school_levels: list[SchoolLevel]
    openings: int
    min_alt_years: int
    min_jlpt: Jlpt
    requires_residence_in_japan: bool
    allowed_statuses: list[StatusOfResidence]  # as posted; empty = any work-capable status
    accepted_statuses: list[LabelledOut]  # what that means, with labels
    requires_driving_licence: bool
    monthly_pay: int
    benefits: list[PostingBenefitOut]
    start: dt.date
    closes_on: dt.date
    status: str
    is_open: bool
    version: int


class PublicPostingsOut(BaseModel):
    today: dt.date
    prefecture: str | None
    school_level: SchoolLevel | None
    jlpt: Jlpt | None
    pay_range: PayRangeOut
    postings: list[PostingOut]


class PublicPostingOut(BaseModel):
    today: dt.date
    pay_range: PayRangeOut
    posting: PostingOut


class BoePostingRowOut(BaseModel):
    posting: PostingOut
    applications: int
    by_stage: dict[PostingStage, int]


class BoePostingsOut(BaseModel):
    boe_id: int
    boe: str
    today: dt.date
    pay_range: PayRangeOut
    benefit_options: list[PostingBenefitOut]
    stage_labels: dict[PostingStage, str]
    postings: list[BoePostingRowOut]


def pay_range_out(path: PathInfo) -> PayRangeOut:
    pay = pay_range(path)
    return PayRangeOut(
        monthly_min=pay.monthly_min,
        monthly_max=pay.monthly_max,
        estimate=pay.estimate,
        source=str(pay.source),
        as_of=pay.as_of,
    )


def benefit_options(path: PathInfo, locale: str) -> list[PostingBenefitOut]:
    return [
        PostingBenefitOut(id=b.id, label=b.label.get(locale), value=b.value.get(locale))
        for b in path.benefits
    ]


def requirements_of(row: Posting) -> Requirements:
    return Requirements(
        min_alt_years=row.min_alt_years,
        min_jlpt=Jlpt(row.min_jlpt),
        requires_residence_in_japan=row.requires_residence_in_japan,
        allowed_statuses=frozenset(StatusOfResidence(s) for s in row.allowed_statuses),
        requires_driving_licence=row.requires_driving_licence,
    )


def is_open(row: Posting, today: dt.date) -> bool:
    return row.status == "open" and row.closes_on >= today


def posting_out(
    row: Posting, boe: Organisation, path: PathInfo, locale: str, today: dt.date
) -> PostingOut:
    benefits = {b.id: b for b in benefit_options(path, locale)}
    accepted = accepted_statuses(requirements_of(row), work_capable_statuses(path))
    return PostingOut(
        id=row.id,
        boe_id=boe.id,
        boe=boe.name_ja if locale == "ja" else boe.name_en,
        prefecture=boe.prefecture,
        municipality=boe.municipality,
        title=row.title_ja if locale == "ja" else row.title_en,
        title_en=row.title_en,
        title_ja=row.title_ja,
        description=row.description,
        school_levels=[SchoolLevel(s) for s in row.school_levels],
        openings=row.openings,
        min_alt_years=row.min_alt_years,
        min_jlpt=Jlpt(row.min_jlpt),
        requires_residence_in_japan=row.requires_residence_in_japan,
        allowed_statuses=[StatusOfResidence(s) for s in row.allowed_statuses],
        accepted_statuses=[
            LabelledOut(value=s.value, label=render(label(s), locale)) for s in accepted
        ],
        requires_driving_licence=row.requires_driving_licence,
        monthly_pay=row.monthly_pay,
        benefits=[benefits[b] for b in row.benefits if b in benefits],
        start=row.start,
        closes_on=row.closes_on,
        status=row.status,
        is_open=is_open(row, today),
        version=row.version,
    )


def _boe(session: Session, boe_id: int) -> Organisation:
    boe = session.get(Organisation, boe_id)
    assert boe is not None
    return boe


def access_own_posting(session: Session, actor: Actor, posting_id: int) -> Posting:
    """The posting, if it belongs to the staff member's BoE (the operator sees every one)."""
    row = session.get(Posting, posting_id)
    if row is None:
        raise NotFoundError("posting")
    if actor.is_operator:
        return row
    require(actor, Permission.POSTING_MANAGE)
    if actor.organisation_id is None or row.boe_id != actor.organisation_id:
        raise NotFoundError("posting")
    return row


def access_open_posting(session: Session, posting_id: int, today: dt.date) -> Posting:
    """The posting, if it is open to applicants today; anything else is NotFoundError."""
    row = session.get(Posting, posting_id)
    if row is None or not is_open(row, today):
        raise NotFoundError("posting")
    return row


def _boe_of(actor: Actor) -> int:
    require(actor, Permission.POSTING_MANAGE)
    if actor.organisation_id is None:
        raise NotFoundError("boe")
    return actor.organisation_id


def list_boe_postings(
    sessions: Sessions, actor: Actor, *, locale: str = "en", today: dt.date | None = None
) -> BoePostingsOut:
    """A BoE's own postings, newest first, with how many applications sit at each stage."""
    boe_id = _boe_of(actor)
    day = today or today_in_japan()
    path = direct_hire()
    with sessions() as session:
        boe = _boe(session, boe_id)
        rows = repo.postings_of_boe(session, boe_id)
        counts: dict[int, Counter[PostingStage]] = {r.id: Counter() for r in rows}
        for posting_id, stage, n in repo.stage_counts_of_boe(session, boe_id):
            counts[posting_id][PostingStage(stage)] = n
        return BoePostingsOut(
            boe_id=boe.id,
            boe=boe.name_ja if locale == "ja" else boe.name_en,
            today=day,
            pay_range=pay_range_out(path),
            benefit_options=benefit_options(path, locale),
            stage_labels={s: render(label(s), locale) for s in PostingStage},
            postings=[
                BoePostingRowOut(
                    posting=posting_out(r, boe, path, locale, day),
                    applications=sum(counts[r.id].values()),
                    by_stage={s: counts[r.id][s] for s in PostingStage},
                )
                for r in rows
            ],
        )


def _check_fields(fields: PostingFields, path: PathInfo, today: dt.date) -> None:
    refusal = pay_refusal(fields.monthly_pay, pay_range(path))
    if refusal is not None:
        raise RuleError(refusal, "monthly_pay")
    unknown = unknown_benefits(fields.benefits, path)
    if unknown:
        raise RuleError(
            Message(N_("Unknown benefit: {benefit}."), {"benefit": ", ".join(unknown)}),
            "benefits",
        )
    if fields.closes_on < today:
        raise RuleError(Message(N_("The closing date has already passed.")), "closes_on")
    if fields.start <= fields.closes_on:
        raise RuleError(Message(N_("The start date must come after the closing date.")), "start")


def _audited(row: Posting) -> dict[str, object]:
    keys = [k for k in PostingFields.model_fields if k != "description"]
    values = {k: getattr(row, k) for k in keys}
    values["start"] = row.start.isoformat()
    values["closes_on"] = row.closes_on.isoformat()
    return values | {"status": row.status}


def create_posting(
    sessions: Sessions,
    actor: Actor,
    fields: PostingFields,
    *,
    locale: str = "en",
    today: dt.date | None = None,
) -> PostingOut:
    """Post an opening for the staff member's own BoE (audited)."""
    boe_id = _boe_of(actor)
    day = today or today_in_japan()
    path = direct_hire()
    _check_fields(fields, path, day)
    with sessions.begin() as session:
        boe = _boe(session, boe_id)
        row = Posting(
            boe_id=boe.id,
            title_en=fields.title_en.strip(),
            title_ja=fields.title_ja.strip(),
            description=fields.description.strip(),
            school_levels=[s.value for s in fields.school_levels],
            openings=fields.openings,
            min_alt_years=fields.min_alt_years,
            min_jlpt=fields.min_jlpt.value,
            requires_residence_in_japan=fields.requires_residence_in_japan,
            allowed_statuses=[s.value for s in fields.allowed_statuses],
            requires_driving_licence=fields.requires_driving_licence,
            monthly_pay=fields.monthly_pay,
            benefits=list(dict.fromkeys(fields.benefits)),
            start=fields.start,
            closes_on=fields.closes_on,
            status="open",
            created_by=actor.user_id,
        )
        session.add(row)
        session.flush()
        record_audit(session, actor, "posting.created", "posting", row.id, None, _audited(row))
        return posting_out(row, boe, path, locale, day)


@stale_guard()
def close_posting(
    sessions: Sessions,
    actor: Actor,
    posting_id: int,
    *,
    version: int,
    locale: str = "en",
    today: dt.date | None = None,
) -> PostingOut:
    """Close one of the BoE's postings to new applications (audited; 409 if stale)."""
    day = today or today_in_japan()
    with sessions.begin() as session:
        row = access_own_posting(session, actor, posting_id)
        expect_version(row, version)
        if row.status == "closed":
            raise RuleError(Message(N_("This posting is already closed.")), "status")
        mark_closed(session, actor, row, reason="closed_by_staff")
        return posting_out(row, _boe(session, row.boe_id), direct_hire(), locale, day)


def mark_closed(session: Session, actor: Actor, row: Posting, *, reason: str) -> None:
    row.status = "closed"
    session.flush()
    record_audit(
        session,
        actor,
        "posting.closed",
        "posting",
        row.id,
        {"status": "open"},
        {"status": "closed", "reason": reason},
    )


def list_open_postings(
    sessions: Sessions,
    *,
    locale: str = "en",
    prefecture: str | None = None,
    school_level: SchoolLevel | None = None,
    jlpt: Jlpt | None = None,
    today: dt.date | None = None,
) -> PublicPostingsOut:
    """The open postings (a public jobs board), soonest closing first. `jlpt` is the reader's
    own level: only postings asking for it or less are listed."""
    day = today or today_in_japan()
    path = direct_hire()
    wanted = prefecture.strip().casefold() if prefecture and prefecture.strip() else None
    with sessions() as session:
        found = [
            posting_out(p, o, path, locale, day)
            for p, o in repo.open_postings(session, day)
            if (wanted is None or (o.prefecture or "").casefold() == wanted)
            and (school_level is None or school_level.value in p.school_levels)
            and (jlpt is None or Jlpt(p.min_jlpt).rank <= jlpt.rank)
        ]
    return PublicPostingsOut(
        today=day,
        prefecture=prefecture if wanted else None,
        school_level=school_level,
        jlpt=jlpt,
        pay_range=pay_range_out(path),
        postings=found,
    )


def get_open_posting(
    sessions: Sessions, posting_id: int, *, locale: str = "en", today: dt.date | None = None
) -> PublicPostingOut:
    """One open posting; a closed, expired or unknown one is NotFoundError."""
    day = today or today_in_japan()
    path = direct_hire()
    with sessions() as session:
        row = access_open_posting(session, posting_id, day)
        return PublicPostingOut(
            today=day,
            pay_range=pay_range_out(path),
            posting=posting_out(row, _boe(session, row.boe_id), path, locale, day),
        )


def postings_for(
    sessions: Sessions,
    declared: Declared,
    *,
    locale: str = "en",
    today: dt.date | None = None,
    book: Rulebook | None = None,
) -> list[PostingLinkOut]:
    """The open postings whose every requirement the declared facts meet (for the advisor)."""
    day = today or today_in_japan()
    work_capable = work_capable_statuses(direct_hire(book))
    with sessions() as session:
        return [
            PostingLinkOut(
                id=p.id,
                url=f"/postings/{p.id}",
                title=p.title_ja if locale == "ja" else p.title_en,
                boe=o.name_ja if locale == "ja" else o.name_en,
                prefecture=o.prefecture,
                monthly_pay=p.monthly_pay,
                closes_on=p.closes_on,
            )
            for p, o in repo.open_postings(session, day)
            if not unmet_requirements(requirements_of(p), declared, work_capable)
        ]
