"""A run's first alternates kept in rows (run_alternates), on SQLite and PostgreSQL: the
placements views answer from them exactly as they did from the run's JSON list, a BoE's view
never reads that list, more than STORED_ALTERNATES still come from it, and the migration fills
the rows in for runs stored before it. Also: the run review, read as plain values, still lists
every outcome as the rows hold it."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine, event, inspect, select
from sqlalchemy.orm import Session

from altmatch.config import Settings
from altmatch.db import Sessions, downgrade_database, upgrade_database
from altmatch.db import season as repo
from altmatch.db.models import ImmutableRunError, MatchRun, RunAlternate
from altmatch.db.models.season import STORED_ALTERNATES
from altmatch.demo import generate_demo
from altmatch.demo.seed_database import seed_demo_database
from altmatch.domain.access import OPERATOR, Actor, Role
from altmatch.services.accounts.authentication import act_as
from altmatch.services.season import results as season_results
from altmatch.services.season import runs as season_runs
from altmatch.services.season.access import run_out, season_out
from altmatch.services.season.publish import publish_run
from altmatch.services.season.results import (
    PlacedOut,
    PlacementsOut,
    WaitingOut,
    season_placements,
)
from altmatch.services.season.runs import review_run, run_season_match

BOE_LOGINS = ("kobe_boe_staff", "toyooka_boe_staff", "nagano_pref_boe_staff")


@dataclass(frozen=True)
class Published:
    season_id: int
    run_id: int
    coordinator: Actor
    boes: tuple[Actor, ...]


def _login(key: str) -> str:
    return f"{key}@demo.altmatch.example"


def _publish_demo(sessions: Sessions) -> Published:
    """The demo season (600 candidates, every request) matched and published."""
    report = seed_demo_database(sessions, generate_demo(candidates=600))
    coordinator = act_as(sessions, OPERATOR, _login("programme_coordinator"))
    run = run_season_match(sessions, coordinator, report.season_id, seed=8).run.id
    publish_run(sessions, coordinator, report.season_id, run)
    boes = tuple(act_as(sessions, OPERATOR, _login(key)) for key in BOE_LOGINS)
    return Published(report.season_id, run, coordinator, boes)


@pytest.fixture
def published(sessions: Sessions) -> Published:
    return _publish_demo(sessions)


def json_answer(sessions: Sessions, actor: Actor, season_id: int, shown: int) -> PlacementsOut:
    """The answer as computed before run_alternates: whole season, whole JSON list."""
    with sessions() as session:
        season = repo.get_season(session, season_id)
        assert season is not None
        run = repo.latest_published_run(session, season_id)
        assert run is not None
        boe_id = actor.organisation_id if actor.role is Role.BOE_STAFF else None
        requests = {r.id: r for r in repo.requests(session, season_id, boe_id=boe_id)}
        by_external = {r.external_id: r for r in requests.values()}
        boes = repo.organisations(session, {r.boe_id for r in requests.values()})
        candidates = {c.id: c for c in repo.candidates(session, season_id)}
        by_candidate = {c.external_id: c for c in candidates.values()}
        placed = [
            PlacedOut(
                request_id=requests[p.request_id or 0].external_id,
                boe=boes[requests[p.request_id or 0].boe_id].name_en,
                boe_ja=boes[requests[p.request_id or 0].boe_id].name_ja,
                prefecture=requests[p.request_id or 0].prefecture,
                candidate_id=candidates[p.candidate_id].external_id,
                name=candidates[p.candidate_id].name,
                candidate_rank=p.candidate_rank,
            )
            for p in repo.placements(session, run.id, request_ids=list(requests))
        ]
        waiting = [
            WaitingOut(
                request_id=str(rid),
                position=int(position),
                candidate_id=str(cid),
                name=by_candidate[str(cid)].name if str(cid) in by_candidate else str(cid),
            )
            for rid, position, cid in run.alternates
            if int(position) <= shown and str(rid) in by_external
        ]
        return PlacementsOut(
            season=season_out(season), run=run_out(run), placements=placed, alternates=waiting
        )


@pytest.fixture
def statements(engine: Engine) -> Iterator[list[str]]:
    """Every SQL statement the engine sends while the test runs."""
    seen: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine, "before_cursor_execute", record)


def test_the_views_answer_as_the_json_list_did(sessions: Sessions, published: Published) -> None:
    for actor in (published.coordinator, *published.boes):
        for shown in (0, 1, 10, STORED_ALTERNATES, STORED_ALTERNATES + 1, 1000):
            got = season_placements(sessions, actor, published.season_id, alternates=shown)
            assert got == json_answer(sessions, actor, published.season_id, shown)
    everyone = season_placements(sessions, published.coordinator, published.season_id)
    assert everyone.placements and everyone.alternates  # the comparison compared something
    deep = season_placements(sessions, published.coordinator, published.season_id, alternates=1000)
    assert max(a.position for a in deep.alternates) > STORED_ALTERNATES  # the fallback ran


def test_a_run_keeps_each_requests_first_alternates_in_rows(
    sessions: Sessions, published: Published
) -> None:
    with sessions() as session:
        run = session.get(MatchRun, published.run_id)
        assert run is not None
        expected = sorted(
            (str(r), int(p), str(c)) for r, p, c in run.alternates if int(p) <= STORED_ALTERNATES
        )
        query = select(RunAlternate.request_id, RunAlternate.position, RunAlternate.candidate_id)
        stored = sorted(tuple(row) for row in session.execute(query))
    assert stored == expected
    assert expected


def test_a_boe_view_never_reads_the_runs_json_list_nor_the_whole_season(
    sessions: Sessions,
    published: Published,
    statements: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[set[str]] = []
    names_of = repo.names_of

    def spy(session: Session, season_id: int, external_ids: Collection[str]) -> dict[str, str]:
        asked.append(set(external_ids))
        return names_of(session, season_id, external_ids)

    monkeypatch.setattr(repo, "names_of", spy)
    kobe = season_placements(sessions, published.boes[0], published.season_id)

    assert kobe.placements and kobe.alternates
    assert statements and not any("match_runs.alternates" in s for s in statements)
    assert asked == [{a.candidate_id for a in kobe.alternates}]  # only the names it shows
    whole = [s for s in statements if "FROM season_candidates" in s]
    assert whole and all("JOIN" in s or " IN (" in s for s in whole)  # never the whole season
    statements.clear()
    season_placements(sessions, published.coordinator, published.season_id, alternates=60)
    assert any("match_runs.alternates" in s for s in statements)  # the check can see it


def test_the_json_list_stays_unloaded_on_the_run_row(
    sessions: Sessions, published: Published
) -> None:
    with sessions() as session:
        season = repo.get_season(session, published.season_id)
        run = repo.latest_published_run(session, published.season_id)
        assert season is not None and run is not None
        season_results._placements(session, published.boes[1], season, run, 10)
        assert "alternates" in inspect(run).unloaded


def test_fewer_stored_alternates_fall_back_to_the_json_list(
    sessions: Sessions, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(season_runs, "STORED_ALTERNATES", 2)
    monkeypatch.setattr(season_results, "STORED_ALTERNATES", 2)
    published = _publish_demo(sessions)
    with sessions() as session:
        deepest = session.scalar(
            select(RunAlternate.position).order_by(RunAlternate.position.desc())
        )
    assert deepest == 2
    for actor in (published.coordinator, published.boes[0]):
        for shown in (1, 2, 3, 10):
            got = season_placements(sessions, actor, published.season_id, alternates=shown)
            assert got == json_answer(sessions, actor, published.season_id, shown)


def test_the_migration_fills_in_runs_stored_before_it(
    settings: Settings, sessions: Sessions, published: Published, engine: Engine
) -> None:
    query = select(
        RunAlternate.run_id,
        RunAlternate.request_id,
        RunAlternate.position,
        RunAlternate.candidate_id,
    )
    with sessions() as session:
        before = sorted(tuple(row) for row in session.execute(query))
    engine.dispose()  # no pooled connection may hold the table while it is dropped

    downgrade_database(settings, "h1_trust")
    assert "run_alternates" not in inspect(engine).get_table_names()
    engine.dispose()
    upgrade_database(settings)

    with sessions() as session:
        after = sorted(tuple(row) for row in session.execute(query))
    assert before and after == before
    kobe = season_placements(sessions, published.boes[0], published.season_id)
    assert kobe == json_answer(sessions, published.boes[0], published.season_id, 10)


def test_the_run_review_lists_every_outcome_as_its_rows_hold_it(
    sessions: Sessions, published: Published
) -> None:
    review = review_run(sessions, published.coordinator, published.season_id, published.run_id)

    with sessions() as session:
        candidates = {c.id: c for c in repo.candidates(session, published.season_id)}
        requests = {r.id: r for r in repo.requests(session, published.season_id)}
        boes = repo.organisations(session, {r.boe_id for r in requests.values()})
        rows = repo.placements(session, published.run_id)
        expected = [
            (
                p.candidate_id,
                candidates[p.candidate_id].external_id,
                candidates[p.candidate_id].name,
                p.request_id,
                requests[p.request_id].external_id if p.request_id else None,
                boes[requests[p.request_id].boe_id].name_en if p.request_id else None,
                p.candidate_rank,
                requests[p.alternate_request_id].external_id if p.alternate_request_id else None,
                p.alternate_position,
            )
            for p in rows
        ]
    got = [
        (
            p.candidate,
            p.candidate_id,
            p.name,
            p.request,
            p.request_id,
            p.boe,
            p.candidate_rank,
            p.alternate_request_id,
            p.alternate_position,
        )
        for p in review.placements
    ]
    assert got == expected
    assert any(p.request_id for p in review.placements)
    assert any(p.alternate_request_id for p in review.placements)


def test_a_review_limited_to_the_first_outcomes_lists_those_and_counts_them_all(
    sessions: Sessions, published: Published
) -> None:
    whole = review_run(sessions, published.coordinator, published.season_id, published.run_id)
    first = review_run(
        sessions, published.coordinator, published.season_id, published.run_id, limit=7
    )

    assert first.placements == whole.placements[:7]
    assert first.placements_total == whole.placements_total == len(whole.placements) > 7
    assert first.summary == whole.summary


def test_a_published_runs_alternates_cannot_change(
    sessions: Sessions, published: Published
) -> None:
    with sessions() as session:
        first = session.scalars(select(RunAlternate).order_by(RunAlternate.id)).first()
        assert first is not None
        first.candidate_id = "someone else"
        with pytest.raises(ImmutableRunError):
            session.flush()
