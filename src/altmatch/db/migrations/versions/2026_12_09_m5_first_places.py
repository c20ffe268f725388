"""Runs keep each request's first alternates and each candidate's first place, not every list whole.

Each request kept its whole alternates list: the demo season's 657 requests list 1.2 million
candidates between them, 4.9 MB a run, though people read each request's first ten and each
candidate's own first place. Now:
- `run_alternates.length`: how many alternates the request has in all; `candidate_ids` keeps the
  first STORED of them;
- `run_placements.alternate_request_id`, `alternate_position`: the candidate's first place (the
  lowest position over the whole lists, the earlier request by row id on a tie), computed here
  from the whole lists before they are cut.

The downgrade writes the whole lists back. They are recomputed by replaying each run from its
recorded inputs and seed (`services.season.alternates.replay`, which reads no model), since a run
is reproducible by design; a run whose lists are all within STORED is left as it is.

Plain Core otherwise: the models change later, this must not.

Revision ID: m5_first_places
Revises: m4_compact_runs
Create Date: 2026-12-09 09:00:00.000000
"""

import json
import zlib
from collections.abc import Sequence
from typing import Any

import numpy as np
import sqlalchemy as sa
from alembic import op

revision: str = "m5_first_places"
down_revision: str | Sequence[str] | None = "m4_compact_runs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STORED = 50  # alternates kept per request (services.season.alternates.ALTERNATES_STORED)
ID = np.dtype("<i4")  # one packed candidate row id
CHUNK = 2_000

_runs = sa.table(
    "match_runs",
    sa.column("id", sa.Integer()),
    sa.column("seed", sa.Integer()),
    sa.column("parent_run_id", sa.Integer()),
    sa.column("inputs_id", sa.Integer()),
    sa.column("summary", sa.JSON()),
)
_inputs = sa.table("run_inputs", sa.column("id", sa.Integer()), sa.column("data", sa.LargeBinary()))
_placements = sa.table(
    "run_placements",
    sa.column("id", sa.Integer()),
    sa.column("run_id", sa.Integer()),
    sa.column("candidate_id", sa.Integer()),
    sa.column("alternate_request_id", sa.Integer()),
    sa.column("alternate_position", sa.Integer()),
)
_lists = sa.table(
    "run_alternates",
    sa.column("run_id", sa.Integer()),
    sa.column("request_id", sa.Integer()),
    sa.column("candidate_ids", sa.LargeBinary()),
    sa.column("length", sa.Integer()),
)


def upgrade() -> None:
    connection = op.get_bind()
    with op.batch_alter_table("run_placements", schema=None) as batch_op:
        batch_op.add_column(sa.Column("alternate_request_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("alternate_position", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_run_placements_alternate_request_id_season_requests"),
            "season_requests",
            ["alternate_request_id"],
            ["id"],
        )
    with op.batch_alter_table("run_alternates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("length", sa.Integer(), nullable=True))
    for (run_id,) in connection.execute(sa.select(_runs.c.id).order_by(_runs.c.id)).all():
        _keep_first_places(connection, run_id)
    with op.batch_alter_table("run_alternates", schema=None) as batch_op:
        batch_op.alter_column("length", existing_type=sa.Integer(), nullable=False)


def _keep_first_places(connection: sa.Connection, run_id: int) -> None:
    """One run: its candidates' first places from the whole lists, then the lists cut."""
    rows = connection.execute(
        sa.select(_lists.c.request_id, _lists.c.candidate_ids)
        .where(_lists.c.run_id == run_id)
        .order_by(_lists.c.request_id)
    ).all()
    lists = [(r, np.frombuffer(bytes(packed), dtype=ID)) for r, packed in rows]
    best: dict[int, tuple[int, int]] = {}  # candidate -> (position, request row id)
    for request_id, ids in lists:
        for position, candidate in enumerate(ids.tolist(), start=1):
            if candidate not in best or (position, request_id) < best[candidate]:
                best[candidate] = (position, request_id)
    placements = connection.execute(
        sa.select(_placements.c.id, _placements.c.candidate_id).where(
            _placements.c.run_id == run_id
        )
    ).all()
    values = [
        {"row": row_id, "request": best[c][1], "position": best[c][0]}
        for row_id, c in placements
        if c in best
    ]
    statement = (
        sa.update(_placements)
        .where(_placements.c.id == sa.bindparam("row"))
        .values(
            alternate_request_id=sa.bindparam("request"),
            alternate_position=sa.bindparam("position"),
        )
    )
    for start in range(0, len(values), CHUNK):
        connection.execute(statement, values[start : start + CHUNK])
    cut = (
        sa.update(_lists)
        .where(_lists.c.run_id == run_id, _lists.c.request_id == sa.bindparam("request"))
        .values(candidate_ids=sa.bindparam("ids"), length=sa.bindparam("n"))
    )
    connection.execute(
        cut,
        [{"request": r, "ids": ids[:STORED].tobytes(), "n": len(ids)} for r, ids in lists],
    )


def downgrade() -> None:
    connection = op.get_bind()
    runs = connection.execute(
        sa.select(_runs.c.id, _runs.c.seed, _runs.c.parent_run_id, _runs.c.inputs_id).order_by(
            _runs.c.id
        )
    ).all()
    for run_id, seed, parent_id, inputs_id in runs:
        deeper = connection.execute(
            sa.select(sa.func.count())
            .select_from(_lists)
            .where(_lists.c.run_id == run_id, _lists.c.length > STORED)
        ).scalar()
        if deeper:
            _write_whole_lists(connection, run_id, seed, parent_id, inputs_id)
    with op.batch_alter_table("run_alternates", schema=None) as batch_op:
        batch_op.drop_column("length")
    with op.batch_alter_table("run_placements", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_run_placements_alternate_request_id_season_requests"),
            type_="foreignkey",
        )
        batch_op.drop_column("alternate_position")
        batch_op.drop_column("alternate_request_id")


def _summary(connection: sa.Connection, run_id: int | None) -> dict[str, Any] | None:
    if run_id is None:
        return None
    found = connection.execute(sa.select(_runs.c.summary).where(_runs.c.id == run_id)).scalar()
    if isinstance(found, str):  # a JSON column read through a plain table may come back as text
        found = json.loads(found)
    return dict(found) if found is not None else None


def _write_whole_lists(
    connection: sa.Connection, run_id: int, seed: int, parent_id: int | None, inputs_id: int
) -> None:
    from altmatch.services.season.alternates import replay, whole_lists, withdrawals

    data = connection.execute(sa.select(_inputs.c.data).where(_inputs.c.id == inputs_id)).scalar()
    if data is None:
        raise LookupError(f"run {run_id} has no stored inputs to replay")
    snapshot = json.loads(zlib.decompress(data))
    summary = _summary(connection, run_id) or {}
    earlier, own = withdrawals(summary, _summary(connection, parent_id))
    indexed, result = replay(snapshot, seed, earlier, own)
    whole = whole_lists(indexed, result, snapshot)
    connection.execute(
        sa.update(_lists)
        .where(_lists.c.run_id == run_id, _lists.c.request_id == sa.bindparam("request"))
        .values(candidate_ids=sa.bindparam("ids")),
        [{"request": r, "ids": ids.astype(ID).tobytes()} for r, ids in whole if len(ids)],
    )
