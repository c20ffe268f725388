"""The coordinator's stage board: a season's applications by stage, a page at a time, with
each application's stage history; and bulk moves between review stages.

A bulk move is all or nothing: one transaction, every application at the version the
coordinator saw (a stale one, or a move the domain does not allow, changes nothing). Each
move is audited with its reason and the candidate (if they have an account) is notified.
It lives beside the contexts, not in `season`, because it notifies through the one
notification service (services.notifications), which sits beside them too.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from altmatch.clock import utc_now
from altmatch.db import Sessions
from altmatch.db import accounts as accounts_repo
from altmatch.db import season as season_repo
from altmatch.db import stage_queries as repo
from altmatch.db.models import ApplicationStageChange, SeasonCandidate, SeasonRow
from altmatch.domain.access import Actor, Permission, require
from altmatch.domain.application import REVIEW_STAGES, ApplicationStage
from altmatch.domain.stage_moves import allowed_moves, may_move
from altmatch.i18n import N_, Message, label
from altmatch.services.kernel.audit import record_audit
from altmatch.services.kernel.bounds import MAX_DB_INT, RowId
from altmatch.services.kernel.errors import RuleError, StaleError, stale_record
from altmatch.services.kernel.locking import stale_guard
from altmatch.services.notifications import notify
from altmatch.services.season.access import SeasonOut, access_season, season_out
from altmatch.services.season.applications import refuse_unscreened

PER_PAGE = 50
MAX_MOVE = 500  # applications in one bulk move
MAX_REASON = 500
MOVE_ACTION = "application.stage_moved"
# the audit entries whose `reason` the board shows beside a stage change (the applicant's own
# withdrawal included: services.season.application_withdrawal)
HAND_ACTIONS = (MOVE_ACTION, "application.stage_set", "application.withdrawn")
NOTICE_KIND = "stage_changed"  # in the "season" group of services.notifications
# Notices keep plain parameters (they are stored as JSON): one sentence per stage.
NOTICES = {
    ApplicationStage.SUBMITTED: N_("Your application in {season} is back at the stage Submitted."),
    ApplicationStage.SCREENED: N_("Your application in {season} has been screened."),
    ApplicationStage.INTERVIEWED: N_(
        "Your application in {season} is now at the stage Interviewed."
    ),
    ApplicationStage.SHORTLISTED: N_("Your application in {season} has been shortlisted."),
}


class StageChangeOut(BaseModel):
    at: datetime
    by: str | None  # the display name of whoever moved it (None: a run's publication)
    from_stage: ApplicationStage | None
    to_stage: ApplicationStage
    reason: str | None


class BoardRowOut(BaseModel):
    id: int
    candidate_id: str
    name: str
    stage: ApplicationStage
    version: int
    online: bool = False  # came in online: leaves submitted only through its office's queue
    moves: list[ApplicationStage]  # where it may be moved by hand
    history: list[StageChangeOut]


class StageBoardOut(BaseModel):
    season: SeasonOut
    open: bool  # the season is open: review stages may still change
    stage: ApplicationStage | None
    q: str
    page: int
    pages: int
    per_page: int
    total: int
    counts: dict[str, int]  # applications per stage, in the whole season
    review_stages: list[ApplicationStage]
    rows: list[BoardRowOut]


class MoveItem(BaseModel):
    id: RowId
    version: int = Field(ge=1, le=MAX_DB_INT)


class MovePlanOut(BaseModel):
    """What a bulk move would do: shown for confirmation before anything changes."""

    season: SeasonOut
    to_stage: ApplicationStage
    applications: list[BoardRowOut]
    refused: list[BoardRowOut]  # selected, but the domain does not allow this move for them


class MovedOut(BaseModel):
    season: SeasonOut
    to_stage: ApplicationStage
    moved: int
    notified: int


def _season_open(season: SeasonRow) -> bool:
    return season.status == "open"


def _histories(session: Session, ids: Sequence[int]) -> dict[int, list[StageChangeOut]]:
    changes = repo.stage_changes_of(session, ids)
    entries = repo.stage_audit_entries(session, ids, HAND_ACTIONS)
    reasons = {
        int(e.after["change_id"]): str(e.after.get("reason") or "")
        for e in entries
        if e.after and e.after.get("change_id") is not None
    }
    names = accounts_repo.display_names(
        session, {c.by_user_id for c in changes if c.by_user_id is not None}
    )
    out: dict[int, list[StageChangeOut]] = {i: [] for i in ids}
    for c in changes:
        out[c.candidate_id].append(
            StageChangeOut(
                at=c.at,
                by=names.get(c.by_user_id) if c.by_user_id is not None else None,
                from_stage=ApplicationStage(c.from_stage) if c.from_stage else None,
                to_stage=ApplicationStage(c.to_stage),
                reason=reasons.get(c.id) or None,
            )
        )
    for history in out.values():
        history.reverse()  # newest first
    return out


def _rows(
    session: Session, season: SeasonRow, rows: Sequence[SeasonCandidate]
) -> list[BoardRowOut]:
    histories = _histories(session, [r.id for r in rows])
    online = repo.online_offices(session, [r.id for r in rows])
    is_open = _season_open(season)
    return [
        BoardRowOut(
            id=r.id,
            candidate_id=r.external_id,
            name=r.name,
            stage=ApplicationStage(r.stage),
            version=r.version,
            online=r.id in online,
            moves=list(
                allowed_moves(ApplicationStage(r.stage), season_open=is_open, online=r.id in online)
            ),
            history=histories.get(r.id, []),
        )
        for r in rows
    ]


def stage_board(
    sessions: Sessions,
    actor: Actor,
    season_id: int,
    *,
    stage: ApplicationStage | None = None,
    q: str = "",
    page: int = 1,
    per_page: int = PER_PAGE,
) -> StageBoardOut:
    """One page of the season's applications at `stage`, searched by name or id, with their
    history; for the season's coordinators."""
    require(actor, Permission.SEASON_MANAGE)
    q = q.strip()[:100]
    with sessions() as session:
        season = access_season(session, actor, season_id)
        first = max(page, 1)
        rows, total = repo.board_page(
            session,
            season.id,
            stage=stage.value if stage else None,
            search=q,
            offset=(first - 1) * per_page,
            limit=per_page,
        )
        pages = max(1, -(-total // per_page))
        if first > pages and total:  # past the end: show the last page
            first = pages
            rows, total = repo.board_page(
                session,
                season.id,
                stage=stage.value if stage else None,
                search=q,
                offset=(first - 1) * per_page,
                limit=per_page,
            )
        return StageBoardOut(
            season=season_out(season),
            open=_season_open(season),
            stage=stage,
            q=q,
            page=first,
            pages=pages,
            per_page=per_page,
            total=total,
            counts=season_repo.candidates_per_stage(session, season.id),
            review_stages=list(REVIEW_STAGES),
            rows=_rows(session, season, rows),
        )


def _selected(
    session: Session, season: SeasonRow, items: Sequence[MoveItem]
) -> list[SeasonCandidate]:
    if not items:
        raise RuleError(Message(N_("Select at least one application.")), "ids")
    if len(items) > MAX_MOVE:
        raise RuleError(
            Message(N_("Move at most {count} applications at once."), {"count": MAX_MOVE}), "ids"
        )
    found = repo.candidates_by_ids(session, season.id, [i.id for i in items])
    if len(found) != len({i.id for i in items}):
        raise StaleError(
            Message(N_("Some selected applications no longer exist. Reload the page.")), "ids"
        )
    return [found[i] for i in dict.fromkeys(i.id for i in items)]


def plan_move(
    sessions: Sessions,
    actor: Actor,
    season_id: int,
    items: Sequence[MoveItem],
    to_stage: ApplicationStage,
) -> MovePlanOut:
    """What moving these applications to `to_stage` would do, without changing anything."""
    require(actor, Permission.SEASON_MANAGE)
    with sessions() as session:
        season = access_season(session, actor, season_id)
        rows = _rows(session, season, _selected(session, season, items))
        is_open = _season_open(season)
        ok = [r for r in rows if may_move(r.stage, to_stage, season_open=is_open, online=r.online)]
        refused = [r for r in rows if r not in ok]
        return MovePlanOut(
            season=season_out(season), to_stage=to_stage, applications=ok, refused=refused
        )


def _reason(reason: str) -> str:
    text = reason.strip()
    if not text:
        raise RuleError(Message(N_("Give a reason: the candidates' history shows it.")), "reason")
    if len(text) > MAX_REASON:
        raise RuleError(
            Message(N_("Use at most {count} characters."), {"count": MAX_REASON}), "reason"
        )
    return text


@stale_guard()
def move_stages(
    sessions: Sessions,
    actor: Actor,
    season_id: int,
    items: Sequence[MoveItem],
    to_stage: ApplicationStage,
    *,
    reason: str,
) -> MovedOut:
    """Move every selected application to `to_stage`, or none: a move the domain refuses or a
    version that is not the stored one (someone changed it since) changes nothing."""
    who = require(actor, Permission.SEASON_MANAGE)
    text = _reason(reason)
    if to_stage not in REVIEW_STAGES:
        raise RuleError(Message(N_("This stage is set by publishing a run, not by hand.")), "stage")
    now = utc_now()
    with sessions.begin() as session:
        season = access_season(session, who, season_id)
        rows = _selected(session, season, items)
        versions = {i.id: i.version for i in items}
        is_open = _season_open(season)
        online = repo.online_offices(session, [r.id for r in rows])
        for row in rows:
            refuse_unscreened(row, online)
            if not may_move(ApplicationStage(row.stage), to_stage, season_open=is_open):
                raise RuleError(
                    Message(
                        N_("{name} ({id}) cannot move from {from_stage} to {to_stage}."),
                        {
                            "name": row.name,
                            "id": row.external_id,
                            "from_stage": Message(label(ApplicationStage(row.stage))),
                            "to_stage": Message(label(to_stage)),
                        },
                    ),
                    "stage",
                )
            if versions[row.id] != row.version:
                raise stale_record()
        notified: list[int] = []
        for row in rows:
            before = row.stage
            row.stage = to_stage.value
            change = ApplicationStageChange(
                candidate_id=row.id,
                at=now,
                by_user_id=who.user_id,
                from_stage=before,
                to_stage=to_stage.value,
            )
            session.add(change)
            session.flush()  # UPDATE ... WHERE version = the one read: a race loses here
            record_audit(
                session,
                who,
                MOVE_ACTION,
                "season_candidate",
                row.id,
                {"stage": before},
                {"stage": to_stage.value, "reason": text, "change_id": change.id},
                tenant_id=season.programme_id,
            )
            if row.user_id is not None:
                notified.append(row.user_id)
        if notified:
            notify(
                session,
                notified,
                kind=NOTICE_KIND,
                message=Message(NOTICES[to_stage], {"season": season.name}),
                link=f"/seasons/{season.id}/application",
            )
        return MovedOut(
            season=season_out(season), to_stage=to_stage, moved=len(rows), notified=len(notified)
        )
