"""Records kept after their person deleted their account, and until when.

Deleting an account erases or pseudonymises the person's data everywhere; what the law or the
published match needs is kept, pseudonymised, and each such row is listed here with the day its
retention period ends (the rulebook's personal_data.retention). The privacy purge erases the
rows whose day has come.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from altmatch.clock import utc_now
from altmatch.db.base import Base

# The tables a kept record can live in, and the rulebook's kinds of kept record.
RETAINED_ENTITIES = ("employment_contract", "roster_alt", "posting_application", "support_case")
RETAINED_KINDS = ("employment_record", "support_case")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class RetainedRecord(Base):
    """One kept row (`entity` and its id), the rulebook rule that keeps it (`kind`), and the
    last day it is kept (`keep_until`, a date in Japan). No foreign key: the row it names may
    have gone another way (an upgrade's re-publication redoes contracts), and the purge then
    simply finds nothing to erase."""

    __tablename__ = "retained_records"
    __table_args__ = (
        UniqueConstraint("entity", "entity_id", name="uq_retained_records_entity"),
        CheckConstraint(_in("entity", RETAINED_ENTITIES), name="entity"),
        CheckConstraint(_in("kind", RETAINED_KINDS), name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int]
    kind: Mapped[str] = mapped_column(String(32))
    erased_at: Mapped[datetime] = mapped_column(default=utc_now)
    keep_until: Mapped[date] = mapped_column(index=True)
