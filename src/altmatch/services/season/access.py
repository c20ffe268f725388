"""Who may reach which season object (`access_*` helpers), the season's errors and read models.

Every id that arrives from a request goes through an `access_<thing>` helper, which checks the
tenant and raises NotFoundError when the actor may not see the object, so a refusal never
confirms that another tenant's object exists.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel
from sqlalchemy.orm import Session

from altmatch.clock import utc_now
from altmatch.db import season as repo
from altmatch.db.models import (
    MatchRun,
    Organisation,
    SeasonCandidate,
    SeasonRequest,
    SeasonRow,
)
from altmatch.domain.access import Actor, NotFoundError, Role
from altmatch.domain.application import ApplicationStage

# -- access helpers ----------------------------------------------------------------------------


def access_season(session: Session, actor: Actor, season_id: int) -> SeasonRow:
    """The season, if the actor takes part in it: its programme's coordinators and BoE staff,
    and the candidates who have an application in it."""
    season = repo.get_season(session, season_id)
    if season is None:
        raise NotFoundError("season")
    if actor.role in (Role.COORDINATOR, Role.BOE_STAFF):
        allowed = actor.programme_id is not None and actor.programme_id == season.programme_id
    else:
        allowed = actor.role is Role.CANDIDATE and (
            repo.candidate_of_user(session, season.id, actor.own_user_id()) is not None
        )
    if not allowed:
        raise NotFoundError("season")
    return season


def access_request(
    session: Session, actor: Actor, season: SeasonRow, request_id: int
) -> SeasonRequest:
    """A request of `season`: coordinators see all, BoE staff only their own BoE's."""
    row = session.get(SeasonRequest, request_id)
    if row is None or row.season_id != season.id:
        raise NotFoundError("request")
    if actor.role is Role.COORDINATOR:
        return row
    if actor.role is Role.BOE_STAFF and row.boe_id == actor.organisation_id:
        return row
    raise NotFoundError("request")


def access_candidate(
    session: Session, actor: Actor, season: SeasonRow, candidate_id: int
) -> SeasonCandidate:
    """An application of `season`: coordinators see all, a candidate only their own."""
    row = session.get(SeasonCandidate, candidate_id)
    if row is None or row.season_id != season.id:
        raise NotFoundError("candidate")
    if actor.role is Role.COORDINATOR:
        return row
    if actor.role is Role.CANDIDATE and row.user_id == actor.user_id:
        own = repo.candidate_of_user(session, season.id, actor.own_user_id())  # confirmed only
        if own is not None and own.id == row.id:
            return row
    raise NotFoundError("candidate")


def access_run(session: Session, actor: Actor, season: SeasonRow, run_id: int) -> MatchRun:
    """A run of `season`; drafts and reviews are for the coordinators (services check that)."""
    row = session.get(MatchRun, run_id)
    if row is None or row.season_id != season.id:
        raise NotFoundError("run")
    return row


def own_candidate(session: Session, actor: Actor, season: SeasonRow) -> SeasonCandidate:
    """The signed-in candidate's own application in `season`."""
    row = repo.candidate_of_user(session, season.id, actor.own_user_id())
    if row is None:
        raise NotFoundError("candidate")
    return row


# -- read models -------------------------------------------------------------------------------


class SeasonOut(BaseModel):
    id: int
    programme_id: int
    name: str
    year: int
    request_deadline: datetime
    contract_start: date
    status: str
    requests_locked: bool  # the deadline has passed: BoEs can no longer edit their requests


def season_out(row: SeasonRow, *, now: datetime | None = None) -> SeasonOut:
    return SeasonOut(
        id=row.id,
        programme_id=row.programme_id,
        name=row.name,
        year=row.year,
        request_deadline=row.request_deadline,
        contract_start=row.contract_start,
        status=row.status,
        requests_locked=requests_locked(row, now=now),
    )


def requests_locked(season: SeasonRow, *, now: datetime | None = None) -> bool:
    return (now or utc_now()) >= season.request_deadline or season.status != "open"


class RequestOut(BaseModel):
    id: int
    request_id: str  # the id BoEs and files use
    boe_id: int
    boe: str
    boe_ja: str
    capacity: int
    prefecture: str
    school_levels: list[str]
    area: str | None
    requires_driving_licence: bool
    min_jlpt: str
    min_teaching_years: int
    weight_jlpt: int
    weight_teaching_years: int
    weight_school_levels: int
    weight_driving_licence: int
    version: int
    updated_at: datetime


def request_out(row: SeasonRequest, boe: Organisation) -> RequestOut:
    return RequestOut(
        id=row.id,
        request_id=row.external_id,
        boe_id=row.boe_id,
        boe=boe.name_en,
        boe_ja=boe.name_ja,
        capacity=row.capacity,
        prefecture=row.prefecture,
        school_levels=list(row.school_levels),
        area=row.area,
        requires_driving_licence=row.requires_driving_licence,
        min_jlpt=row.min_jlpt,
        min_teaching_years=row.min_teaching_years,
        weight_jlpt=row.weight_jlpt,
        weight_teaching_years=row.weight_teaching_years,
        weight_school_levels=row.weight_school_levels,
        weight_driving_licence=row.weight_driving_licence,
        version=row.version,
        updated_at=row.updated_at,
    )


class PreferencesOut(BaseModel):
    prefectures: list[str]
    area: str | None
    school_levels: list[str]
    anywhere: bool


class CandidateOut(BaseModel):
    id: int
    candidate_id: str  # the id the files use
    name: str
    stage: ApplicationStage
    jlpt: str
    teaching_years: int
    driving_licence: bool
    school_experience: list[str]
    interview_score: int
    preferences: PreferencesOut
    version: int


def candidate_out(row: SeasonCandidate) -> CandidateOut:
    return CandidateOut(
        id=row.id,
        candidate_id=row.external_id,
        name=row.name,
        stage=ApplicationStage(row.stage),
        jlpt=row.jlpt,
        teaching_years=row.teaching_years,
        driving_licence=row.driving_licence,
        school_experience=list(row.school_experience),
        interview_score=row.interview_score,
        preferences=PreferencesOut(
            prefectures=list(row.preferred_prefectures),
            area=row.preferred_area,
            school_levels=list(row.preferred_school_levels),
            anywhere=row.accepts_anywhere,
        ),
        version=row.version,
    )


class RunOut(BaseModel):
    id: int
    kind: str
    status: str
    parent_run_id: int | None
    seed: int
    engine_version: str
    created_at: datetime
    published_at: datetime | None
    has_chances: bool


def run_out(row: MatchRun) -> RunOut:
    return RunOut(
        id=row.id,
        kind=row.kind,
        status=row.status,
        parent_run_id=row.parent_run_id,
        seed=row.seed,
        engine_version=row.engine_version,
        created_at=row.created_at,
        published_at=row.published_at,
        has_chances=row.chances is not None,
    )
