"""One store for a run's alternates: a row per run and request, its candidates packed in order.

A run kept its alternates three times: the whole list as JSON on the run
(`match_runs.alternates`, about 40 MB for a 6,000-candidate season), each request's first 50
again as rows by external id (`run_alternates`), and each candidate's first place on their
placement (`run_placements.alternate_request_id`, `alternate_position`). They become one
table, `run_alternates`: per run and request, the candidates' row ids best first, as
little-endian 4-byte integers (about 5 MB for that season). The upgrade fills it from the JSON
lists and drops the three; the downgrade rebuilds all three from it.

On SQLite, `match_runs` loses and regains its column by plain ALTER TABLE (SQLite 3.35+), not
a batch rebuild: with foreign keys on, dropping the old copy of a rebuilt `match_runs` would
delete every run's placements (ON DELETE CASCADE). `run_placements` has no child table, so
its batch rebuild is safe. Plain Core on purpose: the models change later, this must not.

Revision ID: k1_alternate_lists
Revises: j1_import_jobs
Create Date: 2026-12-02 12:00:00.000000
"""

import struct
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "k1_alternate_lists"
down_revision: str | Sequence[str] | None = "j1_import_jobs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STORED_ALTERNATES = 50  # per request in the old run_alternates rows (i1_run_alternates)
CHUNK = 10_000  # rows per executemany
ID = struct.Struct("<i")  # one packed candidate row id

_runs = sa.table(
    "match_runs",
    sa.column("id", sa.Integer()),
    sa.column("season_id", sa.Integer()),
    sa.column("alternates", sa.JSON()),
)
_requests = sa.table(
    "season_requests",
    sa.column("id", sa.Integer()),
    sa.column("season_id", sa.Integer()),
    sa.column("external_id", sa.String()),
)
_candidates = sa.table(
    "season_candidates",
    sa.column("id", sa.Integer()),
    sa.column("season_id", sa.Integer()),
    sa.column("external_id", sa.String()),
)
_placements = sa.table(
    "run_placements",
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
)
_rows = sa.table(  # the old run_alternates: one row per alternate, by external ids
    "run_alternates",
    sa.column("run_id", sa.Integer()),
    sa.column("request_id", sa.String()),
    sa.column("position", sa.Integer()),
    sa.column("candidate_id", sa.String()),
)


def _pack(ids: Sequence[int]) -> bytes:
    return struct.pack(f"<{len(ids)}i", *ids)


def _unpack(packed: bytes) -> list[int]:
    return [value for (value,) in ID.iter_unpack(bytes(packed))]


def _runs_of(connection: sa.Connection) -> list[tuple[int, int]]:
    query = sa.select(_runs.c.id, _runs.c.season_id).order_by(_runs.c.id)
    return [(run_id, season_id) for run_id, season_id in connection.execute(query)]


class _SeasonIds:
    """Row ids by external id of each season's requests and candidates, read once a season."""

    def __init__(self, connection: sa.Connection) -> None:
        self.connection = connection
        self.seen: dict[tuple[str, int], dict[str, int]] = {}

    def of(self, table: sa.TableClause, season_id: int) -> dict[str, int]:
        key = (table.name, season_id)
        if key not in self.seen:
            query = sa.select(table.c.external_id, table.c.id).where(table.c.season_id == season_id)
            self.seen[key] = {e: i for e, i in self.connection.execute(query)}
        return self.seen[key]


def upgrade() -> None:
    op.drop_index(op.f("ix_run_alternates_run_request_position"), table_name="run_alternates")
    op.drop_table("run_alternates")
    op.create_table(
        "run_alternates",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("candidate_ids", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["season_requests.id"],
            name=op.f("fk_run_alternates_request_id_season_requests"),
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["match_runs.id"],
            name=op.f("fk_run_alternates_run_id_match_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("run_id", "request_id", name=op.f("pk_run_alternates")),
    )
    _fill_lists(op.get_bind())
    op.drop_column("match_runs", "alternates")
    with op.batch_alter_table("run_placements", schema=None) as batch_op:
        batch_op.drop_constraint(
            op.f("fk_run_placements_alternate_request_id_season_requests"), type_="foreignkey"
        )
        batch_op.drop_column("alternate_position")
        batch_op.drop_column("alternate_request_id")


def _fill_lists(connection: sa.Connection) -> None:
    """Each run's JSON list as packed rows, one run at a time (one list in memory)."""
    ids = _SeasonIds(connection)
    for run_id, season_id in _runs_of(connection):
        waiting = connection.execute(
            sa.select(_runs.c.alternates).where(_runs.c.id == run_id)
        ).scalar_one()
        requests, candidates = ids.of(_requests, season_id), ids.of(_candidates, season_id)
        at: dict[int, dict[int, int]] = {}
        for request, position, candidate in waiting or []:
            if str(request) not in requests or str(candidate) not in candidates:
                raise RuntimeError(
                    f"run {run_id}: alternate {candidate!r} of request {request!r} is not in "
                    f"season {season_id}; nothing was changed"
                )
            at.setdefault(requests[str(request)], {})[int(position)] = candidates[str(candidate)]
        rows: list[dict[str, Any]] = []
        for request_id, by_position in sorted(at.items()):
            if sorted(by_position) != list(range(1, len(by_position) + 1)):
                raise RuntimeError(
                    f"run {run_id}: the alternates of request row {request_id} are not "
                    "numbered 1, 2, ...; nothing was changed"
                )
            packed = _pack([by_position[p] for p in range(1, len(by_position) + 1)])
            rows.append({"run_id": run_id, "request_id": request_id, "candidate_ids": packed})
        for start in range(0, len(rows), CHUNK):
            connection.execute(sa.insert(_lists), rows[start : start + CHUNK])


def downgrade() -> None:
    connection = op.get_bind()
    with op.batch_alter_table("run_placements", schema=None) as batch_op:
        batch_op.add_column(sa.Column("alternate_request_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("alternate_position", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            op.f("fk_run_placements_alternate_request_id_season_requests"),
            "season_requests",
            ["alternate_request_id"],
            ["id"],
        )
    # NOT NULL needs a default to add on SQLite, which keeps it; PostgreSQL drops it below.
    op.add_column(
        "match_runs", sa.Column("alternates", sa.JSON(), nullable=False, server_default="[]")
    )
    _restore_json_and_first_places(connection)
    if connection.dialect.name != "sqlite":
        op.alter_column("match_runs", "alternates", server_default=None)
    op.drop_table("run_alternates")
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
    _restore_first_rows(connection)


def _restore_json_and_first_places(connection: sa.Connection) -> None:
    """Per run: the JSON list by external ids, and each candidate's first place (the lowest
    position; the earlier request on a tie) on their placement."""
    ids = _SeasonIds(connection)
    set_place = (
        sa.update(_placements)
        .where(
            _placements.c.run_id == sa.bindparam("run"),
            _placements.c.candidate_id == sa.bindparam("candidate"),
        )
        .values(
            alternate_request_id=sa.bindparam("request"),
            alternate_position=sa.bindparam("position"),
        )
    )
    for run_id, season_id in _runs_of(connection):
        query = (
            sa.select(_lists.c.request_id, _lists.c.candidate_ids)
            .where(_lists.c.run_id == run_id)
            .order_by(_lists.c.request_id)
        )
        lists = [(r, _unpack(packed)) for r, packed in connection.execute(query)]
        requests = {i: e for e, i in ids.of(_requests, season_id).items()}
        candidates = {i: e for e, i in ids.of(_candidates, season_id).items()}
        waiting = [
            [requests[r], position, candidates[c]]
            for r, listed in lists
            for position, c in enumerate(listed, start=1)
        ]
        connection.execute(sa.update(_runs).where(_runs.c.id == run_id).values(alternates=waiting))
        first: dict[int, tuple[int, int]] = {}
        for r, listed in lists:
            for position, c in enumerate(listed, start=1):
                if c not in first or position < first[c][0]:
                    first[c] = (position, r)
        places = [
            {"run": run_id, "candidate": c, "request": r, "position": p}
            for c, (p, r) in first.items()
        ]
        for start in range(0, len(places), CHUNK):
            connection.execute(set_place, places[start : start + CHUNK])


def _restore_first_rows(connection: sa.Connection) -> None:
    """Each request's first STORED_ALTERNATES as rows again, from the restored JSON lists."""
    for run_id, _ in _runs_of(connection):
        waiting = connection.execute(
            sa.select(_runs.c.alternates).where(_runs.c.id == run_id)
        ).scalar_one()
        rows = [
            {"run_id": run_id, "request_id": r, "position": p, "candidate_id": c}
            for r, p, c in waiting or []
            if int(p) <= STORED_ALTERNATES
        ]
        for start in range(0, len(rows), CHUNK):
            connection.execute(sa.insert(_rows), rows[start : start + CHUNK])
