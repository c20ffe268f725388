"""The progress page of a season's background job (a match, chances or an import), polled by
htmx every second (web.pages.jobs).

JSON twin: GET /api/v1/seasons/{id}/jobs/{job}.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from altmatch.i18n import N_
from altmatch.services.season.jobs import job_status
from altmatch.web.auth import SeasonManagerDep
from altmatch.web.deps import SessionsDep
from altmatch.web.locale import LocaleDep
from altmatch.web.pages.jobs import job_page
from altmatch.web.params import Id

router = APIRouter()


@router.get("/seasons/{season_id}/jobs/{job_id}", response_class=HTMLResponse)
def season_job_page(
    request: Request,
    season_id: Id,
    job_id: Id,
    actor: SeasonManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
) -> HTMLResponse:
    """The whole page; htmx polls (HX-Request) get only the progress fragment, and once a run
    is done an HX-Redirect to it. An import makes no run: its page shows the report (rows
    imported, or every row and column at fault) and leads back to the season. Without
    JavaScript the page refreshes itself until the job has finished."""
    job = job_status(sessions, actor, season_id, job_id, locale=locale)
    season_url = f"/seasons/{season_id}"
    done_url = f"{season_url}/runs/{job.run_id}" if job.run_id is not None else None
    return job_page(
        request,
        locale,
        "season_job.html",
        job,
        poll_url=f"{season_url}/jobs/{job.id}",
        back_url=season_url,
        back_label=N_("Back to the season"),
        done_url=done_url,
    )
