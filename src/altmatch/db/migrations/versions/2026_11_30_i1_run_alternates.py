"""Keep each request's first alternates of a run in rows, filled from the runs already stored.

The placements views read them instead of parsing a run's whole `alternates` JSON list (tens
of megabytes for a big season). The backfill uses plain Core on purpose: the models change
later, this migration must not.

Revision ID: i1_run_alternates
Revises: h1_trust
Create Date: 2026-11-30 12:00:00.000000
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "i1_run_alternates"
down_revision: str | Sequence[str] | None = "h1_trust"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STORED_ALTERNATES = 50  # per request, as the models' STORED_ALTERNATES was when written
CHUNK = 10_000  # rows per executemany

_runs = sa.table("match_runs", sa.column("id", sa.Integer()), sa.column("alternates", sa.JSON()))
_alternates = sa.table(
    "run_alternates",
    sa.column("run_id", sa.Integer()),
    sa.column("request_id", sa.String()),
    sa.column("position", sa.Integer()),
    sa.column("candidate_id", sa.String()),
)


def upgrade() -> None:
    op.create_table(
        "run_alternates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.String(length=100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["match_runs.id"],
            name=op.f("fk_run_alternates_run_id_match_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_run_alternates")),
    )
    op.create_index(
        op.f("ix_run_alternates_run_request_position"),
        "run_alternates",
        ["run_id", "request_id", "position"],
        unique=False,
    )
    _backfill(op.get_bind())


def _backfill(connection: sa.Connection) -> None:
    """One run at a time, so only one run's JSON list is ever in memory."""
    run_ids = connection.execute(sa.select(_runs.c.id).order_by(_runs.c.id)).scalars().all()
    for run_id in run_ids:
        waiting = connection.execute(
            sa.select(_runs.c.alternates).where(_runs.c.id == run_id)
        ).scalar_one()
        rows = _rows(run_id, waiting or [])
        for start in range(0, len(rows), CHUNK):
            connection.execute(sa.insert(_alternates), rows[start : start + CHUNK])


def _rows(run_id: int, waiting: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "run_id": run_id,
            "request_id": str(request),
            "position": int(position),
            "candidate_id": str(candidate),
        }
        for request, position, candidate in waiting
        if int(position) <= STORED_ALTERNATES
    ]


def downgrade() -> None:
    op.drop_index(op.f("ix_run_alternates_run_request_position"), table_name="run_alternates")
    op.drop_table("run_alternates")
