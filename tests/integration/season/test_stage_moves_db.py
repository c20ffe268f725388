"""Bulk stage moves on SQLite and PostgreSQL: allowed and refused moves, all or nothing, stale
versions, audit entries with the reason, history and the candidates' notices."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update
from tests.season_world import World, build_world, filled_season

from altmatch.db import Sessions
from altmatch.db.models import AuditEntry, Notification, SeasonCandidate, SeasonRow
from altmatch.domain.access import AccessDeniedError, NotFoundError
from altmatch.domain.application import ApplicationStage
from altmatch.services.kernel.errors import RuleError, StaleError
from altmatch.services.stage_moves import MoveItem, move_stages, plan_move, stage_board

pytestmark = pytest.mark.date_sensitive


@pytest.fixture
def world(sessions: Sessions) -> World:
    return build_world(sessions)


@pytest.fixture
def season_id(sessions: Sessions, world: World) -> int:
    return filled_season(sessions, world)


def _items(sessions: Sessions, season_id: int, *external: str) -> list[MoveItem]:
    with sessions() as session:
        rows = session.scalars(
            select(SeasonCandidate).where(
                SeasonCandidate.season_id == season_id, SeasonCandidate.external_id.in_(external)
            )
        )
        return [MoveItem(id=r.id, version=r.version) for r in rows]


def _stages(sessions: Sessions, season_id: int) -> dict[str, str]:
    with sessions() as session:
        rows = session.execute(
            select(SeasonCandidate.external_id, SeasonCandidate.stage).where(
                SeasonCandidate.season_id == season_id
            )
        )
        return {str(e): str(s) for e, s in rows}


def _count(sessions: Sessions, model: type[AuditEntry] | type[Notification]) -> int:
    with sessions() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_a_bulk_move_moves_every_one_audits_the_reason_notifies_and_shows_history(
    sessions: Sessions, world: World, season_id: int
) -> None:
    items = _items(sessions, season_id, "C01", "C02", "C03")
    plan = plan_move(sessions, world.coordinator, season_id, items, ApplicationStage.SCREENED)
    assert {r.candidate_id for r in plan.applications} == {"C01", "C02", "C03"}
    assert plan.refused == []
    done = move_stages(
        sessions,
        world.coordinator,
        season_id,
        items,
        ApplicationStage.SCREENED,
        reason="Documents checked",
    )
    assert done.moved == 3
    assert done.notified == 2  # C01 and C02 have accounts; C03 has none
    stages = _stages(sessions, season_id)
    assert stages["C01"] == stages["C02"] == stages["C03"] == "screened"
    assert stages["C04"] == "submitted"
    with sessions() as session:
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "application.stage_moved")
        ).all()
        assert len(entries) == 3
        assert {e.after["reason"] for e in entries if e.after} == {"Documents checked"}
        assert {e.actor_user_id for e in entries} == {world.coordinator.user_id}
        notices = session.scalars(select(Notification)).all()
        assert {n.user_id for n in notices} == {world.emily.user_id, world.liam.user_id}
        assert notices[0].message["params"]["season"] == "2027 season"
    board = stage_board(sessions, world.coordinator, season_id, stage=ApplicationStage.SCREENED)
    assert board.total == 3
    row = next(r for r in board.rows if r.candidate_id == "C01")
    assert row.history[0].from_stage is ApplicationStage.SUBMITTED
    assert row.history[0].to_stage is ApplicationStage.SCREENED
    assert row.history[0].reason == "Documents checked"
    assert row.history[0].by == "Coordinator"


def test_a_stale_version_moves_nobody(sessions: Sessions, world: World, season_id: int) -> None:
    items = _items(sessions, season_id, "C01", "C02")
    # Someone else moves C02 after the coordinator read the page.
    move_stages(
        sessions,
        world.coordinator,
        season_id,
        _items(sessions, season_id, "C02"),
        ApplicationStage.INTERVIEWED,
        reason="Interviewed on Monday",
    )
    audits, notices = _count(sessions, AuditEntry), _count(sessions, Notification)
    with pytest.raises(StaleError):
        move_stages(
            sessions, world.coordinator, season_id, items, ApplicationStage.SCREENED, reason="x"
        )
    stages = _stages(sessions, season_id)
    assert stages["C01"] == "submitted"
    assert stages["C02"] == "interviewed"
    assert (_count(sessions, AuditEntry), _count(sessions, Notification)) == (audits, notices)


def test_a_move_the_domain_refuses_for_one_moves_nobody(
    sessions: Sessions, world: World, season_id: int
) -> None:
    with sessions.begin() as session:
        session.execute(
            update(SeasonCandidate)
            .where(SeasonCandidate.season_id == season_id, SeasonCandidate.external_id == "C03")
            .values(stage="withdrawn")
        )
    items = _items(sessions, season_id, "C01", "C03")
    plan = plan_move(sessions, world.coordinator, season_id, items, ApplicationStage.SCREENED)
    assert [r.candidate_id for r in plan.refused] == ["C03"]
    with pytest.raises(RuleError) as refused:
        move_stages(
            sessions, world.coordinator, season_id, items, ApplicationStage.SCREENED, reason="x"
        )
    assert not isinstance(refused.value, StaleError)
    assert _stages(sessions, season_id)["C01"] == "submitted"
    # Outcome stages are never set by hand, and a published season's stages are final.
    with pytest.raises(RuleError):
        move_stages(
            sessions,
            world.coordinator,
            season_id,
            _items(sessions, season_id, "C01"),
            ApplicationStage.PLACED,
            reason="x",
        )
    with sessions.begin() as session:
        session.execute(
            update(SeasonRow).where(SeasonRow.id == season_id).values(status="published")
        )
    with pytest.raises(RuleError):
        move_stages(
            sessions,
            world.coordinator,
            season_id,
            _items(sessions, season_id, "C01"),
            ApplicationStage.SCREENED,
            reason="x",
        )
    assert _stages(sessions, season_id)["C01"] == "submitted"


def test_a_reason_is_required_and_only_the_seasons_coordinators_may_move(
    sessions: Sessions, world: World, season_id: int
) -> None:
    items = _items(sessions, season_id, "C01")
    with pytest.raises(RuleError) as empty:
        move_stages(
            sessions, world.coordinator, season_id, items, ApplicationStage.SCREENED, reason=" "
        )
    assert empty.value.field == "reason"
    for outsider in (world.kobe, world.emily):
        with pytest.raises(AccessDeniedError):
            move_stages(sessions, outsider, season_id, items, ApplicationStage.SCREENED, reason="x")
    with pytest.raises(NotFoundError):
        stage_board(sessions, world.coordinator, season_id + 1000)
    assert _stages(sessions, season_id)["C01"] == "submitted"


def test_the_board_filters_searches_and_pages(
    sessions: Sessions, world: World, season_id: int
) -> None:
    board = stage_board(sessions, world.coordinator, season_id, per_page=5)
    assert (board.total, board.pages, len(board.rows)) == (12, 3, 5)
    last = stage_board(sessions, world.coordinator, season_id, page=3, per_page=5)
    assert [r.candidate_id for r in last.rows] == ["C11", "C12"]
    found = stage_board(sessions, world.coordinator, season_id, q="emily")
    assert [r.candidate_id for r in found.rows] == ["C01"]
    assert stage_board(sessions, world.coordinator, season_id, q="c07").rows[0].name == "佐藤 花子"
    assert (
        stage_board(sessions, world.coordinator, season_id, stage=ApplicationStage.SHORTLISTED).rows
        == []
    )
    assert board.counts == {"submitted": 12}
