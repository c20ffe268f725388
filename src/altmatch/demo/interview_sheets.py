"""The demo's score sheets: what the assessors of the demo intake season's panels submitted for
every interview already heard, and one conflict of interest declared.

Works on whatever panels, assessors and bookings the season has (demo.interview_round plans
them). Each assessor's severity is drawn once from the seed, as the uploaded demo round draws
its assessors' (demo.interview_panels): some harsh, some lenient, so calibrating the sheets has
something to correct. A candidate's true ability on the rubric follows their imported interview
score, each criterion runs a little easier or harder, and every score has its own noise.
An interview counts as heard when its slot started before `now`. The conflict is declared by the
first assessor of the first panel with an interview still to come (or, with none to come, the
last one heard: their sheet is then left out of calibration), a former student of theirs.
Deterministic, and seeding again adds nothing already there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from altmatch.db import interview_scoring as repo
from altmatch.db.interview_scoring import Booking
from altmatch.db.models import InterviewConflict, ScoreSheet
from altmatch.demo.draw import Draw
from altmatch.demo.interview_panels import CRITERION_OFFSETS, NOISE_SD, SCORE_RANGE, SEVERITY_SD
from altmatch.rulebook import load_rulebook

DEFAULT_SEED = 2026
CONFLICT_REASON = "former_student"
CONFLICT_NOTE = "I taught this candidate English at a summer school in 2023."


@dataclass(frozen=True)
class SeededSheets:
    sheets: int  # submitted sheets added
    conflicts: int  # conflicts declared


def seed_sheets(
    session: Session, season_id: int, *, now: datetime, seed: int = DEFAULT_SEED
) -> SeededSheets:
    """Add the submitted sheets of every interview of the season heard before `now` and one
    declared conflict, in the caller's transaction."""
    rubric = load_rulebook().interview_rubric
    low, high = rubric.min_score, rubric.max_score
    criteria = [c.id for c in rubric.criteria]
    offsets = [CRITERION_OFFSETS[i % len(CRITERION_OFFSETS)] for i in range(len(criteria))]
    bookings = repo.season_bookings(session, season_id)
    members = repo.panel_members(session, season_id)
    have, conflicted = repo.season_pairs(session, season_id)
    conflicts = 0
    chosen = _conflict_slot(bookings, members, now)
    if chosen is not None and chosen not in conflicted:
        session.add(
            InterviewConflict(
                assessor_id=chosen[0],
                candidate_id=chosen[1],
                reason=CONFLICT_REASON,
                note=CONFLICT_NOTE,
                declared_at=now,
            )
        )
        conflicted.add(chosen)
        conflicts = 1
    draw = Draw(seed, f"sheets:{season_id}")
    everyone = sorted({user for users in members.values() for user in users})
    severity = {user: draw.normal(0.0, SEVERITY_SD) for user in everyone}
    sheets = 0
    for slot, candidate in bookings:
        if slot.starts_at >= now:
            continue
        ability = _ability(candidate.interview_score, low, high)
        for assessor in members.get(slot.panel_id, []):
            scores = {
                criterion: max(
                    low,
                    min(
                        high,
                        round(ability + offset - severity[assessor] + draw.normal(0.0, NOISE_SD)),
                    ),
                )
                for criterion, offset in zip(criteria, offsets, strict=True)
            }
            pair = (assessor, candidate.id)
            if pair in have or (pair in conflicted and chosen != pair):
                continue
            session.add(
                ScoreSheet(
                    candidate_id=candidate.id,
                    panel_id=slot.panel_id,
                    assessor_id=assessor,
                    scores=scores,
                    submitted_at=slot.ends_at,
                    updated_at=slot.ends_at,
                )
            )
            have.add(pair)
            sheets += 1
    session.flush()
    return SeededSheets(sheets, conflicts)


def _conflict_slot(
    bookings: list[Booking], members: dict[int, list[int]], now: datetime
) -> tuple[int, int] | None:
    """(assessor, candidate) of the demo's declared conflict."""
    staffed = [(slot, c) for slot, c in bookings if members.get(slot.panel_id)]
    upcoming = [(slot, c) for slot, c in staffed if slot.starts_at >= now]
    pick = upcoming[0] if upcoming else (staffed[-1] if staffed else None)
    if pick is None:
        return None
    slot, candidate = pick
    return members[slot.panel_id][0], candidate.id


def _ability(imported: int, low: int, high: int) -> float:
    """The imported interview score (the demo's 40-100) read on the rubric's scale."""
    bottom, top = SCORE_RANGE
    return low + (high - low) * (imported - bottom) / (top - bottom)
