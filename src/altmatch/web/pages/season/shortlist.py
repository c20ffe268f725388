"""The coordinator's shortlist page: preview the interview round's decision from calibrated
scores (numbers of places and alternates, the lottery's seed), see who calibration moved across
the cut and who is within the standard errors of it, then decide.

Deciding changes many applications and tells every candidate, so the form says what will
happen and asks to confirm; it carries the preview's calibration, seed and every ranked
application's version, so a change meanwhile refuses the whole decision. JSON twin: GET
/api/v1/seasons/{id}/shortlist; deciding is POST /api/v1/seasons/{id}/shortlist.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from altmatch.db import Sessions
from altmatch.domain.access import Actor
from altmatch.i18n import N_, use_locale
from altmatch.services.kernel.errors import RuleError
from altmatch.services.season.shortlist import (
    MAX_COUNT,
    ShortlistIn,
    decide_shortlist,
    parse_versions,
    shortlist_preview,
)
from altmatch.web.auth import SeasonManagerDep
from altmatch.web.deps import SessionsDep
from altmatch.web.locale import LocaleDep
from altmatch.web.pages.forms import FormErrors, PostedForm
from altmatch.web.pages.templating import render_page
from altmatch.web.params import Id

router = APIRouter()
PER_PAGE = 50  # rows of the ranking a page shows
FIRST = 10  # crossings listed in the summary (each way); the ranking's filter lists them all
NEAR = 5  # rows shown either side of each cut
SHOWS = ("", "crossed", "tie")  # the ranking: everyone, those calibration moved, the ties
Text = Annotated[str, Query(max_length=20)]
PageParam = Annotated[int, Query(ge=1, le=100_000)]
_WHOLE = N_("Give a whole number of 0 or more.")


def _count(value: str, name: str, locale: str, errors: list[FormErrors]) -> int | None:
    """A number from the query or form; blank is None (the default), a bad one an error."""
    value = value.strip()
    if not value:
        return None
    if value.isdigit() and int(value) <= MAX_COUNT:
        return int(value)
    errors.append(FormErrors.of(_WHOLE, locale, name))
    return None


def _seed(value: str, locale: str, errors: list[FormErrors]) -> int | None:
    value = value.strip()
    if not value:
        return None
    if value.isdigit() and int(value) < 2**63:
        return int(value)
    errors.append(FormErrors.of(_WHOLE, locale, "seed"))
    return None


def _page(
    request: Request,
    sessions: Sessions,
    actor: Actor,
    locale: str,
    season_id: int,
    values: dict[str, str],
    *,
    page: int = 1,
    show: str = "",
    errors: FormErrors | None = None,
    decided: bool = False,
) -> HTMLResponse:
    found: list[FormErrors] = [errors] if errors else []
    places = _count(values.get("places", ""), "places", locale, found)
    alternates = _count(values.get("alternates", ""), "alternates", locale, found)
    seed = _seed(values.get("seed", ""), locale, found)
    with use_locale(locale):
        preview = shortlist_preview(
            sessions, actor, season_id, places=places, alternates=alternates, seed=seed
        )
    show = show if show in SHOWS else ""
    listed = [
        r
        for r in preview.rows
        if not show or (show == "crossed" and r.crossed) or (show == "tie" and (r.tie or r.lottery))
    ]
    pages = max(1, -(-len(listed) // PER_PAGE))
    page = min(page, pages)
    merged = FormErrors()
    if found:
        merged = FormErrors(tuple(e for f in found for e in f.entries), found[0].status_code)
    query: dict[str, object] = {"places": preview.places, "alternates": preview.alternates}
    if preview.seed is not None:
        query["seed"] = preview.seed
    cuts = (
        preview.counts["shortlisted"],
        preview.counts["shortlisted"] + preview.counts["alternate"],
    )
    context: dict[str, Any] = {
        "found": preview,
        "values": values,
        "errors": merged,
        "decided": decided,
        "rows": listed[(page - 1) * PER_PAGE : page * PER_PAGE],
        "listed": len(listed),
        "page": page,
        "pages": pages,
        "show": show,
        "query": urlencode(query),
        "crossed_in": [r for r in preview.rows if r.crossed == "in"][:FIRST],
        "crossed_out": [r for r in preview.rows if r.crossed == "out"][:FIRST],
        "near": [r for r in preview.rows if any(abs(r.position - c - 0.5) <= NEAR for c in cuts)],
    }
    return render_page(
        request,
        "season_shortlist.html",
        locale,
        context,
        status_code=merged.status_code if merged else 200,
    )


@router.get("/seasons/{season_id}/shortlist", response_class=HTMLResponse)
def shortlist_page(
    request: Request,
    season_id: Id,
    actor: SeasonManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    places: Text = "",
    alternates: Text = "",
    seed: Text = "",
    page: PageParam = 1,
    show: Text = "",
    decided: int = 0,
) -> HTMLResponse:
    values = {"places": places, "alternates": alternates, "seed": seed}
    return _page(
        request,
        sessions,
        actor,
        locale,
        season_id,
        values,
        page=page,
        show=show,
        decided=bool(decided),
    )


@router.post("/seasons/{season_id}/shortlist", response_class=HTMLResponse)
def shortlist_decide(
    request: Request,
    season_id: Id,
    actor: SeasonManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    form: PostedForm,
) -> Response:
    """Decide as previewed, once the box is ticked; a refusal shows the new preview with why."""
    values = {k: str(form.get(k, ""))[:20] for k in ("places", "alternates", "seed")}
    if form.get("confirm") != "yes":
        message = N_(
            "Tick the box to confirm the decision: every candidate ranked is told their result."
        )
        errors = FormErrors.of(message, locale, "confirm")
        return _page(request, sessions, actor, locale, season_id, values, errors=errors)
    try:
        body = ShortlistIn(
            places=values["places"],
            alternates=values["alternates"],
            seed=values["seed"],
            calibration_id=str(form.get("calibration_id", "")),
            versions=parse_versions(str(form.get("versions", ""))),
        )
    except (ValidationError, ValueError) as exc:
        errors = (
            FormErrors.from_validation(exc, locale)
            if isinstance(exc, ValidationError)
            else FormErrors.of(_WHOLE, locale, "versions")
        )
        return _page(request, sessions, actor, locale, season_id, values, errors=errors)
    try:
        decide_shortlist(sessions, actor, season_id, body)
    except RuleError as exc:
        errors = FormErrors.from_rule(exc, locale)
        return _page(request, sessions, actor, locale, season_id, values, errors=errors)
    query = urlencode({**values, "decided": 1})
    return RedirectResponse(f"/seasons/{season_id}/shortlist?{query}", status_code=303)
