"""Termly satisfaction surveys: school contacts per contract position, rounds and invitations.

- `contract_positions.contact_name`, `contract_positions.contact_email`: whom the company sends
  the school's survey to (nullable: nobody recorded yet);
- `survey_rounds`: a company's round for one school term (unique per company and term), with
  its window and reminder day;
- `survey_invitations`: one per round, side (school or ALT), ALT and school: the e-mail's
  outbox row, the SHA-256 of its link's token (unique), and the answers.

The columns are added and dropped in place (plain nullable columns), never by rebuilding
`contract_positions`: with foreign keys on, dropping the old table would cascade to the roster.

Plain Core on purpose: the models change later, this must not.

Revision ID: m10_surveys
Revises: m11_retention
Create Date: 2026-12-14 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "m10_surveys"
down_revision: str | Sequence[str] | None = "m11_retention"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _stamp() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column("contract_positions", sa.Column("contact_name", sa.String(200), nullable=True))
    op.add_column("contract_positions", sa.Column("contact_email", sa.String(254), nullable=True))
    op.create_table(
        "survey_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("academic_year", sa.Integer(), nullable=False),
        sa.Column("term", sa.Integer(), nullable=False),
        sa.Column("opens_on", sa.Date(), nullable=False),
        sa.Column("closes_on", sa.Date(), nullable=False),
        sa.Column("remind_on", sa.Date(), nullable=False),
        sa.Column("opened_by", sa.Integer(), nullable=True),
        sa.Column("opened_at", _stamp(), nullable=False),
        sa.CheckConstraint("term BETWEEN 1 AND 3", name=op.f("ck_survey_rounds_term")),
        sa.CheckConstraint("opens_on <= closes_on", name=op.f("ck_survey_rounds_window")),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["organisations.id"],
            name=op.f("fk_survey_rounds_company_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["opened_by"],
            ["users.id"],
            name=op.f("fk_survey_rounds_opened_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_rounds")),
        sa.UniqueConstraint("company_id", "academic_year", "term", name="uq_survey_rounds_term"),
    )
    op.create_index(op.f("ix_survey_rounds_company_id"), "survey_rounds", ["company_id"])
    op.create_table(
        "survey_invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("alt_id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("position_id", sa.Integer(), nullable=True),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("recipient_name", sa.String(200), nullable=False),
        sa.Column("locale", sa.String(5), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=True),
        sa.Column("expires_at", _stamp(), nullable=False),
        sa.Column("claimed_at", _stamp(), nullable=True),
        sa.Column("sent_at", _stamp(), nullable=True),
        sa.Column("reminded_at", _stamp(), nullable=True),
        sa.Column("answered_at", _stamp(), nullable=True),
        sa.Column("answers", sa.JSON(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("created_at", _stamp(), nullable=False),
        sa.CheckConstraint("kind IN ('school', 'alt')", name=op.f("ck_survey_invitations_kind")),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["survey_rounds.id"],
            name=op.f("fk_survey_invitations_round_id_survey_rounds"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["organisations.id"],
            name=op.f("fk_survey_invitations_company_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["alt_id"],
            ["roster_alts.id"],
            name=op.f("fk_survey_invitations_alt_id_roster_alts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_survey_invitations_school_id_schools")
        ),
        sa.ForeignKeyConstraint(
            ["position_id"],
            ["contract_positions.id"],
            name=op.f("fk_survey_invitations_position_id_contract_positions"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_invitations")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_survey_invitations_token_hash")),
        sa.UniqueConstraint(
            "round_id", "kind", "alt_id", "school_id", name="uq_survey_invitations"
        ),
    )
    for column in ("round_id", "company_id", "alt_id", "school_id"):
        op.create_index(
            op.f(f"ix_survey_invitations_{column}"), "survey_invitations", [column], unique=False
        )


def downgrade() -> None:
    for column in ("school_id", "alt_id", "company_id", "round_id"):
        op.drop_index(op.f(f"ix_survey_invitations_{column}"), table_name="survey_invitations")
    op.drop_table("survey_invitations")
    op.drop_index(op.f("ix_survey_rounds_company_id"), table_name="survey_rounds")
    op.drop_table("survey_rounds")
    op.drop_column("contract_positions", "contact_email")
    op.drop_column("contract_positions", "contact_name")
