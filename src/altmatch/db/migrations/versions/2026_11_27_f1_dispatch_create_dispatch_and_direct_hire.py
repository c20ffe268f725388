"""Create the dispatch tables (contracts, positions, tenders, roster, assignments, transfers)
and the direct-hire tables (postings, applications, stage changes).

Revision ID: f1_dispatch
Revises: e1_alt_contracts
Create Date: 2026-11-27 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "f1_dispatch"
down_revision: str | Sequence[str] | None = "e1_alt_contracts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "dispatch_contracts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("boe_id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=64), nullable=False),
        sa.Column("contract_type", sa.String(length=16), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.Column("renewal_date", sa.Date(), nullable=True),
        sa.Column("price_per_alt_month", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "contract_type IN ('worker_dispatch', 'outsourcing')",
            name=op.f("ck_dispatch_contracts_contract_type"),
        ),
        sa.CheckConstraint("price_per_alt_month >= 0", name=op.f("ck_dispatch_contracts_price")),
        sa.CheckConstraint('start <= "end"', name=op.f("ck_dispatch_contracts_term")),
        sa.ForeignKeyConstraint(
            ["boe_id"],
            ["organisations.id"],
            name=op.f("fk_dispatch_contracts_boe_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["organisations.id"],
            name=op.f("fk_dispatch_contracts_company_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dispatch_contracts")),
        sa.UniqueConstraint("company_id", "reference", name="uq_dispatch_contracts_reference"),
    )
    with op.batch_alter_table("dispatch_contracts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dispatch_contracts_boe_id"), ["boe_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_dispatch_contracts_company_id"), ["company_id"], unique=False
        )

    op.create_table(
        "contract_positions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("days_per_week", sa.Integer(), nullable=False),
        sa.Column("requires_driving_licence", sa.Boolean(), nullable=False),
        sa.Column("min_jlpt", sa.String(length=4), nullable=False),
        sa.CheckConstraint(
            "min_jlpt IN ('none', 'N5', 'N4', 'N3', 'N2', 'N1')",
            name=op.f("ck_contract_positions_min_jlpt"),
        ),
        sa.CheckConstraint(
            "days_per_week BETWEEN 1 AND 5", name=op.f("ck_contract_positions_days_per_week")
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["dispatch_contracts.id"],
            name=op.f("fk_contract_positions_contract_id_dispatch_contracts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_contract_positions_school_id_schools")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_positions")),
        sa.UniqueConstraint("contract_id", "external_id", name="uq_contract_positions_external"),
    )
    with op.batch_alter_table("contract_positions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contract_positions_contract_id"), ["contract_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_contract_positions_school_id"), ["school_id"], unique=False
        )

    op.create_table(
        "postings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("boe_id", sa.Integer(), nullable=False),
        sa.Column("title_en", sa.String(length=200), nullable=False),
        sa.Column("title_ja", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("school_levels", sa.JSON(), nullable=False),
        sa.Column("openings", sa.Integer(), nullable=False),
        sa.Column("min_alt_years", sa.Integer(), nullable=False),
        sa.Column("min_jlpt", sa.String(length=4), nullable=False),
        sa.Column("requires_residence_in_japan", sa.Boolean(), nullable=False),
        sa.Column("allowed_statuses", sa.JSON(), nullable=False),
        sa.Column("requires_driving_licence", sa.Boolean(), nullable=False),
        sa.Column("monthly_pay", sa.Integer(), nullable=False),
        sa.Column("benefits", sa.JSON(), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("closes_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "min_jlpt IN ('none', 'N5', 'N4', 'N3', 'N2', 'N1')", name=op.f("ck_postings_min_jlpt")
        ),
        sa.CheckConstraint("status IN ('open', 'closed')", name=op.f("ck_postings_status")),
        sa.CheckConstraint("openings >= 1", name=op.f("ck_postings_openings")),
        sa.ForeignKeyConstraint(
            ["boe_id"], ["organisations.id"], name=op.f("fk_postings_boe_id_organisations")
        ),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
            name=op.f("fk_postings_created_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_postings")),
    )
    with op.batch_alter_table("postings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_postings_boe_id"), ["boe_id"], unique=False)

    op.create_table(
        "roster_alts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("home_prefecture", sa.String(length=64), nullable=False),
        sa.Column("home_municipality", sa.String(length=200), nullable=False),
        sa.Column("home_latitude", sa.Double(), nullable=False),
        sa.Column("home_longitude", sa.Double(), nullable=False),
        sa.Column("school_experience", sa.JSON(), nullable=False),
        sa.Column("driving_licence", sa.Boolean(), nullable=False),
        sa.Column("jlpt", sa.String(length=4), nullable=False),
        sa.Column("contract_end", sa.Date(), nullable=False),
        sa.Column("renewal_intention", sa.String(length=16), nullable=False),
        sa.Column("preferred_prefectures", sa.JSON(), nullable=False),
        sa.Column("checklist", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "jlpt IN ('none', 'N5', 'N4', 'N3', 'N2', 'N1')", name=op.f("ck_roster_alts_jlpt")
        ),
        sa.CheckConstraint(
            "renewal_intention IN ('renewing', 'undecided', 'leaving')",
            name=op.f("ck_roster_alts_renewal_intention"),
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["organisations.id"],
            name=op.f("fk_roster_alts_company_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_roster_alts_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roster_alts")),
        sa.UniqueConstraint("company_id", "external_id", name="uq_roster_alts_external"),
        sa.UniqueConstraint("user_id", name=op.f("uq_roster_alts_user_id")),
    )
    with op.batch_alter_table("roster_alts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_roster_alts_company_id"), ["company_id"], unique=False)

    op.create_table(
        "tenders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("boe_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("requested_alts", sa.Integer(), nullable=False),
        sa.Column("requested_start", sa.Date(), nullable=False),
        sa.Column("bid_price_per_alt_month", sa.Integer(), nullable=False),
        sa.Column("submitted_on", sa.Date(), nullable=False),
        sa.Column("outcome", sa.String(length=8), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "outcome IN ('pending', 'won', 'lost')", name=op.f("ck_tenders_outcome")
        ),
        sa.ForeignKeyConstraint(
            ["boe_id"], ["organisations.id"], name=op.f("fk_tenders_boe_id_organisations")
        ),
        sa.ForeignKeyConstraint(
            ["company_id"], ["organisations.id"], name=op.f("fk_tenders_company_id_organisations")
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["dispatch_contracts.id"],
            name=op.f("fk_tenders_contract_id_dispatch_contracts"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tenders")),
    )
    with op.batch_alter_table("tenders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tenders_boe_id"), ["boe_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_tenders_company_id"), ["company_id"], unique=False)

    op.create_table(
        "roster_assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alt_id", sa.Integer(), nullable=False),
        sa.Column("position_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["alt_id"],
            ["roster_alts.id"],
            name=op.f("fk_roster_assignments_alt_id_roster_alts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
            name=op.f("fk_roster_assignments_created_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["position_id"],
            ["contract_positions.id"],
            name=op.f("fk_roster_assignments_position_id_contract_positions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roster_assignments")),
    )
    with op.batch_alter_table("roster_assignments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_roster_assignments_alt_id"), ["alt_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_roster_assignments_position_id"), ["position_id"], unique=False
        )

    op.create_table(
        "transfer_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("alt_id", sa.Integer(), nullable=False),
        sa.Column("to_prefecture", sa.String(length=64), nullable=False),
        sa.Column("to_municipality", sa.String(length=200), nullable=True),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("proposal", sa.JSON(), nullable=True),
        sa.Column("requested_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "status IN ('requested', 'approved', 'declined', 'withdrawn')",
            name=op.f("ck_transfer_requests_status"),
        ),
        sa.ForeignKeyConstraint(
            ["alt_id"],
            ["roster_alts.id"],
            name=op.f("fk_transfer_requests_alt_id_roster_alts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["organisations.id"],
            name=op.f("fk_transfer_requests_company_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"],
            ["users.id"],
            name=op.f("fk_transfer_requests_decided_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by"],
            ["users.id"],
            name=op.f("fk_transfer_requests_requested_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transfer_requests")),
    )
    with op.batch_alter_table("transfer_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_transfer_requests_alt_id"), ["alt_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_transfer_requests_company_id"), ["company_id"], unique=False
        )

    op.create_table(
        "posting_applications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("posting_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("declared", sa.JSON(), nullable=False),
        sa.Column("cover_note", sa.Text(), nullable=False),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "stage IN ('applied', 'screening', 'interview', 'offered', 'hired', 'rejected', "
            "'withdrawn')",
            name=op.f("ck_posting_applications_stage"),
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["employment_contracts.id"],
            name=op.f("fk_posting_applications_contract_id_employment_contracts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["posting_id"],
            ["postings.id"],
            name=op.f("fk_posting_applications_posting_id_postings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_posting_applications_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_posting_applications")),
        sa.UniqueConstraint("posting_id", "user_id", name="uq_posting_applications_applicant"),
    )
    with op.batch_alter_table("posting_applications", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_posting_applications_posting_id"), ["posting_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_posting_applications_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "transfer_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("transfer_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by_user_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["by_user_id"],
            ["users.id"],
            name=op.f("fk_transfer_events_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["transfer_id"],
            ["transfer_requests.id"],
            name=op.f("fk_transfer_events_transfer_id_transfer_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transfer_events")),
    )
    with op.batch_alter_table("transfer_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_transfer_events_transfer_id"), ["transfer_id"], unique=False
        )

    op.create_table(
        "posting_stage_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by_user_id", sa.Integer(), nullable=True),
        sa.Column("from_stage", sa.String(length=16), nullable=True),
        sa.Column("to_stage", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["posting_applications.id"],
            name=op.f("fk_posting_stage_changes_application_id_posting_applications"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["by_user_id"],
            ["users.id"],
            name=op.f("fk_posting_stage_changes_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_posting_stage_changes")),
    )
    with op.batch_alter_table("posting_stage_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_posting_stage_changes_application_id"), ["application_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("posting_stage_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_posting_stage_changes_application_id"))

    op.drop_table("posting_stage_changes")
    with op.batch_alter_table("transfer_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_transfer_events_transfer_id"))

    op.drop_table("transfer_events")
    with op.batch_alter_table("posting_applications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_posting_applications_user_id"))
        batch_op.drop_index(batch_op.f("ix_posting_applications_posting_id"))

    op.drop_table("posting_applications")
    with op.batch_alter_table("transfer_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_transfer_requests_company_id"))
        batch_op.drop_index(batch_op.f("ix_transfer_requests_alt_id"))

    op.drop_table("transfer_requests")
    with op.batch_alter_table("roster_assignments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_roster_assignments_position_id"))
        batch_op.drop_index(batch_op.f("ix_roster_assignments_alt_id"))

    op.drop_table("roster_assignments")
    with op.batch_alter_table("tenders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tenders_company_id"))
        batch_op.drop_index(batch_op.f("ix_tenders_boe_id"))

    op.drop_table("tenders")
    with op.batch_alter_table("roster_alts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_roster_alts_company_id"))

    op.drop_table("roster_alts")
    with op.batch_alter_table("postings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_postings_boe_id"))

    op.drop_table("postings")
    with op.batch_alter_table("contract_positions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contract_positions_school_id"))
        batch_op.drop_index(batch_op.f("ix_contract_positions_contract_id"))

    op.drop_table("contract_positions")
    with op.batch_alter_table("dispatch_contracts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dispatch_contracts_company_id"))
        batch_op.drop_index(batch_op.f("ix_dispatch_contracts_boe_id"))

    op.drop_table("dispatch_contracts")
