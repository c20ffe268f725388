"""The assessors' side of the interview round on SQLite and PostgreSQL: panel membership is
the only way in, sheets are saved with compare-and-swap and submitted whole, corrections are
audited, a declared conflict hides the candidate and keeps their sheet out of calibration, and
calibrating the submitted sheets stores exactly what uploading the same scores stores."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine, select
from tests.calibration_world import CRITERIA, scores_file
from tests.interview_round_world import (
    REFERENCE,
    STATEMENT,
    Round,
    as_file_rows,
    build_round,
    score_lines,
)

from altmatch.db import Sessions, session_factory
from altmatch.db.models import (
    AssessorSeverityRow,
    AuditEntry,
    CalibratedCandidate,
    InterviewCalibration,
    InterviewConflict,
    Notification,
    ScoreSheet,
    SeasonRow,
)
from altmatch.domain.access import OPERATOR, AccessDeniedError, NotFoundError
from altmatch.domain.interview_sheets import SheetStatus
from altmatch.services.home import StepStatus, home
from altmatch.services.kernel import locking
from altmatch.services.kernel.errors import RuleError, StaleError
from altmatch.services.season import interview_scoring as scoring
from altmatch.services.season.interview_calibration import (
    calibrate_from_sheets,
    calibrate_season,
    sheets_summary,
)
from altmatch.services.season.interview_scoring import (
    ConflictIn,
    ScoreSheetIn,
    declare_conflict,
    my_panels,
    save_sheet,
    score_sheet,
)

pytestmark = pytest.mark.date_sensitive  # the tiny season's request deadline is a month on


@pytest.fixture
def r(sessions: Sessions) -> Round:
    return build_round(sessions)


def _full(value: int = 3) -> dict[str, int]:
    return dict.fromkeys(CRITERIA, value)


def _submit_all(sessions: Sessions, r: Round) -> None:
    for (who, candidate), scores in score_lines(r).items():
        save_sheet(
            sessions,
            r.assessors[who],
            r.candidates[candidate],
            ScoreSheetIn(scores=scores),
            version=0,
            submit=True,
        )


def _audit(sessions: Sessions, action: str) -> list[AuditEntry]:
    with sessions() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_an_assessor_sees_only_their_panels_candidates_in_time_order(
    sessions: Sessions, r: Round
) -> None:
    found = my_panels(sessions, r.assessors["l1"], zone="America/New_York")
    assert [p.code for p in found.panels] == ["PL"]
    slots = found.panels[0].slots
    assert [s.candidate_id for s in slots] == [
        r.candidates[c] for c in ("A01", "F01", "F02", "F03")
    ]
    first = slots[0]
    assert first.reference == REFERENCE  # applied online; the others show their imported id
    assert slots[1].reference == "F01"
    assert first.office_time == "2027-01-20 09:00 (Europe/London)"
    assert (first.reader_time, found.zone) == ("2027-01-20 04:00", "America/New_York")
    assert {s.sheet for s in slots} == {SheetStatus.NOT_STARTED}
    both = my_panels(sessions, r.assessors["s"])
    assert [p.code for p in both.panels] == ["PH", "PL"]
    assert both.zone == "Asia/Tokyo"
    assert my_panels(sessions, r.assessors["outsider"]).panels == []


def test_an_unknown_time_zone_is_refused(sessions: Sessions, r: Round) -> None:
    with pytest.raises(RuleError):
        my_panels(sessions, r.assessors["l1"], zone="Mars/Olympus")


@pytest.mark.parametrize("who", ["h1", "outsider"])
def test_a_candidate_of_a_panel_the_assessor_does_not_sit_on_is_not_found(
    sessions: Sessions, r: Round, who: str
) -> None:
    actor = r.assessors[who]
    candidate = r.candidates["A01"]  # heard by PL
    with pytest.raises(NotFoundError):
        score_sheet(sessions, actor, candidate)
    with pytest.raises(NotFoundError):
        save_sheet(sessions, actor, candidate, ScoreSheetIn(scores=_full()), version=0)
    with pytest.raises(NotFoundError):
        declare_conflict(sessions, actor, candidate, ConflictIn(reason="friend"))


def test_a_coordinator_scores_only_when_sitting_on_the_panel(sessions: Sessions, r: Round) -> None:
    with pytest.raises(NotFoundError):  # coordinates the season, sits on no panel
        score_sheet(sessions, r.world.coordinator, r.candidates["A01"])
    sheet = save_sheet(
        sessions, r.assessors["s"], r.candidates["A01"], ScoreSheetIn(scores=_full()), version=0
    )
    assert sheet.status is SheetStatus.DRAFT


def test_the_operator_has_no_sheet_of_their_own(sessions: Sessions, r: Round) -> None:
    with pytest.raises(AccessDeniedError):
        my_panels(sessions, OPERATOR)


def test_the_sheet_shows_the_rubric_in_the_readers_language_and_the_statement(
    sessions: Sessions, r: Round
) -> None:
    sheet = score_sheet(sessions, r.assessors["l1"], r.candidates["A01"], locale="ja")
    assert sheet.statement == STATEMENT
    assert [c.id for c in sheet.criteria] == list(CRITERIA)
    assert sheet.criteria[0].name == "コミュニケーション"
    assert [a.score for a in sheet.criteria[0].anchors] == [1, 2, 3, 4, 5]
    assert sheet.version == 0 and sheet.status is SheetStatus.NOT_STARTED
    assert "former_student" in {c.code for c in sheet.conflict_reasons}
    imported = score_sheet(sessions, r.assessors["l1"], r.candidates["F01"])
    assert imported.statement is None


def test_a_draft_is_saved_then_submitted_whole_with_compare_and_swap(
    sessions: Sessions, r: Round
) -> None:
    actor, candidate = r.assessors["l1"], r.candidates["A01"]
    draft = save_sheet(sessions, actor, candidate, ScoreSheetIn(scores={CRITERIA[0]: 4}), version=0)
    assert draft.status is SheetStatus.DRAFT and draft.scores == {CRITERIA[0]: 4}
    with pytest.raises(StaleError):  # a second tab still thinks there is no sheet
        save_sheet(sessions, actor, candidate, ScoreSheetIn(scores={}), version=0)
    with pytest.raises(RuleError, match="every criterion") as missing:
        save_sheet(
            sessions,
            actor,
            candidate,
            ScoreSheetIn(scores={CRITERIA[0]: 4}),
            version=draft.version,
            submit=True,
        )
    assert missing.value.field == f"scores.{CRITERIA[1]}"
    with pytest.raises(RuleError) as off_scale:
        save_sheet(
            sessions,
            actor,
            candidate,
            ScoreSheetIn(scores={**_full(), CRITERIA[2]: 6}),
            version=draft.version,
        )
    assert off_scale.value.field == f"scores.{CRITERIA[2]}"
    with pytest.raises(RuleError):
        save_sheet(
            sessions, actor, candidate, ScoreSheetIn(scores={"charm": 3}), version=draft.version
        )
    assert _audit(sessions, "interview.sheet_submitted") == []  # drafts are not audited
    done = save_sheet(
        sessions,
        actor,
        candidate,
        ScoreSheetIn(scores=_full(4)),
        version=draft.version,
        submit=True,
    )
    assert done.status is SheetStatus.SUBMITTED and done.version == draft.version + 1
    with pytest.raises(StaleError):
        save_sheet(sessions, actor, candidate, ScoreSheetIn(scores=_full(2)), version=draft.version)
    [entry] = _audit(sessions, "interview.sheet_submitted")
    assert entry.after is not None and entry.after["scores"] == _full(4)


def test_a_submitted_sheet_is_corrected_whole_and_every_correction_is_audited(
    sessions: Sessions, r: Round
) -> None:
    actor, candidate = r.assessors["l1"], r.candidates["A01"]
    done = save_sheet(
        sessions, actor, candidate, ScoreSheetIn(scores=_full(4)), version=0, submit=True
    )
    with pytest.raises(RuleError):  # a submitted sheet cannot go back to a partial draft
        save_sheet(
            sessions, actor, candidate, ScoreSheetIn(scores={CRITERIA[0]: 3}), version=done.version
        )
    fixed = save_sheet(
        sessions,
        actor,
        candidate,
        ScoreSheetIn(scores=_full(3), note="misread"),
        version=done.version,
    )
    assert fixed.status is SheetStatus.SUBMITTED and fixed.scores == _full(3)
    [entry] = _audit(sessions, "interview.sheet_corrected")
    assert entry.before == {"scores": _full(4), "note": ""}
    assert entry.after is not None and entry.after["scores"] == _full(3)


def test_sheets_can_no_longer_change_once_the_season_is_published(
    sessions: Sessions, r: Round
) -> None:
    actor, candidate = r.assessors["l1"], r.candidates["A01"]
    done = save_sheet(
        sessions, actor, candidate, ScoreSheetIn(scores=_full(4)), version=0, submit=True
    )
    with sessions.begin() as session:
        season = session.get(SeasonRow, r.season_id)
        assert season is not None
        season.status = "published"
    assert score_sheet(sessions, actor, candidate).editable is False
    with pytest.raises(StaleError):
        save_sheet(sessions, actor, candidate, ScoreSheetIn(scores=_full(2)), version=done.version)


def test_a_declared_conflict_hides_the_candidate_tells_the_office_and_leaves_the_sheet_out(
    sessions: Sessions, r: Round
) -> None:
    _submit_all(sessions, r)
    actor, candidate = r.assessors["l1"], r.candidates["F01"]
    with pytest.raises(RuleError):  # not a reason of the rulebook's list
        declare_conflict(sessions, actor, candidate, ConflictIn(reason="enemy"))
    with pytest.raises(RuleError):  # "other" must say what
        declare_conflict(sessions, actor, candidate, ConflictIn(reason="other"))
    before = sheets_summary(sessions, r.world.coordinator, r.season_id)
    declared = declare_conflict(
        sessions, actor, candidate, ConflictIn(reason="former_student", note="My pupil")
    )
    assert declared.reason == "former_student"
    listed = [s.candidate_id for p in my_panels(sessions, actor).panels for s in p.slots]
    assert candidate not in listed and len(listed) == 3
    assert my_panels(sessions, actor).conflicts_declared == 1
    with pytest.raises(NotFoundError):
        score_sheet(sessions, actor, candidate)
    with pytest.raises(NotFoundError):
        save_sheet(sessions, actor, candidate, ScoreSheetIn(scores=_full()), version=2)
    with pytest.raises(NotFoundError):  # declared once is enough
        declare_conflict(sessions, actor, candidate, ConflictIn(reason="friend"))
    # the others on the panel still score them
    assert score_sheet(sessions, r.assessors["l2"], candidate).status is SheetStatus.SUBMITTED
    after = sheets_summary(sessions, r.world.coordinator, r.season_id)
    assert (after.submitted, after.excluded) == (before.submitted - 1, 1)
    assert after.scores == before.scores - len(CRITERIA)
    assert after.sha256 != before.sha256
    with sessions() as session:
        notices = list(session.scalars(select(Notification)))
        conflicts = list(session.scalars(select(InterviewConflict)))
        sheets = session.scalars(select(ScoreSheet)).all()
    assert [n.user_id for n in notices if n.kind == "interview_conflict"] == [
        r.screener.own_user_id()
    ]
    assert [(c.assessor_id, c.candidate_id) for c in conflicts] == [(r.user_ids["l1"], candidate)]
    assert len(sheets) == 24  # the sheet stays stored; calibration does not read it
    [entry] = _audit(sessions, "interview.conflict_declared")
    assert entry.after is not None and entry.after["sheet_started"] is True


def _stored(sessions: Sessions, calibration_id: int) -> tuple[Any, ...]:
    with sessions() as session:
        row = session.get(InterviewCalibration, calibration_id)
        assert row is not None
        candidates = session.scalars(
            select(CalibratedCandidate)
            .where(CalibratedCandidate.calibration_id == calibration_id)
            .order_by(CalibratedCandidate.candidate_id)
        ).all()
        assessors = session.scalars(
            select(AssessorSeverityRow)
            .where(AssessorSeverityRow.calibration_id == calibration_id)
            .order_by(AssessorSeverityRow.assessor_id)
        ).all()
        return (
            row.sha256,
            row.scores,
            row.candidates,
            row.assessors,
            row.panels,
            row.reliability,
            row.icc,
            row.residual_sd,
            row.components,
            row.offsets,
            [
                (c.candidate_id, c.score, c.se, c.raw_mean, c.match_score, c.rank, c.raw_rank)
                for c in candidates
            ],
            [(a.assessor_id, a.severity, a.se, a.candidates) for a in assessors],
        )


def test_calibrating_the_sheets_stores_what_uploading_the_same_scores_stores(
    sessions: Sessions, r: Round
) -> None:
    _submit_all(sessions, r)
    coordinator = r.world.coordinator
    summary = sheets_summary(sessions, coordinator, r.season_id)
    assert (summary.submitted, summary.candidates, summary.assessors) == (24, 8, 5)
    assert (summary.unsubmitted, summary.excluded) == (0, 0)
    preview = calibrate_from_sheets(sessions, coordinator, r.season_id, commit=False)
    assert not preview.committed and preview.calibration is not None
    assert preview.sha256 == summary.sha256
    from_sheets = calibrate_from_sheets(
        sessions, coordinator, r.season_id, commit=True, sha256=summary.sha256
    )
    assert from_sheets.committed and from_sheets.calibration is not None
    assert from_sheets.calibration.filename == "score sheets"
    uploaded = calibrate_season(
        sessions,
        coordinator,
        r.season_id,
        content=scores_file(sorted(as_file_rows(r))),
        filename="scores.csv",
    )
    assert uploaded.committed and uploaded.calibration is not None
    assert from_sheets.calibration.id is not None and uploaded.calibration.id is not None
    assert _stored(sessions, from_sheets.calibration.id) == _stored(
        sessions, uploaded.calibration.id
    )
    # calibration put A01 back below B01 (tests.calibration_world), from the sheets too
    scores = {c[0]: c[1] for c in _stored(sessions, from_sheets.calibration.id)[10]}
    assert scores[r.candidates["A01"]] < scores[r.candidates["B01"]]
    entries = _audit(sessions, "season.interviews_calibrated")
    assert [e.after["filename"] for e in entries if e.after] == ["score sheets", "scores.csv"]


def test_storing_sheets_changed_since_the_preview_is_refused(sessions: Sessions, r: Round) -> None:
    _submit_all(sessions, r)
    coordinator = r.world.coordinator
    seen = sheets_summary(sessions, coordinator, r.season_id).sha256
    sheet = score_sheet(sessions, r.assessors["h2"], r.candidates["F06"])
    save_sheet(
        sessions,
        r.assessors["h2"],
        r.candidates["F06"],
        ScoreSheetIn(
            scores={**sheet.scores, CRITERIA[0]: 5 if sheet.scores[CRITERIA[0]] < 5 else 1}
        ),
        version=sheet.version,
    )
    with pytest.raises(StaleError):
        calibrate_from_sheets(sessions, coordinator, r.season_id, commit=True, sha256=seen)
    with sessions() as session:
        assert session.scalars(select(InterviewCalibration)).first() is None


def test_calibrating_needs_a_submitted_sheet_and_the_seasons_coordinator(
    sessions: Sessions, r: Round
) -> None:
    save_sheet(
        sessions, r.assessors["l1"], r.candidates["A01"], ScoreSheetIn(scores=_full()), version=0
    )
    with pytest.raises(RuleError):  # only a draft
        calibrate_from_sheets(sessions, r.world.coordinator, r.season_id, commit=False)
    with pytest.raises(AccessDeniedError):
        calibrate_from_sheets(sessions, r.assessors["l1"], r.season_id, commit=False)
    with pytest.raises(AccessDeniedError):
        sheets_summary(sessions, r.assessors["l1"], r.season_id)


def test_of_two_saves_racing_from_one_version_the_second_is_refused(
    engine: Engine, r: Round, monkeypatch: pytest.MonkeyPatch
) -> None:
    # write sessions that begin as reads do, even on SQLite, so a whole writer can run inside
    # the other's transaction (tests/integration/test_optimistic_locking.py)
    sessions = session_factory(engine, immediate_writes=False)
    actor, candidate = r.assessors["l1"], r.candidates["A01"]
    draft = save_sheet(sessions, actor, candidate, ScoreSheetIn(scores=_full(2)), version=0)
    pending = [
        lambda: save_sheet(
            sessions, actor, candidate, ScoreSheetIn(scores=_full(4)), version=draft.version
        )
    ]

    def check_then_let_the_first_writer_in(row: Any, version: int | None) -> None:
        locking.expect_version(row, version)
        if pending:
            pending.pop()()

    monkeypatch.setattr(scoring, "expect_version", check_then_let_the_first_writer_in)
    with pytest.raises(StaleError):
        save_sheet(sessions, actor, candidate, ScoreSheetIn(scores=_full(5)), version=draft.version)
    kept = score_sheet(sessions, actor, candidate)
    assert kept.scores == _full(4) and kept.version == draft.version + 1


def test_an_assessors_home_counts_the_interviews_heard_and_not_yet_submitted(
    sessions: Sessions, r: Round
) -> None:
    actor = r.assessors["l1"]
    save_sheet(
        sessions, actor, r.candidates["A01"], ScoreSheetIn(scores=_full()), version=0, submit=True
    )
    after_two = r.slots["F01"] + (r.slots["F01"] - r.slots["A01"]) / 2  # A01, F01 heard
    steps = home(sessions, actor, now=after_two).steps
    [step] = [s for s in steps if s.key == "assessing"]
    assert step.href == "/assessing" and step.status is StepStatus.TO_DO
    assert "Heard and not yet submitted: 1." in step.detail
    assert home(sessions, r.assessors["outsider"], now=after_two).steps[0].status is StepStatus.DONE
