"""Saved path-advisor comparisons."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from altmatch.clock import utc_now
from altmatch.db.base import Base


class SavedAdvice(Base):
    """A candidate's saved path-advisor comparison, reopened later by its link token.

    The submitted profile is kept as given, together with the rulebook edition and locale it
    was computed for, so reopening re-runs the same advice rather than today's defaults.
    """

    __tablename__ = "saved_advice"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(32), unique=True, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    rulebook_year: Mapped[int]
    locale: Mapped[str] = mapped_column(String(5))
    profile: Mapped[dict[str, object]] = mapped_column(JSON)

    def __repr__(self) -> str:
        return f"SavedAdvice(id={self.id!r}, token={self.token!r}, locale={self.locale!r})"
