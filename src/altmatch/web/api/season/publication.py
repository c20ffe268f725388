"""Publishing a run as JSON: what it would do (the checks and who it tells), then publish."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from altmatch.i18n import use_locale
from altmatch.services.season.publication import PublicationOut, publication_of
from altmatch.services.season.publish import publish_run
from altmatch.services.season.runs import RunReviewOut
from altmatch.web.api.params import Id
from altmatch.web.auth import SeasonManagerDep
from altmatch.web.deps import SessionsDep
from altmatch.web.locale import LocaleDep

router = APIRouter(prefix="/seasons", tags=["season"])


class PublishIn(BaseModel):
    overrides: dict[str, str] = Field(
        default_factory=dict,
        description="A reason for each failed check you override, by the check's code "
        "(see the publication's `needs_reasons`).",
    )


@router.get("/{season_id}/runs/{run_id}/publication", response_model=PublicationOut)
def get_publication(
    season_id: Id, run_id: Id, actor: SeasonManagerDep, sessions: SessionsDep, locale: LocaleDep
) -> PublicationOut:
    """The checks a publication must pass now, and who it would place, list and tell (in the
    reader's language: ?lang= or Accept-Language)."""
    with use_locale(locale):
        return publication_of(sessions, actor, season_id, run_id)


@router.post("/{season_id}/runs/{run_id}/publish", response_model=RunReviewOut)
def post_publish(
    season_id: Id,
    run_id: Id,
    actor: SeasonManagerDep,
    sessions: SessionsDep,
    body: PublishIn | None = None,
) -> RunReviewOut:
    """Publish a draft run: recorded and irreversible (409 for a published run; 422 when a
    check fails and no reason overrides it)."""
    overrides = body.overrides if body is not None else {}
    return publish_run(sessions, actor, season_id, run_id, overrides=overrides)
