"""The candidate's page: their application, stage, preferences and, once published, outcome.

JSON twin: /api/v1/seasons/{id}/application.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from altmatch.i18n import use_locale
from altmatch.rulebook.vocabulary import Area, SchoolLevel
from altmatch.services.kernel.errors import RuleError
from altmatch.services.season.applications import PreferencesIn, my_application, set_preferences
from altmatch.web.auth import OwnApplicationDep, OwnOutcomeDep
from altmatch.web.deps import SessionsDep
from altmatch.web.locale import LocaleDep
from altmatch.web.pages.forms import FormErrors, PostedForm
from altmatch.web.pages.templating import render_page
from altmatch.web.params import Id

router = APIRouter()


def _context(application: Any, errors: FormErrors) -> dict[str, Any]:
    return {
        "app": application,
        "school_levels": list(SchoolLevel),
        "areas": list(Area),
        "errors": errors,
    }


@router.get("/seasons/{season_id}/application", response_class=HTMLResponse)
def application_page(
    request: Request, season_id: Id, actor: OwnOutcomeDep, sessions: SessionsDep, locale: LocaleDep
) -> HTMLResponse:
    with use_locale(locale):  # the interview's adjustment is told in the reader's language
        context = _context(my_application(sessions, actor, season_id), FormErrors())
    return render_page(request, "season_application.html", locale, context)


@router.post("/seasons/{season_id}/application/preferences", response_class=HTMLResponse)
def preferences_form(
    request: Request,
    season_id: Id,
    actor: OwnApplicationDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    form: PostedForm,
) -> Response:
    text = str(form.get("prefectures", ""))
    data = {
        "prefectures": [p.strip() for p in text.replace("、", ",").split(",") if p.strip()],
        "area": str(form.get("area", "")) or None,
        "school_levels": [str(v) for v in form.getlist("school_levels")],
        "anywhere": "anywhere" in form,
    }
    try:
        wishes = PreferencesIn.model_validate(data)
        version = int(str(form.get("version", "0")))
        set_preferences(sessions, actor, season_id, wishes, version=version)
    except (ValidationError, RuleError) as exc:
        errors = FormErrors.from_error(exc, locale)
    else:
        return RedirectResponse(f"/seasons/{season_id}/application", status_code=303)
    with use_locale(locale):
        context = _context(my_application(sessions, actor, season_id), errors)
    return render_page(
        request, "season_application.html", locale, context, status_code=errors.status_code
    )
