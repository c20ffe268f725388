"""A dispatch company's contracts, tenders and roster as JSON (the twins of /dispatch pages).

Contracts: company staff see and change their company's; BoE staff read the ones their BoE
signed. Tenders and the roster are the company's staff's alone.

A roster or positions file is imported at once (`.../roster/import`, `.../positions`: fine for
small files), or as a background job (`.../import/jobs`, 202): follow it at /dispatch/jobs/{job},
whose `result` is the same report. A company's jobs are its staff's alone.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Query, Response, UploadFile
from fastapi.responses import JSONResponse

from altmatch.io.export import Format
from altmatch.services.dispatch.contracts import (
    ContractFields,
    ContractsOut,
    DispatchContractOut,
    create_contract,
    get_contract,
    import_positions,
    list_contracts,
)
from altmatch.services.dispatch.import_jobs import (
    DispatchImportTarget,
    ImportJobOut,
    ImportRefusedError,
    import_job_status,
    start_import_job,
)
from altmatch.services.dispatch.roster import (
    ROSTER,
    ChecklistTick,
    ComplianceDatesEdit,
    RenewalEdit,
    RosterAltDetailOut,
    RosterPageOut,
    export_roster,
    get_roster_alt,
    import_roster,
    roster_page,
    set_compliance_dates,
    set_renewal_intention,
    tick_checklist,
)
from altmatch.services.dispatch.tenders import (
    OutcomeFields,
    TenderFields,
    TenderOut,
    TendersOut,
    list_tenders,
    record_tender,
    set_tender_outcome,
)
from altmatch.services.kernel.imports import ImportOut
from altmatch.web.api.files import FILE_RESPONSES, IMPORT_RESPONSES, attachment, import_response
from altmatch.web.api.params import Id
from altmatch.web.auth import ContractViewerDep, DispatchManagerDep
from altmatch.web.deps import SessionsDep
from altmatch.web.listing import ListQuery, list_query
from altmatch.web.locale import LocaleDep
from altmatch.web.uploads import ImportLimitsDep, read_upload_blocking

router = APIRouter(prefix="/dispatch", tags=["dispatch"])
Commit = Annotated[
    bool, Query(description="false: only check the file (a preview); true: store every row or none")
]
FormatQuery = Annotated[Format, Query(description="csv (UTF-8 with BOM) or xlsx")]


@router.get("/contracts", response_model=ContractsOut)
def get_contracts(
    actor: ContractViewerDep, sessions: SessionsDep, locale: LocaleDep
) -> ContractsOut:
    """Your company's contracts (BoE staff: the contracts your BoE signed)."""
    return list_contracts(sessions, actor, locale=locale)


@router.post("/contracts", response_model=DispatchContractOut, status_code=201)
def post_contract(
    body: ContractFields, actor: DispatchManagerDep, sessions: SessionsDep, locale: LocaleDep
) -> DispatchContractOut:
    """Sign a contract with a BoE, optionally with positions (school ids are the BoE's own)."""
    return create_contract(sessions, actor, body, locale=locale)


@router.get("/contracts/{contract_id}", response_model=DispatchContractOut)
def get_one_contract(
    contract_id: Id, actor: ContractViewerDep, sessions: SessionsDep, locale: LocaleDep
) -> DispatchContractOut:
    """One contract: its type's duties, positions with who works each, schools covered."""
    return get_contract(sessions, actor, contract_id, locale=locale)


@router.post(
    "/contracts/{contract_id}/positions", response_model=ImportOut, responses=IMPORT_RESPONSES
)
def post_positions(
    contract_id: Id,
    actor: DispatchManagerDep,
    sessions: SessionsDep,
    limits: ImportLimitsDep,
    locale: LocaleDep,
    file: Annotated[UploadFile, File()],
    commit: Commit = True,
) -> JSONResponse:
    """Add positions from CSV/XLSX (position_id, school_id, days_per_week,
    requires_driving_licence, min_jlpt): every row or none; 422 lists each bad cell."""
    content = read_upload_blocking(file, limits.max_bytes)
    result = import_positions(
        sessions,
        actor,
        contract_id,
        content=content,
        filename=file.filename or "",
        commit=commit,
        limits=limits,
        locale=locale,
    )
    return import_response(result, commit)


@router.post(
    "/contracts/{contract_id}/positions/import/jobs",
    response_model=ImportJobOut,
    status_code=202,
    responses=IMPORT_RESPONSES,
)
def post_positions_import_job(
    contract_id: Id,
    actor: DispatchManagerDep,
    sessions: SessionsDep,
    limits: ImportLimitsDep,
    locale: LocaleDep,
    file: Annotated[UploadFile, File(description="positions .csv (UTF-8 or CP932) or .xlsx")],
) -> ImportJobOut | JSONResponse:
    """Add positions from a file in the background: every row or, with any error, none.
    Follow it at /dispatch/jobs/{job}; its `result` is the report the synchronous import gives."""
    return _start_import("positions", actor, sessions, limits, locale, file, contract_id)


@router.get("/tenders", response_model=TendersOut)
def get_tenders(actor: DispatchManagerDep, sessions: SessionsDep, locale: LocaleDep) -> TendersOut:
    """Your company's tenders with the outcome of each and the win rate."""
    return list_tenders(sessions, actor, locale=locale)


@router.post("/tenders", response_model=TenderOut, status_code=201)
def post_tender(
    body: TenderFields, actor: DispatchManagerDep, sessions: SessionsDep, locale: LocaleDep
) -> TenderOut:
    """Record a bid submitted to a BoE (pending until its outcome is set)."""
    return record_tender(sessions, actor, body, locale=locale)


@router.post("/tenders/{tender_id}/outcome", response_model=TenderOut)
def post_tender_outcome(
    tender_id: Id,
    body: OutcomeFields,
    actor: DispatchManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
) -> TenderOut:
    """Won, lost or pending; a won tender may link the contract it became."""
    return set_tender_outcome(sessions, actor, tender_id, body, locale=locale)


RosterQuery = Annotated[ListQuery, Depends(list_query(ROSTER))]


@router.get("/roster", response_model=RosterPageOut)
def get_roster(
    actor: DispatchManagerDep, sessions: SessionsDep, locale: LocaleDep, lq: RosterQuery
) -> RosterPageOut:
    """Your company's ALTs a page at a time: `q` searches ALT ids and names; filters
    `contract` (a contract id, or "unassigned"), `renewal_intention`, `jlpt`, `prefecture`;
    `sort` by name, alt, contract_end or renewal."""
    return roster_page(sessions, actor, lq, locale=locale)


@router.get("/roster/export", response_class=Response, responses=FILE_RESPONSES)
def get_roster_export(
    actor: DispatchManagerDep, sessions: SessionsDep, locale: LocaleDep, format: FormatQuery = "csv"
) -> Response:
    """The roster in the import's columns plus checklist and assignment, formula-safe."""
    content = export_roster(sessions, actor, format, locale=locale)
    return attachment(content, f"roster.{format}", format)


@router.post("/roster/import", response_model=ImportOut, responses=IMPORT_RESPONSES)
def post_roster_import(
    actor: DispatchManagerDep,
    sessions: SessionsDep,
    limits: ImportLimitsDep,
    locale: LocaleDep,
    file: Annotated[UploadFile, File()],
    commit: Commit = True,
) -> JSONResponse:
    """Add or update ALTs by alt_id from CSV/XLSX: every row or none; 422 lists each bad cell."""
    content = read_upload_blocking(file, limits.max_bytes)
    result = import_roster(
        sessions,
        actor,
        content=content,
        filename=file.filename or "",
        commit=commit,
        limits=limits,
        locale=locale,
    )
    return import_response(result, commit)


@router.post(
    "/roster/import/jobs",
    response_model=ImportJobOut,
    status_code=202,
    responses=IMPORT_RESPONSES,
)
def post_roster_import_job(
    actor: DispatchManagerDep,
    sessions: SessionsDep,
    limits: ImportLimitsDep,
    locale: LocaleDep,
    file: Annotated[UploadFile, File(description="roster .csv (UTF-8 or CP932) or .xlsx")],
) -> ImportJobOut | JSONResponse:
    """Import the roster in the background: every row or, with any error, none. Follow it at
    /dispatch/jobs/{job}; its `result` is the report the synchronous import gives."""
    return _start_import("roster", actor, sessions, limits, locale, file)


@router.get("/jobs/{job_id}", response_model=ImportJobOut)
def get_import_job(
    job_id: Id, actor: DispatchManagerDep, sessions: SessionsDep, locale: LocaleDep
) -> ImportJobOut:
    """An import job of your company: its status, stage and progress, and once it has run its
    report (`result`); `error` if it failed. Another company's job is 404."""
    return import_job_status(sessions, actor, job_id, locale=locale)


def _start_import(
    target: DispatchImportTarget,
    actor: DispatchManagerDep,
    sessions: SessionsDep,
    limits: ImportLimitsDep,
    locale: str,
    file: UploadFile,
    contract_id: int | None = None,
) -> ImportJobOut | JSONResponse:
    content = read_upload_blocking(file, limits.max_bytes)
    try:
        return start_import_job(
            sessions,
            actor,
            target,
            content=content,
            filename=file.filename or "",
            limits=limits,
            contract_id=contract_id,
            locale=locale,
        )
    except ImportRefusedError as refused:  # too big: never stored, answered as the sync import
        return JSONResponse(refused.report.model_dump(mode="json"), status_code=422)


@router.get("/roster/{alt_id}", response_model=RosterAltDetailOut)
def get_roster_alt_detail(
    alt_id: Id, actor: DispatchManagerDep, sessions: SessionsDep, locale: LocaleDep
) -> RosterAltDetailOut:
    """One ALT with their onboarding checklist and assignment history."""
    return get_roster_alt(sessions, actor, alt_id, locale=locale)


@router.post("/roster/{alt_id}/checklist", response_model=RosterAltDetailOut)
def post_checklist(
    alt_id: Id,
    body: ChecklistTick,
    actor: DispatchManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
) -> RosterAltDetailOut:
    """Tick an onboarding item with its completion date (no date clears it); 409 if stale."""
    return tick_checklist(sessions, actor, alt_id, body, locale=locale)


@router.post("/roster/{alt_id}/renewal", response_model=RosterAltDetailOut)
def post_renewal(
    alt_id: Id,
    body: RenewalEdit,
    actor: DispatchManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
) -> RosterAltDetailOut:
    """Record the ALT's renewal intention; 409 if someone changed the ALT since you read it."""
    return set_renewal_intention(sessions, actor, alt_id, body, locale=locale)


@router.post("/roster/{alt_id}/compliance-dates", response_model=RosterAltDetailOut)
def post_compliance_dates(
    alt_id: Id,
    body: ComplianceDatesEdit,
    actor: DispatchManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
) -> RosterAltDetailOut:
    """Record when the ALT's first fixed-term contract began and when their residence card
    expires (null clears either), for the compliance watch; 409 if the ALT changed since."""
    return set_compliance_dates(sessions, actor, alt_id, body, locale=locale)
