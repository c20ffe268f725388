"""The applicant takes their online application back (issue 19): a draft is deleted with its
documents and reference requests; a submitted application is withdrawn.

Withdrawing moves the season application to `withdrawn` through the stage history
(services.season.applications.change_stage), releases a booked interview slot with the booking
service's own compare-and-swap (db.interview_round.release_slot), tells the office's staff and
the applicant, all in one transaction at the version the applicant read. It is final: the
office stops considering the application, the match leaves it out, references stay on file
for the office until erasure. Once the outcome is published only the programme can change
it. Only the applicant's own application is reachable: anyone else's is not found.
"""

from __future__ import annotations

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from altmatch.clock import utc_now
from altmatch.db import Sessions, stage_queries
from altmatch.db import interview_round as slots_repo
from altmatch.db import recruitment as repo
from altmatch.db import season as season_repo
from altmatch.db.models import (
    InterviewSlot,
    OnlineApplication,
    RecruitingOffice,
    SeasonCandidate,
    SeasonRow,
)
from altmatch.domain.access import Actor, NotFoundError, Permission, require
from altmatch.domain.application import (
    ApplicationStage,
    WithdrawalRefusal,
    withdrawal_refusal,
)
from altmatch.domain.interview_schedule import candidate_zone
from altmatch.i18n import N_, Message, label
from altmatch.services.kernel.audit import record_audit
from altmatch.services.kernel.errors import StaleError, stale_record
from altmatch.services.kernel.locking import expect_version, stale_guard
from altmatch.services.notifications import notify
from altmatch.services.season.application_reads import (
    JAPAN,
    ApplicationPageOut,
    OnlineApplicationOut,
    application_out,
    local_time,
)
from altmatch.services.season.applications import change_stage


class WithdrawIn(BaseModel):
    reason: str = Field(default="", max_length=2000, description="Why, in your words (optional).")


class WithdrawalOut(BaseModel):
    """What taking the application back would do: shown before asking to confirm."""

    application: OnlineApplicationOut
    # a draft: the reference requests whose links still work (they stop working on deletion)
    outstanding_links: int
    # a submitted application: the interview booked (on the applicant's clock), released
    booking: str | None
    # why a submitted application cannot be withdrawn (None: it can); a draft is always deletable
    refusal: WithdrawalRefusal | None


def _mine(session: Session, actor: Actor, season_id: int) -> tuple[SeasonRow, OnlineApplication]:
    """The applicant's own application in the season (open or published)."""
    require(actor, Permission.APPLICATION_EDIT_OWN)
    season = session.get(SeasonRow, season_id)
    if season is None:
        raise NotFoundError("season")
    row = repo.own_application(session, season.id, actor.own_user_id())
    if row is None:
        raise NotFoundError("application")
    return season, row


def _candidate(session: Session, row: OnlineApplication) -> SeasonCandidate | None:
    return session.get(SeasonCandidate, row.candidate_id) if row.candidate_id else None


def _refusal(
    session: Session, season: SeasonRow, candidate: SeasonCandidate | None
) -> WithdrawalRefusal | None:
    if candidate is None:
        return None
    published = (
        season.status == "published"
        or season_repo.latest_published_run(session, season.id) is not None
    )
    return withdrawal_refusal(ApplicationStage(candidate.stage), published=published)


def _held(session: Session, candidate: SeasonCandidate | None) -> InterviewSlot | None:
    return slots_repo.slot_of_candidate(session, candidate.id) if candidate else None


def _zone(session: Session, row: OnlineApplication) -> tuple[str, RecruitingOffice | None]:
    office = session.get(RecruitingOffice, row.office_id) if row.office_id else None
    office_zone = office.time_zone if office else "Asia/Tokyo"
    return candidate_zone(row.answers.get("time_zone"), office_zone), office


def _out(session: Session, season: SeasonRow, row: OnlineApplication) -> WithdrawalOut:
    out = application_out(session, season, row)
    candidate = _candidate(session, row)
    held = _held(session, candidate)
    zone, _ = _zone(session, row)
    return WithdrawalOut(
        application=out,
        outstanding_links=sum(1 for r in out.references if r.status.value == "requested"),
        booking=local_time(held.starts_at, zone) if held else None,
        refusal=_refusal(session, season, candidate) if row.status == "submitted" else None,
    )


def withdrawal_preview(sessions: Sessions, actor: Actor, season_id: int) -> WithdrawalOut:
    """What deleting the draft, or withdrawing the submitted application, would do."""
    with sessions() as session:
        season, row = _mine(session, actor, season_id)
        return _out(session, season, row)


@stale_guard()
def delete_draft(
    sessions: Sessions, actor: Actor, season_id: int, *, version: int
) -> ApplicationPageOut:
    """Delete the applicant's draft with its documents and reference requests (their links stop
    working) in one transaction at the version read; they may start a new one."""
    with sessions.begin() as session:
        season, row = _mine(session, actor, season_id)
        if row.status != "draft":
            raise StaleError(
                Message(N_("This application is submitted: withdraw it instead.")), "status"
            )
        expect_version(row, version)
        application_id = row.id
        documents = len(repo.documents_of(session, row.id))
        references = len(repo.references_of(session, row.id))
        session.expunge(row)
        if not repo.delete_draft(session, application_id, version):
            raise stale_record()
        record_audit(
            session,
            actor,
            "application.draft_deleted",
            "online_application",
            application_id,
            {"status": "draft", "version": version},
            {"documents": documents, "references": references},
            tenant_id=season.programme_id,
        )
        return ApplicationPageOut(season_id=season.id, season_name=season.name, application=None)


@stale_guard()
def withdraw_application(
    sessions: Sessions, actor: Actor, season_id: int, body: WithdrawIn, *, version: int
) -> WithdrawalOut:
    """Withdraw the applicant's submitted application: stage `withdrawn` (recorded in its
    history), the interview slot released, the office's staff and the applicant told; one
    transaction at the version read, so a stale request changes nothing."""
    reason = body.reason.strip()
    with sessions.begin() as session:
        season, row = _mine(session, actor, season_id)
        candidate = _candidate(session, row)
        if row.status != "submitted" or candidate is None:
            raise StaleError(
                Message(N_("This application is a draft: delete it instead.")), "status"
            )
        refusal = _refusal(session, season, candidate)
        if refusal is not None:
            raise StaleError(Message(label(refusal)), "stage")
        expect_version(row, version)
        held = _held(session, candidate)
        if held is not None and not slots_repo.release_slot(
            session, held.id, candidate.id, held.version
        ):
            raise stale_record()
        before = candidate.stage
        change_stage(session, actor, candidate, ApplicationStage.WITHDRAWN)
        now = utc_now()
        row.updated_at = now  # bumps the version: the compare-and-swap on the application
        session.flush()
        change = stage_queries.stage_changes_of(session, [candidate.id])[-1]
        record_audit(
            session,
            actor,
            "application.withdrawn",
            "season_candidate",
            candidate.id,
            {"stage": before},
            {
                "stage": ApplicationStage.WITHDRAWN.value,
                "reason": reason,
                "change_id": change.id,
                "application_id": row.id,
                "slot_id": held.id if held else None,
            },
            tenant_id=season.programme_id,
        )
        _tell(session, season, row, candidate, held, reason)
        session.expire_all()
        season, row = _mine(session, actor, season_id)
        return _out(session, season, row)


def _tell(
    session: Session,
    season: SeasonRow,
    row: OnlineApplication,
    candidate: SeasonCandidate,
    held: InterviewSlot | None,
    reason: str,
) -> None:
    """The office's staff learn of the withdrawal (and the slot freed); the applicant gets a
    confirmation."""
    _, office = _zone(session, row)
    reference = row.reference_number or ""
    if office is not None:
        staff = [user_id for user_id, _, _ in repo.office_screeners(session, office.id)]
        params: dict[str, object] = {
            "name": candidate.name,
            "reference": reference,
            "reason": reason or "-",
        }
        if held is not None:
            params["when"] = local_time(held.starts_at, office.time_zone)
        notify(
            session,
            staff,
            kind="application_withdrawn",
            message=Message(
                N_(
                    "{name} withdrew their application {reference}. Reason: {reason}. Their "
                    "interview slot at {when} is free again."
                )
                if held is not None
                else N_("{name} withdrew their application {reference}. Reason: {reason}."),
                params,
            ),
            link=f"/offices/{office.id}/applications/{row.id}",
        )
    notify(
        session,
        [row.user_id],
        kind="application_withdrawn",
        message=Message(
            N_(
                "You withdrew your application {reference} on {when} (Japan time). The office "
                "no longer considers it; you may apply again in a later season."
            ),
            {"reference": reference, "when": f"{utc_now().astimezone(JAPAN):%Y-%m-%d %H:%M}"},
        ),
        link=f"/seasons/{season.id}/apply",
    )
