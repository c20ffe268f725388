"""Runs stored compactly: inputs once per distinct content, reasons packed, the published run found
by an index.

Each run kept its season's inputs as a JSON column (`match_runs.inputs_snapshot`, about 2 MB for
6,000 candidates), again for every re-run of an unchanged season, and each placement kept its
explanation as JSON with an English sentence per reason (`run_placements.explanation`, 38 MB a
run). They become:
- `run_inputs`: the snapshot as canonical JSON (sorted keys), zlib-compressed, one row per
  SHA-256 of that JSON; `match_runs.inputs_id` points at it.
- `run_placements.reasons`: the reasons packed as services.season.reasons_store describes
  (FORMAT 1), request ids as season_requests row ids, the words written on reading.
- `ix_match_runs_published` on (season_id, status, published_at).

The downgrade writes the JSON back from them. The English sentence of each reason, which no
page showed, is not rewritten; each reason keeps its fields.

On SQLite `match_runs` gains and loses columns by plain ALTER TABLE, never a batch rebuild (with
foreign keys on, dropping the old copy of a rebuilt `match_runs` would delete every run's
placements); so `inputs_id` stays nullable there, as in the model. Plain Core on purpose: the
models change later, this must not.

Revision ID: m4_compact_runs
Revises: m3_erasure
Create Date: 2026-12-08 09:00:00.000000
"""

import hashlib
import json
import re
import struct
import zlib
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "m4_compact_runs"
down_revision: str | Sequence[str] | None = "m3_erasure"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FORMAT = 1
HEADER = struct.Struct("<10i")
ROW = struct.Struct("<iiiB")
REASONS = ("filled", "not_ranked", "hard_requirement", "couple")
REQUIREMENTS = ("driving_licence", "min_jlpt", "min_teaching_years")  # bits 1, 2, 4
CHUNK = 2_000

_runs = sa.table(
    "match_runs",
    sa.column("id", sa.Integer()),
    sa.column("season_id", sa.Integer()),
    sa.column("inputs_snapshot", sa.JSON()),
    sa.column("inputs_id", sa.Integer()),
)
_inputs = sa.table(
    "run_inputs",
    sa.column("id", sa.Integer()),
    sa.column("sha256", sa.String()),
    sa.column("data", sa.LargeBinary()),
)
_placements = sa.table(
    "run_placements",
    sa.column("id", sa.Integer()),
    sa.column("run_id", sa.Integer()),
    sa.column("candidate_id", sa.Integer()),
    sa.column("request_id", sa.Integer()),
    sa.column("candidate_rank", sa.Integer()),
    sa.column("explanation", sa.JSON()),
    sa.column("reasons", sa.LargeBinary()),
)
_requests = sa.table(
    "season_requests",
    sa.column("id", sa.Integer()),
    sa.column("season_id", sa.Integer()),
    sa.column("external_id", sa.String()),
    sa.column("boe_id", sa.Integer()),
)
_boes = sa.table("organisations", sa.column("id", sa.Integer()), sa.column("name_en", sa.String()))
_candidates = sa.table(
    "season_candidates",
    sa.column("id", sa.Integer()),
    sa.column("season_id", sa.Integer()),
    sa.column("external_id", sa.String()),
)


def upgrade() -> None:
    connection = op.get_bind()
    op.create_table(
        "run_inputs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_run_inputs")),
        sa.UniqueConstraint("sha256", name=op.f("uq_run_inputs_sha256")),
    )
    _add_inputs_id(connection)
    _store_inputs(connection)
    op.drop_column("match_runs", "inputs_snapshot")
    op.create_index(op.f("ix_match_runs_inputs_id"), "match_runs", ["inputs_id"], unique=False)
    op.create_index(
        "ix_match_runs_published",
        "match_runs",
        ["season_id", "status", "published_at"],
        unique=False,
    )
    with op.batch_alter_table("run_placements", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reasons", sa.LargeBinary(), nullable=True))
    _pack_reasons(connection)
    with op.batch_alter_table("run_placements", schema=None) as batch_op:
        batch_op.alter_column("reasons", existing_type=sa.LargeBinary(), nullable=False)
        batch_op.drop_column("explanation")


def _add_inputs_id(connection: sa.Connection) -> None:
    if connection.dialect.name == "sqlite":  # plain ALTER TABLE, with the constraint inline
        op.execute(
            "ALTER TABLE match_runs ADD COLUMN inputs_id INTEGER CONSTRAINT "
            "fk_match_runs_inputs_id_run_inputs REFERENCES run_inputs (id)"
        )
        return
    op.add_column("match_runs", sa.Column("inputs_id", sa.Integer(), nullable=True))
    op.create_foreign_key(
        op.f("fk_match_runs_inputs_id_run_inputs"),
        "match_runs",
        "run_inputs",
        ["inputs_id"],
        ["id"],
    )


def _store_inputs(connection: sa.Connection) -> None:
    """Each run's snapshot into run_inputs, one row per distinct content, one run at a time."""
    ids: dict[str, int] = {}
    run_ids = connection.execute(sa.select(_runs.c.id).order_by(_runs.c.id)).scalars().all()
    for run_id in run_ids:
        snapshot = connection.execute(
            sa.select(_runs.c.inputs_snapshot).where(_runs.c.id == run_id)
        ).scalar_one()
        text = json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        digest = hashlib.sha256(text.encode()).hexdigest()
        if digest not in ids:
            connection.execute(
                sa.insert(_inputs).values(sha256=digest, data=zlib.compress(text.encode(), 6))
            )
            ids[digest] = connection.execute(
                sa.select(_inputs.c.id).where(_inputs.c.sha256 == digest)
            ).scalar_one()
        connection.execute(
            sa.update(_runs).where(_runs.c.id == run_id).values(inputs_id=ids[digest])
        )


class _Seasons:
    """Row ids by external id of a season's requests and candidates (and back), read once."""

    def __init__(self, connection: sa.Connection) -> None:
        self.connection = connection
        self.seen: dict[tuple[str, int], dict[str, int]] = {}

    def of(self, table: sa.TableClause, season_id: int) -> dict[str, int]:
        key = (table.name, season_id)
        if key not in self.seen:
            query = sa.select(table.c.external_id, table.c.id).where(table.c.season_id == season_id)
            self.seen[key] = {e: i for e, i in self.connection.execute(query)}
        return self.seen[key]


def _list_length(explanation: dict[str, Any], choice: int | None) -> int:
    """The list length the JSON's sentence gives ("your choice 2 of 14"), else what is known."""
    found = re.search(r"your choice \d+ of (\d+)", str(explanation.get("text", "")))
    if found:
        return int(found.group(1))
    if "your list was empty" in str(explanation.get("text", "")):
        return 0
    why = explanation.get("why_not") or []
    tail = (explanation.get("anywhere") or {}).get("requests", 0)
    return max(len(why) + int(tail), choice or 0, 1)


def _row(reason: dict[str, Any], requests: dict[str, int]) -> bytes:
    code = REASONS.index(str(reason.get("reason", "not_ranked")))
    flags = code | (4 if reason.get("lost_lottery") else 0)
    for bit, name in enumerate(REQUIREMENTS):
        if name in (reason.get("requirements") or []):
            flags |= 1 << (3 + bit)
    cutoff = reason.get("cutoff_rank")
    value = reason.get("your_rank")
    return ROW.pack(
        requests.get(str(reason.get("request_id")), 0),
        -1 if value is None else int(value),
        -1 if cutoff is None else int(cutoff),
        flags,
    )


def _packed(
    explanation: dict[str, Any],
    choice: int | None,
    requests: dict[str, int],
    candidates: dict[str, int],
) -> bytes:
    why = list(explanation.get("why_not") or [])
    tail = explanation.get("anywhere") or {}
    closest = tail.get("closest")
    partner = next((w.get("partner_id") for w in why if w.get("partner_id")), None)
    counts = [int(tail.get(k, 0)) for k in REASONS]
    header = HEADER.pack(
        FORMAT,
        _list_length(explanation, choice),
        len(why),
        sum(counts),
        *counts,
        int(closest["choice"]) if closest else 0,
        candidates.get(str(partner), 0) if partner else 0,
    )
    rows = b"".join(_row(w, requests) for w in why)
    return header + rows + (_row(closest, requests) if closest else b"")


def _pack_reasons(connection: sa.Connection) -> None:
    seasons = _Seasons(connection)
    runs = connection.execute(sa.select(_runs.c.id, _runs.c.season_id).order_by(_runs.c.id))
    for run_id, season_id in runs.all():
        requests = seasons.of(_requests, season_id)
        candidates = seasons.of(_candidates, season_id)
        rows = connection.execute(
            sa.select(_placements.c.id, _placements.c.candidate_rank, _placements.c.explanation)
            .where(_placements.c.run_id == run_id)
            .order_by(_placements.c.id)
        ).all()
        values = [
            {"row": row_id, "packed": _packed(e or {}, rank, requests, candidates)}
            for row_id, rank, e in rows
        ]
        _update(connection, values, "reasons")


def _update(connection: sa.Connection, values: list[dict[str, Any]], column: str) -> None:
    statement = (
        sa.update(_placements)
        .where(_placements.c.id == sa.bindparam("row"))
        .values({column: sa.bindparam("packed")})
    )
    for start in range(0, len(values), CHUNK):
        connection.execute(statement, values[start : start + CHUNK])


def downgrade() -> None:
    connection = op.get_bind()
    with op.batch_alter_table("run_placements", schema=None) as batch_op:
        batch_op.add_column(sa.Column("explanation", sa.JSON(), nullable=True))
    _unpack_reasons(connection)
    with op.batch_alter_table("run_placements", schema=None) as batch_op:
        batch_op.alter_column("explanation", existing_type=sa.JSON(), nullable=False)
        batch_op.drop_column("reasons")
    op.drop_index("ix_match_runs_published", table_name="match_runs")
    op.drop_index(op.f("ix_match_runs_inputs_id"), table_name="match_runs")
    # NOT NULL needs a default to add on SQLite, which keeps it; PostgreSQL drops it below.
    op.add_column(
        "match_runs",
        sa.Column("inputs_snapshot", sa.JSON(), nullable=False, server_default="{}"),
    )
    for run_id, data in connection.execute(
        sa.select(_runs.c.id, _inputs.c.data).join(_inputs, _inputs.c.id == _runs.c.inputs_id)
    ).all():
        snapshot = json.loads(zlib.decompress(data))
        connection.execute(
            sa.update(_runs).where(_runs.c.id == run_id).values(inputs_snapshot=snapshot)
        )
    if connection.dialect.name != "sqlite":
        op.alter_column("match_runs", "inputs_snapshot", server_default=None)
        op.drop_constraint(
            op.f("fk_match_runs_inputs_id_run_inputs"), "match_runs", type_="foreignkey"
        )
    op.drop_column("match_runs", "inputs_id")
    op.drop_table("run_inputs")


def _reason(row: tuple[int, int, int, int], k: int, names: dict[int, str]) -> dict[str, Any]:
    request, value, cutoff, flags = row
    code = flags & 3
    out: dict[str, Any] = {
        "request_id": names.get(request, ""),
        "choice": k,
        "reason": REASONS[code],
        "requirements": [n for bit, n in enumerate(REQUIREMENTS) if flags >> (3 + bit) & 1],
        "cutoff_rank": cutoff if code == 0 and cutoff >= 0 else None,
        "your_rank": value if value >= 0 else None,
        "lost_lottery": bool(flags & 4),
        "partner_id": None,
    }
    return out


def _unpack_reasons(connection: sa.Connection) -> None:
    seasons = _Seasons(connection)
    runs = connection.execute(sa.select(_runs.c.id, _runs.c.season_id).order_by(_runs.c.id))
    for run_id, season_id in runs.all():
        names = {i: e for e, i in seasons.of(_requests, season_id).items()}
        people = {i: e for e, i in seasons.of(_candidates, season_id).items()}
        boes = dict(
            connection.execute(
                sa.select(_requests.c.id, _boes.c.name_en)
                .join(_boes, _boes.c.id == _requests.c.boe_id)
                .where(_requests.c.season_id == season_id)
            ).all()
        )
        rows = connection.execute(
            sa.select(
                _placements.c.id,
                _placements.c.request_id,
                _placements.c.candidate_rank,
                _placements.c.reasons,
            )
            .where(_placements.c.run_id == run_id)
            .order_by(_placements.c.id)
        ).all()
        values = []
        for row_id, at, choice, packed in rows:
            head = HEADER.unpack_from(packed)
            body = [ROW.unpack_from(packed, HEADER.size + i * ROW.size) for i in range(head[2])]
            why = [_reason(r, k, names) for k, r in enumerate(body, 1)]
            for w in why:
                if w["reason"] == "couple":
                    w["partner_id"] = people.get(head[9])
            anywhere = None
            if head[3]:
                closest = None
                if head[8]:
                    raw = ROW.unpack_from(packed, HEADER.size + head[2] * ROW.size)
                    closest = _reason(raw, head[8], names)
                anywhere = {
                    "requests": head[3],
                    **dict(zip(REASONS, head[4:8], strict=True)),
                    "closest": closest,
                }
            if at is not None:
                label = f"{names.get(at)} ({boes.get(at)})"
                text = f"Placed at {label}, your choice {choice} of {head[1]}."
            else:
                text = "Not placed." if head[1] else "Not placed: your list was empty."
            explanation = {"text": text, "why_not": why, "anywhere": anywhere}
            values.append({"row": row_id, "packed": explanation})
        _update(connection, values, "explanation")
