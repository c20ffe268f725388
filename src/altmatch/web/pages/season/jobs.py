"""The progress page of a background match or chances run, polled by htmx every second.

JSON twin: GET /api/v1/seasons/{id}/jobs/{job}.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from altmatch.services.season.jobs import job_status
from altmatch.web.auth import SeasonManagerDep
from altmatch.web.deps import SessionsDep
from altmatch.web.locale import LocaleDep
from altmatch.web.pages.templating import render_page
from altmatch.web.params import Id

router = APIRouter()


@router.get("/seasons/{season_id}/jobs/{job_id}", response_class=HTMLResponse)
def job_page(
    request: Request,
    season_id: Id,
    job_id: Id,
    actor: SeasonManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
) -> HTMLResponse:
    """The whole page; htmx polls (HX-Request) get only the progress fragment, and once the
    job is done an HX-Redirect to its run. Without JavaScript the page links to the run."""
    job = job_status(sessions, actor, season_id, job_id, locale=locale)
    # An import job makes no run: it leads back to the season, where the imported rows are.
    run_url = (
        f"/seasons/{season_id}/runs/{job.run_id}"
        if job.run_id is not None
        else f"/seasons/{season_id}"
    )
    if request.headers.get("HX-Request") != "true":
        return render_page(request, "season_job.html", locale, {"job": job, "run_url": run_url})
    response = render_page(request, "_job_progress.html", locale, {"job": job, "run_url": run_url})
    if job.status == "done":
        response.headers["HX-Redirect"] = run_url
    return response
