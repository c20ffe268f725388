"""The demo's score sheets on any interview round: a submitted sheet from each assessor for
every interview heard before the demo's now, one declared conflict, assessors who differ in
severity, the same sheets from the same seed, and nothing added when seeded again."""

from __future__ import annotations

from collections import defaultdict
from statistics import mean

import pytest
from sqlalchemy import select
from tests.calibration_world import CRITERIA
from tests.interview_round_world import START, Round, build_round

from altmatch.db import Sessions
from altmatch.db.models import InterviewConflict, ScoreSheet
from altmatch.demo.interview_sheets import seed_sheets
from altmatch.services.season.interview_calibration import calibrate_from_sheets

pytestmark = pytest.mark.date_sensitive  # the tiny season's request deadline is a month on

# PL hears its four hourly from 09:00 on day one, PH its four from 09:00 on day two: at 10:30
# on day two all of PL's and PH's first two interviews have started.
MIDWAY = START.replace(day=21, hour=10, minute=30)


@pytest.fixture
def r(sessions: Sessions) -> Round:
    return build_round(sessions)


def _sheets(sessions: Sessions) -> list[tuple[int, int, dict[str, int]]]:
    with sessions() as session:
        rows = session.scalars(select(ScoreSheet).order_by(ScoreSheet.id)).all()
        return [(s.assessor_id, s.candidate_id, dict(s.scores)) for s in rows]


def test_every_heard_interview_gets_its_panels_submitted_sheets_and_one_conflict(
    sessions: Sessions, r: Round
) -> None:
    with sessions.begin() as session:
        seeded = seed_sheets(session, r.season_id, now=MIDWAY, seed=7)
    heard = {c for c, at in r.slots.items() if at < MIDWAY}
    assert heard == {"A01", "F01", "F02", "F03", "B01", "F04"}
    assert seeded.sheets == 3 * len(heard) and seeded.conflicts == 1
    with sessions() as session:
        sheets = session.scalars(select(ScoreSheet)).all()
        [conflict] = session.scalars(select(InterviewConflict)).all()
    by_id = {v: k for k, v in r.candidates.items()}
    assert {by_id[s.candidate_id] for s in sheets} == heard
    assert all(s.submitted_at is not None for s in sheets)
    assert all(set(s.scores) == set(CRITERIA) for s in sheets)
    assert all(1 <= v <= 5 for s in sheets for v in s.scores.values())
    # the first interview still to come: PH's third, F05; its panel's first assessor declares
    assert by_id[conflict.candidate_id] == "F05"
    assert conflict.assessor_id == min(r.user_ids[k] for k in ("s", "h1", "h2"))
    assert conflict.reason in {"relative", "colleague_or_employer", "former_student", "friend"}


def test_the_same_seed_gives_the_same_sheets_and_seeding_again_adds_nothing(
    sessions: Sessions, r: Round
) -> None:
    with sessions.begin() as session:
        seed_sheets(session, r.season_id, now=MIDWAY, seed=7)
    first = _sheets(sessions)
    with sessions.begin() as session:
        again = seed_sheets(session, r.season_id, now=MIDWAY, seed=7)
    assert (again.sheets, again.conflicts) == (0, 0)
    assert _sheets(sessions) == first


def test_assessors_differ_in_severity_and_the_sheets_calibrate(
    sessions: Sessions, r: Round
) -> None:
    late = START.replace(day=25)
    with sessions.begin() as session:
        seeded = seed_sheets(session, r.season_id, now=late, seed=11)
    assert seeded.sheets == 24  # all heard; the conflict falls on the last one heard
    given: dict[int, list[int]] = defaultdict(list)
    for assessor, _, scores in _sheets(sessions):
        given[assessor].extend(scores.values())
    assert len({round(mean(v), 1) for v in given.values()}) > 1
    stored = calibrate_from_sheets(sessions, r.world.coordinator, r.season_id, commit=True)
    assert stored.committed and stored.calibration is not None
    assert stored.calibration.scores == (24 - 1) * len(CRITERIA)  # the conflicted sheet is out
