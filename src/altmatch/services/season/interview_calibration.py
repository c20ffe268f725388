"""Calibrating a season's interview scores: the panels' rubric scores in, one scale out.

A coordinator uploads every score of the season's interview round (docs/formats/interviews.md:
`candidate_id,panel_id,assessor_id,criterion,score`, the candidate being the application's id
in the season). The file is checked whole: the reader's checks, then what only the season
knows (an application with that id, a criterion of the rulebook's rubric); with any problem
nothing is stored and every problem is reported by row and column. Otherwise the additive
facets model (domain.interview_calibration) puts every assessor's severity and every
candidate's ability on one scale, and the result is stored in one transaction as the season's
current calibration, audited. The previous calibrations stay as history.

The assessors' own score sheets (services.season.interview_scoring) are the other way in:
`calibrate_from_sheets` reads the season's submitted sheets as the same rows (the filename
"score sheets", the SHA-256 of the rows written as a scores file) and `store_calibration`,
which both paths share, fits and stores them: equal scores calibrate equally either way.

The match then reads each calibrated application's score, mapped onto the season's 0-100
(domain.calibrated_scores), instead of its imported interview score (services.season.snapshot),
so a draft run made before no longer matches the season and cannot be published until the
match is run again. Once an outcome is published the scores can no longer change: a published
outcome stands, and its upgrades replay its own inputs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session

from altmatch.db import Sessions
from altmatch.db import interview_calibration as calibrations
from altmatch.db import season as repo
from altmatch.db.models import InterviewCalibration, SeasonRow
from altmatch.domain.access import Actor, NotFoundError, Permission, require
from altmatch.domain.application import ApplicationStage
from altmatch.domain.calibrated_scores import match_score, ranks
from altmatch.domain.interview_calibration import (
    MIN_CANDIDATES_PER_ASSESSOR,
    Calibration,
    ScoreRow,
    calibrate,
)
from altmatch.domain.interview_sheets import ScoresIn
from altmatch.i18n import N_, Message, use_locale
from altmatch.io.errors import RowError, file_error
from altmatch.io.interview_scores import ScoresFile, read_scores_upload
from altmatch.io.limits import DEFAULT_LIMITS, ImportLimits
from altmatch.rulebook import load_rulebook
from altmatch.rulebook.guidance import InterviewRubric
from altmatch.services.kernel.audit import record_audit
from altmatch.services.kernel.errors import RuleError, StaleError
from altmatch.services.kernel.imports import ImportOut, import_result
from altmatch.services.season.access import access_season
from altmatch.services.season.interview_report import (
    CalibrationSummaryOut,
    season_open,
    stored_summary,
    summary_out,
    warning_records,
)
from altmatch.services.season.interview_scoring import (
    SheetsSummaryOut,
    submitted_scores,
    summary_of,
)

Ids = Mapping[str, tuple[int, str]]  # application id in the file -> (row id, stage)
# What changed inside the storing transaction since the caller's read: problems by row and
# column (nothing is stored), or a StaleError raised.
Recheck = Callable[[Session, Ids], list[RowError]]
NO_SHEETS = N_("No score sheet of this season has been submitted yet.")
SHEETS_CHANGED = N_(
    "Score sheets were submitted or corrected since you checked them: check again, then store."
)


class CalibrationUploadOut(ImportOut):
    """An upload's report: every problem by row and column (then nothing is stored), or the
    calibration stored (`committed`) or, for a file only checked, the one it would store."""

    calibration: CalibrationSummaryOut | None


def calibrate_season(
    sessions: Sessions,
    actor: Actor,
    season_id: int,
    *,
    content: bytes,
    filename: str,
    commit: bool = True,
    limits: ImportLimits = DEFAULT_LIMITS,
    locale: str = "en",
    min_candidates: int = MIN_CANDIDATES_PER_ASSESSOR,
) -> CalibrationUploadOut:
    """Check a scores file against the season and calibrate it; with `commit`, store the
    result as the season's current calibration (all or nothing, audited). Coordinators of the
    season's programme (and the operator); refused (409) once an outcome is published."""
    require(actor, Permission.SEASON_MANAGE)
    rubric = load_rulebook().interview_rubric
    upload = read_scores_upload(content, filename, rubric.min_score, rubric.max_score, limits)
    # Checked and fitted outside any transaction: only storing takes the write lock.
    with sessions() as session:
        season = calibrated_season(session, actor, season_id)
        ids = calibrations.candidate_ids(session, season.id)
    errors = [*upload.errors, *_season_problems(upload, ids, rubric, filename)]
    if errors:
        return _report(len(upload.records), upload.sha256, errors, None, False, locale)
    scores = ScoresIn(
        rows=tuple(
            ScoreRow(r.candidate_id, r.panel_id, r.assessor_id, r.criterion, float(r.score))
            for r in upload.records
        ),
        filename=filename,
        sha256=upload.sha256,
        records=len(upload.records),
    )

    def erased(session: Session, ids: Ids) -> list[RowError]:
        return _season_problems(upload, ids, rubric, filename)

    return store_calibration(
        sessions,
        actor,
        season_id,
        scores,
        ids,
        recheck=erased,
        commit=commit,
        locale=locale,
        min_candidates=min_candidates,
    )


def calibrate_from_sheets(
    sessions: Sessions,
    actor: Actor,
    season_id: int,
    *,
    commit: bool = True,
    sha256: str | None = None,
    locale: str = "en",
    min_candidates: int = MIN_CANDIDATES_PER_ASSESSOR,
) -> CalibrationUploadOut:
    """Calibrate the season's submitted score sheets (services.season.interview_scoring) as an
    upload of the same scores would be, and with `commit` store it the same way. `sha256`, the
    preview's, makes storing a compare-and-swap: sheets submitted or corrected since the
    coordinator checked them refuse the commit (409) rather than store what they did not see."""
    require(actor, Permission.SEASON_MANAGE)
    with sessions() as session:
        season = calibrated_season(session, actor, season_id)
        ids = calibrations.candidate_ids(session, season.id)
        scores = submitted_scores(session, season.id)
    if not scores.rows:
        raise RuleError(Message(NO_SHEETS), "sheets")
    if commit and sha256 is not None and sha256 != scores.sha256:
        raise StaleError(Message(SHEETS_CHANGED), "sha256")

    def changed(session: Session, ids: Ids) -> list[RowError]:
        if submitted_scores(session, season_id).sha256 != scores.sha256:
            raise StaleError(Message(SHEETS_CHANGED), "sha256")
        return []

    return store_calibration(
        sessions,
        actor,
        season_id,
        scores,
        ids,
        recheck=changed,
        commit=commit,
        locale=locale,
        min_candidates=min_candidates,
    )


def sheets_summary(sessions: Sessions, actor: Actor, season_id: int) -> SheetsSummaryOut:
    """How many sheets are submitted, by how many assessors for how many candidates, and how
    many are drafts or left out for a conflict: what the coordinator reads before calibrating
    from them."""
    require(actor, Permission.SEASON_MANAGE)
    with sessions() as session:
        season = _season(session, actor, season_id)
        return summary_of(session, season.id)


def fit_sheets(
    sessions: Sessions,
    actor: Actor,
    season_id: int,
    *,
    min_candidates: int = MIN_CANDIDATES_PER_ASSESSOR,
) -> Calibration:
    """Calibrate the season's submitted score sheets without storing anything: what
    `altmatch interviews calibrate --from-sheets` writes as files. RuleError with no sheet."""
    require(actor, Permission.SEASON_MANAGE)
    with sessions() as session:
        season = _season(session, actor, season_id)
        scores = submitted_scores(session, season.id)
    if not scores.rows:
        raise RuleError(Message(NO_SHEETS), "sheets")
    return calibrate(list(scores.rows), min_candidates=min_candidates)


def store_calibration(
    sessions: Sessions,
    actor: Actor,
    season_id: int,
    scores: ScoresIn,
    ids: Ids,
    *,
    recheck: Recheck,
    commit: bool,
    locale: str,
    min_candidates: int,
) -> CalibrationUploadOut:
    """Fit `scores` (checked against the season by the caller, whose read gave `ids`) and,
    with `commit`, store the result as the season's current calibration in one transaction,
    audited: what an upload and the score sheets share. `recheck` runs inside that
    transaction and answers what changed since the caller's read (problems, or StaleError)."""
    rubric = load_rulebook().interview_rubric
    fitted = calibrate(list(scores.rows), min_candidates=min_candidates)
    row = _calibration_row(season_id, fitted, scores, rubric, actor)
    if not commit:
        with use_locale(locale):
            summary = summary_out(row, None, _left_out(ids, fitted))
        return _report(scores.records, scores.sha256, [], summary, False, locale)
    with sessions.begin() as session:
        season = calibrated_season(session, actor, season_id)
        ids = calibrations.candidate_ids(session, season.id)
        gone = recheck(session, ids)
        if gone:
            return _report(scores.records, scores.sha256, gone, None, False, locale)
        previous = calibrations.current_calibration(session, season.id)
        stored = calibrations.add_calibration(
            session, row, _candidate_rows(fitted, ids, rubric), _assessor_rows(fitted)
        )
        after = {
            "calibration_id": stored.id,
            "filename": stored.filename,
            "sha256": scores.sha256,
            "scores": fitted.scores,
            "candidates": len(fitted.candidates),
            "assessors": len(fitted.assessors),
            "reliability": stored.reliability,
        }
        before = None if previous is None else {"calibration_id": previous.id}
        record_audit(
            session,
            actor,
            "season.interviews_calibrated",
            "season",
            season.id,
            before,
            after,
            tenant_id=season.programme_id,
        )
        with use_locale(locale):
            history = calibrations.calibration_history(session, season.id)
            summary = stored_summary(session, stored, history[0][1])
        return _report(scores.records, scores.sha256, [], summary, True, locale)


def calibrated_season(session: Session, actor: Actor, season_id: int) -> SeasonRow:
    """The season, as the season's access rules allow (the operator, the server's command
    line, reaches every season), while its interview scores may still change (else 409)."""
    season = _season(session, actor, season_id)
    _refuse_unless_open(session, season)
    return season


def _season(session: Session, actor: Actor, season_id: int) -> SeasonRow:
    """The season, as the season's access rules allow; the operator (the server's command
    line) reaches every season."""
    if not actor.is_operator:
        return access_season(session, actor, season_id)
    season = repo.get_season(session, season_id)
    if season is None:
        raise NotFoundError("season")
    return season


def _refuse_unless_open(session: Session, season: SeasonRow) -> None:
    if not season_open(session, season):
        raise StaleError(
            Message(
                N_("This season's outcome is published: its interview scores can no longer change.")
            ),
            "file",
        )


def _season_problems(
    upload: ScoresFile, ids: Ids, rubric: InterviewRubric, filename: str
) -> list[RowError]:
    """What the reader cannot know: each candidate must be an application of the season, each
    criterion one of the rubric's."""
    criteria = [c.id for c in rubric.criteria]
    problems: list[RowError] = []
    for record in upload.records:
        if record.candidate_id and record.candidate_id not in ids:
            unknown = N_("no application of this season has the id {value}")
            problems.append(
                file_error(
                    filename, record.row, "candidate_id", unknown, value=repr(record.candidate_id)
                )
            )
        if record.criterion and record.criterion not in criteria:
            not_rubric = N_("not a criterion of the rubric ({expected})")
            expected = ", ".join(criteria)
            problems.append(
                file_error(filename, record.row, "criterion", not_rubric, expected=expected)
            )
    return problems


def _calibration_row(
    season_id: int,
    fitted: Calibration,
    scores: ScoresIn,
    rubric: InterviewRubric,
    actor: Actor,
) -> InterviewCalibration:
    design = fitted.design
    return InterviewCalibration(
        season_id=season_id,
        model=fitted.model,
        filename=scores.filename[:255],
        sha256=scores.sha256,
        low=rubric.min_score,
        high=rubric.max_score,
        scores=fitted.scores,
        candidates=len(fitted.candidates),
        assessors=len(fitted.assessors),
        criteria=len(fitted.criteria),
        panels=len({p for part in design.components for p in part.panels}),
        reliability=fitted.reliability,
        icc=fitted.icc,
        residual_sd=fitted.residual_sd,
        connected=design.connected,
        components=[
            {
                "component": part.number,
                "candidates": len(part.candidates),
                "assessors": len(part.assessors),
                "panels": list(part.panels),
            }
            for part in design.components
        ],
        swaps=[
            {
                "assessor_id": move.assessor_id,
                "panel_id": move.panel_id,
                "from_component": move.from_component,
                "to_component": move.to_component,
            }
            for move in design.moves
        ],
        warnings=warning_records(fitted.warnings),
        offsets=dict(fitted.criteria),
        created_by=actor.user_id,
    )


def _candidate_rows(fitted: Calibration, ids: Ids, rubric: InterviewRubric) -> list[dict[str, Any]]:
    scored = fitted.candidates
    by_score = ranks([c.score for c in scored])
    by_raw = ranks([c.raw_mean for c in scored])
    return [
        {
            "candidate_id": ids[c.candidate_id][0],
            "raw_mean": c.raw_mean,
            "score": c.score,
            "se": c.se,
            "assessors": c.assessors,
            "component": c.component,
            "match_score": match_score(c.score, rubric.min_score, rubric.max_score),
            "rank": rank,
            "raw_rank": raw_rank,
        }
        for c, rank, raw_rank in zip(scored, by_score, by_raw, strict=True)
    ]


def _assessor_rows(fitted: Calibration) -> list[dict[str, Any]]:
    return [
        {
            "assessor_id": a.assessor_id,
            "severity": a.severity,
            "se": a.se,
            "candidates": a.candidates,
            "component": a.component,
        }
        for a in fitted.assessors
    ]


def _left_out(ids: Ids, fitted: Calibration) -> int:
    """Applications in the match (not withdrawn) the file does not score."""
    scored = {c.candidate_id for c in fitted.candidates}
    withdrawn = ApplicationStage.WITHDRAWN.value
    return sum(
        1 for external, (_, stage) in ids.items() if stage != withdrawn and external not in scored
    )


def _report(
    records: int,
    sha256: str,
    errors: Sequence[RowError],
    summary: CalibrationSummaryOut | None,
    committed: bool,
    locale: str,
) -> CalibrationUploadOut:
    base = import_result(records, errors, sha256, committed, locale)
    return CalibrationUploadOut(**base.model_dump(), calibration=summary)
