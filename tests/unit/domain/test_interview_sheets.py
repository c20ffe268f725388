"""A score sheet's checks and the canonical rows of submitted sheets."""

from __future__ import annotations

import hashlib

from altmatch.domain.interview_calibration import ScoreRow
from altmatch.domain.interview_sheets import (
    SheetStatus,
    canonical_rows,
    rows_sha256,
    score_problems,
    scores_file,
    sheet_rows,
    sheet_status,
    sheets_input,
)

CRITERIA = ("communication", "motivation")


def test_a_partial_draft_is_fine_but_not_a_partial_submission() -> None:
    assert score_problems({"communication": 3}, CRITERIA, 1, 5, complete=False) == []
    [missing] = score_problems({"communication": 3}, CRITERIA, 1, 5, complete=True)
    assert missing.criterion == "motivation" and missing.missing


def test_scores_off_the_scale_not_whole_or_of_no_criterion_are_problems() -> None:
    problems = score_problems(
        {"communication": 0, "motivation": True, "charm": 3}, CRITERIA, 1, 5, complete=False
    )
    assert [(p.criterion, p.missing) for p in problems] == [
        ("communication", False),
        ("motivation", False),
        (None, False),
    ]
    assert (
        score_problems({"communication": 5, "motivation": 1}, CRITERIA, 1, 5, complete=True) == []
    )


def test_a_sheets_status_follows_whether_it_exists_and_was_submitted() -> None:
    assert sheet_status(False, False) is SheetStatus.NOT_STARTED
    assert sheet_status(True, False) is SheetStatus.DRAFT
    assert sheet_status(True, True) is SheetStatus.SUBMITTED


def test_a_sheet_becomes_rows_naming_its_assessor_by_user_id() -> None:
    rows = sheet_rows("C01", "P1", 42, {"motivation": 4, "communication": 2})
    assert rows == [
        ScoreRow("C01", "P1", "A42", "communication", 2.0),
        ScoreRow("C01", "P1", "A42", "motivation", 4.0),
    ]


def test_the_canonical_rows_do_not_depend_on_the_order_read() -> None:
    a = sheet_rows("C02", "P1", 7, {"communication": 3}) + sheet_rows(
        "C01", "P1", 8, {"motivation": 5}
    )
    assert canonical_rows(a) == canonical_rows(list(reversed(a)))
    assert rows_sha256(a) == rows_sha256(reversed(a))
    content = scores_file(a)
    assert content == (
        b"candidate_id,panel_id,assessor_id,criterion,score\n"
        b"C01,P1,A8,motivation,5\nC02,P1,A7,communication,3\n"
    )
    assert rows_sha256(a) == hashlib.sha256(content).hexdigest()
    given = sheets_input(a)
    assert given.filename == "score sheets" and given.records == 2
    assert given.rows == tuple(canonical_rows(a))


def test_different_scores_give_a_different_sha256() -> None:
    one = sheet_rows("C01", "P1", 1, {"communication": 3})
    other = sheet_rows("C01", "P1", 1, {"communication": 4})
    assert rows_sha256(one) != rows_sha256(other)
