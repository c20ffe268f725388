"""Calibrated interview scores of a season (issue 19): each upload and what it found.

- `interview_calibrations`: one per upload of a season's rubric scores: the model, the file's
  name and SHA-256, the rubric's scale, counts, reliability, ICC, residual SD, the design's
  groups, suggested swaps and warnings (message templates), who and when. A season's newest is
  its current calibration; the older ones are its history. Gone with the season.
- `calibrated_candidates`: per application a calibration scored: raw mean, calibrated score,
  its SE, assessors, group, the 0-100 score the match reads, and both ranks. Gone with the
  calibration or the application.
- `assessor_severities`: per assessor: severity, SE, candidates scored, group.

New tables only, so nothing is rebuilt and the downgrade drops them.

Plain Core on purpose: the models change later, this must not.

Revision ID: m9_interview_calibration
Revises: m8_compliance
Create Date: 2026-12-13 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "m9_interview_calibration"
down_revision: str | Sequence[str] | None = "m8_compliance"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "interview_calibrations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("season_id", sa.Integer(), nullable=False),
        sa.Column("model", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("low", sa.Integer(), nullable=False),
        sa.Column("high", sa.Integer(), nullable=False),
        sa.Column("scores", sa.Integer(), nullable=False),
        sa.Column("candidates", sa.Integer(), nullable=False),
        sa.Column("assessors", sa.Integer(), nullable=False),
        sa.Column("criteria", sa.Integer(), nullable=False),
        sa.Column("panels", sa.Integer(), nullable=False),
        sa.Column("reliability", sa.Double(), nullable=True),
        sa.Column("icc", sa.Double(), nullable=True),
        sa.Column("residual_sd", sa.Double(), nullable=True),
        sa.Column("connected", sa.Boolean(), nullable=False),
        sa.Column("components", sa.JSON(), nullable=False),
        sa.Column("swaps", sa.JSON(), nullable=False),
        sa.Column("warnings", sa.JSON(), nullable=False),
        sa.Column("offsets", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
            name=op.f("fk_interview_calibrations_created_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["season_id"],
            ["seasons.id"],
            name=op.f("fk_interview_calibrations_season_id_seasons"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interview_calibrations")),
    )
    op.create_index(
        "ix_interview_calibrations_season",
        "interview_calibrations",
        ["season_id", "id"],
        unique=False,
    )
    op.create_table(
        "assessor_severities",
        sa.Column("calibration_id", sa.Integer(), nullable=False),
        sa.Column("assessor_id", sa.String(length=100), nullable=False),
        sa.Column("severity", sa.Double(), nullable=False),
        sa.Column("se", sa.Double(), nullable=True),
        sa.Column("candidates", sa.Integer(), nullable=False),
        sa.Column("component", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["calibration_id"],
            ["interview_calibrations.id"],
            name=op.f("fk_assessor_severities_calibration_id_interview_calibrations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "calibration_id", "assessor_id", name=op.f("pk_assessor_severities")
        ),
    )
    op.create_table(
        "calibrated_candidates",
        sa.Column("calibration_id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("raw_mean", sa.Double(), nullable=False),
        sa.Column("score", sa.Double(), nullable=False),
        sa.Column("se", sa.Double(), nullable=True),
        sa.Column("assessors", sa.Integer(), nullable=False),
        sa.Column("component", sa.Integer(), nullable=False),
        sa.Column("match_score", sa.Integer(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("raw_rank", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["calibration_id"],
            ["interview_calibrations.id"],
            name=op.f("fk_calibrated_candidates_calibration_id_interview_calibrations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["season_candidates.id"],
            name=op.f("fk_calibrated_candidates_candidate_id_season_candidates"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "calibration_id", "candidate_id", name=op.f("pk_calibrated_candidates")
        ),
    )
    op.create_index(
        op.f("ix_calibrated_candidates_candidate_id"),
        "calibrated_candidates",
        ["candidate_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_calibrated_candidates_candidate_id"), table_name="calibrated_candidates")
    op.drop_table("calibrated_candidates")
    op.drop_table("assessor_severities")
    op.drop_index("ix_interview_calibrations_season", table_name="interview_calibrations")
    op.drop_table("interview_calibrations")
