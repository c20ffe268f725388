"""The retention watch: the renewal intentions a dispatch company asks its ALTs for.

- `renewal_asks`: one row per ALT and term of their own contract (`contract_end`): when they
  were asked, the deadline for their answer, when they were reminded, and their answer
  (renewing / undecided / leaving, with an optional reason) with who gave it and when. Unique
  per (ALT, contract end), so the periodic sweep asks once however often it runs; gone with
  the ALT.

Plain Core on purpose: the models change later, this must not.

Revision ID: m11_retention
Revises: m13_shortlist
Create Date: 2026-12-15 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "m11_retention"
down_revision: str | Sequence[str] | None = "m13_shortlist"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ANSWERS = "answer IS NULL OR answer IN ('renewing', 'undecided', 'leaving')"


def upgrade() -> None:
    op.create_table(
        "renewal_asks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("alt_id", sa.Integer(), nullable=False),
        sa.Column("contract_end", sa.Date(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answer", sa.String(length=16), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("answered_by", sa.Integer(), nullable=True),
        sa.CheckConstraint(ANSWERS, name=op.f("ck_renewal_asks_answer")),
        sa.ForeignKeyConstraint(
            ["alt_id"],
            ["roster_alts.id"],
            name=op.f("fk_renewal_asks_alt_id_roster_alts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["answered_by"],
            ["users.id"],
            name=op.f("fk_renewal_asks_answered_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["organisations.id"],
            name=op.f("fk_renewal_asks_company_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_renewal_asks")),
        sa.UniqueConstraint("alt_id", "contract_end", name="uq_renewal_asks_term"),
    )
    op.create_index(op.f("ix_renewal_asks_alt_id"), "renewal_asks", ["alt_id"], unique=False)
    op.create_index(
        op.f("ix_renewal_asks_company_id"), "renewal_asks", ["company_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_renewal_asks_company_id"), table_name="renewal_asks")
    op.drop_index(op.f("ix_renewal_asks_alt_id"), table_name="renewal_asks")
    op.drop_table("renewal_asks")
