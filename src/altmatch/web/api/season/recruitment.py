"""The online application, referees' uploads, recruiting offices and screening as JSON: the
twins of /seasons/{id}/apply, /references/{token}, /offices and /offices/{id}/queue."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Query, Request, Response, UploadFile
from pydantic import BaseModel, Field

from altmatch.config import Settings
from altmatch.db.listing import ListQuery
from altmatch.domain.access import Actor, Permission
from altmatch.domain.recruitment import DocumentKind
from altmatch.services.season.application_reads import (
    ApplicationEligibilityOut,
    ApplicationIn,
    ApplicationPageOut,
    OnlineApplicationOut,
    UploadFileIn,
    application_page,
    check_answers,
    open_seasons,
    recruitment_rules,
)
from altmatch.services.season.application_withdrawal import (
    WithdrawalOut,
    WithdrawIn,
    delete_draft,
    withdraw_application,
    withdrawal_preview,
)
from altmatch.services.season.online_application import (
    RefereeIn,
    name_referee,
    save_draft,
    submit_application,
    upload_document,
)
from altmatch.services.season.recruiting_offices import OfficeOut, list_offices, set_office_staff
from altmatch.services.season.references import (
    ReferenceLinkOut,
    read_reference_link,
    send_referee_letter,
    upload_reference,
)
from altmatch.services.season.screening import (
    QUEUE_SPEC,
    QueueOut,
    ScreeningIn,
    decide_screening,
    screening_detail,
    screening_file,
    screening_queue,
)
from altmatch.web.api.params import Id
from altmatch.web.auth import OwnApplicationDep, PermissionGate, SeasonManagerDep
from altmatch.web.deps import SessionsDep
from altmatch.web.listing import list_query
from altmatch.web.uploads import read_upload_blocking

OfficesManagerDep = Annotated[Actor, Depends(PermissionGate(Permission.OFFICES_MANAGE))]
router = APIRouter(tags=["recruitment"])
QueueQuery = Annotated[ListQuery, Depends(list_query(QUEUE_SPEC))]
VERSION = "The version you read: a stale one is refused with 409."


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(_settings)]


class ApplicationSave(ApplicationIn):
    version: int | None = Field(
        default=None, description="None for the first save; then " + VERSION
    )


class SubmitIn(BaseModel):
    version: int = Field(description=VERSION)


class OnlineWithdrawalIn(WithdrawIn):
    version: int = Field(description=VERSION)


class RefereeRequest(RefereeIn):
    version: int = Field(description=VERSION)


class RefereeRequestedOut(BaseModel):
    application: OnlineApplicationOut
    sent: bool  # False: the e-mail could not be sent now; ask again to resend


class ScreeningDecisionIn(ScreeningIn):
    version: int = Field(description=VERSION)


class StaffIn(BaseModel):
    user_id: int = Field(ge=1)
    member: bool = True


def _file(upload: UploadFile) -> UploadFileIn:
    limit = recruitment_rules().documents.max_bytes
    return UploadFileIn(
        filename=upload.filename or "file", data=read_upload_blocking(upload, limit)
    )


# -- the applicant ------------------------------------------------------------------------------


@router.get("/me/applications/online", response_model=list[ApplicationPageOut])
def get_open_seasons(actor: OwnApplicationDep, sessions: SessionsDep) -> list[ApplicationPageOut]:
    """Seasons taking online applications, each with your application (None: not started)."""
    return open_seasons(sessions, actor)


@router.get("/seasons/{season_id}/online-application", response_model=ApplicationPageOut)
def get_application(
    season_id: Id, actor: OwnApplicationDep, sessions: SessionsDep
) -> ApplicationPageOut:
    """Your online application in the season: answers, documents, references' status, what is
    missing, eligibility, and after submission the receipt, stage and screening decision."""
    return application_page(sessions, actor, season_id)


@router.put("/seasons/{season_id}/online-application", response_model=OnlineApplicationOut)
def put_application(
    season_id: Id, body: ApplicationSave, actor: OwnApplicationDep, sessions: SessionsDep
) -> OnlineApplicationOut:
    """Save your draft (the first save starts it; later ones carry `version`)."""
    answers = ApplicationIn.model_validate(body.model_dump(exclude={"version"}))
    return save_draft(sessions, actor, season_id, answers, version=body.version)


@router.post(
    "/seasons/{season_id}/online-application/check", response_model=ApplicationEligibilityOut
)
def post_check(
    season_id: Id, body: ApplicationIn, actor: OwnApplicationDep, sessions: SessionsDep
) -> ApplicationEligibilityOut:
    """The programme's eligibility rules against these answers (nothing is saved)."""
    return check_answers(sessions, actor, season_id, body)


@router.post(
    "/seasons/{season_id}/online-application/documents/{kind}", response_model=OnlineApplicationOut
)
def post_document(
    season_id: Id,
    kind: DocumentKind,
    file: Annotated[UploadFile, File(description="PDF, JPEG or PNG, within the size limit.")],
    version: Annotated[int, Form(description=VERSION)],
    actor: OwnApplicationDep,
    sessions: SessionsDep,
) -> OnlineApplicationOut:
    """Upload your degree certificate or transcript (a new one replaces the old)."""
    return upload_document(sessions, actor, season_id, kind, _file(file), version=version)


@router.post("/seasons/{season_id}/online-application/referees", response_model=RefereeRequestedOut)
def post_referee(
    season_id: Id,
    body: RefereeRequest,
    actor: OwnApplicationDep,
    sessions: SessionsDep,
    settings: SettingsDep,
) -> RefereeRequestedOut:
    """Name a referee (slot 1 or 2), or resend their link: they get an e-mail with a
    single-use upload link; any earlier link stops working."""
    referee = RefereeIn.model_validate(body.model_dump(exclude={"version"}))
    out, letter = name_referee(
        sessions, actor, season_id, referee, version=body.version, site_url=settings.site_url
    )
    return RefereeRequestedOut(application=out, sent=send_referee_letter(settings, letter))


@router.post("/seasons/{season_id}/online-application/submit", response_model=OnlineApplicationOut)
def post_submit(
    season_id: Id, body: SubmitIn, actor: OwnApplicationDep, sessions: SessionsDep
) -> OnlineApplicationOut:
    """Submit a complete, eligible application: the answer holds the receipt."""
    return submit_application(sessions, actor, season_id, version=body.version)


@router.get("/seasons/{season_id}/online-application/withdrawal", response_model=WithdrawalOut)
def get_withdrawal(season_id: Id, actor: OwnApplicationDep, sessions: SessionsDep) -> WithdrawalOut:
    """What taking your application back would do: a draft's documents and reference requests
    (deleted; links still out stop working), or a submitted one's interview booking (released)
    and `refusal` when it can no longer be withdrawn."""
    return withdrawal_preview(sessions, actor, season_id)


@router.delete("/seasons/{season_id}/online-application", response_model=ApplicationPageOut)
def delete_application(
    season_id: Id,
    version: Annotated[int, Query(description=VERSION)],
    actor: OwnApplicationDep,
    sessions: SessionsDep,
) -> ApplicationPageOut:
    """Delete your draft with its documents and reference requests; you may start again.
    A submitted application is withdrawn instead (409)."""
    return delete_draft(sessions, actor, season_id, version=version)


@router.post("/seasons/{season_id}/online-application/withdraw", response_model=WithdrawalOut)
def post_withdraw(
    season_id: Id, body: OnlineWithdrawalIn, actor: OwnApplicationDep, sessions: SessionsDep
) -> WithdrawalOut:
    """Withdraw your submitted application (final): the office stops considering it, an
    interview booking is released, references stay on file; 409 once the outcome is published
    (contact the programme), when already withdrawn or not selected, or when stale."""
    reason = WithdrawIn.model_validate(body.model_dump(exclude={"version"}))
    return withdraw_application(sessions, actor, season_id, reason, version=body.version)


# -- the referee (no account) -------------------------------------------------------------------


@router.get("/references/{token}", response_model=ReferenceLinkOut)
def get_reference_link(token: str, sessions: SessionsDep) -> ReferenceLinkOut:
    """Whom a referee's link is for, or `valid` false (used, expired or unknown)."""
    return read_reference_link(sessions, token)


@router.post("/references/{token}", response_model=ReferenceLinkOut)
def post_reference(
    token: str,
    file: Annotated[UploadFile, File(description="The reference letter: PDF, JPEG or PNG.")],
    sessions: SessionsDep,
) -> ReferenceLinkOut:
    """Upload the reference letter; the link then stops working (409 when it is not valid)."""
    return upload_reference(sessions, token, _file(file))


# -- offices and screening ----------------------------------------------------------------------


@router.get("/offices", response_model=list[OfficeOut])
def get_offices(actor: OfficesManagerDep, sessions: SessionsDep) -> list[OfficeOut]:
    """Your programme's recruiting offices, their staff, and which you screen for."""
    return list_offices(sessions, actor)


@router.post("/offices/{office_id}/staff", response_model=OfficeOut)
def post_office_staff(
    office_id: Id, body: StaffIn, actor: OfficesManagerDep, sessions: SessionsDep
) -> OfficeOut:
    """Add (or, `member` false, remove) a programme coordinator as one of the office's screeners."""
    return set_office_staff(sessions, actor, office_id, body.user_id, member=body.member)


@router.get("/offices/{office_id}/queue", response_model=QueueOut)
def get_queue(
    office_id: Id, actor: SeasonManagerDep, sessions: SessionsDep, lq: QueueQuery
) -> QueueOut:
    """The office's submitted applications a page at a time (its staff only). `q` searches
    names and reference numbers; filter `stage`; sort by submitted, name or reference."""
    return screening_queue(sessions, actor, office_id, lq)


@router.get(
    "/offices/{office_id}/applications/{application_id}", response_model=OnlineApplicationOut
)
def get_queued_application(
    office_id: Id, application_id: Id, actor: SeasonManagerDep, sessions: SessionsDep
) -> OnlineApplicationOut:
    """One submitted application of the office, with its documents, references and decision."""
    return screening_detail(sessions, actor, office_id, application_id)


@router.get(
    "/offices/{office_id}/applications/{application_id}/files/{kind}",
    response_class=Response,
    responses={200: {"content": {"*/*": {"schema": {"type": "string", "format": "binary"}}}}},
)
def get_queued_file(
    office_id: Id, application_id: Id, kind: str, actor: SeasonManagerDep, sessions: SessionsDep
) -> Response:
    """A document (`degree`, `transcript`) or reference (`reference-1`, `reference-2`), always
    as a download."""
    name, content_type, data = screening_file(sessions, actor, office_id, application_id, kind[:32])
    ascii_name = name.encode("ascii", "replace").decode().replace('"', "_")
    headers = {
        "Content-Disposition": (
            f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
        ),
        "X-Content-Type-Options": "nosniff",
    }
    return Response(data, media_type=content_type, headers=headers)


@router.post(
    "/offices/{office_id}/applications/{application_id}/decision",
    response_model=OnlineApplicationOut,
)
def post_decision(
    office_id: Id,
    application_id: Id,
    body: ScreeningDecisionIn,
    actor: SeasonManagerDep,
    sessions: SessionsDep,
) -> OnlineApplicationOut:
    """Screen in (→ screened) or out (→ not selected) with a reason code and your words; 409
    on a stale version or a decided application. The applicant is notified."""
    decision = ScreeningIn.model_validate(body.model_dump(exclude={"version"}))
    return decide_screening(
        sessions, actor, office_id, application_id, decision, version=body.version
    )
