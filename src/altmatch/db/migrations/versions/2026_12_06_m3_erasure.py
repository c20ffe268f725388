"""Keep what account deletion must keep: `retained_records`, and no cascade from users to the
records the deletion page says are kept.

- `retained_records` (entity, entity_id, kind, erased_at, keep_until): each row kept,
  pseudonymised, after its person deleted their account, and the last day it is kept; the
  privacy purge erases it after that day.
- `support_cases.alt_user_id` and `posting_applications.user_id` become nullable with
  ON DELETE SET NULL (they were NOT NULL with ON DELETE CASCADE: deleting a user silently
  destroyed their support cases, harassment and health cases included, and every application
  they had made, hires too).
- `roster_alts.home_latitude` and `home_longitude` become nullable: a kept roster entry has no
  home, and the assignment planner leaves it out.

On SQLite each table is rebuilt (batch mode) with foreign keys on, and dropping the old table
would cascade to the rows that hang on it (a case's messages, events, attachments, mediations,
handlers and notices; an application's stage history; a roster entry's assignments and
transfer requests with their steps): those are copied aside in SQL (temporary tables, so
attachments never pass through Python) and put back after the rebuild. PostgreSQL alters in
place.

The downgrade cannot put NOT NULL back over kept records without their person: it deletes the
support cases and applications whose person is gone (the records the purge would erase later),
gives kept roster entries the coordinates 0, 0, and drops `retained_records`.

Plain Core on purpose: the models change later, this must not.

Revision ID: m3_erasure
Revises: m2_email_verification
Create Date: 2026-12-06 18:00:00.000000
"""

from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op
from alembic.operations import BatchOperations

revision: str = "m3_erasure"
down_revision: str | Sequence[str] | None = "m2_email_verification"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ENTITIES = "entity IN ('employment_contract', 'roster_alt', 'posting_application', 'support_case')"
KINDS = "kind IN ('employment_record', 'support_case')"

# The tables whose rows cascade from each rebuilt table, parents before children.
CHILDREN = {
    "support_cases": (
        "case_messages",
        "case_events",
        "case_attachments",
        "case_mediations",
        "support_case_handlers",
        "notifications",
    ),
    "posting_applications": ("posting_stage_changes",),
    "roster_alts": ("roster_assignments", "transfer_requests", "transfer_events"),
}


def _rebuild(table: str, alter: Callable[[BatchOperations], None]) -> None:
    """Alter `table`, keeping the rows that hang on it when SQLite rebuilds it (its DROP would
    cascade to them); PostgreSQL alters in place."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    children = CHILDREN[table] if sqlite else ()
    for child in children:
        op.execute(f"CREATE TEMPORARY TABLE keep_{child} AS SELECT * FROM {child}")
    with op.batch_alter_table(table, schema=None) as batch_op:
        alter(batch_op)
    for child in reversed(children):  # whatever the rebuild left, children first
        op.execute(f"DELETE FROM {child}")
    for child in children:
        op.execute(f"INSERT INTO {child} SELECT * FROM keep_{child}")
        op.execute(f"DROP TABLE keep_{child}")


def _user_link(
    table: str, column: str, *, nullable: bool, ondelete: str
) -> Callable[[BatchOperations], None]:
    name = op.f(f"fk_{table}_{column}_users")

    def alter(batch_op: BatchOperations) -> None:
        batch_op.drop_constraint(name, type_="foreignkey")
        batch_op.alter_column(column, existing_type=sa.Integer(), nullable=nullable)
        batch_op.create_foreign_key(name, "users", [column], ["id"], ondelete=ondelete)

    return alter


def _home(*, nullable: bool) -> Callable[[BatchOperations], None]:
    def alter(batch_op: BatchOperations) -> None:
        for column in ("home_latitude", "home_longitude"):
            batch_op.alter_column(column, existing_type=sa.Float(), nullable=nullable)

    return alter


def upgrade() -> None:
    op.create_table(
        "retained_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("keep_until", sa.Date(), nullable=False),
        sa.CheckConstraint(ENTITIES, name=op.f("ck_retained_records_entity")),
        sa.CheckConstraint(KINDS, name=op.f("ck_retained_records_kind")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retained_records")),
        sa.UniqueConstraint("entity", "entity_id", name="uq_retained_records_entity"),
    )
    with op.batch_alter_table("retained_records", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_retained_records_keep_until"), ["keep_until"], unique=False
        )
    _rebuild(
        "support_cases",
        _user_link("support_cases", "alt_user_id", nullable=True, ondelete="SET NULL"),
    )
    _rebuild(
        "posting_applications",
        _user_link("posting_applications", "user_id", nullable=True, ondelete="SET NULL"),
    )
    _rebuild("roster_alts", _home(nullable=True))


def downgrade() -> None:
    op.execute("DELETE FROM support_cases WHERE alt_user_id IS NULL")
    op.execute("DELETE FROM posting_applications WHERE user_id IS NULL")
    op.execute("UPDATE roster_alts SET home_latitude = 0 WHERE home_latitude IS NULL")
    op.execute("UPDATE roster_alts SET home_longitude = 0 WHERE home_longitude IS NULL")
    _rebuild("roster_alts", _home(nullable=False))
    _rebuild(
        "posting_applications",
        _user_link("posting_applications", "user_id", nullable=False, ondelete="CASCADE"),
    )
    _rebuild(
        "support_cases",
        _user_link("support_cases", "alt_user_id", nullable=False, ondelete="CASCADE"),
    )
    with op.batch_alter_table("retained_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_retained_records_keep_until"))
    op.drop_table("retained_records")
