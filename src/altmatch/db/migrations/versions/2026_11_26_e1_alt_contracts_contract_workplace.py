"""Add the workplace BoE to employment contracts, so an employed ALT sees where they work.

Revision ID: e1_alt_contracts
Revises: d1_schools
Create Date: 2026-11-26 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e1_alt_contracts"
down_revision: str | Sequence[str] | None = "d1_schools"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("employment_contracts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("workplace_boe_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_employment_contracts_workplace_boe_id"),
            ["workplace_boe_id"],
            unique=False,
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_employment_contracts_workplace_boe_id_organisations"),
            "organisations",
            ["workplace_boe_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("employment_contracts", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_employment_contracts_workplace_boe_id_organisations"),
            type_="foreignkey",
        )
        batch_op.drop_index(batch_op.f("ix_employment_contracts_workplace_boe_id"))
        batch_op.drop_column("workplace_boe_id")
