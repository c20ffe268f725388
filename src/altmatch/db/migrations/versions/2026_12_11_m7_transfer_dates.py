"""Transfers take effect on a date: `transfer_requests.effective_on` and `applied_at`, and the
status 'cancelled' (an approved transfer called off before its date).

An approved request's moves apply on `effective_on` (the periodic sweep applies them, once);
`applied_at` says when they did. Requests approved before this revision keep both NULL: they
were applied when approved.

On SQLite the table is rebuilt (batch mode) to change its CHECK, with foreign keys on, and
dropping the old `transfer_requests` would cascade to `transfer_events`: the events are kept
across the rebuild. The downgrade turns cancelled requests back into declined ones.

Plain Core on purpose: the models change later, this must not.

Revision ID: m7_transfers
Revises: m6_notices
Create Date: 2026-12-11 09:00:00.000000
"""

from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op
from alembic.operations import BatchOperations

revision: str = "m7_transfers"
down_revision: str | Sequence[str] | None = "m6_notices"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_STATUSES = "status IN ('requested', 'approved', 'declined', 'withdrawn')"
NEW_STATUSES = "status IN ('requested', 'approved', 'declined', 'withdrawn', 'cancelled')"

_events = sa.table(
    "transfer_events",
    sa.column("id", sa.Integer()),
    sa.column("transfer_id", sa.Integer()),
    sa.column("at", sa.DateTime(timezone=True)),
    sa.column("by_user_id", sa.Integer()),
    sa.column("action", sa.String()),
    sa.column("note", sa.Text()),
    sa.column("detail", sa.JSON()),
)


def _rebuild(alter: Callable[[BatchOperations], None]) -> None:
    """Alter `transfer_requests`, keeping `transfer_events` when SQLite rebuilds the table (its
    DROP would cascade to them); PostgreSQL alters in place."""
    bind = op.get_bind()
    kept = []
    if bind.dialect.name == "sqlite":
        kept = [dict(row) for row in bind.execute(sa.select(_events)).mappings()]
    with op.batch_alter_table("transfer_requests", schema=None) as batch_op:
        alter(batch_op)
    if kept:
        bind.execute(sa.delete(_events))  # in case the rebuild left them after all
        op.bulk_insert(_events, kept)


def _up(batch_op: BatchOperations) -> None:
    batch_op.add_column(sa.Column("effective_on", sa.Date(), nullable=True))
    batch_op.add_column(sa.Column("applied_at", sa.DateTime(timezone=True), nullable=True))
    batch_op.drop_constraint(op.f("ck_transfer_requests_status"), type_="check")
    batch_op.create_check_constraint(op.f("ck_transfer_requests_status"), NEW_STATUSES)


def _down(batch_op: BatchOperations) -> None:
    batch_op.drop_constraint(op.f("ck_transfer_requests_status"), type_="check")
    batch_op.create_check_constraint(op.f("ck_transfer_requests_status"), OLD_STATUSES)
    batch_op.drop_column("applied_at")
    batch_op.drop_column("effective_on")


def upgrade() -> None:
    _rebuild(_up)


def downgrade() -> None:
    op.execute("UPDATE transfer_requests SET status = 'declined' WHERE status = 'cancelled'")
    _rebuild(_down)
