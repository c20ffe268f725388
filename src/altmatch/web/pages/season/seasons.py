"""Coordinator pages: season list, overview with imports, runs, chances, publication, upgrades.

JSON twins: GET /api/v1/seasons, /api/v1/seasons/{id} and /api/v1/seasons/{id}/runs/{run}.
Running a match or chances, or importing a file, starts a background job (services.season.jobs)
and redirects to its progress page (pages.season.jobs); checking a file is answered at once.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from altmatch.clock import JAPAN
from altmatch.db import Sessions
from altmatch.domain.access import Actor
from altmatch.services.kernel.imports import ImportOut
from altmatch.services.season.import_jobs import ImportTarget
from altmatch.services.season.imports import import_candidates, import_requests
from altmatch.services.season.jobs import (
    ImportRefusedError,
    start_chances_job,
    start_import_job,
    start_match_job,
)
from altmatch.services.season.publish import publish_run
from altmatch.services.season.runs import review_run, withdraw_candidates
from altmatch.services.season.setup import list_seasons, open_season, season_overview
from altmatch.web.auth import SeasonManagerDep, SeasonViewerDep
from altmatch.web.deps import SessionsDep
from altmatch.web.locale import LocaleDep
from altmatch.web.pages.jobs import job_started
from altmatch.web.pages.templating import render_page
from altmatch.web.params import Id
from altmatch.web.uploads import ImportLimitsDep, read_upload_blocking

router = APIRouter()
REVIEW_ROWS = 300  # outcomes listed on the run page; the export holds them all


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


@router.get("/seasons", response_class=HTMLResponse)
def seasons_page(
    request: Request, actor: SeasonViewerDep, sessions: SessionsDep, locale: LocaleDep
) -> HTMLResponse:
    context = {"seasons": list_seasons(sessions, actor), "role": actor.role.value}
    return render_page(request, "seasons.html", locale, context)


@router.post("/seasons")
def open_season_form(
    actor: SeasonManagerDep,
    sessions: SessionsDep,
    name: Annotated[str, Form()],
    year: Annotated[int, Form()],
    request_deadline: Annotated[date, Form()],
    contract_start: Annotated[date, Form()],
) -> RedirectResponse:
    """The deadline is the end of that day in Japan, when BoEs stop editing."""
    deadline = datetime(
        request_deadline.year, request_deadline.month, request_deadline.day, 23, 59, tzinfo=JAPAN
    )
    season = open_season(
        sessions,
        actor,
        name=name,
        year=year,
        request_deadline=deadline,
        contract_start=contract_start,
    )
    return _see_other(f"/seasons/{season.id}")


def _overview(
    request: Request,
    sessions: Sessions,
    actor: Actor,
    locale: str,
    season_id: int,
    imported: ImportOut | None = None,
    kind: str | None = None,
) -> HTMLResponse:
    context: dict[str, Any] = {
        "overview": season_overview(sessions, actor, season_id),
        "imported": imported,
        "import_kind": kind,
    }
    status = 422 if imported is not None and imported.errors else 200
    return render_page(request, "season_overview.html", locale, context, status_code=status)


@router.get("/seasons/{season_id}", response_class=HTMLResponse)
def season_page(
    request: Request,
    season_id: Id,
    actor: SeasonManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
) -> HTMLResponse:
    return _overview(request, sessions, actor, locale, season_id)


@router.post("/seasons/{season_id}/import/{kind}", response_class=HTMLResponse)
def season_import(
    request: Request,
    season_id: Id,
    kind: str,
    actor: SeasonManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    limits: ImportLimitsDep,
    file: Annotated[UploadFile, File()],
    action: Annotated[str, Form()] = "preview",
) -> Response:
    """`action` preview checks the file and shows every bad row at once; commit starts an
    import job (every row or none) and goes on to its progress page, which shows the report."""
    target: ImportTarget = "requests" if kind == "requests" else "candidates"
    content = read_upload_blocking(file, limits.max_bytes)
    filename = file.filename or ""
    if action == "commit":
        try:
            job = start_import_job(
                sessions,
                actor,
                season_id,
                target,
                content=content,
                filename=filename,
                limits=limits,
                locale=locale,
            )
        except ImportRefusedError as refused:  # too big: never stored, shown as a check is
            return _overview(request, sessions, actor, locale, season_id, refused.report, target)
        return job_started(request, f"/seasons/{season_id}/jobs/{job.id}")
    importer = import_requests if target == "requests" else import_candidates
    result = importer(
        sessions,
        actor,
        season_id,
        content=content,
        filename=filename,
        commit=False,
        limits=limits,
        locale=locale,
    )
    return _overview(request, sessions, actor, locale, season_id, result, target)


@router.post("/seasons/{season_id}/runs")
def season_run(
    season_id: Id,
    actor: SeasonManagerDep,
    sessions: SessionsDep,
    seed: Annotated[str, Form()] = "",
) -> RedirectResponse:
    """Start the match in the background and show its progress page."""
    chosen = int(seed) if seed.strip().isdigit() else None
    job = start_match_job(sessions, actor, season_id, chosen)
    return _see_other(f"/seasons/{season_id}/jobs/{job.id}")


@router.get("/seasons/{season_id}/runs/{run_id}", response_class=HTMLResponse)
def run_page(
    request: Request,
    season_id: Id,
    run_id: Id,
    actor: SeasonManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
) -> HTMLResponse:
    review = review_run(sessions, actor, season_id, run_id, limit=REVIEW_ROWS)
    context = {"review": review, "rows": review.placements}
    return render_page(request, "season_run.html", locale, context)


@router.post("/seasons/{season_id}/runs/{run_id}/chances")
def run_chances(
    season_id: Id, run_id: Id, actor: SeasonManagerDep, sessions: SessionsDep
) -> RedirectResponse:
    """Start estimating chances in the background and show its progress page."""
    job = start_chances_job(sessions, actor, season_id, run_id)
    return _see_other(f"/seasons/{season_id}/jobs/{job.id}")


@router.post("/seasons/{season_id}/runs/{run_id}/publish")
def run_publish(
    season_id: Id, run_id: Id, actor: SeasonManagerDep, sessions: SessionsDep
) -> RedirectResponse:
    publish_run(sessions, actor, season_id, run_id)
    return _see_other(f"/seasons/{season_id}/runs/{run_id}")


@router.post("/seasons/{season_id}/withdrawals")
def season_withdrawal(
    season_id: Id,
    actor: SeasonManagerDep,
    sessions: SessionsDep,
    candidate_ids: Annotated[str, Form()] = "",
) -> RedirectResponse:
    """Ids separated by commas, semicolons or spaces."""
    ids = [part for part in candidate_ids.replace(";", " ").replace(",", " ").split() if part]
    run = withdraw_candidates(sessions, actor, season_id, ids)
    return _see_other(f"/seasons/{season_id}/runs/{run.run.id}")
