"""The publication page: what publishing a draft run will do, its checks and the confirmation.

Publishing is irreversible and tells every candidate and BoE their outcome, so the run page
links here instead of publishing at once. JSON twin: GET /api/v1/seasons/{id}/runs/{run}/
publication, and POST …/publish with the same override reasons.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from altmatch.domain.publication import PublicationCheck
from altmatch.i18n import N_, gettext, label, use_locale
from altmatch.services.kernel.errors import RuleError
from altmatch.services.season.publication import publication_of
from altmatch.services.season.publish import publish_run
from altmatch.web.auth import SeasonManagerDep
from altmatch.web.deps import SessionsDep
from altmatch.web.locale import LocaleDep
from altmatch.web.pages.forms import FormErrors, PostedForm
from altmatch.web.pages.templating import render_page
from altmatch.web.params import Id

router = APIRouter()
CONFIRM = "confirm"  # the box saying the coordinator understands it cannot be undone


def _page(
    request: Request,
    sessions: SessionsDep,
    actor: SeasonManagerDep,
    locale: str,
    season_id: int,
    run_id: int,
    *,
    values: dict[str, str] | None = None,
    errors: FormErrors | None = None,
) -> HTMLResponse:
    with use_locale(locale):
        preview = publication_of(sessions, actor, season_id, run_id)
    context = {
        "p": preview,
        "values": values or {},
        "errors": errors or FormErrors(),
        "field_labels": {
            f"overrides.{check.value}": label for check, label in _reason_labels(locale).items()
        },
    }
    status = errors.status_code if errors else 200
    return render_page(request, "season_publish.html", locale, context, status_code=status)


def _reason_labels(locale: str) -> dict[PublicationCheck, str]:
    with use_locale(locale):
        return {check: gettext(label(check)) for check in PublicationCheck}


@router.get("/seasons/{season_id}/runs/{run_id}/publish", response_class=HTMLResponse)
def publication_page(
    request: Request,
    season_id: Id,
    run_id: Id,
    actor: SeasonManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
) -> HTMLResponse:
    return _page(request, sessions, actor, locale, season_id, run_id)


@router.post("/seasons/{season_id}/runs/{run_id}/publish", response_model=None)
def publish_form(
    request: Request,
    season_id: Id,
    run_id: Id,
    actor: SeasonManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    form: PostedForm,
) -> Response:
    """Publish once the coordinator has confirmed, with a reason for each override; else the
    page again, with the refusal beside the input it is about."""
    values = {key: str(value) for key, value in form.items()}
    overrides = {
        check.value: values.get(f"overrides.{check.value}", "") for check in PublicationCheck
    }
    if values.get(CONFIRM) != "yes":
        errors = FormErrors.of(
            N_("Tick the box to confirm that publishing cannot be undone."), locale, CONFIRM
        )
        return _page(
            request, sessions, actor, locale, season_id, run_id, values=values, errors=errors
        )
    try:
        publish_run(sessions, actor, season_id, run_id, overrides=overrides)
    except RuleError as exc:
        errors = FormErrors.from_rule(exc, locale)
        return _page(
            request, sessions, actor, locale, season_id, run_id, values=values, errors=errors
        )
    return RedirectResponse(f"/seasons/{season_id}/runs/{run_id}?published=1", status_code=303)
