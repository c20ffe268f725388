"""Deciding the interview round's shortlist on SQLite and PostgreSQL: from the current
calibration, all or nothing, compare-and-swap on every application, refused after publication
and when the calibration changed since the preview, audited, and every candidate told.

The tiny season (tests/calibration_world.py) has one requested place; raw means put A01 first
and calibration B01, so with one place B01 is shortlisted and A01 is the one calibration moved
out."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update
from tests.calibration_world import flip_rows, scores_file, tiny_season
from tests.season_world import PUBLISH_ANYWAY, World, build_world, filled_season

from altmatch.db import Sessions
from altmatch.db.models import AuditEntry, InterviewDecision, Notification, SeasonCandidate
from altmatch.services.kernel.errors import StaleError
from altmatch.services.season.interview_calibration import calibrate_season
from altmatch.services.season.publish import publish_run
from altmatch.services.season.runs import run_season_match
from altmatch.services.season.shortlist import (
    ShortlistIn,
    ShortlistOut,
    decide_shortlist,
    parse_versions,
    shortlist_preview,
)

pytestmark = pytest.mark.date_sensitive  # the test seasons' request deadlines are a month on


@pytest.fixture
def world(sessions: Sessions) -> World:
    return build_world(sessions)


def interviewed(sessions: Sessions, season_id: int) -> None:
    """Every application of the season at the stage interviewed (the panels heard them)."""
    with sessions.begin() as session:
        session.execute(
            update(SeasonCandidate)
            .where(SeasonCandidate.season_id == season_id)
            .values(stage="interviewed")
        )


def calibrated(sessions: Sessions, world: World, season_id: int, rows: list[str]) -> None:
    done = calibrate_season(
        sessions, world.coordinator, season_id, content=scores_file(rows), filename="s.csv"
    )
    assert done.committed, done.errors


@pytest.fixture
def season_id(sessions: Sessions, world: World) -> int:
    season = tiny_season(sessions, world)
    interviewed(sessions, season)
    calibrated(sessions, world, season, flip_rows())
    return season


def body_of(preview: ShortlistOut) -> ShortlistIn:
    assert preview.calibration is not None and preview.seed is not None
    return ShortlistIn(
        places=preview.places,
        alternates=preview.alternates,
        seed=preview.seed,
        calibration_id=preview.calibration.id,
        versions=parse_versions(preview.versions),
    )


def stages(sessions: Sessions, season_id: int) -> dict[str, str]:
    with sessions() as session:
        query = select(SeasonCandidate.external_id, SeasonCandidate.stage).where(
            SeasonCandidate.season_id == season_id
        )
        return {external: stage for external, stage in session.execute(query)}


def decisions(sessions: Sessions) -> list[InterviewDecision]:
    with sessions() as session:
        return list(session.scalars(select(InterviewDecision).order_by(InterviewDecision.position)))


def test_the_preview_defaults_to_the_rulebooks_share_and_shows_who_calibration_moved(
    sessions: Sessions, world: World, season_id: int
) -> None:
    """One requested place: 1.0 shortlisted per place and 0.2 alternates per place, rounded,
    give 1 and 0. With three places and two alternates, B01 and F06 (heard by the harsh panel,
    raw mean 3.33, calibrated 3.99) are shortlisted over F03 (raw 3.73) and A01 (raw 3.67),
    whom the lenient panel heard (calibrated 3.07 and 3.00): two crossed in, two out. A01
    (3.0033) and F05 (2.92) sit either side of the alternates' cut; their difference, 0.083,
    is within 1.96 × √(0.0372² + 0.0372²) = 0.103: a statistical tie."""
    preview = shortlist_preview(sessions, world.coordinator, season_id)
    assert preview.defaults.requested_places == 1
    assert (preview.places, preview.alternates) == (1, 0)
    assert preview.defaults.estimate is True  # no official figure: a policy default
    assert preview.rows[0].candidate_id == "F02" and preview.counts["shortlisted"] == 1

    preview = shortlist_preview(sessions, world.coordinator, season_id, places=3, alternates=2)
    by_id = {r.candidate_id: r for r in preview.rows}
    assert {c for c, r in by_id.items() if r.crossed == "in"} == {"B01", "F06"}
    assert {c for c, r in by_id.items() if r.crossed == "out"} == {"F03", "A01"}
    assert [by_id[c].alternate_position for c in ("F03", "A01")] == [1, 2]
    assert {c for c, r in by_id.items() if r.tie} == {"A01", "F05"}
    assert (preview.crossed_in, preview.crossed_out, preview.ties) == (2, 2, 2)
    assert preview.counts == {"shortlisted": 3, "alternate": 2, "not_selected": 3}
    assert preview.cut == by_id["B01"].score and preview.alternate_cut == by_id["A01"].score
    assert preview.decided is None and stages(sessions, season_id)["B01"] == "interviewed"


def test_an_exact_tie_across_the_cut_goes_by_the_seeded_lottery(
    sessions: Sessions, world: World, season_id: int
) -> None:
    """B01 and F06 have the same calibrated score; with two places one of them is second and
    the other third: the lottery says which, the same for a seed, both ways over seeds."""
    winners = set()
    for seed in range(12):
        one = shortlist_preview(sessions, world.coordinator, season_id, places=2, seed=seed)
        again = shortlist_preview(sessions, world.coordinator, season_id, places=2, seed=seed)
        assert one.rows == again.rows
        second = one.rows[1]
        assert {second.candidate_id, one.rows[2].candidate_id} == {"B01", "F06"}
        assert second.lottery and one.rows[2].lottery and not one.rows[0].lottery
        winners.add(second.candidate_id)
    assert winners == {"B01", "F06"}


def test_deciding_applies_every_decision_at_once_and_audits_it(
    sessions: Sessions, world: World, season_id: int
) -> None:
    preview = shortlist_preview(sessions, world.coordinator, season_id, places=2, alternates=3)
    done = decide_shortlist(sessions, world.coordinator, season_id, body_of(preview))
    assert done.committed and done.decided is not None and done.decided.current
    now = stages(sessions, season_id)
    shortlisted = [r.candidate_id for r in preview.rows if r.decision.value == "shortlisted"]
    assert len(shortlisted) == 2 and "F02" in shortlisted
    assert {c for c, s in now.items() if s == "shortlisted"} == set(shortlisted)
    assert {s for c, s in now.items() if c not in shortlisted} == {"interviewed"}
    stored = decisions(sessions)
    assert [d.decision for d in stored] == ["shortlisted"] * 2 + ["alternate"] * 3 + [
        "not_selected"
    ] * 3
    assert [d.alternate_position for d in stored[2:5]] == [1, 2, 3]
    assert all(d.cut == stored[1].score for d in stored)
    # every decided application's version moved on, the unchanged stages too
    before = parse_versions(preview.versions)
    with sessions() as session:
        for row in session.scalars(select(SeasonCandidate)):
            assert row.version == before[row.id] + 1
        audit = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "season.shortlist_decided")
        ).one()
    assert audit.after["counts"] == {"shortlisted": 2, "alternate": 3, "not_selected": 3}


def test_an_application_changed_since_the_preview_refuses_the_whole_decision(
    sessions: Sessions, world: World, season_id: int
) -> None:
    preview = shortlist_preview(sessions, world.coordinator, season_id)
    with sessions.begin() as session:  # someone moves F03 meanwhile
        row = session.scalars(
            select(SeasonCandidate).where(SeasonCandidate.external_id == "F03")
        ).one()
        row.stage = "screened"
    with pytest.raises(StaleError) as refused:
        decide_shortlist(sessions, world.coordinator, season_id, body_of(preview))
    assert "F03" in str(refused.value.message.params)
    assert decisions(sessions) == []
    assert stages(sessions, season_id)["B01"] == "interviewed"


def test_a_new_calibration_since_the_preview_refuses_the_decision(
    sessions: Sessions, world: World, season_id: int
) -> None:
    preview = shortlist_preview(sessions, world.coordinator, season_id)
    calibrated(sessions, world, season_id, flip_rows())  # the same file again: a new calibration
    with pytest.raises(StaleError) as refused:
        decide_shortlist(sessions, world.coordinator, season_id, body_of(preview))
    assert refused.value.field == "calibration_id"
    assert decisions(sessions) == []


def test_the_same_seed_previews_the_same_and_the_default_seed_is_the_calibrations(
    sessions: Sessions, world: World, season_id: int
) -> None:
    one = shortlist_preview(sessions, world.coordinator, season_id, places=3, alternates=2)
    two = shortlist_preview(sessions, world.coordinator, season_id, places=3, alternates=2)
    assert one.seed == two.seed and one.rows == two.rows
    assert one.calibration is not None
    assert one.seed == int(one.calibration.sha256[:15], 16)


def test_nothing_is_decided_once_the_outcome_is_published(
    sessions: Sessions, world: World, season_id: int
) -> None:
    preview = shortlist_preview(sessions, world.coordinator, season_id)
    run = run_season_match(sessions, world.coordinator, season_id, seed=1).run.id
    publish_run(sessions, world.coordinator, season_id, run, overrides=PUBLISH_ANYWAY)
    assert shortlist_preview(sessions, world.coordinator, season_id).open is False
    with pytest.raises(StaleError):
        decide_shortlist(sessions, world.coordinator, season_id, body_of(preview))
    assert decisions(sessions) == []


def test_each_candidate_with_an_account_is_told_their_result(
    sessions: Sessions, world: World
) -> None:
    """C01 (Emily) and C02 (Liam) have accounts; with three places and two alternates C02 is
    shortlisted (the harsh panel heard him) and C01 is alternate number 2 (as B01 and A01 in
    the tiny season)."""
    season = filled_season(sessions, world)
    interviewed(sessions, season)
    calibrated(sessions, world, season, flip_rows("C01", "C02", [f"C0{i}" for i in range(3, 9)]))
    preview = shortlist_preview(sessions, world.coordinator, season, places=3, alternates=2)
    decide_shortlist(sessions, world.coordinator, season, body_of(preview))
    with sessions() as session:
        notices = list(
            session.scalars(select(Notification).where(Notification.kind == "interview_decided"))
        )
    by_user = {n.user_id: n.message for n in notices}
    assert len(notices) == 2
    emily, liam = world.emily.user_id, world.liam.user_id
    assert emily is not None and liam is not None
    assert "shortlisted" in by_user[liam]["msgid"]
    assert by_user[emily]["params"]["position"] == 2
    assert all(n.link == f"/seasons/{season}/application" for n in notices)


def test_the_personal_data_export_holds_the_decision_and_erasure_removes_it(
    sessions: Sessions, world: World
) -> None:
    from altmatch.services.personal_data.erasure import delete_my_account
    from altmatch.services.personal_data.export import _application

    season = filled_season(sessions, world)
    interviewed(sessions, season)
    calibrated(sessions, world, season, flip_rows("C01", "C02", [f"C0{i}" for i in range(3, 9)]))
    preview = shortlist_preview(sessions, world.coordinator, season, places=3, alternates=2)
    decide_shortlist(sessions, world.coordinator, season, body_of(preview))
    with sessions() as session:
        emily = session.scalars(
            select(SeasonCandidate).where(SeasonCandidate.external_id == "C01")
        ).one()
        exported = _application(session, emily, "2027 season", 2027)["interview_decision"]
    assert exported["decision"] == "alternate" and exported["alternate_position"] == 2
    assert "crossed_out" in exported["reasons"]

    delete_my_account(sessions, world.emily, confirm_email="emily@example.org")
    with sessions() as session:
        left = session.scalars(
            select(InterviewDecision).where(InterviewDecision.candidate_id == emily.id)
        ).all()
    assert left == []


def test_the_demo_hears_every_calibrated_candidate_then_decides_once(
    sessions: Sessions, world: World
) -> None:
    """The demo's round (demo.shortlist_round) on the tiny season: the eight submitted
    applications move to interviewed on the stage board's service, then the rulebook's
    defaults (one place, no alternates) decide them; a second call decides nothing."""
    from altmatch.db.models import ApplicationStageChange
    from altmatch.demo.shortlist_round import decide_demo_shortlist

    season = tiny_season(sessions, world)
    calibrated(sessions, world, season, flip_rows())
    assert set(stages(sessions, season).values()) == {"submitted"}
    assert decide_demo_shortlist(sessions, world.coordinator, season) == 8
    now = stages(sessions, season)
    assert sorted(now.values()) == ["interviewed"] * 7 + ["shortlisted"]
    with sessions() as session:
        moves = session.scalars(
            select(ApplicationStageChange).where(ApplicationStageChange.to_stage == "interviewed")
        ).all()
    assert len(moves) == 8
    assert len(decisions(sessions)) == 8
    assert decide_demo_shortlist(sessions, world.coordinator, season) == 0
