"""/advisor: the path advisor form and its result (JSON twin: POST /api/v1/advice)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError

from altmatch.services.advisor import give_advice
from altmatch.services.form_options import form_options
from altmatch.services.profile_input import PrioritiesInput, ProfileInput, field_errors
from altmatch.web.locale import LocaleDep
from altmatch.web.pages.chart import take_home_chart
from altmatch.web.pages.templating import render_page

router = APIRouter()

_CHECKBOXES = {"driving_licence"}


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


@router.get("/advisor", response_class=HTMLResponse)
def advisor_form(request: Request, locale: LocaleDep) -> HTMLResponse:
    defaults = PrioritiesInput()
    return render_page(
        request,
        "advisor.html",
        locale,
        {
            "options": form_options(locale),
            "values": {"priorities": defaults.model_dump()},
            "errors": {},
        },
    )


@router.post("/advisor", response_class=HTMLResponse)
async def advisor_result(request: Request, locale: LocaleDep) -> HTMLResponse:
    form = {k: str(v) for k, v in (await request.form()).items()}
    data = profile_from_form(form)
    context: dict[str, Any] = {
        "options": form_options(locale),
        "values": {
            **data,
            "priorities": {**PrioritiesInput().model_dump(), **data.get("priorities", {})},
        },
    }
    try:
        profile = ProfileInput.model_validate(data)
    except ValidationError as exc:
        errors = dict(field_errors(exc, locale))
        return render_page(
            request, "advisor.html", locale, {**context, "errors": errors}, status_code=422
        )
    advice = give_advice(profile, locale=locale)
    return render_page(
        request,
        "advisor.html",
        locale,
        {**context, "errors": {}, "advice": advice, "chart": take_home_chart(advice)},
    )
