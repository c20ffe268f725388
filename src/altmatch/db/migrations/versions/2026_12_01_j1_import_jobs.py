"""Season imports as background jobs: the 'import' job kind, its report, and its file.

The uploaded bytes live in `job_files` (one per job, deleted after the run) because an
`altmatch worker` may run on another machine and the database is all it shares.

Revision ID: j1_import_jobs
Revises: i1_run_alternates
Create Date: 2026-12-01 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "j1_import_jobs"
down_revision: str | Sequence[str] | None = "i1_run_alternates"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_KINDS = "kind IN ('match', 'chances')"
NEW_KINDS = "kind IN ('match', 'chances', 'import')"


def upgrade() -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_jobs_kind"), type_="check")
        batch_op.create_check_constraint(op.f("ck_jobs_kind"), NEW_KINDS)
        batch_op.add_column(sa.Column("result", sa.JSON(), nullable=True))
    op.create_table(
        "job_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_id"], ["jobs.id"], name=op.f("fk_job_files_job_id_jobs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_files")),
        sa.UniqueConstraint("job_id", name=op.f("uq_job_files_job_id")),
    )


def downgrade() -> None:
    op.drop_table("job_files")
    op.execute("DELETE FROM jobs WHERE kind = 'import'")
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_column("result")
        batch_op.drop_constraint(op.f("ck_jobs_kind"), type_="check")
        batch_op.create_check_constraint(op.f("ck_jobs_kind"), OLD_KINDS)
