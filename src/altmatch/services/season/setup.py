"""Opening a season, listing the seasons someone takes part in, and the coordinator's overview."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel

from altmatch.db import Sessions
from altmatch.db import season as repo
from altmatch.db.models import SeasonRow
from altmatch.domain.access import AccessDeniedError, Actor, Permission, Role, require
from altmatch.domain.application import ApplicationStage
from altmatch.i18n import N_, Message
from altmatch.services.kernel.audit import record_audit
from altmatch.services.kernel.errors import RuleError
from altmatch.services.season.access import (
    CandidateOut,
    RunOut,
    SeasonOut,
    access_season,
    candidate_out,
    run_out,
    season_out,
)

OVERVIEW_CANDIDATES = 200  # the overview lists this many applications; exports hold them all


def open_season(
    sessions: Sessions,
    actor: Actor,
    *,
    name: str,
    year: int,
    request_deadline: datetime,
    contract_start: date,
) -> SeasonOut:
    """Open a season of the coordinator's programme; BoEs file requests until the deadline."""
    require(actor, Permission.SEASON_MANAGE)
    if actor.programme_id is None:
        raise AccessDeniedError("no programme")
    name = name.strip()
    if not name or len(name) > 200:
        raise RuleError(Message(N_("Give the season a name of at most 200 characters.")), "name")
    if request_deadline.tzinfo is None:
        raise RuleError(Message(N_("Give the deadline with its time zone.")), "request_deadline")
    with sessions.begin() as session:
        row = SeasonRow(
            programme_id=actor.programme_id,
            name=name,
            year=year,
            request_deadline=request_deadline,
            contract_start=contract_start,
            status="open",
        )
        session.add(row)
        session.flush()
        out = season_out(row)
        after = out.model_dump(mode="json", exclude={"id", "requests_locked"})
        record_audit(session, actor, "season.opened", "season", row.id, None, after)
        return out


def any_season_exists(sessions: Sessions) -> bool:
    """Whether the database holds a season at all (`altmatch demo --db --if-empty`)."""
    with sessions() as session:
        return repo.count_seasons(session) > 0


def list_seasons(sessions: Sessions, actor: Actor) -> list[SeasonOut]:
    """Newest first: a programme's seasons for its staff, one's own seasons for a candidate."""
    require(actor, Permission.SEASON_VIEW)
    with sessions() as session:
        if actor.role is Role.CANDIDATE:
            rows = repo.seasons_of_candidate_user(session, actor.own_user_id())
        elif actor.programme_id is not None:
            rows = repo.list_seasons(session, actor.programme_id)
        else:
            rows = []
        return [season_out(row) for row in rows]


class SeasonCountsOut(BaseModel):
    candidates: int
    requests: int
    places: int
    couples: int
    by_stage: dict[str, int]


class SeasonOverviewOut(BaseModel):
    season: SeasonOut
    counts: SeasonCountsOut
    runs: list[RunOut]  # oldest first
    published_run_id: int | None  # the run whose outcome people see now
    candidates: list[CandidateOut]  # the first OVERVIEW_CANDIDATES, in import order


def season_overview(sessions: Sessions, actor: Actor, season_id: int) -> SeasonOverviewOut:
    """What a coordinator needs to run the season: counts, stages, runs and applications."""
    require(actor, Permission.SEASON_MANAGE)
    with sessions() as session:
        season = access_season(session, actor, season_id)
        published = repo.latest_published_run(session, season.id)
        stages = repo.candidates_per_stage(session, season.id)
        n_requests, places = repo.request_totals(session, season.id)
        couples = repo.couple_count(session, season.id)
        listed = repo.candidates(session, season.id, limit=OVERVIEW_CANDIDATES)
        return SeasonOverviewOut(
            season=season_out(season),
            counts=SeasonCountsOut(
                candidates=sum(stages.values()),
                requests=n_requests,
                places=places,
                couples=couples,
                by_stage={s.value: stages.get(s.value, 0) for s in ApplicationStage},
            ),
            runs=[run_out(r) for r in repo.runs(session, season.id)],
            published_run_id=published.id if published else None,
            candidates=[candidate_out(c) for c in listed],
        )
