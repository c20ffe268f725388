"""A run keeps each request's first alternates and each candidate's first place (issue 16), and
the rest comes back exactly by replaying the run: stored runs agree with their replay, the
views read deeper than the stored lists through it, and migration m5_first_places cuts the
lists of runs stored whole and writes them back whole on the way down."""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy import Engine, LargeBinary, column, select, table
from tests.season_world import PUBLISH_ANYWAY

from altmatch.config import Settings
from altmatch.db import Sessions, downgrade_database, upgrade_database
from altmatch.db import season as repo
from altmatch.db.models import MatchRun
from altmatch.demo.season import generate_demo
from altmatch.demo.seed_database import seed_demo_database
from altmatch.domain.access import OPERATOR
from altmatch.services.accounts.authentication import act_as
from altmatch.services.season.alternates import (
    ALTERNATES_STORED,
    AlternateList,
    replayed_lists,
)
from altmatch.services.season.applications import my_application
from altmatch.services.season.publish import publish_run
from altmatch.services.season.results import season_placements
from altmatch.services.season.runs import review_run, run_season_match, withdraw_candidates

pytestmark = pytest.mark.date_sensitive

COORDINATOR = "programme_coordinator@demo.altmatch.example"
KOBE = "kobe_boe_staff@demo.altmatch.example"


def _brute_first_places(lists: list[AlternateList]) -> dict[int, tuple[int, int]]:
    """Each candidate's lowest position over every list, the lower request row id on a tie,
    by looking at every entry."""
    best: dict[int, tuple[int, int]] = {}
    for request_id, ids in lists:
        for position, candidate in enumerate(ids.tolist(), start=1):
            if candidate not in best or (position, request_id) < best[candidate][::-1]:
                best[candidate] = (request_id, position)
    return best


def _replayed(sessions: Sessions, run_id: int) -> list[AlternateList]:
    with sessions() as session:
        run = session.get(MatchRun, run_id)
        assert run is not None
        return replayed_lists(session, run)


def _stored(sessions: Sessions, run_id: int) -> dict[int, tuple[list[int], int]]:
    with sessions() as session:
        lengths = repo.alternate_lengths(session, run_id)
        return {r: (ids.tolist(), lengths[r]) for r, ids in repo.run_alternates(session, run_id)}


def _first_places(sessions: Sessions, run_id: int) -> dict[int, tuple[int, int]]:
    with sessions() as session:
        return repo.first_places(session, run_id)


@pytest.fixture
def season(sessions: Sessions) -> tuple[int, list[int]]:
    """A demo season with a draft run, a published run and an upgrade draft after two
    withdrawals: (season id, run ids)."""
    # 600 candidates: the smallest demo season with lists longer than the stored first 50.
    report = seed_demo_database(sessions, generate_demo(candidates=600))
    coordinator = act_as(sessions, OPERATOR, COORDINATOR)
    draft = run_season_match(sessions, coordinator, report.season_id, seed=3).run.id
    published = run_season_match(sessions, coordinator, report.season_id, seed=4)
    publish_run(sessions, coordinator, report.season_id, published.run.id, overrides=PUBLISH_ANYWAY)
    placed = [p.candidate_id for p in published.placements if p.request_id][:2]
    upgrade = withdraw_candidates(sessions, coordinator, report.season_id, placed).run.id
    return report.season_id, [draft, published.run.id, upgrade]


def test_a_stored_run_keeps_the_first_alternates_and_first_places_of_its_whole_lists(
    sessions: Sessions, season: tuple[int, list[int]]
) -> None:
    _season_id, runs = season
    deep = 0
    for run_id in runs:
        whole = _replayed(sessions, run_id)
        stored = _stored(sessions, run_id)
        assert stored == {
            r: (ids[:ALTERNATES_STORED].tolist(), len(ids)) for r, ids in whole if len(ids)
        }
        assert _first_places(sessions, run_id) == _brute_first_places(whole)
        deep += sum(len(ids) > ALTERNATES_STORED for _r, ids in whole)
    assert deep > 0, "no list is longer than what is stored: the test would prove nothing"


def test_the_views_read_deeper_than_the_stored_lists_through_the_replay(
    sessions: Sessions, season: tuple[int, list[int]]
) -> None:
    season_id, runs = season
    coordinator = act_as(sessions, OPERATOR, COORDINATOR)
    whole = dict(_replayed(sessions, runs[1]))
    shown = ALTERNATES_STORED + 30
    view = season_placements(sessions, coordinator, season_id, alternates=shown)
    with sessions() as session:
        external = {r.id: r.external_id for r in repo.requests(session, season_id)}
        names = {c.id: c.external_id for c in repo.candidates(session, season_id)}
    got: dict[str, list[str]] = {}
    for waiting in view.alternates:
        got.setdefault(waiting.request_id, []).append(waiting.candidate_id)
        assert waiting.position == len(got[waiting.request_id])
    assert got == {
        external[r]: [names[c] for c in ids[:shown].tolist()]
        for r, ids in whole.items()
        if len(ids)
    }
    assert any(len(v) > ALTERNATES_STORED for v in got.values())

    boe = act_as(sessions, OPERATOR, KOBE)
    own = season_placements(sessions, boe, season_id, alternates=shown).alternates
    short = season_placements(sessions, boe, season_id, alternates=3).alternates
    assert own and {w.request_id for w in own} <= set(got)
    for w in own:
        assert got[w.request_id][w.position - 1] == w.candidate_id
    assert [w for w in own if w.position <= 3] == short


_LISTS = table(
    "run_alternates", column("run_id"), column("request_id"), column("candidate_ids", LargeBinary())
)


def _whole_as_stored_before(engine: Engine, run_id: int) -> dict[int, list[int]]:
    """The run's lists as m4_compact_runs keeps them, read with plain SQL."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(_LISTS.c.request_id, _LISTS.c.candidate_ids).where(_LISTS.c.run_id == run_id)
        ).all()
    return {r: np.frombuffer(bytes(ids), dtype="<i4").tolist() for r, ids in rows}


def test_the_migration_cuts_whole_lists_and_writes_them_back_whole(
    settings: Settings, sessions: Sessions, engine: Engine, season: tuple[int, list[int]]
) -> None:
    season_id, runs = season
    whole = {run_id: _replayed(sessions, run_id) for run_id in runs}
    stored = {run_id: _stored(sessions, run_id) for run_id in runs}
    places = {run_id: _first_places(sessions, run_id) for run_id in runs}
    coordinator = act_as(sessions, OPERATOR, COORDINATOR)
    review = review_run(sessions, coordinator, season_id, runs[2])
    candidate = act_as(sessions, OPERATOR, "candidate_emily@demo.altmatch.example")
    outcome = my_application(sessions, candidate, season_id).outcome

    engine.dispose()
    downgrade_database(settings, "m4_compact_runs")
    for run_id in runs:
        assert _whole_as_stored_before(engine, run_id) == {
            r: ids.tolist() for r, ids in whole[run_id] if len(ids)
        }
    engine.dispose()
    upgrade_database(settings)

    for run_id in runs:
        assert _stored(sessions, run_id) == stored[run_id]
        assert _first_places(sessions, run_id) == places[run_id]
    assert review_run(sessions, coordinator, season_id, runs[2]) == review
    assert my_application(sessions, candidate, season_id).outcome == outcome
