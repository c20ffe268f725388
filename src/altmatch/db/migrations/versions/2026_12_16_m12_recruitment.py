"""Recruiting offices and the online application (issue 19).

- `recruiting_offices`: per programme, an embassy or consulate: code, names, the countries it
  serves (ISO codes), IANA time zone and contact address.
- `office_staff`: which programme coordinators screen for which office.
- `online_applications`: a candidate's application in a season (draft, then submitted) with
  its answers, statement, office, receipt and the SeasonCandidate it created.
- `application_documents`, `application_references`: the uploads, and the referees with their
  hashed single-use links and letters.
- `screening_decisions`: each decision a screener recorded, with its reason.

New tables only, so nothing is rebuilt and the downgrade drops them. Plain Core on purpose.

Revision ID: m12_recruitment
Revises: m10_surveys
Create Date: 2026-12-16 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "m12_recruitment"
down_revision: str | Sequence[str] | None = "m10_surveys"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TZ = sa.DateTime(timezone=True)


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete=ondelete,
    )


def upgrade() -> None:
    op.create_table(
        "recruiting_offices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("name_ja", sa.String(length=200), nullable=False),
        sa.Column("countries", sa.JSON(), nullable=False),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        _fk("recruiting_offices", "programme_id", "organisations", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recruiting_offices")),
        sa.UniqueConstraint("programme_id", "code", name="uq_recruiting_offices_code"),
    )
    op.create_index(
        op.f("ix_recruiting_offices_programme_id"), "recruiting_offices", ["programme_id"]
    )
    op.create_table(
        "office_staff",
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("added_at", TZ, nullable=False),
        sa.Column("added_by", sa.Integer(), nullable=True),
        _fk("office_staff", "office_id", "recruiting_offices", "CASCADE"),
        _fk("office_staff", "user_id", "users", "CASCADE"),
        _fk("office_staff", "added_by", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("office_id", "user_id", name=op.f("pk_office_staff")),
    )
    op.create_index(op.f("ix_office_staff_user_id"), "office_staff", ["user_id"])
    op.create_table(
        "online_applications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("season_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("reference_number", sa.String(length=40), nullable=True),
        sa.Column("submitted_at", TZ, nullable=True),
        sa.Column("candidate_id", sa.Integer(), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "status IN ('draft', 'submitted')", name=op.f("ck_online_applications_status")
        ),
        _fk("online_applications", "season_id", "seasons", "CASCADE"),
        _fk("online_applications", "user_id", "users", "CASCADE"),
        _fk("online_applications", "office_id", "recruiting_offices", "SET NULL"),
        _fk("online_applications", "candidate_id", "season_candidates", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_online_applications")),
        sa.UniqueConstraint("season_id", "user_id", name="uq_online_applications_user"),
        sa.UniqueConstraint(
            "reference_number", name=op.f("uq_online_applications_reference_number")
        ),
    )
    for column in ("season_id", "user_id", "candidate_id"):
        op.create_index(op.f(f"ix_online_applications_{column}"), "online_applications", [column])
    op.create_index(
        "ix_online_applications_queue",
        "online_applications",
        ["office_id", "status", "submitted_at"],
    )
    op.create_table(
        "application_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_at", TZ, nullable=False),
        sa.CheckConstraint(
            "kind IN ('degree', 'transcript')", name=op.f("ck_application_documents_kind")
        ),
        _fk("application_documents", "application_id", "online_applications", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application_documents")),
        sa.UniqueConstraint("application_id", "kind", name="uq_application_documents_kind"),
    )
    op.create_index(
        op.f("ix_application_documents_application_id"),
        "application_documents",
        ["application_id"],
    )
    op.create_table(
        "application_references",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("slot", sa.Integer(), nullable=False),
        sa.Column("referee_name", sa.String(length=200), nullable=False),
        sa.Column("referee_email", sa.String(length=254), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=True),
        sa.Column("expires_at", TZ, nullable=True),
        sa.Column("requested_at", TZ, nullable=False),
        sa.Column("requests_sent", sa.Integer(), nullable=False),
        sa.Column("received_at", TZ, nullable=True),
        sa.Column("filename", sa.String(length=200), nullable=True),
        sa.Column("content_type", sa.String(length=100), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("data", sa.LargeBinary(), nullable=True),
        _fk("application_references", "application_id", "online_applications", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application_references")),
        sa.UniqueConstraint("application_id", "slot", name="uq_application_references_slot"),
        sa.UniqueConstraint("token_hash", name=op.f("uq_application_references_token_hash")),
    )
    op.create_index(
        op.f("ix_application_references_application_id"),
        "application_references",
        ["application_id"],
    )
    op.create_table(
        "screening_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("reason_code", sa.String(length=64), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("by_user_id", sa.Integer(), nullable=True),
        sa.Column("at", TZ, nullable=False),
        sa.CheckConstraint(
            "decision IN ('screen_in', 'screen_out')",
            name=op.f("ck_screening_decisions_decision"),
        ),
        _fk("screening_decisions", "application_id", "online_applications", "CASCADE"),
        _fk("screening_decisions", "by_user_id", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening_decisions")),
    )
    op.create_index(
        op.f("ix_screening_decisions_application_id"),
        "screening_decisions",
        ["application_id"],
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_screening_decisions_application_id"), table_name="screening_decisions")
    op.drop_table("screening_decisions")
    op.drop_index(
        op.f("ix_application_references_application_id"), table_name="application_references"
    )
    op.drop_table("application_references")
    op.drop_index(
        op.f("ix_application_documents_application_id"), table_name="application_documents"
    )
    op.drop_table("application_documents")
    op.drop_index("ix_online_applications_queue", table_name="online_applications")
    for column in ("season_id", "user_id", "candidate_id"):
        op.drop_index(op.f(f"ix_online_applications_{column}"), table_name="online_applications")
    op.drop_table("online_applications")
    op.drop_index(op.f("ix_office_staff_user_id"), table_name="office_staff")
    op.drop_table("office_staff")
    op.drop_index(op.f("ix_recruiting_offices_programme_id"), table_name="recruiting_offices")
    op.drop_table("recruiting_offices")
