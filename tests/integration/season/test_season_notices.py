"""Season events tell the people they concern (issue 17, item 9), on SQLite and PostgreSQL:
publishing an outcome notifies every candidate with an account and every BoE's staff once, with
the right message and link; publishing an upgrade notifies the upgraded candidates and the BoEs
whose placements changed; the request deadline sweep tells each BoE once, however often it runs.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, timedelta

import pytest
import time_machine
from sqlalchemy import select, update
from tests.season_world import PUBLISH_ANYWAY, World, build_world, filled_season

from altmatch.db import Sessions
from altmatch.db.models import (
    NoticeMarker,
    Notification,
    RunPlacement,
    SeasonCandidate,
    SeasonRequest,
    SeasonRow,
)
from altmatch.domain.access import OPERATOR, Role
from altmatch.i18n import Message, render
from altmatch.services.accounts.users import create_user
from altmatch.services.season import notices
from altmatch.services.season.publish import publish_run
from altmatch.services.season.runs import run_season_match, withdraw_candidates

pytestmark = pytest.mark.date_sensitive


@pytest.fixture
def world(sessions: Sessions) -> World:
    return build_world(sessions)


@pytest.fixture
def season_id(sessions: Sessions, world: World) -> int:
    """The example season, every candidate with an account of their own (C01 and C02 have
    theirs from the file; the others get one here)."""
    season = filled_season(sessions, world)
    with sessions() as session:
        unlinked = session.scalars(
            select(SeasonCandidate).where(
                SeasonCandidate.season_id == season, SeasonCandidate.user_id.is_(None)
            )
        ).all()
        external = {c.id: c.external_id for c in unlinked}
    for candidate_id, external_id in external.items():
        user = create_user(
            sessions,
            actor=OPERATOR,
            email=f"{external_id.lower()}@example.org",
            display_name=external_id,
            role=Role.CANDIDATE,
            password=None,
        )
        with sessions.begin() as session:
            session.execute(
                update(SeasonCandidate)
                .where(SeasonCandidate.id == candidate_id)
                .values(user_id=user.id)
            )
    return season


def _notices(sessions: Sessions) -> list[Notification]:
    with sessions() as session:
        return list(session.scalars(select(Notification).order_by(Notification.id)))


def _outcomes(sessions: Sessions, run_id: int) -> dict[int, int | None]:
    """Candidate row id → request row id (None: not placed) in a run."""
    with sessions() as session:
        rows = session.scalars(select(RunPlacement).where(RunPlacement.run_id == run_id))
        return {p.candidate_id: p.request_id for p in rows}


def _boe_staff(world: World) -> dict[int, int]:
    """BoE id → its one staff user id in the world (Kobe and Toyooka; Nagano has none)."""
    assert world.kobe.organisation_id is not None and world.toyooka.organisation_id is not None
    assert world.kobe.user_id is not None and world.toyooka.user_id is not None
    return {
        world.kobe.organisation_id: world.kobe.user_id,
        world.toyooka.organisation_id: world.toyooka.user_id,
    }


def test_publishing_notifies_every_candidate_and_boe_once_with_its_outcome_and_link(
    sessions: Sessions, world: World, season_id: int
) -> None:
    draft = run_season_match(sessions, world.coordinator, season_id, seed=2026)
    publish_run(sessions, world.coordinator, season_id, draft.run.id, overrides=PUBLISH_ANYWAY)

    with sessions() as session:
        placements = {
            p.candidate_id: p
            for p in session.scalars(
                select(RunPlacement).where(RunPlacement.run_id == draft.run.id)
            )
        }
        users = {
            c.user_id: c.id
            for c in session.scalars(
                select(SeasonCandidate).where(SeasonCandidate.season_id == season_id)
            )
        }
        boe_of = {
            r.id: r.boe_id
            for r in session.scalars(
                select(SeasonRequest).where(SeasonRequest.season_id == season_id)
            )
        }
    found = _notices(sessions)
    to_candidates = [n for n in found if n.kind == "outcome_published"]
    assert sorted(n.user_id for n in to_candidates) == sorted(users)  # each candidate, once
    kinds = Counter(n.message["msgid"] for n in to_candidates)
    assert kinds[notices.PLACED] == sum(1 for p in placements.values() if p.request_id)
    assert kinds[notices.PLACED] > 0 and kinds[notices.ALTERNATE] + kinds[notices.NOT_PLACED] > 0
    for notice in to_candidates:
        placement = placements[users[notice.user_id]]
        assert notice.link == f"/seasons/{season_id}/application"
        if placement.request_id is not None:
            assert notice.message == {"msgid": notices.PLACED, "params": {"year": 2027}}
        elif placement.alternate_position is not None:
            assert notice.message == {
                "msgid": notices.ALTERNATE,
                "params": {"year": 2027, "position": placement.alternate_position},
            }
        else:
            assert notice.message == {"msgid": notices.NOT_PLACED, "params": {"year": 2027}}

    to_boes = [n for n in found if n.kind == "placements_published"]
    staff = _boe_staff(world)
    assert sorted(n.user_id for n in to_boes) == sorted(staff.values())  # each BoE, once
    placed_with = Counter(boe_of[p.request_id] for p in placements.values() if p.request_id)
    for boe_id, user_id in staff.items():
        [notice] = [n for n in to_boes if n.user_id == user_id]
        assert notice.link == f"/seasons/{season_id}/placements"
        assert notice.message == {
            "msgid": notices.BOE_PLACED,
            "params": {"year": 2027, "count": placed_with[boe_id]},
        }
    assert len(found) == len(to_candidates) + len(to_boes)  # nobody else, nothing twice


def test_publishing_an_upgrade_notifies_the_upgraded_and_the_boes_whose_placements_changed(
    sessions: Sessions, world: World, season_id: int
) -> None:
    draft = run_season_match(sessions, world.coordinator, season_id, seed=2026)
    published = publish_run(
        sessions, world.coordinator, season_id, draft.run.id, overrides=PUBLISH_ANYWAY
    )
    before = _outcomes(sessions, draft.run.id)
    leaving_rows = [p for p in published.placements if p.request_id][:2]
    leaving = [p.candidate for p in leaving_rows]
    already = {n.id for n in _notices(sessions)}

    upgrade = withdraw_candidates(
        sessions, world.coordinator, season_id, [p.candidate_id for p in leaving_rows]
    )
    publish_run(sessions, world.coordinator, season_id, upgrade.run.id, overrides=PUBLISH_ANYWAY)

    after = _outcomes(sessions, upgrade.run.id)
    upgraded = {c for c, r in after.items() if r is not None and before.get(c) != r}
    assert upgraded, "the example season fills a withdrawn seat from its alternates"
    with sessions() as session:
        user_of = {
            c.id: c.user_id
            for c in session.scalars(
                select(SeasonCandidate).where(SeasonCandidate.season_id == season_id)
            )
        }
        boe_of = {
            r.id: r.boe_id
            for r in session.scalars(
                select(SeasonRequest).where(SeasonRequest.season_id == season_id)
            )
        }
    new = [n for n in _notices(sessions) if n.id not in already]
    told_up = [n for n in new if n.kind == "alternate_upgraded"]
    assert sorted(n.user_id for n in told_up) == sorted(user_of[c] for c in upgraded)
    for notice in told_up:
        assert notice.message == {"msgid": notices.UPGRADED, "params": {"year": 2027}}
        assert notice.link == f"/seasons/{season_id}/application"
    assert not {n.user_id for n in new} & {user_of[c] for c in leaving}  # the withdrawn: no
    moved = {c for c in set(before) | set(after) if before.get(c) != after.get(c)}
    changed_boes = {boe_of[r] for c in moved for r in (before.get(c), after.get(c)) if r}
    staff = _boe_staff(world)
    told_boes = [n for n in new if n.kind == "placements_changed"]
    assert sorted(n.user_id for n in told_boes) == sorted(
        staff[b] for b in changed_boes if b in staff
    )
    assert told_boes  # the withdrawn candidates' BoEs at least
    for notice in told_boes:
        assert notice.link == f"/seasons/{season_id}/placements"
        assert notice.message["msgid"] == notices.BOE_CHANGED


def test_the_deadline_sweep_tells_each_boe_once_however_often_it_runs(
    sessions: Sessions, world: World, season_id: int
) -> None:
    with sessions() as session:
        season = session.get(SeasonRow, season_id)
        assert season is not None
        deadline = season.request_deadline
        boes = set(
            session.scalars(
                select(SeasonRequest.boe_id).where(SeasonRequest.season_id == season_id)
            )
        )
    if deadline.tzinfo is None:
        deadline = deadline.replace(tzinfo=UTC)
    assert notices.announce_locked_requests(sessions, now=deadline - timedelta(minutes=1)) == 0
    assert _notices(sessions) == []

    after = deadline + timedelta(hours=1)
    assert notices.announce_locked_requests(sessions, now=after) == len(boes)
    assert notices.announce_locked_requests(sessions, now=after + timedelta(hours=1)) == 0
    found = _notices(sessions)
    staff = _boe_staff(world)
    assert sorted(n.user_id for n in found) == sorted(staff[b] for b in boes if b in staff)
    for notice in found:
        assert notice.kind == "requests_locked"
        assert notice.link == f"/seasons/{season_id}/requests"
        assert notice.message == {"msgid": notices.LOCKED, "params": {"year": 2027}}
    with sessions() as session:
        assert len(session.scalars(select(NoticeMarker)).all()) == len(boes)


def test_the_deadline_sweep_reads_the_clock_and_skips_long_past_deadlines(
    sessions: Sessions, world: World, season_id: int
) -> None:
    with sessions() as session:
        season = session.get(SeasonRow, season_id)
        assert season is not None
        deadline = season.request_deadline
    if deadline.tzinfo is None:
        deadline = deadline.replace(tzinfo=UTC)
    long_after = deadline + notices.LOCK_WINDOW + timedelta(days=1)
    with time_machine.travel(long_after, tick=False):
        assert notices.announce_locked_requests(sessions) == 0
    with time_machine.travel(deadline + timedelta(seconds=5), tick=False):
        assert notices.announce_locked_requests(sessions) > 0


@pytest.mark.parametrize(
    ("msgid", "params", "japanese"),
    [
        (
            notices.PLACED,
            {"year": 2027},
            "2027年度シーズンの結果が公表されました。配置先が決まりました。",
        ),
        (notices.ALTERNATE, {"year": 2027, "position": 3}, "補欠3番"),
        (notices.NOT_PLACED, {"year": 2027}, "今回は配置に至りませんでした。"),
        (notices.BOE_PLACED, {"year": 2027, "count": 4}, "貴教育委員会への配置人数：4人"),
        (notices.UPGRADED, {"year": 2027}, "補欠から繰り上げ"),
        (notices.OUTCOME_CHANGED, {"year": 2027}, "結果が変更されました"),
        (notices.BOE_CHANGED, {"year": 2027, "count": 2}, "現在の配置人数：2人"),
        (notices.LOCKED, {"year": 2027}, "要望は今後変更できません"),
    ],
)
def test_each_season_notice_reads_in_japanese(
    msgid: str, params: dict[str, object], japanese: str
) -> None:
    text = render(Message(msgid, params), "ja")
    assert japanese in text and text != msgid.format(**params)
    assert not any(word in text for word in ("season", "placement", "published"))


def test_a_notice_link_must_be_a_path_on_this_site(sessions: Sessions, world: World) -> None:
    from altmatch.services.notifications import notify

    assert world.emily.user_id is not None
    with sessions.begin() as session:
        for bad in (
            "https://evil.example/",
            "//evil.example/x",
            "/\\evil.example",
            "/a\r\nSet-Cookie: x",
        ):
            with pytest.raises(ValueError):
                notify(
                    session,
                    [world.emily.user_id],
                    kind="hired",
                    message=Message(notices.PLACED, {"year": 2027}),
                    link=bad,
                )
    assert _notices(sessions) == []
