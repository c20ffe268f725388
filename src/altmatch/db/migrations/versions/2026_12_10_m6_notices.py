"""Notices for every event: a link on each notice, e-mail preferences, one-off markers.

- `notifications.link`: the in-app path a notice points to (nullable; older notices have none);
- `notifications.email_skipped_at`: set by the mail sweep instead of `emailed_at` when the
  reader chose not to have that kind of notice e-mailed;
- `notification_preferences`: per user and kind group, whether notices are e-mailed too (no row
  means yes, as before);
- `notice_markers`: keys of one-off notices already sent (e.g. a BoE's requests locked for a
  season), so the periodic sweep sends each once.

Revision ID: m6_notices
Revises: m5_first_places
Create Date: 2026-12-10 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "m6_notices"
down_revision: str | Sequence[str] | None = "m5_first_places"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("link", sa.String(length=300), nullable=True))
        batch_op.add_column(
            sa.Column("email_skipped_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.create_index(
            batch_op.f("ix_notifications_user_id_read_at"), ["user_id", "read_at"], unique=False
        )
    op.create_table(
        "notification_preferences",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind_group", sa.String(length=24), nullable=False),
        sa.Column("email", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_notification_preferences_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "kind_group", name=op.f("pk_notification_preferences")),
    )
    op.create_table(
        "notice_markers",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_notice_markers")),
    )


def downgrade() -> None:
    op.drop_table("notice_markers")
    op.drop_table("notification_preferences")
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notifications_user_id_read_at"))
        batch_op.drop_column("email_skipped_at")
        batch_op.drop_column("link")
