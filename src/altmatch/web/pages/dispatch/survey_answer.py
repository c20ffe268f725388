"""/survey: the form a survey link opens, for a school's contact or an ALT, with no sign-in
(GET shows, POST answers: mail scanners open links too). Japanese unless the link or the
reader's language switch says otherwise. Twin: /api/v1/survey."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError

from altmatch.db import Sessions
from altmatch.i18n import normalize_locale
from altmatch.services.dispatch.survey_links import (
    SurveyAnswerIn,
    SurveyLinkError,
    answer_survey,
    read_survey,
)
from altmatch.services.kernel.errors import RuleError
from altmatch.web.deps import SessionsDep
from altmatch.web.pages.forms import FormErrors, PostedForm
from altmatch.web.pages.templating import render_page

router = APIRouter()
PAGE = "survey.html"


def survey_locale(request: Request) -> str:
    """The link's or the switch's `lang`, else Japanese: the school survey is Japanese first,
    whatever the browser says."""
    return normalize_locale(request.query_params.get("lang")) or "ja"


def _page(
    request: Request,
    sessions: Sessions,
    token: str,
    locale: str,
    *,
    values: dict[str, str] | None = None,
    errors: FormErrors | None = None,
    state: str = "form",
) -> HTMLResponse:
    survey = read_survey(sessions, token, locale=locale)
    errors = errors or FormErrors()
    context: dict[str, Any] = {
        "survey": survey,
        "token": token,
        "values": values or {},
        "errors": errors,
        "state": state,
    }
    if errors:
        status = errors.status_code
    elif state == "gone":
        status = 409  # answered a moment ago, closed, or replaced: nothing was changed
    else:
        status = 200 if survey.valid else 404
    return render_page(request, PAGE, locale, context, status_code=status)


@router.get("/survey", response_class=HTMLResponse)
def survey_page(request: Request, sessions: SessionsDep, token: str = "") -> HTMLResponse:
    return _page(request, sessions, token, survey_locale(request))


@router.post("/survey", response_class=HTMLResponse)
def survey_answer(request: Request, sessions: SessionsDep, form: PostedForm) -> HTMLResponse:
    locale = survey_locale(request)
    fields = {k: str(v).strip() for k, v in form.items()}
    token = fields.pop("token", "")
    comment = fields.pop("comment", "")
    answers = {k.removeprefix("q_"): v for k, v in fields.items() if k.startswith("q_")}
    try:
        body = SurveyAnswerIn.model_validate({"answers": answers, "comment": comment})
        answer_survey(sessions, token, body)
    except SurveyLinkError:
        return _page(request, sessions, token, locale, state="gone")
    except (ValidationError, RuleError) as exc:
        errors = FormErrors.from_error(exc, locale)
        return _page(request, sessions, token, locale, values=form_values(form), errors=errors)
    context: dict[str, Any] = {
        "state": "thanks",
        "survey": None,
        "token": "",
        "values": {},
        "errors": None,
    }
    return render_page(request, PAGE, locale, context)


def form_values(form: Any) -> dict[str, str]:
    return {k: str(v) for k, v in form.items() if k != "token"}
