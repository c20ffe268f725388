"""BoE pages: their requests (edit form, locked after the deadline) and their placements.

JSON twins: /api/v1/seasons/{id}/requests and /api/v1/seasons/{id}/placements.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from altmatch.db import Sessions
from altmatch.domain.access import Actor
from altmatch.rulebook.vocabulary import Area, Jlpt, SchoolLevel
from altmatch.services.kernel.errors import RuleError
from altmatch.services.season import listings
from altmatch.services.season.requests import RequestFields, edit_request
from altmatch.web.auth import PlacementViewerDep, RequestEditorDep, RequestViewerDep
from altmatch.web.deps import SessionsDep
from altmatch.web.listing import ListQuery
from altmatch.web.locale import LocaleDep
from altmatch.web.pages.forms import FormErrors, PostedForm
from altmatch.web.pages.season.lists import PlacementsQuery, RequestsQuery, list_context
from altmatch.web.pages.templating import render_page
from altmatch.web.params import Id, QueryId

router = APIRouter()
WEIGHTS = ("weight_jlpt", "weight_teaching_years", "weight_school_levels", "weight_driving_licence")


def _vocabulary() -> dict[str, Any]:
    return {
        "school_levels": list(SchoolLevel),
        "areas": list(Area),
        "jlpt_levels": list(Jlpt),
        "weights": WEIGHTS,
    }


@router.get("/seasons/{season_id}/requests", response_class=HTMLResponse)
def requests_page(
    request: Request,
    season_id: Id,
    actor: RequestViewerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    lq: RequestsQuery,
    edit: QueryId = None,
) -> HTMLResponse:
    """The requests a page at a time, with the one being edited (JSON twin: the same query
    string on /api/v1/seasons/{id}/requests)."""
    return _requests(request, sessions, actor, locale, season_id, lq, edit, FormErrors())


def _requests(
    request: Request,
    sessions: Sessions,
    actor: Actor,
    locale: str,
    season_id: int,
    lq: ListQuery,
    edit: int | None,
    errors: FormErrors,
) -> HTMLResponse:
    found = listings.requests_page(sessions, actor, season_id, lq, edit=edit)
    context: dict[str, Any] = {
        "found": found,
        "listing": found.listing,
        "editing": edit,
        "errors": errors,
    }
    context |= list_context(lq, found.choices, locale) | _vocabulary()
    return render_page(
        request,
        "season_requests.html",
        locale,
        context,
        status_code=errors.status_code if errors else 200,
    )


def request_fields(form: dict[str, Any], levels: list[str]) -> dict[str, Any]:
    """HTML forms omit unchecked boxes and send blanks: turn them into the fields' values."""
    data = {k: v for k, v in form.items() if v != "" and k != "school_levels"}
    data["school_levels"] = levels
    data["requires_driving_licence"] = "requires_driving_licence" in form
    return data


@router.post("/seasons/{season_id}/requests/{request_id}", response_class=HTMLResponse)
def request_edit(
    request: Request,
    season_id: Id,
    request_id: Id,
    actor: RequestEditorDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    form: PostedForm,
) -> Response:
    data = request_fields(
        {k: str(v) for k, v in form.items()}, [str(v) for v in form.getlist("school_levels")]
    )
    try:
        fields = RequestFields.model_validate(data)
        edit_request(
            sessions, actor, season_id, request_id, fields, version=int(data.get("version", 0))
        )
    except (ValidationError, RuleError) as exc:
        errors = FormErrors.from_error(exc, locale)
    else:
        return RedirectResponse(f"/seasons/{season_id}/requests", status_code=303)
    return _requests(request, sessions, actor, locale, season_id, ListQuery(), request_id, errors)


@router.get("/seasons/{season_id}/placements", response_class=HTMLResponse)
def placements_page(
    request: Request,
    season_id: Id,
    actor: PlacementViewerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    lq: PlacementsQuery,
) -> HTMLResponse:
    """The published placements a page at a time (a BoE: its own), with alternates for a few
    requests at once (JSON twin: the same query string on /api/v1/seasons/{id}/placements)."""
    found = listings.placements_page(sessions, actor, season_id, lq)
    context = {"found": found, "listing": found.listing} | list_context(lq, found.choices, locale)
    return render_page(request, "season_placements.html", locale, context)
