"""The coordinator's interview calibration page: upload the panels' rubric scores, read the
report (reliability, warnings, suggested swaps, assessors' severities as a dot plot and a
table, candidates a page at a time).

Storing a calibration replaces the current one and changes the next run's inputs, so the form
asks the coordinator to confirm, and the server stores nothing unless the box is ticked
("Check the file" never stores). The assessors' submitted score sheets are the other source:
the page counts them (GET /api/v1/seasons/{id}/interviews/sheets) and calibrates from them the
same way. JSON twin: GET /api/v1/seasons/{id}/interviews; the upload is POST
/api/v1/seasons/{id}/interviews/calibration, the sheets' .../calibration/sheets.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from altmatch.db import Sessions
from altmatch.domain.access import Actor
from altmatch.i18n import N_, use_locale
from altmatch.services.kernel.errors import RuleError
from altmatch.services.season.interview_calibration import (
    CalibrationUploadOut,
    calibrate_from_sheets,
    calibrate_season,
    sheets_summary,
)
from altmatch.services.season.interview_report import CALIBRATED, interviews_page
from altmatch.web.auth import SeasonManagerDep
from altmatch.web.deps import SessionsDep
from altmatch.web.listing import ListQuery, list_query
from altmatch.web.locale import LocaleDep
from altmatch.web.pages.forms import FormErrors
from altmatch.web.pages.season.severity_chart import severity_chart
from altmatch.web.pages.templating import render_page
from altmatch.web.params import Id
from altmatch.web.uploads import ImportLimitsDep, read_upload_blocking

router = APIRouter()
CalibratedQuery = Annotated[ListQuery, Depends(list_query(CALIBRATED))]
CONFIRM = "confirm"  # the box saying the coordinator knows storing replaces the calibration


def _page(
    request: Request,
    sessions: Sessions,
    actor: Actor,
    locale: str,
    season_id: int,
    lq: ListQuery,
    *,
    upload: CalibrationUploadOut | None = None,
    from_sheets: CalibrationUploadOut | None = None,
    errors: FormErrors | None = None,
    sheet_errors: FormErrors | None = None,
    stored: bool = False,
) -> HTMLResponse:
    with use_locale(locale):
        found = interviews_page(sessions, actor, season_id, lq)
    sheets = sheets_summary(sessions, actor, season_id)
    context: dict[str, Any] = {
        "found": found,
        "lq": lq,
        "listing": found.listing,
        "chart": severity_chart(found.assessors) if found.assessors else None,
        "upload": upload,
        "errors": errors or FormErrors(),
        "stored": stored,
        "sheets": sheets,
        "from_sheets": from_sheets,
        "sheet_errors": sheet_errors or FormErrors(),
    }
    status = 200
    if errors:
        status = errors.status_code
    elif sheet_errors:
        status = sheet_errors.status_code
    elif upload is not None and upload.errors:
        status = 422
    return render_page(request, "season_interviews.html", locale, context, status_code=status)


@router.get("/seasons/{season_id}/interviews", response_class=HTMLResponse)
def interviews_report_page(
    request: Request,
    season_id: Id,
    actor: SeasonManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    lq: CalibratedQuery,
    stored: int = 0,
) -> HTMLResponse:
    return _page(request, sessions, actor, locale, season_id, lq, stored=bool(stored))


@router.post("/seasons/{season_id}/interviews", response_class=HTMLResponse)
def interviews_upload(
    request: Request,
    season_id: Id,
    actor: SeasonManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    limits: ImportLimitsDep,
    file: Annotated[UploadFile, File()],
    action: Annotated[str, Form()] = "preview",
    confirm: Annotated[str, Form()] = "",
) -> Response:
    """`preview` checks and calibrates the file without storing it; `commit` stores it, once
    the coordinator has ticked the confirmation; every bad row is shown by row and column."""
    commit = action == "commit"
    lq = ListQuery()
    if commit and confirm != "yes":
        message = N_(
            "Tick the box to confirm that storing replaces the current calibration and the "
            "interview scores of the next run."
        )
        errors = FormErrors.of(message, locale, CONFIRM)
        return _page(request, sessions, actor, locale, season_id, lq, errors=errors)
    content = read_upload_blocking(file, limits.max_bytes)
    try:
        result = calibrate_season(
            sessions,
            actor,
            season_id,
            content=content,
            filename=file.filename or "",
            commit=commit,
            limits=limits,
            locale=locale,
        )
    except RuleError as exc:
        errors = FormErrors.from_rule(exc, locale)
        return _page(request, sessions, actor, locale, season_id, lq, errors=errors)
    if result.committed:
        return RedirectResponse(f"/seasons/{season_id}/interviews?stored=1", status_code=303)
    return _page(request, sessions, actor, locale, season_id, lq, upload=result)


@router.post("/seasons/{season_id}/interviews/sheets", response_class=HTMLResponse)
def interviews_from_sheets(
    request: Request,
    season_id: Id,
    actor: SeasonManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    action: Annotated[str, Form()] = "preview",
    confirm: Annotated[str, Form()] = "",
    sha256: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """Calibrate from the assessors' submitted score sheets: `preview` stores nothing;
    `commit` stores, once the box is ticked, exactly the sheets counted on the page (`sha256`;
    sheets changed since are refused with 409)."""
    commit = action == "commit"
    lq = ListQuery()
    if commit and confirm != "yes":
        message = N_(
            "Tick the box to confirm that storing replaces the current calibration and the "
            "interview scores of the next run."
        )
        errors = FormErrors.of(message, locale, "sheets_confirm")
        return _page(request, sessions, actor, locale, season_id, lq, sheet_errors=errors)
    try:
        result = calibrate_from_sheets(
            sessions, actor, season_id, commit=commit, sha256=sha256 or None, locale=locale
        )
    except RuleError as exc:
        errors = FormErrors.from_rule(exc, locale)
        return _page(request, sessions, actor, locale, season_id, lq, sheet_errors=errors)
    if result.committed:
        return RedirectResponse(f"/seasons/{season_id}/interviews?stored=1", status_code=303)
    return _page(request, sessions, actor, locale, season_id, lq, from_sheets=result)
