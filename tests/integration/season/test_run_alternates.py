"""A run's alternates, on SQLite and PostgreSQL: each request's first ALTERNATES_STORED in
`run_alternates` (a row per run and request, its candidates' row ids packed best first, with
the whole list's length) and each candidate's first place on their `run_placements` row.

A run stores exactly the start of the engine's lists and first places computed from the whole
lists; deeper lists come back by replaying the run. Every reader (the placements views, the
run review and its export, publication, a candidate's outcome, the applications export, and
the upgrade a withdrawal makes) follows those stores even when they are changed underneath
them; a BoE's view reads only the first alternates of its own requests; the migrations move the
earlier stores into these and back. Also: the run review lists every outcome as its rows hold
it.
"""

from __future__ import annotations

import csv
import io
import struct
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import JSON as SAJSON
from sqlalchemy import Engine, column, event, func, select, table
from sqlalchemy.orm import Session
from tests.season_world import PUBLISH_ANYWAY, first_places_of, replace_alternates

from altmatch.config import Settings
from altmatch.db import Sessions, downgrade_database, upgrade_database
from altmatch.db import season as repo
from altmatch.db.models import (
    ImmutableRunError,
    MatchRun,
    RunAlternateList,
    RunPlacement,
    SeasonCandidate,
)
from altmatch.demo import generate_demo
from altmatch.demo.seed_database import seed_demo_database
from altmatch.domain.access import OPERATOR, Actor, Role
from altmatch.services.accounts.authentication import act_as
from altmatch.services.season.access import run_out, season_out
from altmatch.services.season.alternates import ALTERNATES_STORED
from altmatch.services.season.applications import view_application
from altmatch.services.season.exports import export_applications
from altmatch.services.season.placement import alternate_rows, run_match, upgrade_from
from altmatch.services.season.publish import publish_run
from altmatch.services.season.results import (
    PlacedOut,
    PlacementsOut,
    WaitingOut,
    export_run,
    season_placements,
)
from altmatch.services.season.runs import review_run, run_season_match, withdraw_candidates
from altmatch.services.season.snapshot import season_files

BOE_LOGINS = ("kobe_boe_staff", "toyooka_boe_staff", "nagano_pref_boe_staff")
Lists = dict[int, list[int]]  # request row id: candidate row ids, best first


@dataclass(frozen=True)
class Demo:
    season_id: int
    run_id: int
    coordinator: Actor
    boes: tuple[Actor, ...]


def _login(key: str) -> str:
    return f"{key}@demo.altmatch.example"


def _draft_demo(sessions: Sessions) -> Demo:
    """The demo season (600 candidates, every request) matched into a draft run."""
    report = seed_demo_database(sessions, generate_demo(candidates=600))
    coordinator = act_as(sessions, OPERATOR, _login("programme_coordinator"))
    run = run_season_match(sessions, coordinator, report.season_id, seed=8).run.id
    boes = tuple(act_as(sessions, OPERATOR, _login(key)) for key in BOE_LOGINS)
    return Demo(report.season_id, run, coordinator, boes)


@pytest.fixture
def drafted(sessions: Sessions) -> Demo:
    return _draft_demo(sessions)


@pytest.fixture
def published(sessions: Sessions, drafted: Demo) -> Demo:
    publish_run(
        sessions, drafted.coordinator, drafted.season_id, drafted.run_id, overrides=PUBLISH_ANYWAY
    )
    return drafted


# --- the store, read and written as SQL, independently of the code under test -------------


def _stored(sessions: Sessions, run_id: int) -> Lists:
    query = select(RunAlternateList.request_id, RunAlternateList.candidate_ids).where(
        RunAlternateList.run_id == run_id
    )
    with sessions() as session:
        rows = session.execute(query).all()
    return {r: [i for (i,) in struct.iter_unpack("<i", packed)] for r, packed in rows}


def _storedfirst_places_of(sessions: Sessions, run_id: int) -> dict[int, tuple[int, int]]:
    query = select(
        RunPlacement.candidate_id,
        RunPlacement.alternate_request_id,
        RunPlacement.alternate_position,
    ).where(RunPlacement.run_id == run_id, RunPlacement.alternate_request_id.is_not(None))
    with sessions() as session:
        return {c: (r, p) for c, r, p in session.execute(query)}


@dataclass(frozen=True)
class Names:
    requests: dict[int, str]  # row id: external id
    candidates: dict[int, tuple[str, str]]  # row id: external id, name

    def request_ids(self) -> dict[str, int]:
        return {e: i for i, e in self.requests.items()}

    def candidate_ids(self) -> dict[str, int]:
        return {e: i for i, (e, _) in self.candidates.items()}


def _names(sessions: Sessions, season_id: int) -> Names:
    with sessions() as session:
        requests = {r.id: r.external_id for r in repo.requests(session, season_id)}
        candidates = {c.id: (c.external_id, c.name) for c in repo.candidates(session, season_id)}
    return Names(requests, candidates)


def _replayed(sessions: Sessions, run_id: int) -> tuple[tuple[str, int, str], ...]:
    """The run's alternates as the engine gives them, replayed from its snapshot and seed."""
    with sessions() as session:
        run = session.get(MatchRun, run_id)
        assert run is not None
        files = season_files(repo.run_inputs(session, run), label="replay")
        if run.kind == "match":
            done = run_match(files, run.seed)
            return tuple(alternate_rows(done.indexed, done.result))
        parent = session.get(MatchRun, run.parent_run_id)
        assert parent is not None
        withdrawn = list(run.summary["withdrawn"])
        up = upgrade_from(files, parent.seed, withdrawn[:-1], withdrawn[-1:], source="replay")
        return tuple(alternate_rows(up.indexed, up.upgrade.result))


def _whole(sessions: Sessions, run_id: int, names: Names) -> Lists:
    """The run's whole lists, replayed, by row ids."""
    requests, candidates = names.request_ids(), names.candidate_ids()
    lists: Lists = {}
    for r, _position, c in _replayed(sessions, run_id):
        lists.setdefault(requests[r], []).append(candidates[c])
    return lists


def _as_rows(lists: Lists, names: Names) -> list[tuple[str, int, str]]:
    return [
        (names.requests[r], position, names.candidates[c][0])
        for r in sorted(lists)
        for position, c in enumerate(lists[r], start=1)
    ]


def expected_view(
    sessions: Sessions, actor: Actor, season_id: int, lists: Lists, shown: int
) -> PlacementsOut:
    """The placements view worked out from whole lists and whole tables."""
    with sessions() as session:
        season = repo.get_season(session, season_id)
        run = repo.latest_published_run(session, season_id)
        assert season is not None and run is not None
        boe_id = actor.organisation_id if actor.role is Role.BOE_STAFF else None
        requests = {r.id: r for r in repo.requests(session, season_id, boe_id=boe_id)}
        boes = repo.organisations(session, {r.boe_id for r in requests.values()})
        candidates = {c.id: c for c in repo.candidates(session, season_id)}
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
                request_id=requests[r].external_id,
                position=position,
                candidate_id=candidates[c].external_id,
                name=candidates[c].name,
            )
            for r in sorted(lists)
            if r in requests
            for position, c in enumerate(lists[r][: max(shown, 0)], start=1)
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


# --- tests ---------------------------------------------------------------------------------


def test_ids_are_packed_four_bytes_each_best_first() -> None:
    packed = repo.pack_ids([7, 1, 2**31 - 1])

    assert packed == struct.pack("<3i", 7, 1, 2**31 - 1)
    assert repo.unpack_ids(packed).tolist() == [7, 1, 2**31 - 1]
    assert repo.pack_ids([]) == b""
    for wrong in ([0], [-3], [2**31]):
        with pytest.raises(ValueError, match="4 bytes"):
            repo.pack_ids(wrong)
    with pytest.raises(ValueError, match="4 bytes each"):
        repo.unpack_ids(b"\x01\x00\x00")


def test_a_run_stores_the_start_of_the_engines_lists_and_first_places_from_the_whole(
    sessions: Sessions, drafted: Demo
) -> None:
    stored = _stored(sessions, drafted.run_id)
    whole = _whole(sessions, drafted.run_id, _names(sessions, drafted.season_id))

    assert stored == {r: ids[:ALTERNATES_STORED] for r, ids in whole.items()}
    assert max(len(c) for c in whole.values()) > ALTERNATES_STORED  # deeper than is stored
    assert _storedfirst_places_of(sessions, drafted.run_id) == first_places_of(whole)
    with sessions() as session:
        assert repo.alternate_lengths(session, drafted.run_id) == {
            r: len(ids) for r, ids in whole.items()
        }
        size = session.scalar(select(func.sum(func.length(RunAlternateList.candidate_ids))))
        assert "alternates" not in MatchRun.__table__.c
    assert size == 4 * sum(min(len(ids), ALTERNATES_STORED) for ids in whole.values())


def test_the_views_answer_from_the_stored_lists_and_deeper_from_the_replay(
    sessions: Sessions, published: Demo
) -> None:
    lists = _whole(sessions, published.run_id, _names(sessions, published.season_id))
    for actor in (published.coordinator, *published.boes):
        for shown in (0, 1, 10, 50, 51, 1000, 100_000):
            got = season_placements(sessions, actor, published.season_id, alternates=shown)
            assert got == expected_view(sessions, actor, published.season_id, lists, shown)
    deep = season_placements(sessions, published.coordinator, published.season_id, alternates=1000)
    assert deep.placements and max(a.position for a in deep.alternates) > ALTERNATES_STORED


def test_every_reader_follows_the_store_when_it_changes(sessions: Sessions, drafted: Demo) -> None:
    names = _names(sessions, drafted.season_id)
    lists = _stored(sessions, drafted.run_id)
    with sessions() as session:
        placed = {p.candidate_id for p in repo.placements(session, drafted.run_id) if p.request_id}
        kobe = [
            r.id
            for r in repo.requests(
                session, drafted.season_id, boe_id=drafted.boes[0].organisation_id
            )
        ]
    waiting = {c for ids in lists.values() for c in ids}
    unplaced = [c for c in sorted(names.candidates) if c not in placed]
    newcomer = next(c for c in unplaced if c not in waiting)  # an alternate nowhere ...
    dropped = next(c for c in unplaced if c in waiting)  # ... and one who waits somewhere
    request = next(r for r in kobe if len(lists.get(r, [])) >= 3)
    changed = {r: [c for c in ids if c != dropped] for r, ids in lists.items()}
    changed[request] = [newcomer, *reversed(changed[request])]
    changed = {r: ids for r, ids in changed.items() if ids}
    replace_alternates(sessions, drafted.run_id, changed)
    first = first_places_of(changed)
    assert first != first_places_of(lists)

    def place(c: int) -> tuple[str | None, int | None]:
        r, position = first.get(c, (None, None))
        return (names.requests[r] if r else None, position)

    # The run review (and its export), before and after publication.
    review = review_run(sessions, drafted.coordinator, drafted.season_id, drafted.run_id)
    got = {p.candidate: (p.alternate_request_id, p.alternate_position) for p in review.placements}
    assert got == {c: place(c) for c in got}
    assert got[newcomer] == (names.requests[request], 1) and got[dropped] == (None, None)
    publish_run(
        sessions, drafted.coordinator, drafted.season_id, drafted.run_id, overrides=PUBLISH_ANYWAY
    )
    content, _ = export_run(sessions, drafted.coordinator, drafted.season_id, drafted.run_id, "csv")
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    by_external = names.candidate_ids()
    assert {
        by_external[row["candidate_id"]]: (row["alternate_request_id"], row["alternate_position"])
        for row in rows
    } == {c: _cells(place(c)) for c in got}

    # Publication: who became an alternate.
    with sessions() as session:
        stages = {c.id: c.stage for c in repo.candidates(session, drafted.season_id)}
    assert stages[newcomer] == "alternate" and stages[dropped] == "not_selected"
    assert {c for c in got if stages[c] == "alternate"} == set(first) - placed

    # A candidate's outcome, the applications export and the placements views.
    outcome = view_application(sessions, drafted.coordinator, drafted.season_id, newcomer).outcome
    assert outcome is not None
    assert (outcome.alternate_request_id, outcome.alternate_position) == place(newcomer)
    content, _ = export_applications(sessions, drafted.coordinator, drafted.season_id, "csv")
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert {
        by_external[row["candidate_id"]]: (row["alternate_request_id"], row["alternate_position"])
        for row in rows
    } == {c: _cells(place(c)) for c in names.candidates}
    for actor in (drafted.coordinator, drafted.boes[0]):
        got_view = season_placements(sessions, actor, drafted.season_id, alternates=1000)
        assert got_view == expected_view(sessions, actor, drafted.season_id, changed, 1000)
    shown = season_placements(sessions, drafted.boes[0], drafted.season_id, alternates=1)
    assert (
        WaitingOut(
            request_id=names.requests[request],
            position=1,
            candidate_id=names.candidates[newcomer][0],
            name=names.candidates[newcomer][1],
        )
        in shown.alternates
    )

    # A withdrawal replays the engine (alternates are an output, never an input) and stores
    # the upgrade's lists in the same store, which its publication then follows.
    leaving = next(c for c in sorted(placed) if c != newcomer)
    upgrade = withdraw_candidates(
        sessions, drafted.coordinator, drafted.season_id, [names.candidates[leaving][0]]
    ).run.id
    after = _stored(sessions, upgrade)
    whole_after = _whole(sessions, upgrade, names)
    assert after == {r: ids[:ALTERNATES_STORED] for r, ids in whole_after.items()}
    assert _storedfirst_places_of(sessions, upgrade) == first_places_of(whole_after)
    with sessions() as session:
        still = {p.candidate_id for p in repo.placements(session, upgrade) if p.request_id}
    waiting_after = {c for ids in after.values() for c in ids}
    late = next(c for c in sorted(names.candidates) if c not in still | waiting_after | {leaving})
    tail = max((r for r in after if len(after[r]) < ALTERNATES_STORED), key=lambda r: len(after[r]))
    after = {r: ids[:ALTERNATES_STORED] for r, ids in after.items()}
    after[tail] = [*after[tail], late]
    replace_alternates(sessions, upgrade, after)
    publish_run(sessions, drafted.coordinator, drafted.season_id, upgrade, overrides=PUBLISH_ANYWAY)
    with sessions() as session:
        assert session.get(SeasonCandidate, late).stage == "alternate"  # type: ignore[union-attr]
        assert session.get(SeasonCandidate, leaving).stage == "withdrawn"  # type: ignore[union-attr]
    deep = season_placements(sessions, drafted.coordinator, drafted.season_id, alternates=100_000)
    last = [a for a in deep.alternates if a.request_id == names.requests[tail]][-1]
    assert (last.candidate_id, last.position) == (names.candidates[late][0], len(after[tail]))


def _cells(place: tuple[str | None, int | None]) -> tuple[str, str]:
    return (place[0] or "", "" if place[1] is None else str(place[1]))


def test_a_boe_view_reads_only_its_requests_first_alternates_and_their_names(
    sessions: Sessions,
    published: Demo,
    statements: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[set[int]] = []
    candidate_names = repo.candidate_names

    def spy(
        session: Session, season_id: int, ids: Collection[int] | None = None
    ) -> dict[int, tuple[str, str]]:
        asked.append(set(ids or ()))
        return candidate_names(session, season_id, ids)

    by_external = _names(sessions, published.season_id).candidate_ids()
    monkeypatch.setattr(repo, "candidate_names", spy)
    statements.clear()
    kobe = season_placements(sessions, published.boes[0], published.season_id)

    assert kobe.placements and kobe.alternates
    assert asked == [{by_external[a.candidate_id] for a in kobe.alternates}]
    lists = [s for s in statements if "FROM run_alternates" in s]
    assert lists and all("substr(" in s.lower() and " IN (" in s for s in lists)
    whole = [s for s in statements if "FROM season_candidates" in s]
    assert whole and all("JOIN" in s or " IN (" in s for s in whole)  # never the whole season


def test_the_migration_moves_the_three_old_stores_into_one_and_back(
    settings: Settings, sessions: Sessions, published: Demo, engine: Engine
) -> None:
    before = _stored(sessions, published.run_id)
    names = _names(sessions, published.season_id)
    whole = _whole(sessions, published.run_id, names)
    engine.dispose()  # no pooled connection may hold a table while it changes

    downgrade_database(settings, "j1_import_jobs")
    old = _old_stores(engine, published.run_id)
    assert old.json == [list(row) for row in _as_rows(whole, names)]
    assert old.first_places == {c: (r, p) for c, (r, p) in first_places_of(whole).items()}
    assert old.first_rows == [row for row in _as_rows(whole, names) if row[1] <= 50]
    engine.dispose()
    downgrade_database(settings, "h1_trust")  # and the rows' own migration, down and up
    engine.dispose()
    upgrade_database(settings)

    assert _stored(sessions, published.run_id) == before
    kobe = season_placements(sessions, published.boes[0], published.season_id)
    assert kobe == expected_view(sessions, published.boes[0], published.season_id, before, 10)


@dataclass(frozen=True)
class OldStores:
    json: Any  # the JSON list, as the column gives it back
    first_places: dict[int, tuple[int, int]]
    first_rows: list[tuple[str, int, str]]


def _old_stores(engine: Engine, run_id: int) -> OldStores:
    """The three stores as they were before k1_alternate_lists, read with plain SQL."""
    runs = table("match_runs", column("id"), column("alternates", SAJSON()))
    placements = table(
        "run_placements",
        column("run_id"),
        column("candidate_id"),
        column("alternate_request_id"),
        column("alternate_position"),
    )
    rows = table(
        "run_alternates",
        column("id"),
        column("run_id"),
        column("request_id"),
        column("position"),
        column("candidate_id"),
    )
    with engine.connect() as connection:
        json = connection.scalar(select(runs.c.alternates).where(runs.c.id == run_id))
        places = connection.execute(
            select(
                placements.c.candidate_id,
                placements.c.alternate_request_id,
                placements.c.alternate_position,
            ).where(placements.c.run_id == run_id, placements.c.alternate_position.is_not(None))
        )
        first_rows = connection.execute(
            select(rows.c.request_id, rows.c.position, rows.c.candidate_id)
            .where(rows.c.run_id == run_id)
            .order_by(rows.c.id)
        )
        return OldStores(
            json,
            {c: (r, p) for c, r, p in places},
            [(r, p, c) for r, p, c in first_rows],
        )


def test_the_run_review_lists_every_outcome_as_its_rows_hold_it(
    sessions: Sessions, published: Demo
) -> None:
    review = review_run(sessions, published.coordinator, published.season_id, published.run_id)
    first = first_places_of(
        _whole(sessions, published.run_id, _names(sessions, published.season_id))
    )

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
                requests[first[p.candidate_id][0]].external_id if p.candidate_id in first else None,
                first[p.candidate_id][1] if p.candidate_id in first else None,
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
    sessions: Sessions, published: Demo
) -> None:
    whole = review_run(sessions, published.coordinator, published.season_id, published.run_id)
    first = review_run(
        sessions, published.coordinator, published.season_id, published.run_id, limit=7
    )

    assert first.placements == whole.placements[:7]
    assert first.placements_total == whole.placements_total == len(whole.placements) > 7
    assert first.summary == whole.summary


def test_a_published_runs_alternates_cannot_change(sessions: Sessions, published: Demo) -> None:
    with sessions() as session:
        first = session.scalars(select(RunAlternateList)).first()
        assert first is not None
        first.candidate_ids = first.candidate_ids[4:]
        with pytest.raises(ImmutableRunError):
            session.flush()
