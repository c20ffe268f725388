"""Confirmed e-mail addresses: `users.email_verified_at`, and `email_tokens`, the account
e-mails (address confirmations, sign-up notices, invitations) with their single-use links.

An imported application is now linked only to an account whose address is confirmed, so that
signing up first with someone else's address wins nothing.

Back-fill: an account made by an administrator (or the operator) counts as confirmed from when
it was made, since whoever made it vouched for the address: every account that is not a
candidate's, and every candidate's account without a recorded consent (sign-up always records
one; the administrators' commands never do). Candidates who signed up themselves stay
unconfirmed, applications already linked to them included: they see those again once they
confirm their address (a new link from their account page).

The downgrade drops both. On SQLite the column goes with `ALTER TABLE ... DROP COLUMN`, not a
batch rebuild: dropping and re-creating `users` with foreign keys on would empty or unlink every
table that refers to it (sessions, applications, cases).

Plain Core on purpose: the models change later, this must not.

Revision ID: m2_email_verification
Revises: m1_job_scopes
Create Date: 2026-12-07 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "m2_email_verification"
down_revision: str | Sequence[str] | None = "m1_job_scopes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_users = sa.table(
    "users",
    sa.column("role", sa.String()),
    sa.column("consent_version", sa.String()),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("email_verified_at", sa.DateTime(timezone=True)),
)


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("email_verified_at", sa.DateTime(timezone=True), nullable=True)
        )
    vouched = sa.or_(_users.c.role != "candidate", _users.c.consent_version.is_(None))
    op.execute(_users.update().where(vouched).values(email_verified_at=_users.c.created_at))
    op.create_table(
        "email_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=8), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("season_candidate_id", sa.Integer(), nullable=True),
        sa.Column("locale", sa.String(length=5), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "purpose IN ('verify', 'invite', 'taken')", name=op.f("ck_email_tokens_purpose")
        ),
        sa.ForeignKeyConstraint(
            ["season_candidate_id"],
            ["season_candidates.id"],
            name=op.f("fk_email_tokens_season_candidate_id_season_candidates"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_email_tokens_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_email_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_email_tokens_token_hash")),
    )
    with op.batch_alter_table("email_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_email_tokens_email"), ["email"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_email_tokens_season_candidate_id"), ["season_candidate_id"], unique=False
        )
        batch_op.create_index(
            "ix_email_tokens_sent_at_created_at", ["sent_at", "created_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_email_tokens_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("email_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_email_tokens_user_id"))
        batch_op.drop_index("ix_email_tokens_sent_at_created_at")
        batch_op.drop_index(batch_op.f("ix_email_tokens_season_candidate_id"))
        batch_op.drop_index(batch_op.f("ix_email_tokens_email"))
    op.drop_table("email_tokens")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE users DROP COLUMN email_verified_at")  # SQLite 3.35 and later
    else:
        op.drop_column("users", "email_verified_at")
