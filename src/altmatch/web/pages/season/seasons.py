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
from altmatch.domain.access import Actor, Permission
from altmatch.i18n import use_locale
from altmatch.services.kernel.imports import ImportOut
from altmatch.services.season.candidate_review import candidate_review
from altmatch.services.season.import_jobs import ImportTarget
from altmatch.services.season.imports import import_candidates, import_requests
from altmatch.services.season.jobs import (
    ImportRefusedError,
    start_chances_job,
    start_import_job,
    start_match_job,
)
from altmatch.services.season.listings import overview_page, review_page
from altmatch.services.season.runs import withdraw_candidates
from altmatch.services.season.setup import list_seasons, open_season
from altmatch.web.auth import ActorDep, SeasonManagerDep
from altmatch.web.deps import SessionsDep
from altmatch.web.listing import ListQuery
from altmatch.web.locale import LocaleDep
from altmatch.web.pages.jobs import job_started
from altmatch.web.pages.season.lists import ApplicationsQuery, OutcomesQuery, list_context
from altmatch.web.pages.templating import render_page
from altmatch.web.params import Id, QueryId
from altmatch.web.uploads import ImportLimitsDep, read_upload_blocking

router = APIRouter()


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


@router.get("/seasons", response_class=HTMLResponse)
def seasons_page(
    request: Request, actor: ActorDep, sessions: SessionsDep, locale: LocaleDep
) -> HTMLResponse:
    """Seasons for those who take part; anyone else (an administrator, who runs none) is shown
    no seasons and, for an administrator, where their own work is, instead of a refusal."""
    seasons = list_seasons(sessions, actor) if actor.can(Permission.SEASON_VIEW) else []
    context = {"seasons": seasons, "role": actor.role.value}
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
    lq: ListQuery | None = None,
) -> HTMLResponse:
    query = lq or ListQuery()
    overview = overview_page(sessions, actor, season_id, query)
    context: dict[str, Any] = {
        "overview": overview,
        "listing": overview.listing,
        "imported": imported,
        "import_kind": kind,
    }
    context |= list_context(query, None, locale)
    status = 422 if imported is not None and imported.errors else 200
    return render_page(request, "season_overview.html", locale, context, status_code=status)


@router.get("/seasons/{season_id}", response_class=HTMLResponse)
def season_page(
    request: Request,
    season_id: Id,
    actor: SeasonManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    lq: ApplicationsQuery,
) -> HTMLResponse:
    """Counts, imports, runs, and the applications a page at a time (JSON twin: the same
    query string on /api/v1/seasons/{id})."""
    return _overview(request, sessions, actor, locale, season_id, lq=lq)


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
    lq: OutcomesQuery,
) -> HTMLResponse:
    """The run's summary and explanation, and its outcomes a page at a time (JSON twin: the
    same query string on /api/v1/seasons/{id}/runs/{run})."""
    with use_locale(locale):  # the interview tiers are words in the reader's language
        review = review_page(sessions, actor, season_id, run_id, lq)
    context = {"review": review, "rows": review.placements, "listing": review.listing}
    context |= list_context(lq, review.choices, locale)
    return render_page(request, "season_run.html", locale, context)


@router.get("/seasons/{season_id}/candidates/{candidate_id}", response_class=HTMLResponse)
def candidate_page(
    request: Request,
    season_id: Id,
    candidate_id: Id,
    actor: SeasonManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    run: QueryId = None,
) -> HTMLResponse:
    """One candidate for the coordinators: application, outcome in a run, why not, alternate
    places, chance (JSON twin: /api/v1/seasons/{id}/candidates/{candidate}/review)."""
    with use_locale(locale):  # the interview's adjustment is told in the reader's language
        found = candidate_review(sessions, actor, season_id, candidate_id, run)
    context = {"found": found} | list_context(ListQuery(), None, locale)
    return render_page(request, "season_candidate.html", locale, context)


@router.post("/seasons/{season_id}/runs/{run_id}/chances")
def run_chances(
    season_id: Id, run_id: Id, actor: SeasonManagerDep, sessions: SessionsDep
) -> RedirectResponse:
    """Start estimating chances in the background and show its progress page."""
    job = start_chances_job(sessions, actor, season_id, run_id)
    return _see_other(f"/seasons/{season_id}/jobs/{job.id}")


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
