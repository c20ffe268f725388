"""The dispatch ALT's renewal page (/my/renewal): the company's question whether they will renew
their contract, by when, and the form to answer (with an optional reason). JSON twin:
/api/v1/me/renewal."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from altmatch.db import Sessions
from altmatch.domain.access import Actor, NotFoundError
from altmatch.rulebook.vocabulary import RenewalIntention
from altmatch.services.dispatch.renewal_asks import RenewalAnswerIn, answer_renewal, my_renewal
from altmatch.services.kernel.errors import RuleError
from altmatch.web.auth import OwnTransferDep
from altmatch.web.deps import SessionsDep
from altmatch.web.locale import LocaleDep
from altmatch.web.pages.forms import FormErrors, PostedForm
from altmatch.web.pages.templating import render_page

router = APIRouter()


def _page(
    request: Request,
    actor: Actor,
    sessions: Sessions,
    locale: str,
    *,
    errors: FormErrors | None = None,
    values: dict[str, str] | None = None,
) -> HTMLResponse:
    errors = errors or FormErrors()
    try:
        found = my_renewal(sessions, actor)
    except NotFoundError:
        found = None  # an ALT not on a dispatch company's roster: nothing to ask
    context = {
        "found": found,
        "choices": list(RenewalIntention),
        "errors": errors,
        "values": values or {},
    }
    status = errors.status_code if errors else 200
    return render_page(request, "my_renewal.html", locale, context, status_code=status)


@router.get("/my/renewal", response_class=HTMLResponse)
def my_renewal_page(
    request: Request, actor: OwnTransferDep, sessions: SessionsDep, locale: LocaleDep
) -> HTMLResponse:
    return _page(request, actor, sessions, locale)


@router.post("/my/renewal", response_class=HTMLResponse)
def my_renewal_answer(
    request: Request,
    actor: OwnTransferDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    form: PostedForm,
) -> Response:
    fields = {k: str(v).strip() for k, v in form.items()}
    try:
        answer_renewal(sessions, actor, RenewalAnswerIn.model_validate(fields))
    except (ValidationError, RuleError) as exc:
        errors = FormErrors.from_error(exc, locale)
        return _page(request, actor, sessions, locale, errors=errors, values=fields)
    return RedirectResponse("/my/renewal#answered", status_code=303)
