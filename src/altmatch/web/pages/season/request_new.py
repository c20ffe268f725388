"""BoE staff file a new placement request for their BoE, until the season's request deadline.

JSON twin: GET /api/v1/seasons/{id}/requests/new (the form's frame: open or not, until when);
filing is POST /api/v1/seasons/{id}/requests.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from altmatch.services.kernel.errors import RuleError
from altmatch.services.season.request_form import new_request_form
from altmatch.services.season.requests import NewRequest, file_request
from altmatch.web.auth import RequestEditorDep
from altmatch.web.deps import SessionsDep
from altmatch.web.locale import LocaleDep
from altmatch.web.pages.forms import FormErrors, PostedForm
from altmatch.web.pages.season.boe import WEIGHTS, request_fields
from altmatch.web.pages.templating import render_page
from altmatch.web.params import Id

router = APIRouter()


@router.get("/seasons/{season_id}/requests/new", response_class=HTMLResponse)
def new_request_page(
    request: Request,
    season_id: Id,
    actor: RequestEditorDep,
    sessions: SessionsDep,
    locale: LocaleDep,
) -> HTMLResponse:
    frame = new_request_form(sessions, actor, season_id)
    values: dict[str, Any] = {"prefecture": frame.prefecture or "", "capacity": 1}
    context = {"frame": frame, "values": values, "errors": FormErrors(), "weights": WEIGHTS}
    return render_page(request, "season_request_new.html", locale, context)


@router.post("/seasons/{season_id}/requests/new", response_class=HTMLResponse)
def new_request_post(
    request: Request,
    season_id: Id,
    actor: RequestEditorDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    form: PostedForm,
) -> Response:
    """File it (refused after the deadline, like the API) and go to the requests page."""
    posted = {k: str(v) for k, v in form.items()}
    levels = [str(v) for v in form.getlist("school_levels")]
    data = request_fields(posted, levels)
    try:
        fields = NewRequest.model_validate(data)
        filed = file_request(sessions, actor, season_id, fields)
    except (ValidationError, RuleError) as exc:
        errors = FormErrors.from_error(exc, locale)
    else:
        target = f"/seasons/{season_id}/requests?filed={quote(filed.request_id)}"
        return RedirectResponse(target, status_code=303)
    frame = new_request_form(sessions, actor, season_id)
    values = {
        **posted,
        "school_levels": levels,
        "requires_driving_licence": "requires_driving_licence" in posted,
    }
    context = {"frame": frame, "values": values, "errors": errors, "weights": WEIGHTS}
    return render_page(
        request, "season_request_new.html", locale, context, status_code=errors.status_code
    )
