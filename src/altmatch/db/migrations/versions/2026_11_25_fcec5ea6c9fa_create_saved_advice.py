"""Create saved_advice: path-advisor comparisons a candidate reopens by link.

Revision ID: fcec5ea6c9fa
Revises: nothing (first migration)
Create Date: 2026-11-25 19:20:18.851796
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "fcec5ea6c9fa"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "saved_advice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rulebook_year", sa.Integer(), nullable=False),
        sa.Column("locale", sa.String(length=5), nullable=False),
        sa.Column("profile", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_advice")),
    )
    op.create_index(op.f("ix_saved_advice_token"), "saved_advice", ["token"], unique=True)


def downgrade() -> None:
    op.drop_index(op.f("ix_saved_advice_token"), table_name="saved_advice")
    op.drop_table("saved_advice")
