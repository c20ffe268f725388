"""/advisor: the path advisor form, its result and saved comparisons (JSON twin: /api/v1/advice)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError

from altmatch.i18n import N_
from altmatch.services.advice.advisor import (
    AdviceOut,
    give_advice,
    link_measured_support,
    link_postings,
)
from altmatch.services.advice.form_options import form_options
from altmatch.services.advice.profile_input import PrioritiesInput, ProfileInput
from altmatch.services.advice.saved_advice import open_saved_advice, save_advice
from altmatch.web.deps import SessionsDep
from altmatch.web.locale import LocaleDep
from altmatch.web.pages.advice.chart import take_home_chart
from altmatch.web.pages.forms import FormErrors, PostedForm
from altmatch.web.pages.templating import render_page

router = APIRouter()

_CHECKBOXES = {"driving_licence", "japanese_national"}


def profile_from_form(form: dict[str, str]) -> dict[str, Any]:
    """HTML forms send strings and omit unchecked boxes: blanks mean 'use the default'."""
    data: dict[str, Any] = {k: v for k, v in form.items() if v != "" and "." not in k}
    for box in _CHECKBOXES:
        data[box] = box in form
    priorities = {
        key.split(".", 1)[1]: value
        for key, value in form.items()
        if key.startswith("priorities.") and value != ""
    }
    if priorities:
        data["priorities"] = priorities
    return data


def _page_context(
    locale: str, values: dict[str, Any], advice: AdviceOut | None = None, **extra: Any
) -> dict[str, Any]:
    priorities = {**PrioritiesInput().model_dump(), **values.get("priorities", {})}
    context: dict[str, Any] = {
        "options": form_options(locale),
        "values": {**values, "priorities": priorities},
        "errors": FormErrors(),
        **extra,
    }
    if advice is not None:
        context |= {"advice": advice, "chart": take_home_chart(advice)}
    return context


@router.get("/advisor", response_class=HTMLResponse)
def advisor_form(request: Request, locale: LocaleDep) -> HTMLResponse:
    return render_page(request, "advisor.html", locale, _page_context(locale, {}))


@router.post("/advisor", response_class=HTMLResponse)
def advisor_result(
    request: Request, locale: LocaleDep, sessions: SessionsDep, form: PostedForm
) -> HTMLResponse:
    """The comparison, answered to a POST so that a person's answers never sit in an address.
    The form sends its fields; the language switch on the result sends `profile`, the same
    profile as JSON, to have it again in the other language."""
    fields = {k: str(v) for k, v in form.items()}
    try:
        if "profile" in fields:
            profile = ProfileInput.model_validate_json(fields["profile"])
            data = profile.model_dump(mode="json", exclude_none=True)
        else:
            data = profile_from_form(fields)
            profile = ProfileInput.model_validate(data)
    except ValidationError as exc:
        context = _page_context(
            locale,
            data if "profile" not in fields else {},
            errors=FormErrors.from_validation(exc, locale),
        )
        return render_page(request, "advisor.html", locale, context, status_code=422)
    advice = give_advice(profile, locale=locale, sessions=sessions)
    context = _page_context(locale, data, advice, profile_json=profile.model_dump_json())
    return render_page(request, "advisor.html", locale, context)


@router.post("/advisor/save", response_model=None)
def advisor_save(
    request: Request, locale: LocaleDep, sessions: SessionsDep, form: PostedForm
) -> RedirectResponse | HTMLResponse:
    try:
        profile = ProfileInput.model_validate_json(str(form.get("profile", "")))
    except ValidationError:
        message = FormErrors.of(N_("This comparison could not be saved. Compare again."), locale)
        context = _page_context(locale, {}, errors=message)
        return render_page(request, "advisor.html", locale, context, status_code=422)
    saved = save_advice(sessions, profile, locale=locale)
    return RedirectResponse(f"/advisor/saved/{saved.token}", status_code=303)


@router.get("/advisor/saved/{token}", response_class=HTMLResponse)
def advisor_saved(
    request: Request, token: str, locale: LocaleDep, sessions: SessionsDep
) -> HTMLResponse:
    saved = open_saved_advice(sessions, token, locale=locale)
    if saved is None:
        return render_page(request, "not_found.html", locale, {}, status_code=404)
    link_postings(saved.advice, saved.profile, sessions, locale=locale)
    link_measured_support(saved.advice, sessions, locale=locale)
    values = saved.profile.model_dump(mode="json", exclude_none=True)
    context = _page_context(locale, values, saved.advice, saved_token=saved.token)
    return render_page(request, "advisor.html", locale, context)
