"""An office's screening queue (issue 19): the submitted applications of one recruiting office,
each with its documents and references, and the screener's decision with a recorded reason.

Only the office's staff (services.season.recruiting_offices) reach its queue and files.
Screening in moves the season application to `screened`; screening out to `not_selected`, the
existing stage for an application that goes no further. A decision needs a reason code from
the rulebook's list for that decision and the screener's own words; it carries the version the
screener read, is kept in the stage history, the audit log and `screening_decisions`, and the
applicant is notified with the reason.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from altmatch.clock import utc_now
from altmatch.db import Sessions
from altmatch.db import recruitment as repo
from altmatch.db.listing import ListQuery, ListSpec
from altmatch.db.models import (
    OnlineApplication,
    RecruitingOffice,
    ScreeningDecision,
    SeasonCandidate,
    SeasonRow,
)
from altmatch.domain.access import Actor, NotFoundError, Permission, require
from altmatch.domain.application import ApplicationStage
from altmatch.i18n import N_, Message
from altmatch.rulebook.recruitment import Decision
from altmatch.services.kernel.audit import record_audit
from altmatch.services.kernel.errors import RuleError, StaleError
from altmatch.services.kernel.listing import ListMetaOut, list_meta
from altmatch.services.kernel.locking import expect_version, stale_guard
from altmatch.services.notifications import notify
from altmatch.services.season.application_reads import (
    OnlineApplicationOut,
    application_out,
    recruitment_rules,
)
from altmatch.services.season.applications import change_stage
from altmatch.services.season.recruiting_offices import access_office

QUEUE_SPEC = ListSpec(
    sorts=("submitted", "name", "reference"),
    filters={"stage": ("submitted", "screened", "not_selected")},
)
OUTCOME = {
    Decision.SCREEN_IN: ApplicationStage.SCREENED,
    Decision.SCREEN_OUT: ApplicationStage.NOT_SELECTED,
}


class QueueItemOut(BaseModel):
    id: int  # the online application's id
    reference_number: str
    name: str
    citizenship: str
    submitted_at: datetime
    stage: ApplicationStage
    references_received: int
    version: int


class QueueOut(BaseModel):
    office_id: int
    office_code: str
    office_name_en: str
    office_name_ja: str
    time_zone: str
    items: list[QueueItemOut]
    meta: ListMetaOut


class ScreeningIn(BaseModel):
    decision: Decision
    reason_code: str = Field(min_length=1, max_length=64)
    note: str = Field(min_length=1, max_length=4000)


def screening_queue(sessions: Sessions, actor: Actor, office_id: int, lq: ListQuery) -> QueueOut:
    require(actor, Permission.SEASON_MANAGE)
    with sessions() as session:
        office = access_office(session, actor, office_id)
        page = repo.screening_queue_page(
            session, office, lq, spec=QUEUE_SPEC, stage=lq.get("stage") or None
        )
        items = [
            QueueItemOut(
                id=row.id,
                reference_number=row.reference_number or "",
                name=name,
                citizenship=str(row.answers.get("citizenship", "")),
                submitted_at=row.submitted_at,
                stage=ApplicationStage(stage),
                references_received=int(count or 0),
                version=row.version,
            )
            for row, name, stage, count in page.rows
        ]
        return QueueOut(
            office_id=office.id,
            office_code=office.code,
            office_name_en=office.name_en,
            office_name_ja=office.name_ja,
            time_zone=office.time_zone,
            items=items,
            meta=list_meta(page, QUEUE_SPEC),
        )


def _queued(
    session: Session, actor: Actor, office_id: int, application_id: int
) -> tuple[RecruitingOffice, OnlineApplication, SeasonRow]:
    office = access_office(session, actor, office_id)
    row = session.get(OnlineApplication, application_id)
    if row is None or row.office_id != office.id or row.status != "submitted":
        raise NotFoundError("application")
    season = session.get(SeasonRow, row.season_id)
    if season is None or season.programme_id != office.programme_id:
        raise NotFoundError("application")
    return office, row, season


def screening_detail(
    sessions: Sessions, actor: Actor, office_id: int, application_id: int
) -> OnlineApplicationOut:
    """A submitted application of the office, with its documents, references and decision."""
    require(actor, Permission.SEASON_MANAGE)
    with sessions() as session:
        _, row, season = _queued(session, actor, office_id, application_id)
        return application_out(session, season, row)


def screening_file(
    sessions: Sessions, actor: Actor, office_id: int, application_id: int, kind: str
) -> tuple[str, str, bytes]:
    """A document (`degree`, `transcript`) or a reference letter (`reference-1`, ...) of a
    queued application: (filename, content type, bytes)."""
    require(actor, Permission.SEASON_MANAGE)
    with sessions() as session:
        _, row, _ = _queued(session, actor, office_id, application_id)
        if kind.startswith("reference-") and kind[len("reference-") :].isdigit():
            ref = repo.reference_of(session, row.id, int(kind[len("reference-") :]))
            if ref is None or ref.data is None:
                raise NotFoundError("file")
            return ref.filename or "reference", ref.content_type or "", ref.data
        doc = repo.document_of(session, row.id, kind)
        if doc is None:
            raise NotFoundError("file")
        return doc.filename, doc.content_type, doc.data


@stale_guard()
def decide_screening(
    sessions: Sessions,
    actor: Actor,
    office_id: int,
    application_id: int,
    body: ScreeningIn,
    *,
    version: int,
) -> OnlineApplicationOut:
    """Screen an application in or out, with its reason; only one still `submitted`."""
    require(actor, Permission.SEASON_MANAGE)
    reason = recruitment_rules().reasons.get(body.reason_code)
    if reason is None or reason.decision is not body.decision:
        raise RuleError(Message(N_("Choose a reason that goes with this decision.")), "reason_code")
    note = body.note.strip()
    if not note:
        raise RuleError(Message(N_("Say in your own words why.")), "note")
    with sessions.begin() as session:
        _, row, season = _queued(session, actor, office_id, application_id)
        candidate = session.get(SeasonCandidate, row.candidate_id) if row.candidate_id else None
        if season.status != "open" or candidate is None:
            raise StaleError(Message(N_("This application can no longer be screened.")), "stage")
        if candidate.stage != ApplicationStage.SUBMITTED.value:
            raise StaleError(Message(N_("This application has already been screened.")), "stage")
        expect_version(row, version)
        now = utc_now()
        target = OUTCOME[body.decision]
        change_stage(session, actor, candidate, target)
        session.add(
            ScreeningDecision(
                application_id=row.id,
                decision=body.decision.value,
                reason_code=body.reason_code,
                note=note,
                by_user_id=actor.user_id,
                at=now,
            )
        )
        row.updated_at = now  # bumps the version: a second screener's stale decision is refused
        session.flush()
        record_audit(
            session,
            actor,
            "application.screened",
            "online_application",
            row.id,
            {"stage": ApplicationStage.SUBMITTED.value},
            {"stage": target.value, "decision": body.decision.value, "reason": body.reason_code},
            tenant_id=season.programme_id,
        )
        notify(
            session,
            [row.user_id],
            kind="application_screened",
            message=Message(
                N_("Your application {reference} was screened in. Reason: {reason} ({note})")
                if body.decision is Decision.SCREEN_IN
                else N_(
                    "Your application {reference} was not taken further at screening. "
                    "Reason: {reason} ({note})"
                ),
                # the rulebook's reason in both languages: a notice is read in either
                {
                    "reference": row.reference_number,
                    "reason": f"{reason.text.en} / {reason.text.ja}",
                    "note": note,
                },
            ),
            link=f"/seasons/{season.id}/apply",
        )
        return application_out(session, season, row)
