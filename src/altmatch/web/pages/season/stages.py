"""The coordinator's stage board: applications by stage, bulk moves with a confirmation step,
and each application's stage history.

JSON twins: GET /api/v1/seasons/{id}/stages (same query parameters), POST
/api/v1/seasons/{id}/stages/plan and /api/v1/seasons/{id}/stages/moves.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from altmatch.domain.application import ApplicationStage
from altmatch.i18n import N_, Message
from altmatch.services.kernel.errors import RuleError
from altmatch.services.stage_moves import MoveItem, move_stages, plan_move, stage_board
from altmatch.web.auth import SeasonManagerDep
from altmatch.web.deps import SessionsDep
from altmatch.web.locale import LocaleDep
from altmatch.web.pages.forms import FormErrors, PostedForm
from altmatch.web.pages.templating import render_page
from altmatch.web.params import Id

router = APIRouter()
_CHOOSE_STAGE = Message(N_("Choose the stage to move them to."))

StageParam = Annotated[str, Query(max_length=32, description="A stage, or empty for every stage.")]
SearchParam = Annotated[str, Query(max_length=100, description="Part of a name or id.")]
PageParam = Annotated[int, Query(ge=1, le=100_000)]


def parse_stage(value: str) -> ApplicationStage | None:
    """A stage named in a query or form; anything else (empty, unknown) means every stage."""
    try:
        return ApplicationStage(value.strip()) if value.strip() else None
    except ValueError:
        return None


def parse_items(values: list[str]) -> list[MoveItem]:
    """Checkbox values `id:version`; malformed ones are dropped."""
    items: list[MoveItem] = []
    for value in values:
        row_id, _, version = value.partition(":")
        if row_id.isdigit() and version.isdigit() and 0 < int(row_id) < 2**31:
            items.append(MoveItem(id=int(row_id), version=max(int(version), 1)))
    return items


def _back(season_id: int, form: PostedForm, **extra: str | int) -> str:
    kept = {k: str(form.get(k, "")) for k in ("stage", "q", "page") if form.get(k)}
    query = urlencode({**kept, **{k: str(v) for k, v in extra.items()}})
    return f"/seasons/{season_id}/stages" + (f"?{query}" if query else "")


@router.get("/seasons/{season_id}/stages", response_class=HTMLResponse)
def stages_page(
    request: Request,
    season_id: Id,
    actor: SeasonManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    stage: StageParam = "",
    q: SearchParam = "",
    page: PageParam = 1,
    moved: Annotated[int | None, Query(ge=0, le=100_000)] = None,
) -> HTMLResponse:
    board = stage_board(sessions, actor, season_id, stage=parse_stage(stage), q=q, page=page)
    context: dict[str, Any] = {"board": board, "errors": FormErrors(), "moved": moved}
    return render_page(request, "season_stages.html", locale, context)


def _board_again(
    request: Request,
    sessions: SessionsDep,
    actor: SeasonManagerDep,
    locale: str,
    season_id: int,
    form: PostedForm,
    errors: FormErrors,
) -> HTMLResponse:
    board = stage_board(
        sessions,
        actor,
        season_id,
        stage=parse_stage(str(form.get("stage", ""))),
        q=str(form.get("q", "")),
        page=int(str(form.get("page", "1"))) if str(form.get("page", "1")).isdigit() else 1,
    )
    context: dict[str, Any] = {"board": board, "errors": errors, "moved": None}
    return render_page(
        request, "season_stages.html", locale, context, status_code=errors.status_code
    )


@router.post("/seasons/{season_id}/stages/confirm", response_class=HTMLResponse)
def stages_confirm(
    request: Request,
    season_id: Id,
    actor: SeasonManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    form: PostedForm,
) -> Response:
    """The confirmation step: who would move, who cannot, and a reason to give."""
    to_stage = parse_stage(str(form.get("to_stage", "")))
    items = parse_items([str(v) for v in form.getlist("app")])
    try:
        if to_stage is None:
            raise RuleError(_CHOOSE_STAGE, "to_stage")
        plan = plan_move(sessions, actor, season_id, items, to_stage)
    except RuleError as exc:
        errors = FormErrors.from_rule(exc, locale)
        return _board_again(request, sessions, actor, locale, season_id, form, errors)
    context = {
        "plan": plan,
        "errors": FormErrors(),
        "back": _back(season_id, form),
        "keep": {k: str(form.get(k, "")) for k in ("stage", "q", "page")},
        "reason": "",
    }
    return render_page(request, "season_stages_confirm.html", locale, context)


@router.post("/seasons/{season_id}/stages/move", response_class=HTMLResponse)
def stages_move(
    request: Request,
    season_id: Id,
    actor: SeasonManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    form: PostedForm,
) -> Response:
    """Move them all, or none (a stale row or a refused move: the confirmation again, saying
    why, with nothing changed)."""
    to_stage = parse_stage(str(form.get("to_stage", "")))
    items = parse_items([str(v) for v in form.getlist("app")])
    reason = str(form.get("reason", ""))
    try:
        if to_stage is None:
            raise RuleError(_CHOOSE_STAGE, "to_stage")
        done = move_stages(sessions, actor, season_id, items, to_stage, reason=reason)
    except RuleError as exc:
        errors = FormErrors.from_rule(exc, locale)
        if to_stage is None:
            return _board_again(request, sessions, actor, locale, season_id, form, errors)
        try:
            plan = plan_move(sessions, actor, season_id, items, to_stage)
        except RuleError:
            return _board_again(request, sessions, actor, locale, season_id, form, errors)
        context = {
            "plan": plan,
            "errors": errors,
            "back": _back(season_id, form),
            "keep": {k: str(form.get(k, "")) for k in ("stage", "q", "page")},
            "reason": reason,
        }
        return render_page(
            request,
            "season_stages_confirm.html",
            locale,
            context,
            status_code=errors.status_code,
        )
    return RedirectResponse(_back(season_id, form, moved=done.moved), status_code=303)
