"""The assessor's pages (issue 19), phone-first: /assessing lists the panels they sit on with
their booked candidates; /assessing/candidates/{id} is one candidate's score sheet (one radio
group per criterion with its anchors), saved as a draft or submitted after a confirmation page
that shows the scores, and the form declaring a conflict of interest, which asks to confirm.

JSON twins: GET /api/v1/assessing and /api/v1/assessing/candidates/{id}; the writes are PUT
.../sheet and POST .../conflict there.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from starlette.datastructures import FormData

from altmatch.db import Sessions
from altmatch.domain.access import Actor, Permission
from altmatch.i18n import N_, Message
from altmatch.services.kernel.errors import RuleError
from altmatch.services.season.interview_scoring import (
    MAX_NOTE,
    ConflictIn,
    ScoreSheetIn,
    check_sheet,
    declare_conflict,
    my_panels,
    save_sheet,
    score_sheet,
)
from altmatch.web.auth import PermissionGate
from altmatch.web.deps import SessionsDep
from altmatch.web.locale import LocaleDep
from altmatch.web.pages.forms import FormErrors, PostedForm
from altmatch.web.pages.templating import render_page
from altmatch.web.params import Id

router = APIRouter()
ScorerDep = Annotated[Actor, Depends(PermissionGate(Permission.INTERVIEWS_SCORE))]
SCORE_PREFIX = "score_"  # one radio group per criterion: score_<criterion id>


@router.get("/assessing", response_class=HTMLResponse)
def assessing_page(
    request: Request,
    actor: ScorerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    tz: Annotated[str, Query(max_length=64)] = "",
    declared: int = 0,
) -> HTMLResponse:
    found = my_panels(sessions, actor, zone=tz or None)
    context = {"found": found, "declared": bool(declared)}
    return render_page(request, "assessing.html", locale, context)


def _posted_scores(form: FormData) -> tuple[dict[str, int], list[str]]:
    """The chosen score of each criterion; a value that is no number is named, not guessed."""
    scores: dict[str, int] = {}
    bad: list[str] = []
    for key, value in form.multi_items():
        if key.startswith(SCORE_PREFIX) and isinstance(value, str) and value.strip():
            criterion = key[len(SCORE_PREFIX) :]
            if value.strip().isdigit():
                scores[criterion] = int(value.strip())
            else:
                bad.append(criterion)
    return scores, bad


def _version(form: FormData) -> int:
    text = str(form.get("version") or "").strip()
    return int(text) if text.isdigit() else -1


def _sheet(
    request: Request,
    sessions: Sessions,
    actor: Actor,
    locale: str,
    candidate_id: int,
    *,
    errors: FormErrors | None = None,
    posted: dict[str, int] | None = None,
    note: str | None = None,
    confirming: bool = False,
    saved: str = "",
    conflict: dict[str, str] | None = None,
) -> HTMLResponse:
    sheet = score_sheet(sessions, actor, candidate_id, locale=locale)
    context = {
        "sheet": sheet,
        "scores": sheet.scores if posted is None else posted,
        "note": sheet.note if note is None else note,
        "errors": errors or FormErrors(),
        "confirming": confirming,
        "saved": saved,
        "conflict": conflict or {},
    }
    status = errors.status_code if errors else 200
    return render_page(request, "assessing_sheet.html", locale, context, status_code=status)


@router.get("/assessing/candidates/{candidate_id}", response_class=HTMLResponse)
def sheet_page(
    request: Request,
    candidate_id: Id,
    actor: ScorerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    saved: Annotated[str, Query(max_length=16)] = "",
) -> HTMLResponse:
    return _sheet(request, sessions, actor, locale, candidate_id, saved=saved)


@router.post("/assessing/candidates/{candidate_id}/sheet", response_class=HTMLResponse)
def sheet_post(
    request: Request,
    candidate_id: Id,
    form: PostedForm,
    actor: ScorerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
) -> Response:
    """`save` keeps a draft; `review` shows the scores to confirm; `submit` (with the box
    ticked on that page) submits them for calibration; `edit` goes back to the form."""
    action = str(form.get("action") or "save")
    scores, bad = _posted_scores(form)
    note = str(form.get("note") or "")
    if bad:
        errors = FormErrors.of(N_("Choose one of the scores shown."), locale, f"scores.{bad[0]}")
        return _sheet(
            request, sessions, actor, locale, candidate_id, errors=errors, posted=scores, note=note
        )
    if action == "edit":  # back from the confirmation: nothing saved
        return _sheet(request, sessions, actor, locale, candidate_id, posted=scores, note=note)
    submit = action in ("review", "submit")
    if action == "review" or (action == "submit" and form.get("confirm") != "yes"):
        try:  # a sheet that could not be submitted is shown with its problems, not to confirm
            check_sheet(sessions, actor, candidate_id, ScoreSheetIn(scores=scores), locale=locale)
        except RuleError as exc:
            errors = FormErrors.from_rule(exc, locale)
            return _sheet(
                request,
                sessions,
                actor,
                locale,
                candidate_id,
                errors=errors,
                posted=scores,
                note=note,
            )
        unticked = N_("Tick the box to confirm these scores.")
        return _sheet(
            request,
            sessions,
            actor,
            locale,
            candidate_id,
            errors=FormErrors.of(unticked, locale, "confirm") if action == "submit" else None,
            confirming=True,
            posted=scores,
            note=note,
        )
    try:
        save_sheet(
            sessions,
            actor,
            candidate_id,
            ScoreSheetIn(scores=scores, note=note[:MAX_NOTE]),
            version=_version(form),
            submit=submit,
            locale=locale,
        )
    except RuleError as exc:
        errors = FormErrors.from_rule(exc, locale)
        return _sheet(
            request, sessions, actor, locale, candidate_id, errors=errors, posted=scores, note=note
        )
    done = "submitted" if submit else "draft"
    return RedirectResponse(f"/assessing/candidates/{candidate_id}?saved={done}", status_code=303)


@router.post("/assessing/candidates/{candidate_id}/conflict", response_class=HTMLResponse)
def conflict_post(
    request: Request,
    candidate_id: Id,
    form: PostedForm,
    actor: ScorerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
) -> Response:
    """Declare a conflict of interest, once the assessor has ticked the confirmation."""
    values = {k: str(form.get(k) or "") for k in ("reason", "note")}
    try:
        if form.get("confirm") != "yes":
            message = N_(
                "Tick the box to confirm: the office is told and you can no longer score "
                "this candidate."
            )
            raise RuleError(Message(message), "conflict_confirm")
        body = ConflictIn.model_validate({**values, "note": values["note"][:MAX_NOTE]})
        declare_conflict(sessions, actor, candidate_id, body)
    except (ValidationError, RuleError) as exc:
        errors = FormErrors.from_error(exc, locale)
        return _sheet(
            request, sessions, actor, locale, candidate_id, errors=errors, conflict=values
        )
    return RedirectResponse("/assessing?declared=1", status_code=303)
