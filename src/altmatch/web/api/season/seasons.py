"""The placement season as JSON: seasons, imports, BoE requests and applications."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, File, Query, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from altmatch.domain.application import ApplicationStage
from altmatch.i18n import use_locale
from altmatch.services.kernel.imports import ImportOut
from altmatch.services.season.access import RequestOut, SeasonOut
from altmatch.services.season.applications import (
    PreferencesIn,
    SeasonApplicationOut,
    my_application,
    set_preferences,
    set_stage,
    view_application,
)
from altmatch.services.season.candidate_review import CandidateReviewOut, candidate_review
from altmatch.services.season.imports import import_candidates, import_requests
from altmatch.services.season.listings import (
    APPLICATIONS,
    REQUESTS,
    OverviewPageOut,
    RequestsPageOut,
    overview_page,
    requests_page,
)
from altmatch.services.season.requests import (
    NewRequest,
    RequestFields,
    edit_request,
    file_request,
)
from altmatch.services.season.setup import list_seasons, open_season
from altmatch.web.api.files import IMPORT_RESPONSES, import_response
from altmatch.web.api.params import Id
from altmatch.web.auth import (
    ApplicationViewerDep,
    OwnApplicationDep,
    OwnOutcomeDep,
    RequestEditorDep,
    RequestViewerDep,
    SeasonManagerDep,
    SeasonViewerDep,
)
from altmatch.web.deps import SessionsDep
from altmatch.web.listing import ListQuery, list_query
from altmatch.web.locale import LocaleDep
from altmatch.web.params import QueryId
from altmatch.web.uploads import ImportLimitsDep, read_upload_blocking

router = APIRouter(prefix="/seasons", tags=["season"])
ApplicationsQuery = Annotated[ListQuery, Depends(list_query(APPLICATIONS))]
RequestsQuery = Annotated[ListQuery, Depends(list_query(REQUESTS))]
Commit = Annotated[
    bool, Query(description="false: only check the file (a preview); true: store every row or none")
]


class SeasonIn(BaseModel):
    name: str = Field(max_length=200)
    year: int = Field(ge=2000, le=2100)
    request_deadline: datetime = Field(
        description="With its time zone, e.g. 2027-01-31T17:00+09:00"
    )
    contract_start: date


class RequestEdit(RequestFields):
    version: int = Field(description="The version you read: a stale one is refused with 409.")


class PreferencesEdit(PreferencesIn):
    version: int = Field(description="The version you read: a stale one is refused with 409.")


class StageEdit(BaseModel):
    stage: ApplicationStage
    version: int


@router.get("", response_model=list[SeasonOut])
def get_seasons(actor: SeasonViewerDep, sessions: SessionsDep) -> list[SeasonOut]:
    """The seasons you take part in, newest first."""
    return list_seasons(sessions, actor)


@router.post("", response_model=SeasonOut, status_code=201)
def post_season(body: SeasonIn, actor: SeasonManagerDep, sessions: SessionsDep) -> SeasonOut:
    """Open a season of your programme (coordinators)."""
    return open_season(sessions, actor, **body.model_dump())


@router.get("/{season_id}", response_model=OverviewPageOut)
def get_season(
    season_id: Id, actor: SeasonManagerDep, sessions: SessionsDep, lq: ApplicationsQuery
) -> OverviewPageOut:
    """The coordinator's overview: counts, stages, runs and one page of the applications,
    searched (id or name), filtered (stage, jlpt), sorted and paged as asked."""
    return overview_page(sessions, actor, season_id, lq)


@router.post("/{season_id}/candidates/import", response_model=ImportOut, responses=IMPORT_RESPONSES)
def post_candidates_import(
    season_id: Id,
    actor: SeasonManagerDep,
    sessions: SessionsDep,
    limits: ImportLimitsDep,
    locale: LocaleDep,
    file: Annotated[UploadFile, File(description="candidates .csv (UTF-8 or CP932) or .xlsx")],
    commit: Commit = False,
) -> JSONResponse:
    """Check a candidates file (every bad row as row/column/message); with commit=true store all
    of it, or, with any error, nothing (422)."""
    content = read_upload_blocking(file, limits.max_bytes)
    result = import_candidates(
        sessions,
        actor,
        season_id,
        content=content,
        filename=file.filename or "",
        commit=commit,
        limits=limits,
        locale=locale,
    )
    return import_response(result, commit)


@router.post("/{season_id}/requests/import", response_model=ImportOut, responses=IMPORT_RESPONSES)
def post_requests_import(
    season_id: Id,
    actor: SeasonManagerDep,
    sessions: SessionsDep,
    limits: ImportLimitsDep,
    locale: LocaleDep,
    file: Annotated[UploadFile, File(description="requests .csv (UTF-8 or CP932) or .xlsx")],
    commit: Commit = False,
) -> JSONResponse:
    """Like the candidates import; `boe` names a BoE of the programme by id or exact name."""
    content = read_upload_blocking(file, limits.max_bytes)
    result = import_requests(
        sessions,
        actor,
        season_id,
        content=content,
        filename=file.filename or "",
        commit=commit,
        limits=limits,
        locale=locale,
    )
    return import_response(result, commit)


@router.get("/{season_id}/requests", response_model=RequestsPageOut)
def get_requests(
    season_id: Id, actor: RequestViewerDep, sessions: SessionsDep, lq: RequestsQuery
) -> RequestsPageOut:
    """One page of your BoE's requests (BoE staff) or of every request (coordinators),
    searched (request id or BoE), filtered (boe, prefecture, status), sorted and paged."""
    return requests_page(sessions, actor, season_id, lq)


@router.post("/{season_id}/requests", response_model=RequestOut, status_code=201)
def post_request(
    season_id: Id, body: NewRequest, actor: RequestEditorDep, sessions: SessionsDep
) -> RequestOut:
    """File a request for your BoE before the deadline (409 after it)."""
    return file_request(sessions, actor, season_id, body)


@router.put("/{season_id}/requests/{request_id}", response_model=RequestOut)
def put_request(
    season_id: Id,
    request_id: Id,
    body: RequestEdit,
    actor: RequestEditorDep,
    sessions: SessionsDep,
) -> RequestOut:
    """Edit your BoE's request; 409 when `version` is stale or the deadline has passed."""
    fields = RequestFields.model_validate(body.model_dump(exclude={"version"}))
    return edit_request(sessions, actor, season_id, request_id, fields, version=body.version)


@router.get("/{season_id}/application", response_model=SeasonApplicationOut)
def get_my_application(
    season_id: Id, actor: OwnOutcomeDep, sessions: SessionsDep, locale: LocaleDep
) -> SeasonApplicationOut:
    """Your application: stage and history, preferences, and once published your outcome
    (with how your interview score was calibrated, in the reader's language)."""
    with use_locale(locale):
        return my_application(sessions, actor, season_id)


@router.put("/{season_id}/application/preferences", response_model=SeasonApplicationOut)
def put_my_preferences(
    season_id: Id, body: PreferencesEdit, actor: OwnApplicationDep, sessions: SessionsDep
) -> SeasonApplicationOut:
    """Set where you want to go (until the outcome is published); 409 on a stale version."""
    wishes = PreferencesIn.model_validate(body.model_dump(exclude={"version"}))
    return set_preferences(sessions, actor, season_id, wishes, version=body.version)


@router.get("/{season_id}/candidates/{candidate_id}/review", response_model=CandidateReviewOut)
def get_candidate_review(
    season_id: Id,
    candidate_id: Id,
    actor: SeasonManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    run: QueryId = None,
) -> CandidateReviewOut:
    """A candidate as coordinators review them: the application and, in `run` (default: the
    published run, else the latest), the outcome, why not, alternate places and chance; and
    their calibrated interview score (in the reader's language)."""
    with use_locale(locale):
        return candidate_review(sessions, actor, season_id, candidate_id, run)


@router.get("/{season_id}/candidates/{candidate_id}", response_model=SeasonApplicationOut)
def get_application(
    season_id: Id,
    candidate_id: Id,
    actor: ApplicationViewerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
) -> SeasonApplicationOut:
    """One application (coordinators: any; a candidate: only their own, else 404)."""
    with use_locale(locale):
        return view_application(sessions, actor, season_id, candidate_id)


@router.put("/{season_id}/candidates/{candidate_id}/stage", response_model=SeasonApplicationOut)
def put_stage(
    season_id: Id,
    candidate_id: Id,
    body: StageEdit,
    actor: SeasonManagerDep,
    sessions: SessionsDep,
) -> SeasonApplicationOut:
    """Move an application through review (submitted, screened, interviewed, shortlisted)."""
    return set_stage(sessions, actor, season_id, candidate_id, body.stage, version=body.version)
