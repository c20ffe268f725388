"""What every page that starts or follows a background job shares, whatever its context.

A form that starts a job answers with the job's progress page: a 303 to it, or for an htmx
request an HX-Redirect (so the browser lands on the page itself, not a fragment in the form's
place). The progress page (`_job_progress.html`) is polled by htmx every second; a poll gets
only the fragment, and once a match or chances run is done an HX-Redirect to it. An import's
page stays put when done and shows its report. Without JavaScript the page refreshes itself
(`_job_refresh.html`) until the job has finished.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from altmatch.services.kernel.job_runner import JobProgress
from altmatch.web.pages.templating import render_page


def job_started(request: Request, progress_url: str) -> Response:
    """The answer to a form that started a job: on to its progress page."""
    if request.headers.get("HX-Request") == "true":
        return Response(status_code=200, headers={"HX-Redirect": progress_url})
    return RedirectResponse(progress_url, status_code=303)


def job_page(
    request: Request,
    locale: str,
    template: str,
    job: JobProgress,
    *,
    poll_url: str,
    back_url: str,
    back_label: str,
    done_url: str | None = None,
) -> HTMLResponse:
    """The progress page (`template`, which includes `_job_progress.html`), or for an htmx poll
    its fragment. `back_label` is an msgid (N_), translated in the template; `done_url` is
    where a finished run is shown (None: the job's own report is, as an import's)."""
    context: dict[str, Any] = {
        "job": job,
        "poll_url": poll_url,
        "back_url": back_url,
        "back_label": back_label,
        "done_url": done_url,
    }
    if request.headers.get("HX-Request") != "true":
        return render_page(request, template, locale, context)
    response = render_page(request, "_job_progress.html", locale, context)
    if job.status == "done" and done_url is not None:
        response.headers["HX-Redirect"] = done_url
    return response
