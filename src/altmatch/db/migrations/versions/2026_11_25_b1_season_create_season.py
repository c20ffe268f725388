"""Create the placement season: seasons, candidates, requests, couples, runs, contracts.

Revision ID: b1_season
Revises: a1_accounts
Create Date: 2026-11-25 20:24:27.330131
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b1_season"
down_revision: str | Sequence[str] | None = "a1_accounts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "seasons",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("request_deadline", sa.DateTime(timezone=True), nullable=False),
        sa.Column("contract_start", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("status IN ('open', 'published')", name=op.f("ck_seasons_status")),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["organisations.id"],
            name=op.f("fk_seasons_programme_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seasons")),
    )
    op.create_index(op.f("ix_seasons_programme_id"), "seasons", ["programme_id"], unique=False)
    op.create_table(
        "match_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("season_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("parent_run_id", sa.Integer(), nullable=True),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.Column("engine_version", sa.String(length=32), nullable=False),
        sa.Column("inputs_snapshot", sa.JSON(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("alternates", sa.JSON(), nullable=False),
        sa.Column("chances", sa.JSON(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_by", sa.Integer(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("kind IN ('match', 'upgrade')", name=op.f("ck_match_runs_kind")),
        sa.CheckConstraint("status IN ('draft', 'published')", name=op.f("ck_match_runs_status")),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
            name=op.f("fk_match_runs_created_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["parent_run_id"],
            ["match_runs.id"],
            name=op.f("fk_match_runs_parent_run_id_match_runs"),
        ),
        sa.ForeignKeyConstraint(
            ["published_by"],
            ["users.id"],
            name=op.f("fk_match_runs_published_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["season_id"],
            ["seasons.id"],
            name=op.f("fk_match_runs_season_id_seasons"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_runs")),
    )
    op.create_index(op.f("ix_match_runs_season_id"), "match_runs", ["season_id"], unique=False)
    op.create_table(
        "season_candidates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("season_id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("jlpt", sa.String(length=4), nullable=False),
        sa.Column("teaching_years", sa.Integer(), nullable=False),
        sa.Column("driving_licence", sa.Boolean(), nullable=False),
        sa.Column("school_experience", sa.JSON(), nullable=False),
        sa.Column("interview_score", sa.Integer(), nullable=False),
        sa.Column("preferred_prefectures", sa.JSON(), nullable=False),
        sa.Column("preferred_area", sa.String(length=16), nullable=True),
        sa.Column("preferred_school_levels", sa.JSON(), nullable=False),
        sa.Column("accepts_anywhere", sa.Boolean(), nullable=False),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "stage IN ('submitted', 'screened', 'interviewed', 'shortlisted', 'alternate', "
            "'not_selected', 'placed', 'contracted', 'withdrawn')",
            name=op.f("ck_season_candidates_stage"),
        ),
        sa.ForeignKeyConstraint(
            ["season_id"],
            ["seasons.id"],
            name=op.f("fk_season_candidates_season_id_seasons"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_season_candidates_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_season_candidates")),
        sa.UniqueConstraint("season_id", "external_id", name="uq_season_candidates_external"),
        sa.UniqueConstraint("season_id", "user_id", name="uq_season_candidates_user"),
    )
    op.create_index(
        op.f("ix_season_candidates_season_id"), "season_candidates", ["season_id"], unique=False
    )
    op.create_index(
        op.f("ix_season_candidates_user_id"), "season_candidates", ["user_id"], unique=False
    )
    op.create_table(
        "season_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("season_id", sa.Integer(), nullable=False),
        sa.Column("boe_id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("prefecture", sa.String(length=64), nullable=False),
        sa.Column("school_levels", sa.JSON(), nullable=False),
        sa.Column("area", sa.String(length=16), nullable=True),
        sa.Column("requires_driving_licence", sa.Boolean(), nullable=False),
        sa.Column("min_jlpt", sa.String(length=4), nullable=False),
        sa.Column("min_teaching_years", sa.Integer(), nullable=False),
        sa.Column("weight_jlpt", sa.Integer(), nullable=False),
        sa.Column("weight_teaching_years", sa.Integer(), nullable=False),
        sa.Column("weight_school_levels", sa.Integer(), nullable=False),
        sa.Column("weight_driving_licence", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["boe_id"], ["organisations.id"], name=op.f("fk_season_requests_boe_id_organisations")
        ),
        sa.ForeignKeyConstraint(
            ["season_id"],
            ["seasons.id"],
            name=op.f("fk_season_requests_season_id_seasons"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by"],
            ["users.id"],
            name=op.f("fk_season_requests_updated_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_season_requests")),
        sa.UniqueConstraint("season_id", "external_id", name="uq_season_requests_external"),
    )
    op.create_index(op.f("ix_season_requests_boe_id"), "season_requests", ["boe_id"], unique=False)
    op.create_index(
        op.f("ix_season_requests_season_id"), "season_requests", ["season_id"], unique=False
    )
    op.create_table(
        "application_stage_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by_user_id", sa.Integer(), nullable=True),
        sa.Column("from_stage", sa.String(length=16), nullable=True),
        sa.Column("to_stage", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["by_user_id"],
            ["users.id"],
            name=op.f("fk_application_stage_changes_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["season_candidates.id"],
            name=op.f("fk_application_stage_changes_candidate_id_season_candidates"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application_stage_changes")),
    )
    op.create_index(
        op.f("ix_application_stage_changes_candidate_id"),
        "application_stage_changes",
        ["candidate_id"],
        unique=False,
    )
    op.create_table(
        "employment_contracts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("employer_id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("path", sa.String(length=16), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.Column("recontract_year", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "path IN ('jet', 'dispatch', 'direct_hire')", name=op.f("ck_employment_contracts_path")
        ),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["season_candidates.id"],
            name=op.f("fk_employment_contracts_candidate_id_season_candidates"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["employer_id"],
            ["organisations.id"],
            name=op.f("fk_employment_contracts_employer_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["match_runs.id"], name=op.f("fk_employment_contracts_run_id_match_runs")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_employment_contracts_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_employment_contracts")),
    )
    op.create_index(
        op.f("ix_employment_contracts_candidate_id"),
        "employment_contracts",
        ["candidate_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_employment_contracts_employer_id"),
        "employment_contracts",
        ["employer_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_employment_contracts_user_id"), "employment_contracts", ["user_id"], unique=False
    )
    op.create_table(
        "run_placements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("candidate_rank", sa.Integer(), nullable=True),
        sa.Column("explanation", sa.JSON(), nullable=False),
        sa.Column("alternate_request_id", sa.Integer(), nullable=True),
        sa.Column("alternate_position", sa.Integer(), nullable=True),
        sa.Column("chance", sa.Double(), nullable=True),
        sa.Column("chance_low", sa.Double(), nullable=True),
        sa.Column("chance_high", sa.Double(), nullable=True),
        sa.ForeignKeyConstraint(
            ["alternate_request_id"],
            ["season_requests.id"],
            name=op.f("fk_run_placements_alternate_request_id_season_requests"),
        ),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["season_candidates.id"],
            name=op.f("fk_run_placements_candidate_id_season_candidates"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["season_requests.id"],
            name=op.f("fk_run_placements_request_id_season_requests"),
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["match_runs.id"],
            name=op.f("fk_run_placements_run_id_match_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_run_placements")),
        sa.UniqueConstraint("run_id", "candidate_id", name="uq_run_placements_run"),
    )
    op.create_index(
        op.f("ix_run_placements_candidate_id"), "run_placements", ["candidate_id"], unique=False
    )
    op.create_index(
        op.f("ix_run_placements_request_id"), "run_placements", ["request_id"], unique=False
    )
    op.create_index(op.f("ix_run_placements_run_id"), "run_placements", ["run_id"], unique=False)
    op.create_table(
        "season_couples",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("season_id", sa.Integer(), nullable=False),
        sa.Column("candidate_a_id", sa.Integer(), nullable=False),
        sa.Column("candidate_b_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["candidate_a_id"],
            ["season_candidates.id"],
            name=op.f("fk_season_couples_candidate_a_id_season_candidates"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["candidate_b_id"],
            ["season_candidates.id"],
            name=op.f("fk_season_couples_candidate_b_id_season_candidates"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["season_id"],
            ["seasons.id"],
            name=op.f("fk_season_couples_season_id_seasons"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_season_couples")),
        sa.UniqueConstraint("candidate_a_id", name=op.f("uq_season_couples_candidate_a_id")),
        sa.UniqueConstraint("candidate_b_id", name=op.f("uq_season_couples_candidate_b_id")),
    )
    op.create_index(
        op.f("ix_season_couples_season_id"), "season_couples", ["season_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_season_couples_season_id"), table_name="season_couples")
    op.drop_table("season_couples")
    op.drop_index(op.f("ix_run_placements_run_id"), table_name="run_placements")
    op.drop_index(op.f("ix_run_placements_request_id"), table_name="run_placements")
    op.drop_index(op.f("ix_run_placements_candidate_id"), table_name="run_placements")
    op.drop_table("run_placements")
    op.drop_index(op.f("ix_employment_contracts_user_id"), table_name="employment_contracts")
    op.drop_index(op.f("ix_employment_contracts_employer_id"), table_name="employment_contracts")
    op.drop_index(op.f("ix_employment_contracts_candidate_id"), table_name="employment_contracts")
    op.drop_table("employment_contracts")
    op.drop_index(
        op.f("ix_application_stage_changes_candidate_id"), table_name="application_stage_changes"
    )
    op.drop_table("application_stage_changes")
    op.drop_index(op.f("ix_season_requests_season_id"), table_name="season_requests")
    op.drop_index(op.f("ix_season_requests_boe_id"), table_name="season_requests")
    op.drop_table("season_requests")
    op.drop_index(op.f("ix_season_candidates_user_id"), table_name="season_candidates")
    op.drop_index(op.f("ix_season_candidates_season_id"), table_name="season_candidates")
    op.drop_table("season_candidates")
    op.drop_index(op.f("ix_match_runs_season_id"), table_name="match_runs")
    op.drop_table("match_runs")
    op.drop_index(op.f("ix_seasons_programme_id"), table_name="seasons")
    op.drop_table("seasons")
