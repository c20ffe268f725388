"""Support cases as JSON: an ALT's own cases (/me/cases), one case for the ALT or a handler
(/cases/{id}), a handler's queue (/cases), routing tables and in-app notifications."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData, UploadFile

from altmatch.services.kernel.bounds import MAX_DB_INT
from altmatch.services.notifications import (
    NoticeOut,
    NoticesOut,
    list_notices,
    mark_all_notices_read,
    mark_notice_read,
)
from altmatch.services.support.case_reads import (
    QUEUE,
    CaseOut,
    CasesOut,
    QueuePageOut,
    get_attachment,
    get_case,
    list_my_cases,
    queue_page,
)
from altmatch.services.support.cases import (
    CaseIn,
    MediationIn,
    MessageIn,
    ReopenIn,
    ResolveIn,
    UploadIn,
    open_case,
    post_message,
    record_mediation,
    reopen_case,
    resolve_case,
)
from altmatch.services.support.escalation import support_rules
from altmatch.services.support.routing import RoutesIn, RoutesOut, list_routes, set_routes
from altmatch.web.api.params import Id
from altmatch.web.auth import ActorDep, CaseHandlerDep, OwnCaseDep, RoutingManagerDep
from altmatch.web.deps import SessionsDep
from altmatch.web.listing import ListQuery, list_query
from altmatch.web.locale import LocaleDep
from altmatch.web.uploads import read_upload_blocking

router = APIRouter(tags=["support"])
CASE_FIELDS = ("category", "urgency", "subject", "description", "language")
# CaseIn's enums are components already (the answers use them), so refer to them there.
CASE_SCHEMA = {
    k: v
    for k, v in CaseIn.model_json_schema(ref_template="#/components/schemas/{model}").items()
    if k != "$defs"
}


@router.get("/organisations/{org_id}/support-routes", response_model=RoutesOut)
def get_routes(org_id: Id, actor: RoutingManagerDep, sessions: SessionsDep) -> RoutesOut:
    """The organisation's routing table: who handles its cases at each level."""
    return list_routes(sessions, actor, org_id)


@router.put("/organisations/{org_id}/support-routes", response_model=RoutesOut)
def put_routes(
    org_id: Id, body: RoutesIn, actor: RoutingManagerDep, sessions: SessionsDep
) -> RoutesOut:
    """Replace the routing table (each handler must be staff of the organisation)."""
    return set_routes(sessions, actor, org_id, body)


@router.get("/me/cases", response_model=CasesOut)
def my_cases(actor: OwnCaseDep, sessions: SessionsDep) -> CasesOut:
    """The signed-in ALT's cases, newest first."""
    return list_my_cases(sessions, actor)


def _upload(file: UploadFile, limit: int) -> UploadIn:
    data = read_upload_blocking(file, limit)  # one byte over is enough to refuse it
    return UploadIn(
        filename=file.filename or "attachment",
        content_type=(file.content_type or "").split(";")[0].strip().lower(),
        data=data,
    )


async def _posted(request: Request) -> FormData | bytes:
    """The posted body, read on the event loop: a multipart form, or the raw (JSON) bytes."""
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        return await request.form()
    return await request.body()


def _case_input(posted: FormData | bytes) -> tuple[CaseIn, list[UploadIn]]:
    """A JSON body, or a multipart form with the same fields and files under `attachments`
    (validated in the thread pool, with the route)."""
    try:
        if isinstance(posted, FormData):
            form = posted
            fields = {k: form[k] for k in CASE_FIELDS if isinstance(form.get(k), str)}
            limit = support_rules().attachments.max_bytes
            files = [
                _upload(f, limit)
                for f in form.getlist("attachments")
                if isinstance(f, UploadFile) and (f.filename or f.size)
            ]
            return CaseIn.model_validate(fields), files
        return CaseIn.model_validate_json(posted), []
    except ValidationError as exc:
        errors = [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_url=False)]
        raise RequestValidationError(errors) from None


@router.post(
    "/me/cases",
    response_model=CaseOut,
    status_code=201,
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {"schema": CASE_SCHEMA},
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            **{k: {"type": "string"} for k in CASE_FIELDS},
                            "attachments": {
                                "type": "array",
                                "items": {"type": "string", "format": "binary"},
                            },
                        },
                    }
                },
            }
        }
    },
)
def post_my_case(
    posted: Annotated[FormData | bytes, Depends(_posted)],
    actor: OwnCaseDep,
    sessions: SessionsDep,
    locale: LocaleDep,
) -> CaseOut:
    """Open a case (JSON, or multipart with `attachments`). Routed by your current contract; an
    emergency reaches everyone on the route at once and returns the emergency contacts."""
    body, files = _case_input(posted)
    return open_case(sessions, actor, body, files, locale=locale)


QueueQuery = Annotated[ListQuery, Depends(list_query(QUEUE))]


@router.get("/cases", response_model=QueuePageOut)
def queue(actor: CaseHandlerDep, sessions: SessionsDep, lq: QueueQuery) -> QueuePageOut:
    """The handler's queue a page at a time: cases they may see, breached first, then by the
    nearest due time. `q` searches case numbers and subjects; filters `status`, `category`,
    `urgency`, `overdue` (yes/no), `include_resolved` (true); `sort` by deadline, opened,
    urgency or status."""
    return queue_page(sessions, actor, lq)


@router.get("/cases/{case_id}", response_model=CaseOut)
def case_detail(case_id: Id, actor: ActorDep, sessions: SessionsDep, locale: LocaleDep) -> CaseOut:
    """One case for its ALT (without internal notes) or a handler who may see it; recorded as
    a view."""
    return get_case(sessions, actor, case_id, locale=locale)


@router.post("/cases/{case_id}/messages", response_model=CaseOut)
def post_case_message(
    case_id: Id, body: MessageIn, actor: ActorDep, sessions: SessionsDep, locale: LocaleDep
) -> CaseOut:
    """A reply (handler or ALT) or an internal note (`internal`: handlers only)."""
    return post_message(sessions, actor, case_id, body, locale=locale)


@router.post("/cases/{case_id}/resolve", response_model=CaseOut)
def post_resolve(
    case_id: Id, body: ResolveIn, actor: CaseHandlerDep, sessions: SessionsDep, locale: LocaleDep
) -> CaseOut:
    """Mark the case resolved (409 if it changed since `version`)."""
    return resolve_case(sessions, actor, case_id, body, locale=locale)


@router.post("/cases/{case_id}/reopen", response_model=CaseOut)
def post_reopen(
    case_id: Id, body: ReopenIn, actor: OwnCaseDep, sessions: SessionsDep, locale: LocaleDep
) -> CaseOut:
    """The ALT reopens their resolved case (409 if it changed since `version`)."""
    return reopen_case(sessions, actor, case_id, body, locale=locale)


@router.post("/cases/{case_id}/mediation", response_model=CaseOut)
def post_mediation(
    case_id: Id,
    body: MediationIn,
    actor: CaseHandlerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
) -> CaseOut:
    """Record a mediation with a school on a school-relations case."""
    return record_mediation(sessions, actor, case_id, body, locale=locale)


@router.get(
    "/cases/{case_id}/attachments/{attachment_id}",
    response_class=Response,
    responses={
        200: {
            "description": "The file as uploaded, with the content type it was stored with.",
            "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}},
        }
    },
)
def download_attachment(
    case_id: Id, attachment_id: Id, actor: ActorDep, sessions: SessionsDep
) -> Response:
    """An attachment, always as a download and never sniffed into another type."""
    found = get_attachment(sessions, actor, case_id, attachment_id)
    ascii_name = found.filename.encode("ascii", "replace").decode().replace('"', "_")
    headers = {
        "Content-Disposition": (
            f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(found.filename)}"
        ),
        "X-Content-Type-Options": "nosniff",
    }
    return Response(found.data, media_type=found.content_type, headers=headers)


@router.get("/me/notifications", response_model=NoticesOut)
def my_notifications(
    actor: ActorDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    page: Annotated[int, Query(ge=1, le=MAX_DB_INT)] = 1,
) -> NoticesOut:
    """The signed-in user's in-app notices of every kind, newest first, in their language, a
    page at a time (the same `page` as /my/notifications)."""
    return list_notices(sessions, actor, locale=locale, page=page)


class ReadAllOut(BaseModel):
    marked: int


@router.post("/me/notifications/read-all", response_model=ReadAllOut)
def post_notifications_read_all(actor: ActorDep, sessions: SessionsDep) -> ReadAllOut:
    """Mark every one of your notices read; how many were unread."""
    return ReadAllOut(marked=mark_all_notices_read(sessions, actor))


@router.post("/me/notifications/{notification_id}/read", response_model=NoticeOut)
def post_notification_read(
    notification_id: Id, actor: ActorDep, sessions: SessionsDep, locale: LocaleDep
) -> NoticeOut:
    """Mark one of your notices read (404 for anyone else's)."""
    return mark_notice_read(sessions, actor, notification_id, locale=locale)
