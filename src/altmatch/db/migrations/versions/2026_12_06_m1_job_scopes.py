"""Jobs of a dispatch company, not only of a season: roster and positions imports as jobs.

`jobs.season_id` becomes nullable and `jobs.organisation_id` (the company, cascading like the
season) is added; a check says exactly one of the two is set, and the one the kind belongs to:
'match', 'chances' and 'import' (a season's candidates or requests file) to a season,
'dispatch_import' (a company's roster or positions file, `params.target`) to a company.
Every existing job is a season's, so nothing needs back-filling.

On SQLite the table is rebuilt (batch mode) with foreign keys on, and dropping the old `jobs`
would cascade to `job_files`: the files of jobs still waiting are kept across the rebuild.
The downgrade deletes the company jobs (and their files) before restoring NOT NULL.

Plain Core on purpose: the models change later, this must not.

Revision ID: m1_job_scopes
Revises: l1_case_handlers
Create Date: 2026-12-06 12:00:00.000000
"""

from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op
from alembic.operations import BatchOperations

revision: str = "m1_job_scopes"
down_revision: str | Sequence[str] | None = "l1_case_handlers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_KINDS = "kind IN ('match', 'chances', 'import')"
NEW_KINDS = "kind IN ('match', 'chances', 'import', 'dispatch_import')"
SCOPE = (
    "(kind IN ('match', 'chances', 'import') AND season_id IS NOT NULL"
    " AND organisation_id IS NULL)"
    " OR (kind IN ('dispatch_import') AND organisation_id IS NOT NULL AND season_id IS NULL)"
)

_files = sa.table(
    "job_files",
    sa.column("id", sa.Integer()),
    sa.column("job_id", sa.Integer()),
    sa.column("filename", sa.String()),
    sa.column("content", sa.LargeBinary()),
)


def _rebuild_jobs(alter: Callable[[BatchOperations], None]) -> None:
    """Alter `jobs`, keeping `job_files` when SQLite rebuilds the table (its DROP would
    cascade to them); PostgreSQL alters in place."""
    bind = op.get_bind()
    kept = []
    if bind.dialect.name == "sqlite":
        kept = [dict(row) for row in bind.execute(sa.select(_files)).mappings()]
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        alter(batch_op)
    if kept:
        bind.execute(sa.delete(_files))  # in case the rebuild left them after all
        op.bulk_insert(_files, kept)


def _up(batch_op: BatchOperations) -> None:
    batch_op.add_column(sa.Column("organisation_id", sa.Integer(), nullable=True))
    batch_op.alter_column("season_id", existing_type=sa.Integer(), nullable=True)
    batch_op.create_index(op.f("ix_jobs_organisation_id"), ["organisation_id"], unique=False)
    batch_op.create_foreign_key(
        op.f("fk_jobs_organisation_id_organisations"),
        "organisations",
        ["organisation_id"],
        ["id"],
        ondelete="CASCADE",
    )
    batch_op.drop_constraint(op.f("ck_jobs_kind"), type_="check")
    batch_op.create_check_constraint(op.f("ck_jobs_kind"), NEW_KINDS)
    batch_op.create_check_constraint(op.f("ck_jobs_scope"), SCOPE)


def _down(batch_op: BatchOperations) -> None:
    batch_op.drop_constraint(op.f("ck_jobs_scope"), type_="check")
    batch_op.drop_constraint(op.f("ck_jobs_kind"), type_="check")
    batch_op.create_check_constraint(op.f("ck_jobs_kind"), OLD_KINDS)
    batch_op.drop_constraint(op.f("fk_jobs_organisation_id_organisations"), type_="foreignkey")
    batch_op.drop_index(op.f("ix_jobs_organisation_id"))
    batch_op.alter_column("season_id", existing_type=sa.Integer(), nullable=False)
    batch_op.drop_column("organisation_id")


def upgrade() -> None:
    _rebuild_jobs(_up)


def downgrade() -> None:
    op.execute(
        "DELETE FROM job_files WHERE job_id IN (SELECT id FROM jobs WHERE season_id IS NULL)"
    )
    op.execute("DELETE FROM jobs WHERE season_id IS NULL")
    _rebuild_jobs(_down)
