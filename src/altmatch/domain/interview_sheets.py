"""An assessor's score sheet: which scores a sheet may hold, when it can be submitted, and how
submitted sheets become the calibration's score rows.

A sheet holds at most one whole score per criterion of the rubric, each within the rubric's
scale; a draft may leave criteria out, a submitted sheet scores every one. Calibration names an
assessor `A<user id>`: stable for as long as the account exists and revealing no e-mail address
to the coordinators who read the report. The rows of a season's sheets, sorted, written as the
scores file an upload would be (docs/formats/interviews.md), are the **canonical rows**: their
SHA-256 identifies a calibration from sheets exactly as a file's identifies an upload's, so the
two paths agree on equal scores.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from altmatch.domain.interview_calibration import ScoreRow
from altmatch.i18n import N_, Message, register_labels

SCORES_HEADER = "candidate_id,panel_id,assessor_id,criterion,score"


class SheetStatus(StrEnum):
    NOT_STARTED = "not_started"
    DRAFT = "draft"
    SUBMITTED = "submitted"


register_labels(
    SheetStatus,
    {
        SheetStatus.NOT_STARTED: N_("Not started"),
        SheetStatus.DRAFT: N_("Draft saved"),
        SheetStatus.SUBMITTED: N_("Scores submitted"),
    },
)


@dataclass(frozen=True)
class ScoreProblem:
    """What is wrong with one criterion's score (`criterion` None: a criterion the rubric does
    not have); `missing`: the criterion is unscored on a sheet being submitted."""

    criterion: str | None
    message: Message
    missing: bool = False


def score_problems(
    scores: Mapping[str, object],
    criteria: Sequence[str],
    low: int,
    high: int,
    *,
    complete: bool,
) -> list[ScoreProblem]:
    """Every problem of `scores`: a criterion the rubric does not have, a score that is not a
    whole number from `low` to `high`, and, when the sheet must be `complete` (submitting),
    each criterion left unscored."""
    problems: list[ScoreProblem] = []
    for criterion, value in scores.items():
        if criterion not in criteria:
            unknown = Message(N_("A score names no criterion of the rubric."))
            problems.append(ScoreProblem(None, unknown))
        elif isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            out = Message(N_("Choose a score from {low} to {high}."), {"low": low, "high": high})
            problems.append(ScoreProblem(criterion, out))
    if complete:
        unscored = Message(N_("Score this criterion before you submit the sheet."))
        problems.extend(ScoreProblem(c, unscored, True) for c in criteria if c not in scores)
    return problems


def sheet_status(exists: bool, submitted: bool) -> SheetStatus:
    if submitted:
        return SheetStatus.SUBMITTED
    return SheetStatus.DRAFT if exists else SheetStatus.NOT_STARTED


def assessor_key(user_id: int) -> str:
    """How calibration names an assessor: stable, and no e-mail address in the report."""
    return f"A{user_id}"


def sheet_rows(
    candidate: str, panel: str, assessor_id: int, scores: Mapping[str, int]
) -> list[ScoreRow]:
    """One sheet's scores as calibration rows."""
    who = assessor_key(assessor_id)
    return [ScoreRow(candidate, panel, who, c, float(s)) for c, s in sorted(scores.items())]


def canonical_rows(rows: Iterable[ScoreRow]) -> list[ScoreRow]:
    """The rows in one order whatever order they were read in."""
    return sorted(rows, key=lambda r: (r.candidate_id, r.assessor_id, r.criterion, r.panel_id))


def scores_file(rows: Iterable[ScoreRow]) -> bytes:
    """The canonical rows as the scores file an upload would be (UTF-8, LF)."""
    lines = [SCORES_HEADER]
    lines += [
        f"{r.candidate_id},{r.panel_id},{r.assessor_id},{r.criterion},{int(r.score)}"
        for r in canonical_rows(rows)
    ]
    return ("\n".join(lines) + "\n").encode()


def rows_sha256(rows: Iterable[ScoreRow]) -> str:
    """The SHA-256 of `scores_file(rows)`: what identifies a calibration's input."""
    return hashlib.sha256(scores_file(rows)).hexdigest()


@dataclass(frozen=True)
class ScoresIn:
    """A calibration's input: its score rows and what identifies them (a file's name and
    SHA-256, or "score sheets" and the canonical rows' SHA-256)."""

    rows: tuple[ScoreRow, ...]
    filename: str
    sha256: str
    records: int  # what was read: a file's rows, or the sheets' scores


SHEETS_FILENAME = "score sheets"  # a calibration from sheets in the history of calibrations


def sheets_input(rows: Iterable[ScoreRow]) -> ScoresIn:
    """The canonical rows of a season's submitted sheets as a calibration's input."""
    ordered = tuple(canonical_rows(rows))
    return ScoresIn(ordered, SHEETS_FILENAME, rows_sha256(ordered), len(ordered))
