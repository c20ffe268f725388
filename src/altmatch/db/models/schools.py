"""Schools run by a Board of Education, with their level and where they stand."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from altmatch.db.base import Base

SCHOOL_LEVELS = ("elementary", "junior_high", "senior_high", "special_needs")
AREAS = ("urban", "rural")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class School(Base):
    """A school of a BoE. `level` and `area` hold `SchoolLevel` and `Area` values; latitude and
    longitude (decimal degrees, WGS 84) are optional, for computing commutes later.
    `external_id` is the BoE's own id for the school, unique within the BoE."""

    __tablename__ = "schools"
    __table_args__ = (
        UniqueConstraint("boe_id", "external_id", name="uq_schools_boe_external"),
        CheckConstraint(_in("level", SCHOOL_LEVELS), name="level"),
        CheckConstraint(_in("area", AREAS), name="area"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    boe_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    external_id: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(200))
    name_ja: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(16))
    area: Mapped[str] = mapped_column(String(8))
    municipality: Mapped[str] = mapped_column(String(200))
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
