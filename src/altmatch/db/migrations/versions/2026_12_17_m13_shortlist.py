"""Interview decisions of a season (issue 19): shortlist and alternates from calibrated scores.

- `interview_decisions`: one per application the interview round decided: shortlisted,
  alternate (with its position) or not selected; the calibrated score, raw mean and SE it was
  decided on, the cuts, the number of places and alternates, the lottery's seed, the reason
  codes, who and when, and the calibration it was read from. Deciding again replaces a season's
  decisions. Gone with the season, the application or the calibration.

A new table only, so nothing is rebuilt and the downgrade drops it.

Plain Core on purpose: the models change later, this must not.

Revision ID: m13_shortlist
Revises: m9_interview_calibration
Create Date: 2026-12-17 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "m13_shortlist"
down_revision: str | Sequence[str] | None = "m9_interview_calibration"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "interview_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("season_id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("calibration_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("alternate_position", sa.Integer(), nullable=True),
        sa.Column("raw_mean", sa.Double(), nullable=False),
        sa.Column("score", sa.Double(), nullable=False),
        sa.Column("se", sa.Double(), nullable=True),
        sa.Column("cut", sa.Double(), nullable=True),
        sa.Column("alternate_cut", sa.Double(), nullable=True),
        sa.Column("places", sa.Integer(), nullable=False),
        sa.Column("alternates", sa.Integer(), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "decision IN ('shortlisted', 'alternate', 'not_selected')",
            name=op.f("ck_interview_decisions_decision"),
        ),
        sa.ForeignKeyConstraint(
            ["season_id"],
            ["seasons.id"],
            name=op.f("fk_interview_decisions_season_id_seasons"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["season_candidates.id"],
            name=op.f("fk_interview_decisions_candidate_id_season_candidates"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["calibration_id"],
            ["interview_calibrations.id"],
            name=op.f("fk_interview_decisions_calibration_id_interview_calibrations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"],
            ["users.id"],
            name=op.f("fk_interview_decisions_decided_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interview_decisions")),
        sa.UniqueConstraint("candidate_id", name=op.f("uq_interview_decisions_candidate_id")),
    )
    op.create_index(
        op.f("ix_interview_decisions_season_id"),
        "interview_decisions",
        ["season_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_interview_decisions_season_id"), table_name="interview_decisions")
    op.drop_table("interview_decisions")
