"""Repository for saved path-advisor comparisons; callers own the transaction."""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from altmatch.db.models import SavedAdvice

# 24 random bytes encode to exactly 32 URL-safe characters: the column width, and far too
# many possibilities to guess someone else's link.
_TOKEN_BYTES = 24


def add_saved_advice(
    session: Session, *, profile: dict[str, object], rulebook_year: int, locale: str
) -> SavedAdvice:
    """Add a saved comparison under a fresh unguessable token.

    Flushes so `id` and `created_at` are filled in, but never commits: the caller owns the
    transaction.
    """
    advice = SavedAdvice(
        token=secrets.token_urlsafe(_TOKEN_BYTES),
        profile=profile,
        rulebook_year=rulebook_year,
        locale=locale,
    )
    session.add(advice)
    session.flush()
    return advice


def get_saved_advice(session: Session, token: str) -> SavedAdvice | None:
    """The saved comparison behind a link token, or None if there is none."""
    return session.scalars(select(SavedAdvice).where(SavedAdvice.token == token)).one_or_none()
