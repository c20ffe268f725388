"""The compliance watch: two dated facts per roster ALT and the alerts' acknowledgements.

- `roster_alts.employed_since`: when the ALT's first fixed-term contract with the company began
  (nullable: not recorded);
- `roster_alts.residence_card_expires_on`: when their residence card expires (nullable);
- `compliance_acknowledgements`: who acknowledged which alert (an ALT, a rule, a due date),
  when, with a note; one per alert (unique), gone with the ALT.

The columns are added and dropped in place (ALTER TABLE, which SQLite does for plain nullable
columns since 3.35), never by rebuilding `roster_alts`: with foreign keys on, dropping the old
table in a rebuild would cascade to the ALTs' assignments and transfer requests.

Plain Core on purpose: the models change later, this must not.

Revision ID: m8_compliance
Revises: m7_transfers
Create Date: 2026-12-12 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "m8_compliance"
down_revision: str | Sequence[str] | None = "m7_transfers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RULES = (
    "rule IN ('dispatch_three_year_unit', 'indefinite_conversion', 'residence_card_expiry', "
    "'outsourcing_direction')"
)


def upgrade() -> None:
    op.add_column("roster_alts", sa.Column("employed_since", sa.Date(), nullable=True))
    op.add_column("roster_alts", sa.Column("residence_card_expires_on", sa.Date(), nullable=True))
    op.create_table(
        "compliance_acknowledgements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("alt_id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=32), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("acknowledged_by", sa.Integer(), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.CheckConstraint(RULES, name=op.f("ck_compliance_acknowledgements_rule")),
        sa.ForeignKeyConstraint(
            ["acknowledged_by"],
            ["users.id"],
            name=op.f("fk_compliance_acknowledgements_acknowledged_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["alt_id"],
            ["roster_alts.id"],
            name=op.f("fk_compliance_acknowledgements_alt_id_roster_alts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["organisations.id"],
            name=op.f("fk_compliance_acknowledgements_company_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_compliance_acknowledgements")),
        sa.UniqueConstraint(
            "alt_id", "rule", "due_on", name="uq_compliance_acknowledgements_alert"
        ),
    )
    op.create_index(
        op.f("ix_compliance_acknowledgements_alt_id"),
        "compliance_acknowledgements",
        ["alt_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_compliance_acknowledgements_company_id"),
        "compliance_acknowledgements",
        ["company_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_compliance_acknowledgements_company_id"), table_name="compliance_acknowledgements"
    )
    op.drop_index(
        op.f("ix_compliance_acknowledgements_alt_id"), table_name="compliance_acknowledgements"
    )
    op.drop_table("compliance_acknowledgements")
    op.drop_column("roster_alts", "residence_card_expires_on")
    op.drop_column("roster_alts", "employed_since")
