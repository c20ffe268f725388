"""What a BoE's "new request" form needs: whether the season still takes requests, until
when, and for which BoE (filing itself is services.season.requests.file_request)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from altmatch.db import Sessions
from altmatch.db import season as repo
from altmatch.domain.access import Actor, NotFoundError, Permission, require
from altmatch.rulebook.vocabulary import Area, Jlpt, SchoolLevel
from altmatch.services.season.access import SeasonOut, access_season, requests_locked, season_out


class NewRequestFormOut(BaseModel):
    season: SeasonOut
    accepting: bool  # False once the deadline has passed (or the season is published)
    deadline: datetime
    boe_id: int
    boe: str
    boe_ja: str
    prefecture: str | None  # the BoE's own, offered as the request's default
    school_levels: list[SchoolLevel]
    areas: list[Area]
    jlpt_levels: list[Jlpt]


def new_request_form(sessions: Sessions, actor: Actor, season_id: int) -> NewRequestFormOut:
    """The form's frame for a BoE's staff: their BoE and whether filing is still open."""
    require(actor, Permission.REQUEST_EDIT)
    with sessions() as session:
        season = access_season(session, actor, season_id)
        boe = repo.organisations(session, {actor.organisation_id or 0}).get(
            actor.organisation_id or 0
        )
        if boe is None:
            raise NotFoundError("organisation")
        return NewRequestFormOut(
            season=season_out(season),
            accepting=not requests_locked(season),
            deadline=season.request_deadline,
            boe_id=boe.id,
            boe=boe.name_en,
            boe_ja=boe.name_ja,
            prefecture=boe.prefecture,
            school_levels=list(SchoolLevel),
            areas=list(Area),
            jlpt_levels=list(Jlpt),
        )
