"""Repository for the interview round's decisions; callers own the transaction and commit."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from altmatch.db.models import (
    CalibratedCandidate,
    InterviewDecision,
    SeasonCandidate,
    User,
)


def calibrated_applications(
    session: Session, season_id: int, calibration_id: int, stages: Collection[str]
) -> list[tuple[SeasonCandidate, CalibratedCandidate]]:
    """The season's applications at one of `stages` that the calibration scored, by row id
    (the order the lottery numbers them in)."""
    s, c = SeasonCandidate, CalibratedCandidate
    query = (
        select(s, c)
        .join(c, (c.candidate_id == s.id) & (c.calibration_id == calibration_id))
        .where(s.season_id == season_id, s.stage.in_(list(stages)))
        .order_by(s.id)
    )
    return [(row, score) for row, score in session.execute(query)]


def uncalibrated_ids(
    session: Session, season_id: int, calibration_id: int | None, stages: Collection[str]
) -> list[str]:
    """External ids of the season's applications at one of `stages` with no score in the
    calibration (all of them when there is none)."""
    s = SeasonCandidate
    query = select(s.external_id).where(s.season_id == season_id, s.stage.in_(list(stages)))
    if calibration_id is not None:
        scored = select(CalibratedCandidate.candidate_id).where(
            CalibratedCandidate.calibration_id == calibration_id
        )
        query = query.where(s.id.not_in(scored))
    return list(session.scalars(query.order_by(s.external_id)))


def replace_decisions(session: Session, season_id: int, rows: Sequence[Mapping[str, Any]]) -> None:
    """Replace the season's decisions with `rows` (plain dicts of the columns but `id`)."""
    session.execute(delete(InterviewDecision).where(InterviewDecision.season_id == season_id))
    if rows:
        session.execute(insert(InterviewDecision), [dict(r) for r in rows])


def latest_decision(
    session: Session, season_id: int
) -> tuple[InterviewDecision, str | None, dict[str, int]] | None:
    """One of the season's decisions (they share their round's figures), who decided (display
    name), and how many of each decision; None when the round has not decided."""
    d = InterviewDecision
    first = session.execute(
        select(d, User.display_name)
        .outerjoin(User, User.id == d.decided_by)
        .where(d.season_id == season_id)
        .order_by(d.decided_at.desc(), d.id)
        .limit(1)
    ).first()
    if first is None:
        return None
    counts = session.execute(
        select(d.decision, func.count()).where(d.season_id == season_id).group_by(d.decision)
    )
    return first[0], first[1], {decision: int(n) for decision, n in counts}


def decision_of(session: Session, candidate_id: int) -> InterviewDecision | None:
    """The application's interview decision, if the round has decided."""
    query = select(InterviewDecision).where(InterviewDecision.candidate_id == candidate_id)
    return session.scalars(query).first()


def delete_decisions(session: Session, candidate_ids: Collection[int]) -> None:
    """Delete these applications' decisions (an erased person's)."""
    if candidate_ids:
        session.execute(
            delete(InterviewDecision).where(InterviewDecision.candidate_id.in_(list(candidate_ids)))
        )


def decisions_by_candidate(
    session: Session, season_id: int
) -> dict[int, tuple[str, int | None, list[str]]]:
    """(decision, alternate position, reason codes) of each application the round decided,
    by application row id; empty when it has not decided."""
    d = InterviewDecision
    query = select(d.candidate_id, d.decision, d.alternate_position, d.reasons).where(
        d.season_id == season_id
    )
    return {
        c: (decision, alt, list(reasons)) for c, decision, alt, reasons in session.execute(query)
    }


def undecided_count(session: Session, season_id: int) -> int:
    """Applications still in the season (not withdrawn) that the round's decision did not
    cover: added, or moved into the season's review, since it decided."""
    s = SeasonCandidate
    decided = select(InterviewDecision.candidate_id).where(InterviewDecision.season_id == season_id)
    query = select(func.count()).where(
        s.season_id == season_id, s.stage != "withdrawn", s.id.not_in(decided)
    )
    return int(session.scalar(query) or 0)
