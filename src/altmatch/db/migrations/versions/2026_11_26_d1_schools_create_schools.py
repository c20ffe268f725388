"""Create the schools table: each BoE's schools with level, area and position.

Revision ID: d1_schools
Revises: c1_jobs
Create Date: 2026-11-26 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d1_schools"
down_revision: str | Sequence[str] | None = "c1_jobs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "schools",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("boe_id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("name_ja", sa.String(length=200), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("area", sa.String(length=8), nullable=False),
        sa.Column("municipality", sa.String(length=200), nullable=False),
        sa.Column("latitude", sa.Double(), nullable=True),
        sa.Column("longitude", sa.Double(), nullable=True),
        sa.CheckConstraint("area IN ('urban', 'rural')", name=op.f("ck_schools_area")),
        sa.CheckConstraint(
            "level IN ('elementary', 'junior_high', 'senior_high', 'special_needs')",
            name=op.f("ck_schools_level"),
        ),
        sa.ForeignKeyConstraint(
            ["boe_id"], ["organisations.id"], name=op.f("fk_schools_boe_id_organisations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schools")),
        sa.UniqueConstraint("boe_id", "external_id", name="uq_schools_boe_external"),
    )
    op.create_index(op.f("ix_schools_boe_id"), "schools", ["boe_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_schools_boe_id"), table_name="schools")
    op.drop_table("schools")
