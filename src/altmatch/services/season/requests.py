"""BoE requests: staff file and edit their own BoE's requests until the season's deadline.

Edits carry the `version` the editor started from; a stale one is refused (StaleError, 409)
so two people editing one request never silently overwrite each other.
"""

from __future__ import annotations

from pydantic import BaseModel, Field
from sqlalchemy.exc import IntegrityError

from altmatch.clock import utc_now
from altmatch.db import Sessions
from altmatch.db import season as repo
from altmatch.db.models import Organisation, SeasonRequest, SeasonRow
from altmatch.domain.access import Actor, Permission, Role, require
from altmatch.i18n import N_, Message
from altmatch.io.season_files import MAX_CAPACITY, MAX_ID_CHARS, MAX_WEIGHT, MAX_YEARS
from altmatch.rulebook.vocabulary import Area, Jlpt, SchoolLevel
from altmatch.services.kernel.audit import record_audit
from altmatch.services.kernel.errors import RuleError, StaleError, stale_record
from altmatch.services.kernel.locking import expect_version, stale_guard
from altmatch.services.season.access import (
    RequestOut,
    SeasonOut,
    access_request,
    access_season,
    request_out,
    requests_locked,
    season_out,
)


class RequestFields(BaseModel):
    """What a BoE says about a request: places, school levels, hard requirements, weights."""

    capacity: int = Field(ge=1, le=MAX_CAPACITY)
    prefecture: str = Field(min_length=1, max_length=64)
    school_levels: list[SchoolLevel] = []
    area: Area | None = None
    requires_driving_licence: bool = False
    min_jlpt: Jlpt = Jlpt.NONE
    min_teaching_years: int = Field(default=0, ge=0, le=MAX_YEARS)
    weight_jlpt: int = Field(default=0, ge=0, le=MAX_WEIGHT)
    weight_teaching_years: int = Field(default=0, ge=0, le=MAX_WEIGHT)
    weight_school_levels: int = Field(default=0, ge=0, le=MAX_WEIGHT)
    weight_driving_licence: int = Field(default=0, ge=0, le=MAX_WEIGHT)


class NewRequest(RequestFields):
    request_id: str = Field(min_length=1, max_length=MAX_ID_CHARS)


class RequestsOut(BaseModel):
    season: SeasonOut
    locked: bool  # past the deadline: the requests can be read but no longer changed
    requests: list[RequestOut]


def list_requests(sessions: Sessions, actor: Actor, season_id: int) -> RequestsOut:
    """BoE staff see their own BoE's requests; coordinators every request of the season."""
    require(actor, Permission.REQUEST_VIEW)
    with sessions() as session:
        season = access_season(session, actor, season_id)
        boe_id = actor.organisation_id if actor.role is Role.BOE_STAFF else None
        rows = repo.requests(session, season.id, boe_id=boe_id)
        boes = repo.organisations(session, {r.boe_id for r in rows})
        return RequestsOut(
            season=season_out(season),
            locked=requests_locked(season),
            requests=[request_out(r, boes[r.boe_id]) for r in rows],
        )


def _editable(season: SeasonRow) -> None:
    if requests_locked(season):
        raise StaleError(
            Message(N_("The deadline for requests has passed; they can no longer be changed.")),
            "request_deadline",
        )


def _apply(row: SeasonRequest, fields: RequestFields, actor: Actor) -> None:
    row.capacity = fields.capacity
    row.prefecture = fields.prefecture.strip()
    row.school_levels = [level.value for level in fields.school_levels]
    row.area = fields.area.value if fields.area else None
    row.requires_driving_licence = fields.requires_driving_licence
    row.min_jlpt = fields.min_jlpt.value
    row.min_teaching_years = fields.min_teaching_years
    row.weight_jlpt = fields.weight_jlpt
    row.weight_teaching_years = fields.weight_teaching_years
    row.weight_school_levels = fields.weight_school_levels
    row.weight_driving_licence = fields.weight_driving_licence
    row.updated_at = utc_now()
    row.updated_by = actor.user_id


def _criteria(row: SeasonRequest) -> dict[str, object]:
    keys = RequestFields.model_fields
    return {k: getattr(row, k) for k in keys}


def file_request(
    sessions: Sessions, actor: Actor, season_id: int, fields: NewRequest
) -> RequestOut:
    """A BoE's staff file a new request for their own BoE, before the deadline."""
    require(actor, Permission.REQUEST_EDIT)
    with sessions.begin() as session:
        season = access_season(session, actor, season_id)
        _editable(season)
        boe = session.get(Organisation, actor.organisation_id)
        if boe is None:
            raise RuleError(Message(N_("Your account belongs to no Board of Education.")))
        if fields.request_id.strip() in repo.request_external_ids(session, season.id):
            raise RuleError(
                Message(N_("This season already has a request with this id.")), "request_id"
            )
        row = SeasonRequest(season_id=season.id, boe_id=boe.id, external_id=fields.request_id)
        _apply(row, fields, actor)
        session.add(row)
        try:
            session.flush()
        except IntegrityError as exc:  # the same id, filed by a concurrent request
            raise stale_record() from exc
        record_audit(
            session, actor, "request.filed", "season_request", row.id, None, _criteria(row)
        )
        return request_out(row, boe)


@stale_guard()
def edit_request(
    sessions: Sessions,
    actor: Actor,
    season_id: int,
    request_id: int,
    fields: RequestFields,
    *,
    version: int,
) -> RequestOut:
    """Change a request, if `version` is still the stored one and the deadline has not passed."""
    require(actor, Permission.REQUEST_EDIT)
    with sessions.begin() as session:
        season = access_season(session, actor, season_id)
        row = access_request(session, actor, season, request_id)
        _editable(season)
        expect_version(row, version)
        before = _criteria(row)
        _apply(row, fields, actor)
        session.flush()  # UPDATE ... WHERE version = the one read: a race loses here
        after = _criteria(row)
        record_audit(session, actor, "request.edited", "season_request", row.id, before, after)
        boe = session.get(Organisation, row.boe_id)
        assert boe is not None
        return request_out(row, boe)
