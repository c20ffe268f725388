"""Calibrating a season's interview scores on SQLite and PostgreSQL: stored whole or not at
all, refused by row and column for an application the season does not have, only for the
season's own coordinators, read by the match in place of the imported score, seen by the
publication check, and closed once an outcome is published."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from tests.calibration_world import OTHERS, flip_rows, scores_file, tiny_season
from tests.season_world import PUBLISH_ANYWAY, World, build_world

from altmatch.db import Sessions
from altmatch.db import interview_calibration as calibrations
from altmatch.db.models import (
    AssessorSeverityRow,
    AuditEntry,
    CalibratedCandidate,
    InterviewCalibration,
    SeasonCandidate,
    SeasonRow,
)
from altmatch.domain.access import OPERATOR, AccessDeniedError, NotFoundError, OrgKind, Role
from altmatch.domain.publication import PublicationCheck
from altmatch.services.accounts.authentication import act_as
from altmatch.services.accounts.users import create_organisation, create_user
from altmatch.services.kernel.errors import RuleError, StaleError
from altmatch.services.season import interview_calibration as service
from altmatch.services.season.interview_calibration import calibrate_season
from altmatch.services.season.publication import publication_of
from altmatch.services.season.publish import publish_run
from altmatch.services.season.runs import run_season_match
from altmatch.services.season.snapshot import snapshot_season

pytestmark = pytest.mark.date_sensitive  # the tiny season's request deadline is a month on

INPUTS = PublicationCheck.INPUTS_UNCHANGED


@pytest.fixture
def world(sessions: Sessions) -> World:
    return build_world(sessions)


@pytest.fixture
def season_id(sessions: Sessions, world: World) -> int:
    return tiny_season(sessions, world)


def _calibrate(
    sessions: Sessions, world: World, season_id: int, rows: list[str], *, commit: bool = True
) -> service.CalibrationUploadOut:
    return calibrate_season(
        sessions,
        world.coordinator,
        season_id,
        content=scores_file(rows),
        filename="scores.csv",
        commit=commit,
    )


def _counts(sessions: Sessions) -> tuple[int, int, int]:
    with sessions() as session:
        return tuple(  # type: ignore[return-value]
            int(session.scalar(select(func.count()).select_from(table)) or 0)
            for table in (InterviewCalibration, CalibratedCandidate, AssessorSeverityRow)
        )


def _placed(sessions: Sessions, world: World, season_id: int) -> list[str]:
    review = run_season_match(sessions, world.coordinator, season_id, seed=5)
    return sorted(p.candidate_id for p in review.placements if p.request_id is not None)


def test_a_stored_calibration_holds_every_candidate_and_assessor_and_is_audited(
    sessions: Sessions, world: World, season_id: int
) -> None:
    result = _calibrate(sessions, world, season_id, flip_rows())

    assert result.committed and not result.errors
    assert result.calibration is not None and result.calibration.id is not None
    assert result.calibration.candidates == 8 and result.calibration.assessors == 5
    assert _counts(sessions) == (1, 8, 5)
    with sessions() as session:
        current = calibrations.current_calibration(session, season_id)
        assert current is not None and (current.low, current.high) == (1, 5)
        ids = calibrations.candidate_ids(session, season_id)
        scores = calibrations.match_scores(session, current.id)
        # hand-worked in tests/calibration_world.py: A01 3.00 -> 50, B01 4.00 -> 75
        assert scores[ids["A01"][0]] == 50 and scores[ids["B01"][0]] == 75
        a = calibrations.calibrated_candidate(session, current.id, ids["A01"][0])
        assert a is not None and a.raw_rank < a.rank  # first by raw mean among the two, not now
        audit = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "season.interviews_calibrated")
        ).one()
        assert audit.after is not None and audit.after["calibration_id"] == current.id


def test_an_unknown_candidate_or_criterion_is_refused_by_row_and_column_and_nothing_stored(
    sessions: Sessions, world: World, season_id: int
) -> None:
    rows = flip_rows()
    rows.append("ZZ9,PL,s,communication,3")  # file row len(rows) + 1 (the header is row 1)
    rows.append("A01,PL,s,charisma,3")
    result = _calibrate(sessions, world, season_id, rows)

    assert not result.committed and result.calibration is None
    found = {(e.row, e.column) for e in result.errors}
    assert found == {(len(rows), "candidate_id"), (len(rows) + 1, "criterion")}
    assert "ZZ9" in next(e.message for e in result.errors if e.column == "candidate_id")
    assert _counts(sessions) == (0, 0, 0)


def test_a_check_only_reports_what_storing_would_give(
    sessions: Sessions, world: World, season_id: int
) -> None:
    result = _calibrate(sessions, world, season_id, flip_rows(), commit=False)

    assert not result.committed and not result.errors
    assert result.calibration is not None and result.calibration.id is None
    assert result.calibration.reliability is not None and result.calibration.reliability > 0.9
    assert _counts(sessions) == (0, 0, 0)


def test_storing_is_all_or_nothing_when_the_transaction_fails_late(
    sessions: Sessions, world: World, season_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the audit log is unavailable")

    monkeypatch.setattr(service, "record_audit", fail)  # after every row was added
    with pytest.raises(RuntimeError):
        _calibrate(sessions, world, season_id, flip_rows())
    assert _counts(sessions) == (0, 0, 0)


def test_a_boe_user_is_refused_and_another_programmes_coordinator_finds_no_season(
    sessions: Sessions, world: World, season_id: int
) -> None:
    content = scores_file(flip_rows())
    with pytest.raises(AccessDeniedError) as refused:
        calibrate_season(sessions, world.kobe, season_id, content=content, filename="s.csv")
    assert not isinstance(refused.value, NotFoundError)  # 403: BoE staff never calibrate

    other = create_organisation(
        sessions, actor=OPERATOR, kind=OrgKind.PROGRAMME, name_en="Other", name_ja="他"
    ).id
    create_user(
        sessions,
        actor=OPERATOR,
        email="other-coordinator@example.org",
        display_name="Other",
        role=Role.COORDINATOR,
        password="correct horse battery",
        organisation_id=other,
    )
    outsider = act_as(sessions, OPERATOR, "other-coordinator@example.org")
    with pytest.raises(NotFoundError):  # 404: the season is not theirs to know of
        calibrate_season(sessions, outsider, season_id, content=content, filename="s.csv")
    assert _counts(sessions) == (0, 0, 0)


def test_the_match_reads_calibrated_scores_so_the_flipped_pair_changes_places(
    sessions: Sessions, world: World, season_id: int
) -> None:
    """Kobe's one place goes to the higher interview score: A01 by the imported scores (70
    against 60), B01 once calibrated (75 against 50, tests/calibration_world.py)."""
    assert _placed(sessions, world, season_id) == ["A01"]

    _calibrate(sessions, world, season_id, flip_rows())

    assert _placed(sessions, world, season_id) == ["B01"]
    with sessions() as session:
        season = session.get_one(SeasonRow, season_id)
        snapshot = snapshot_season(session, season)
    scores = {c["id"]: c["interview_score"] for c in snapshot["candidates"]}
    assert (scores["A01"], scores["B01"]) == (50, 75)
    assert snapshot["interview_calibration"]["scale"] == [1, 5]


def test_an_application_the_file_does_not_score_keeps_its_imported_score(
    sessions: Sessions, world: World, season_id: int
) -> None:
    rows = [r for r in flip_rows() if not r.startswith(OTHERS[-1])]
    result = _calibrate(sessions, world, season_id, rows)

    assert result.calibration is not None and result.calibration.uncalibrated == 1
    assert any("1" in w and "imported" in w for w in result.calibration.warnings)
    with sessions() as session:
        snapshot = snapshot_season(session, session.get_one(SeasonRow, season_id))
    scores = {c["id"]: c["interview_score"] for c in snapshot["candidates"]}
    assert scores[OTHERS[-1]] == 50  # as imported


def test_a_draft_made_before_a_calibration_cannot_be_published_until_run_again(
    sessions: Sessions, world: World, season_id: int
) -> None:
    before = run_season_match(sessions, world.coordinator, season_id, seed=5).run.id
    _calibrate(sessions, world, season_id, flip_rows())

    preview = publication_of(sessions, world.coordinator, season_id, before)
    inputs = next(c for c in preview.checks if c.check == INPUTS)
    assert not inputs.passed and preview.blocked
    with pytest.raises(RuleError):
        publish_run(sessions, world.coordinator, season_id, before, overrides=PUBLISH_ANYWAY)

    after = run_season_match(sessions, world.coordinator, season_id, seed=5).run.id
    preview = publication_of(sessions, world.coordinator, season_id, after)
    assert next(c for c in preview.checks if c.check == INPUTS).passed


def test_the_same_file_again_changes_no_input_and_the_history_keeps_both(
    sessions: Sessions, world: World, season_id: int
) -> None:
    _calibrate(sessions, world, season_id, flip_rows())
    run = run_season_match(sessions, world.coordinator, season_id, seed=5).run.id
    _calibrate(sessions, world, season_id, flip_rows())

    preview = publication_of(sessions, world.coordinator, season_id, run)
    assert next(c for c in preview.checks if c.check == INPUTS).passed  # same file, same inputs
    with sessions() as session:
        history = calibrations.calibration_history(session, season_id)
    assert len(history) == 2 and history[0][0].id > history[1][0].id
    assert history[0][1] == "Coordinator"  # who stored it


def test_calibrating_is_refused_once_an_outcome_is_published(
    sessions: Sessions, world: World, season_id: int
) -> None:
    run = run_season_match(sessions, world.coordinator, season_id, seed=5).run.id
    publish_run(sessions, world.coordinator, season_id, run, overrides=PUBLISH_ANYWAY)

    with pytest.raises(StaleError):
        _calibrate(sessions, world, season_id, flip_rows())
    assert _counts(sessions) == (0, 0, 0)


def test_the_operator_may_calibrate_any_season(
    sessions: Sessions, world: World, season_id: int
) -> None:
    result = calibrate_season(
        sessions, OPERATOR, season_id, content=scores_file(flip_rows()), filename="s.csv"
    )
    assert result.committed
    with sessions() as session:
        history = calibrations.calibration_history(session, season_id)
    assert history[0][1] is None  # no account of their own


def test_a_persons_data_export_holds_their_calibrated_interview_score(
    sessions: Sessions, world: World, season_id: int
) -> None:
    """The right of access covers what the match read in place of the raw score: A01's
    calibrated 3.00 (raw mean 3.67, see tests/calibration_world.py) and its 0-100 match score
    50; an application the file did not score has none."""
    from altmatch.services.personal_data.export import _application

    rows = [r for r in flip_rows() if not r.startswith(OTHERS[-1])]
    _calibrate(sessions, world, season_id, rows)
    with sessions() as session:
        by_id = {
            c.external_id: c
            for c in session.scalars(
                select(SeasonCandidate).where(SeasonCandidate.season_id == season_id)
            )
        }
        a01 = _application(session, by_id["A01"], "tiny", 2027)["interview_calibration"]
        unscored = _application(session, by_id[OTHERS[-1]], "tiny", 2027)
    assert a01["calibrated_score"] == pytest.approx(3.0, abs=1e-6)
    assert a01["raw_mean"] == pytest.approx(11 / 3, abs=1e-6)
    assert a01["match_score"] == 50 and a01["assessors"] == 3
    assert unscored["interview_calibration"] is None
