"""The season's long lists a page at a time: a run's outcomes (with the run explained), the
published placements, the requests and the applications.

Each list is searched, sorted, filtered and paged in the database (db.listing), so a season of
thousands is never loaded to be cut down; pages and their JSON twins call the same functions
with the same `ListQuery`. Who sees what is as elsewhere: runs and applications are the
coordinators'; BoE staff see only their own BoE's requests and placements.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from pydantic import BaseModel
from sqlalchemy.orm import Session

from altmatch.db import Sessions
from altmatch.db import season as repo
from altmatch.db.models import MatchRun, SeasonRow
from altmatch.domain.access import Actor, Permission, Role, require
from altmatch.domain.application import ApplicationStage
from altmatch.rulebook.vocabulary import Jlpt
from altmatch.services.kernel.listing import ListMetaOut, ListQuery, ListSpec, list_meta
from altmatch.services.season.access import (
    CandidateOut,
    RequestOut,
    RunOut,
    SeasonOut,
    access_request,
    access_run,
    access_season,
    candidate_out,
    request_out,
    requests_locked,
    run_out,
    season_out,
)
from altmatch.services.season.alternates import alternate_lists
from altmatch.services.season.interview_tiers import RunInterviewOut, run_interview, tier_labels
from altmatch.services.season.placement_report import COUPLE, FILLED, HARD_REQUIREMENT
from altmatch.services.season.reasons_store import unpack_reasons
from altmatch.services.season.setup import SeasonOverviewOut, season_overview

OUTCOMES: ListSpec = repo.OUTCOME_LIST
PLACEMENTS: ListSpec = repo.PLACED_LIST
REQUESTS: ListSpec = repo.REQUEST_LIST
APPLICATIONS: ListSpec = replace(
    repo.APPLICATION_LIST,
    filters={
        "stage": tuple(s.value for s in ApplicationStage),
        "jlpt": tuple(j.value for j in Jlpt),
    },
)


class BoeChoiceOut(BaseModel):
    id: int
    name: str
    name_ja: str


class ChoicesOut(BaseModel):
    """The values a list's filters offer: the BoEs and prefectures of the season's requests."""

    boes: list[BoeChoiceOut]
    prefectures: list[str]


def _choices(session: Session, season: SeasonRow, boe_id: int | None = None) -> ChoicesOut:
    boes = repo.request_boes(session, season.id)
    return ChoicesOut(
        boes=[
            BoeChoiceOut(id=b.id, name=b.name_en, name_ja=b.name_ja)
            for b in boes
            if boe_id is None or b.id == boe_id
        ],
        prefectures=repo.request_prefectures(session, season.id),
    )


# -- a run's outcomes, and the run explained ------------------------------------------------------

# Why a candidate was left unplaced, in the order a reader looks for them: their list was empty;
# a request would have taken them but not with their partner; requests they chose were filled
# with candidates ranked above them; they missed a requirement of every request they chose;
# none of their requests ranked them.
UNPLACED_REASONS = ("no_choices", "couple", "filled", "requirements", "not_ranked")
COUPLE_REASONS = ("withdrawn", *UNPLACED_REASONS)


def unplaced_reason(packed: bytes) -> str:
    """The main reason (UNPLACED_REASONS) in an unplaced candidate's stored reasons."""
    stored = unpack_reasons(packed)
    if stored.list_length == 0:
        return "no_choices"
    codes = {int(f) & 3 for f in stored.rows["flags"]}
    codes |= {code for code, n in enumerate(stored.tail) if n}
    if COUPLE in codes:
        return "couple"
    if FILLED in codes:
        return "filled"
    if codes == {HARD_REQUIREMENT}:
        return "requirements"
    return "not_ranked"


class CouplesOut(BaseModel):
    total: int
    placed_together: int
    not_placed: dict[str, int]  # COUPLE_REASONS: why the others were not, each couple once


class RunExplainedOut(BaseModel):
    """The run's unplaced candidates and couples, counted by reason."""

    unplaced: int
    waiting: int  # unplaced, and on some request's alternate list
    unplaced_by_reason: dict[str, int]  # UNPLACED_REASONS
    couples: CouplesOut


def explain_run(
    session: Session, season: SeasonRow, run: MatchRun, snapshot: dict[str, Any] | None = None
) -> RunExplainedOut:
    """Counts by reason from the run's stored reasons: each unplaced candidate once under their
    main reason, each unplaced couple once under the first reason either partner has. A couple
    with a partner the interview round left out of the run is not one in the run (its summary
    does not count it either): the other partner matched alone."""
    decided = (snapshot or {}).get("interview_decisions") or {}
    left_out = set(decided.get("not_selected_ids", {}).values())
    reasons: dict[int, str] = {}
    waiting = 0
    for candidate, alternate, packed in repo.unplaced_reasons(session, run.id):
        reasons[candidate] = unplaced_reason(packed)
        waiting += alternate is not None
    by_reason = dict.fromkeys(UNPLACED_REASONS, 0)
    for reason in reasons.values():
        by_reason[reason] += 1
    together = 0
    apart = dict.fromkeys(COUPLE_REASONS, 0)
    couples = [
        c for c in repo.couple_outcomes(session, season.id, run.id) if not {c[0], c[1]} & left_out
    ]
    for a, b, at_a, at_b, has_a, has_b in couples:
        if at_a is not None and at_b is not None:
            together += 1
        elif not (has_a and has_b):
            apart["withdrawn"] += 1
        else:
            found = {reasons.get(a, ""), reasons.get(b, "")}
            apart[next((r for r in UNPLACED_REASONS if r in found), "not_ranked")] += 1
    return RunExplainedOut(
        unplaced=len(reasons),
        waiting=waiting,
        unplaced_by_reason=by_reason,
        couples=CouplesOut(total=len(couples), placed_together=together, not_placed=apart),
    )


class OutcomeRowOut(BaseModel):
    """One candidate's outcome in a run, as the review lists it."""

    candidate: int  # the application's row id: /seasons/{id}/candidates/{candidate}
    candidate_id: str
    name: str
    couple: bool
    request: int | None
    request_id: str | None
    boe: str | None
    boe_ja: str | None
    prefecture: str | None
    candidate_rank: int | None
    alternate_request_id: str | None
    alternate_position: int | None
    chance: float | None
    chance_low: float | None
    chance_high: float | None
    # the interview round's tier in this run ("Shortlisted", "Alternate 3", "Not decided");
    # None when the run was made without an interview decision
    interview: str | None = None


class RunReviewPageOut(BaseModel):
    """A run as the coordinator reviews it: summary, the run explained, one page of outcomes."""

    season: SeasonOut
    run: RunOut
    summary: dict[str, Any]
    chances: dict[str, Any] | None
    explained: RunExplainedOut
    placements: list[OutcomeRowOut]  # the page of outcomes asked for
    interview: RunInterviewOut | None = None  # what the interview decision did to the run
    placements_total: int  # every outcome of the run
    listing: ListMetaOut  # the query, and how many outcomes match it
    choices: ChoicesOut


def review_page(
    sessions: Sessions, actor: Actor, season_id: int, run_id: int, lq: ListQuery
) -> RunReviewPageOut:
    """One page of a run's outcomes with the run's summary and explanation (coordinators)."""
    require(actor, Permission.SEASON_MANAGE)
    with sessions() as session:
        season = access_season(session, actor, season_id)
        run = access_run(session, actor, season, run_id)
        page = repo.outcome_page(session, run.id, lq)
        snapshot = repo.run_inputs(session, run)
        tiers = tier_labels(snapshot) or {}
        rows = [
            OutcomeRowOut(
                candidate=cid,
                candidate_id=external,
                name=name,
                request=rid,
                request_id=request_id,
                boe=boe,
                boe_ja=boe_ja,
                prefecture=prefecture,
                candidate_rank=rank,
                alternate_request_id=alternate,
                alternate_position=position,
                chance=chance,
                chance_low=low,
                chance_high=high,
                couple=bool(couple),
                interview=tiers.get(external),
            )
            for (
                cid,
                external,
                name,
                rid,
                request_id,
                boe,
                boe_ja,
                prefecture,
                rank,
                alternate,
                position,
                chance,
                low,
                high,
                couple,
            ) in page.rows
        ]
        return RunReviewPageOut(
            season=season_out(season),
            run=run_out(run),
            summary=run.summary,
            chances=run.chances,
            explained=explain_run(session, season, run, snapshot),
            placements=rows,
            placements_total=repo.outcome_count(session, run.id),
            listing=list_meta(page, OUTCOMES),
            choices=_choices(session, season),
            interview=run_interview(snapshot),
        )


# -- published placements ---------------------------------------------------------------------


class PlacedRowOut(BaseModel):
    request_id: str
    boe: str
    boe_ja: str
    prefecture: str
    candidate: int  # the application's row id
    candidate_id: str
    name: str
    candidate_rank: int | None  # the placement's position in the candidate's own list


class WaitingRowOut(BaseModel):
    request_id: str
    position: int  # 1: called first if a place opens
    candidate_id: str
    name: str


ALTERNATE_REQUESTS = 40  # alternates are listed for at most this many requests at once


class PlacementsPageOut(BaseModel):
    season: SeasonOut
    run: RunOut | None  # the published run; None until one is published
    placements: list[PlacedRowOut]  # the page asked for
    listing: ListMetaOut
    alternates: list[WaitingRowOut]  # each matching request's first ones, if few requests match
    alternates_shown: bool  # False: too many requests match; filter by BoE or prefecture
    choices: ChoicesOut


def placements_page(
    sessions: Sessions, actor: Actor, season_id: int, lq: ListQuery, *, alternates: int = 10
) -> PlacementsPageOut:
    """One page of the published placements (a BoE: at its own requests only), and the first
    `alternates` of each request the filters leave, when at most ALTERNATE_REQUESTS do."""
    require(actor, Permission.PLACEMENT_VIEW)
    with sessions() as session:
        season = access_season(session, actor, season_id)
        own = actor.organisation_id if actor.role is Role.BOE_STAFF else None
        run = repo.latest_published_run(session, season.id)
        if run is None:
            empty = repo.placed_page(session, -1, season.id, lq)
            return PlacementsPageOut(
                season=season_out(season),
                run=None,
                placements=[],
                listing=list_meta(empty, PLACEMENTS),
                alternates=[],
                alternates_shown=False,
                choices=_choices(session, season, own),
            )
        page = repo.placed_page(session, run.id, season.id, lq, boe_id=own)
        placed = [
            PlacedRowOut(
                request_id=r,
                boe=boe,
                boe_ja=boe_ja,
                prefecture=prefecture,
                candidate=cid,
                candidate_id=external,
                name=name,
                candidate_rank=rank,
            )
            for r, boe, boe_ja, prefecture, cid, external, name, rank in page.rows
        ]
        boe = _boe_filter(own, lq.get("boe"))
        requests = repo.request_ids_where(
            session, season.id, boe_id=boe, prefecture=lq.get("prefecture"), external_id=""
        )
        shown = len(requests) <= ALTERNATE_REQUESTS
        waiting = _waiting(session, run, alternates, requests) if shown else []
        return PlacementsPageOut(
            season=season_out(season),
            run=run_out(run),
            placements=placed,
            listing=list_meta(page, PLACEMENTS),
            alternates=waiting,
            alternates_shown=shown,
            choices=_choices(session, season, own),
        )


def _boe_filter(own: int | None, asked: str) -> int | None:
    """The BoE whose requests the filters leave: a BoE's own (another one asked for leaves
    none, -1), else the one asked for (text that is no id leaves none), else all (None)."""
    wanted = (int(asked) if asked.isdigit() and len(asked) < 10 else -1) if asked else None
    if own is not None:
        return own if wanted in (None, own) else -1
    return wanted


def _waiting(
    session: Session, run: MatchRun, first: int, requests: list[int]
) -> list[WaitingRowOut]:
    if first <= 0 or not requests:
        return []
    names = repo.request_names(session, requests)
    lists = [(r, ids.tolist()) for r, ids in alternate_lists(session, run, first, requests)]
    people = repo.candidate_names(session, run.season_id, {c for _, ids in lists for c in ids})
    return [
        WaitingRowOut(
            request_id=names[r][0], position=k, candidate_id=people[c][0], name=people[c][1]
        )
        for r, ids in lists
        for k, c in enumerate(ids, start=1)
    ]


# -- requests ---------------------------------------------------------------------------------


class RequestRowOut(RequestOut):
    filled: int | None  # places taken in the published run; None before publication


class RequestsPageOut(BaseModel):
    season: SeasonOut
    locked: bool  # past the deadline: the requests can be read but no longer changed
    requests: list[RequestRowOut]  # the page asked for
    listing: ListMetaOut
    choices: ChoicesOut
    editing: RequestOut | None = None  # the request asked for by `edit`, wherever it is listed


def requests_page(
    sessions: Sessions, actor: Actor, season_id: int, lq: ListQuery, *, edit: int | None = None
) -> RequestsPageOut:
    """One page of the season's requests: a BoE's own, or every request for coordinators;
    with `edit`, that request too (one the actor may see)."""
    require(actor, Permission.REQUEST_VIEW)
    with sessions() as session:
        season = access_season(session, actor, season_id)
        editing = None
        if edit is not None:
            row = access_request(session, actor, season, edit)
            editing = request_out(row, repo.organisations(session, {row.boe_id})[row.boe_id])
        own = actor.organisation_id if actor.role is Role.BOE_STAFF else None
        run = repo.latest_published_run(session, season.id)
        page = repo.request_page(session, season.id, lq, boe_id=own, run_id=run.id if run else None)
        rows = [
            RequestRowOut(**request_out(r, boe).model_dump(), filled=filled)
            for r, boe, filled in page.rows
        ]
        return RequestsPageOut(
            season=season_out(season),
            locked=requests_locked(season),
            requests=rows,
            listing=list_meta(page, REQUESTS),
            choices=_choices(session, season, own),
            editing=editing,
        )


# -- applications -----------------------------------------------------------------------------


class OverviewPageOut(SeasonOverviewOut):
    """The coordinator's overview, its applications a page at a time."""

    listing: ListMetaOut


def overview_page(
    sessions: Sessions, actor: Actor, season_id: int, lq: ListQuery
) -> OverviewPageOut:
    """The season's counts and runs, and one page of its applications (coordinators)."""
    overview = season_overview(sessions, actor, season_id)
    with sessions() as session:
        page = repo.application_page(session, overview.season.id, lq)
        listed: list[CandidateOut] = [candidate_out(row) for (row,) in page.rows]
    return OverviewPageOut(
        **(overview.model_dump() | {"candidates": listed}),
        listing=list_meta(page, APPLICATIONS),
    )
