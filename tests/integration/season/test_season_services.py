"""The whole season through the services, on SQLite and PostgreSQL: import, edit, run, publish,
withdraw and upgrade, with the rules that guard each step."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update
from tests.season_world import (
    CONTRACT_START,
    PUBLISH_ANYWAY,
    World,
    build_world,
    candidates_csv,
    future_deadline,
    requests_csv,
)

from altmatch.db import Sessions
from altmatch.db.models import (
    AuditEntry,
    EmploymentContract,
    ImmutableRunError,
    MatchRun,
    RunPlacement,
    SeasonCandidate,
    SeasonRow,
)
from altmatch.domain.access import NotFoundError
from altmatch.domain.application import ApplicationStage
from altmatch.services.kernel.errors import StaleError
from altmatch.services.season.applications import PreferencesIn, my_application, set_preferences
from altmatch.services.season.imports import import_candidates, import_requests
from altmatch.services.season.publish import publish_run
from altmatch.services.season.requests import RequestFields, edit_request, list_requests
from altmatch.services.season.results import season_placements
from altmatch.services.season.runs import (
    review_run,
    run_season_chances,
    run_season_match,
    withdraw_candidates,
)
from altmatch.services.season.setup import open_season, season_overview

pytestmark = pytest.mark.date_sensitive


@pytest.fixture
def world(sessions: Sessions) -> World:
    return build_world(sessions)


@pytest.fixture
def season_id(sessions: Sessions, world: World) -> int:
    season = open_season(
        sessions,
        world.coordinator,
        name="2027",
        year=2027,
        request_deadline=future_deadline(),
        contract_start=CONTRACT_START,
    )
    for importer, content, name in (
        (import_requests, requests_csv(), "requests.csv"),
        (import_candidates, candidates_csv(), "candidates.csv"),
    ):
        done = importer(
            sessions, world.coordinator, season.id, content=content, filename=name, commit=True
        )
        assert done.committed, done.errors
    return season.id


def test_a_season_runs_from_import_to_published_upgrade(
    sessions: Sessions, world: World, season_id: int
) -> None:
    overview = season_overview(sessions, world.coordinator, season_id)
    assert (overview.counts.candidates, overview.counts.requests, overview.counts.couples) == (
        12,
        5,
        1,
    )

    draft = run_season_match(sessions, world.coordinator, season_id, seed=2026)
    assert draft.run.status == "draft" and draft.summary["stability"]["stable"] is not None
    assert my_application(sessions, world.emily, season_id).outcome is None  # drafts are private
    with_chances = run_season_chances(sessions, world.coordinator, season_id, draft.run.id, runs=50)
    assert all(p.chance is not None for p in with_chances.placements)

    published = publish_run(
        sessions, world.coordinator, season_id, draft.run.id, overrides=PUBLISH_ANYWAY
    )
    emily = my_application(sessions, world.emily, season_id)
    assert emily.outcome is not None and emily.outcome.text
    assert emily.application.stage in (
        ApplicationStage.PLACED,
        ApplicationStage.ALTERNATE,
        ApplicationStage.NOT_SELECTED,
    )
    placed = [p for p in published.placements if p.request_id]
    with sessions() as session:
        contracts = session.scalars(select(EmploymentContract)).all()
    assert len(contracts) == len(placed) and {c.start for c in contracts} == {CONTRACT_START}

    leaving = placed[0]
    upgrade = withdraw_candidates(sessions, world.coordinator, season_id, [leaving.candidate_id])
    assert upgrade.run.kind == "upgrade" and upgrade.run.parent_run_id == draft.run.id
    assert leaving.candidate_id not in {p.candidate_id for p in upgrade.placements}
    publish_run(sessions, world.coordinator, season_id, upgrade.run.id, overrides=PUBLISH_ANYWAY)
    with sessions() as session:
        row = session.get(SeasonCandidate, leaving.candidate)
        assert row is not None and row.stage == ApplicationStage.WITHDRAWN
        assert not session.scalars(
            select(EmploymentContract).where(EmploymentContract.candidate_id == row.id)
        ).all()
        actions = set(session.scalars(select(AuditEntry.action)))
    assert {"season.opened", "run.created", "run.published", "run.chances"} <= actions


def test_publishing_is_irreversible_in_the_service_and_in_the_database(
    sessions: Sessions, world: World, season_id: int
) -> None:
    draft = run_season_match(sessions, world.coordinator, season_id, seed=1)
    publish_run(sessions, world.coordinator, season_id, draft.run.id, overrides=PUBLISH_ANYWAY)

    with pytest.raises(StaleError):
        publish_run(sessions, world.coordinator, season_id, draft.run.id, overrides=PUBLISH_ANYWAY)
    with pytest.raises(StaleError):
        run_season_match(sessions, world.coordinator, season_id, seed=2)
    with pytest.raises(ImmutableRunError), sessions.begin() as session:
        run = session.get(MatchRun, draft.run.id)
        assert run is not None
        run.seed = 99
    with pytest.raises(ImmutableRunError), sessions.begin() as session:
        placement = session.scalars(
            select(RunPlacement).where(RunPlacement.run_id == draft.run.id)
        ).first()
        session.delete(placement)
    assert review_run(sessions, world.coordinator, season_id, draft.run.id).run.seed == 1


def test_a_boe_edits_only_its_own_requests_and_only_before_the_deadline(
    sessions: Sessions, world: World, season_id: int
) -> None:
    kobe = list_requests(sessions, world.kobe, season_id)
    assert {r.request_id for r in kobe.requests} == {"KOB-ES", "KOB-JHS"}
    first = kobe.requests[0]
    fields = RequestFields.model_validate(first.model_dump() | {"capacity": 3})
    edited = edit_request(sessions, world.kobe, season_id, first.id, fields, version=first.version)
    assert edited.capacity == 3 and edited.version == first.version + 1

    with pytest.raises(StaleError):  # the version it started from is stale now
        edit_request(sessions, world.kobe, season_id, first.id, fields, version=first.version)
    with pytest.raises(NotFoundError):
        edit_request(sessions, world.toyooka, season_id, first.id, fields, version=edited.version)
    with sessions.begin() as session:
        session.execute(
            update(SeasonRow).values(request_deadline=datetime.now(UTC) - timedelta(minutes=1))
        )
    with pytest.raises(StaleError):
        edit_request(sessions, world.kobe, season_id, first.id, fields, version=edited.version)


def test_a_commit_with_one_bad_row_stores_no_candidate_at_all(
    sessions: Sessions, world: World
) -> None:
    season = open_season(
        sessions,
        world.coordinator,
        name="empty",
        year=2027,
        request_deadline=future_deadline(),
        contract_start=CONTRACT_START,
    )
    bad = candidates_csv(extra_rows=[["C13", "N9", "x", "", "", "", "", "", "", "", "", "", ""]])
    result = import_candidates(
        sessions, world.coordinator, season.id, content=bad, filename="c.csv", commit=True
    )
    assert not result.committed
    assert {(e.row, e.column) for e in result.errors} == {(14, "jlpt"), (14, "teaching_years")}
    assert season_overview(sessions, world.coordinator, season.id).counts.candidates == 0


def test_candidates_set_preferences_with_the_version_they_read(
    sessions: Sessions, world: World, season_id: int
) -> None:
    mine = my_application(sessions, world.emily, season_id)
    wishes = PreferencesIn(prefectures=["Kyoto", "Hyogo"], anywhere=True)
    after = set_preferences(
        sessions, world.emily, season_id, wishes, version=mine.application.version
    )
    assert after.application.preferences.prefectures == ["Kyoto", "Hyogo"]
    with pytest.raises(StaleError):
        set_preferences(sessions, world.emily, season_id, wishes, version=mine.application.version)


def test_a_boe_sees_only_placements_at_its_own_requests(
    sessions: Sessions, world: World, season_id: int
) -> None:
    draft = run_season_match(sessions, world.coordinator, season_id, seed=2026)
    assert season_placements(sessions, world.kobe, season_id).run is None  # not yet published
    publish_run(sessions, world.coordinator, season_id, draft.run.id, overrides=PUBLISH_ANYWAY)

    kobe = season_placements(sessions, world.kobe, season_id)
    everyone = season_placements(sessions, world.coordinator, season_id)
    assert kobe.placements and {p.boe for p in kobe.placements} == {"Kobe City BoE"}
    assert len(everyone.placements) > len(kobe.placements)
    assert {a.request_id for a in kobe.alternates} <= {"KOB-ES", "KOB-JHS"}
