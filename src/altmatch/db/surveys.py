"""Queries of the termly satisfaction surveys (rounds, invitations, answers)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from altmatch.db.models import SurveyInvitation, SurveyRound


def rounds_of_company(session: Session, company_id: int) -> list[SurveyRound]:
    """The company's rounds, latest term first."""
    query = select(SurveyRound).where(SurveyRound.company_id == company_id)
    return list(
        session.scalars(query.order_by(SurveyRound.academic_year.desc(), SurveyRound.term.desc()))
    )


def round_of_term(
    session: Session, company_id: int, academic_year: int, term: int
) -> SurveyRound | None:
    query = select(SurveyRound).where(
        SurveyRound.company_id == company_id,
        SurveyRound.academic_year == academic_year,
        SurveyRound.term == term,
    )
    return session.scalars(query).one_or_none()


def invitations_of_rounds(session: Session, round_ids: Collection[int]) -> list[SurveyInvitation]:
    """The rounds' invitations, by id."""
    if not round_ids:
        return []
    query = select(SurveyInvitation).where(SurveyInvitation.round_id.in_(list(round_ids)))
    return list(session.scalars(query.order_by(SurveyInvitation.id)))


def answered_invitations(
    session: Session, company_id: int, opened_by: date, answered_before: datetime
) -> list[tuple[SurveyInvitation, SurveyRound]]:
    """The company's invitations answered before `answered_before`, of rounds open by
    `opened_by`, latest term first."""
    query = (
        select(SurveyInvitation, SurveyRound)
        .join(SurveyRound, SurveyInvitation.round_id == SurveyRound.id)
        .where(
            SurveyInvitation.company_id == company_id,
            SurveyInvitation.answered_at.is_not(None),
            SurveyInvitation.answered_at < answered_before,
            SurveyRound.opens_on <= opened_by,
        )
        .order_by(SurveyRound.academic_year.desc(), SurveyRound.term.desc(), SurveyInvitation.id)
    )
    return [(row[0], row[1]) for row in session.execute(query)]


def invitation_by_hash(session: Session, token_hash: str) -> SurveyInvitation | None:
    query = select(SurveyInvitation).where(SurveyInvitation.token_hash == token_hash)
    return session.scalars(query).one_or_none()


def record_answers(
    session: Session,
    invitation_id: int,
    token_hash: str,
    *,
    answers: dict[str, int],
    comment: str,
    at: datetime,
) -> bool:
    """Store the answers if the invitation is still unanswered, unexpired and its token is
    this one (one conditional update: two submissions never both count)."""
    result = session.execute(
        update(SurveyInvitation)
        .where(
            SurveyInvitation.id == invitation_id,
            SurveyInvitation.token_hash == token_hash,
            SurveyInvitation.answered_at.is_(None),
            SurveyInvitation.expires_at > at,
        )
        .values(answers=answers, comment=comment, answered_at=at)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def mail_due(
    session: Session, *, now: datetime, today: date, stale_before: datetime, limit: int
) -> list[int]:
    """Invitations whose e-mail is due: never sent, or sent, unanswered and past the round's
    reminder day without a reminder; unexpired and not claimed by another run lately."""
    query = (
        select(SurveyInvitation.id)
        .join(SurveyRound, SurveyInvitation.round_id == SurveyRound.id)
        .where(
            SurveyInvitation.answered_at.is_(None),
            SurveyInvitation.expires_at > now,
            SurveyRound.opens_on <= today,
            or_(
                SurveyInvitation.sent_at.is_(None),
                (SurveyInvitation.reminded_at.is_(None)) & (SurveyRound.remind_on <= today),
            ),
            or_(SurveyInvitation.claimed_at.is_(None), SurveyInvitation.claimed_at < stale_before),
        )
        .order_by(SurveyInvitation.id)
        .limit(limit)
    )
    return list(session.scalars(query))


def claim_for_mail(
    session: Session, invitation_id: int, *, at: datetime, stale_before: datetime
) -> bool:
    """Take the invitation for sending (one conditional update: two runs never both do)."""
    result = session.execute(
        update(SurveyInvitation)
        .where(
            SurveyInvitation.id == invitation_id,
            SurveyInvitation.answered_at.is_(None),
            or_(SurveyInvitation.claimed_at.is_(None), SurveyInvitation.claimed_at < stale_before),
        )
        .values(claimed_at=at)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def mark_mailed(session: Session, invitation_id: int, *, at: datetime, token_hash: str) -> None:
    """The claimed e-mail went out: its link's token is now the live one (the earlier link
    stops working), and the first e-mail stamps `sent_at`, a later one `reminded_at`."""
    row = session.get(SurveyInvitation, invitation_id)
    if row is None:
        return
    row.token_hash = token_hash
    if row.sent_at is None:
        row.sent_at = at
    else:
        row.reminded_at = at
    row.claimed_at = None


def release_claim(session: Session, invitation_id: int) -> None:
    """A send failed: let the next run take it (the link sent before, if any, still works)."""
    session.execute(
        update(SurveyInvitation)
        .where(SurveyInvitation.id == invitation_id)
        .values(claimed_at=None)
        .execution_options(synchronize_session=False)
    )


def waiting_for_alt(
    session: Session, alt_id: int, now: datetime
) -> list[tuple[SurveyInvitation, SurveyRound]]:
    """The roster ALT's own surveys of their schools that were e-mailed and await an answer."""
    query = (
        select(SurveyInvitation, SurveyRound)
        .join(SurveyRound, SurveyInvitation.round_id == SurveyRound.id)
        .where(
            SurveyInvitation.alt_id == alt_id,
            SurveyInvitation.kind == "alt",
            SurveyInvitation.sent_at.is_not(None),
            SurveyInvitation.answered_at.is_(None),
            SurveyInvitation.expires_at > now,
        )
        .order_by(SurveyRound.closes_on, SurveyInvitation.id)
    )
    return [(row[0], row[1]) for row in session.execute(query)]
