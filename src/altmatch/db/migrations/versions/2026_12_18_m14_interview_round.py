"""The interview round (issue 19): panels, sessions, slots, conflicts, score sheets; assessors.

- `interview_panels`: an office's panel in a season (code unique in the season), room, mode.
- `panel_assessors`: who sits on a panel, with their background.
- `interview_sessions`: one panel's interviews on one day on the office's clock.
- `interview_slots`: the session's interviews as instants; a booking sets `candidate_id`
  (unique: one slot per application), with the candidate's moves and the reminders sent.
- `interview_conflicts`: an assessor's declared conflict of interest with an application.
- `interview_score_sheets`: an assessor's rubric scores for an application, saved whole.

Users may now have the role `assessor`: the role's CHECK is rebuilt. On SQLite that rebuilds
`users`, which every table references, so this migration asks the runner to switch SQLite's
foreign keys off for it and check them afterwards (`sqlite_foreign_keys_off`,
altmatch.db.migrate); a DROP of `users` with them on would cascade. The downgrade keeps assessor
accounts (the audit log names them) but disables them, as candidates without an organisation, so
nobody gains access by it.

Plain Core on purpose: the models change later, this must not.

Revision ID: m14_interview_round
Revises: m12_recruitment
Create Date: 2026-12-18 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "m14_interview_round"
down_revision: str | Sequence[str] | None = "m12_recruitment"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
sqlite_foreign_keys_off = True


OLD_ROLES = "role IN ('admin', 'coordinator', 'boe_staff', 'company_staff', 'candidate', 'alt')"
NEW_ROLES = (
    "role IN ('admin', 'coordinator', 'boe_staff', 'company_staff', 'candidate', 'alt', 'assessor')"
)


def _roles(check: str) -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_users_role"), type_="check")
        batch_op.create_check_constraint("role", check)


def upgrade() -> None:
    _roles(NEW_ROLES)
    op.create_table(
        "interview_panels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("season_id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("room", sa.String(length=200), nullable=False),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "mode IN ('in_person', 'remote')", name=op.f("ck_interview_panels_mode")
        ),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
            name=op.f("fk_interview_panels_created_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["office_id"],
            ["recruiting_offices.id"],
            name=op.f("fk_interview_panels_office_id_recruiting_offices"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["season_id"],
            ["seasons.id"],
            name=op.f("fk_interview_panels_season_id_seasons"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interview_panels")),
        sa.UniqueConstraint("season_id", "code", name="uq_interview_panels_code"),
    )
    with op.batch_alter_table("interview_panels", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_interview_panels_office_id"), ["office_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_interview_panels_season_id"), ["season_id"], unique=False
        )

    op.create_table(
        "interview_conflicts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessor_id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("declared_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessor_id"],
            ["users.id"],
            name=op.f("fk_interview_conflicts_assessor_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["season_candidates.id"],
            name=op.f("fk_interview_conflicts_candidate_id_season_candidates"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interview_conflicts")),
        sa.UniqueConstraint("assessor_id", "candidate_id", name="uq_interview_conflicts_pair"),
    )
    with op.batch_alter_table("interview_conflicts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_interview_conflicts_assessor_id"), ["assessor_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_interview_conflicts_candidate_id"), ["candidate_id"], unique=False
        )

    op.create_table(
        "interview_score_sheets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("panel_id", sa.Integer(), nullable=False),
        sa.Column("assessor_id", sa.Integer(), nullable=False),
        sa.Column("scores", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessor_id"],
            ["users.id"],
            name=op.f("fk_interview_score_sheets_assessor_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["season_candidates.id"],
            name=op.f("fk_interview_score_sheets_candidate_id_season_candidates"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["panel_id"],
            ["interview_panels.id"],
            name=op.f("fk_interview_score_sheets_panel_id_interview_panels"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interview_score_sheets")),
        sa.UniqueConstraint("candidate_id", "assessor_id", name="uq_interview_score_sheets_pair"),
    )
    with op.batch_alter_table("interview_score_sheets", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_interview_score_sheets_candidate_id"), ["candidate_id"], unique=False
        )
        batch_op.create_index("ix_interview_score_sheets_panel", ["panel_id"], unique=False)

    op.create_table(
        "interview_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("panel_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("starts", sa.Time(), nullable=False),
        sa.Column("ends", sa.Time(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("gap_minutes", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.CheckConstraint("ends > starts", name=op.f("ck_interview_sessions_order")),
        sa.CheckConstraint(
            "minutes > 0 AND gap_minutes >= 0", name=op.f("ck_interview_sessions_lengths")
        ),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
            name=op.f("fk_interview_sessions_created_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["panel_id"],
            ["interview_panels.id"],
            name=op.f("fk_interview_sessions_panel_id_interview_panels"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interview_sessions")),
    )
    with op.batch_alter_table("interview_sessions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_interview_sessions_panel_id"), ["panel_id"], unique=False
        )

    op.create_table(
        "panel_assessors",
        sa.Column("panel_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("background", sa.String(length=32), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("added_by", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "background IN ('officer', 'former_participant', 'educator', 'other')",
            name=op.f("ck_panel_assessors_background"),
        ),
        sa.ForeignKeyConstraint(
            ["added_by"],
            ["users.id"],
            name=op.f("fk_panel_assessors_added_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["panel_id"],
            ["interview_panels.id"],
            name=op.f("fk_panel_assessors_panel_id_interview_panels"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_panel_assessors_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("panel_id", "user_id", name=op.f("pk_panel_assessors")),
    )
    with op.batch_alter_table("panel_assessors", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_panel_assessors_user_id"), ["user_id"], unique=False)

    op.create_table(
        "interview_slots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("panel_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=True),
        sa.Column("booked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("booked_by", sa.Integer(), nullable=True),
        sa.Column("moves", sa.Integer(), nullable=False),
        sa.Column("reminders_sent", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["booked_by"],
            ["users.id"],
            name=op.f("fk_interview_slots_booked_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["season_candidates.id"],
            name=op.f("fk_interview_slots_candidate_id_season_candidates"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["panel_id"],
            ["interview_panels.id"],
            name=op.f("fk_interview_slots_panel_id_interview_panels"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["interview_sessions.id"],
            name=op.f("fk_interview_slots_session_id_interview_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interview_slots")),
        sa.UniqueConstraint("candidate_id", name="uq_interview_slots_candidate"),
    )
    with op.batch_alter_table("interview_slots", schema=None) as batch_op:
        batch_op.create_index(
            "ix_interview_slots_panel_start", ["panel_id", "starts_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_interview_slots_session_id"), ["session_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("interview_slots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interview_slots_session_id"))
        batch_op.drop_index("ix_interview_slots_panel_start")

    op.drop_table("interview_slots")
    with op.batch_alter_table("panel_assessors", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_panel_assessors_user_id"))

    op.drop_table("panel_assessors")
    with op.batch_alter_table("interview_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interview_sessions_panel_id"))

    op.drop_table("interview_sessions")
    with op.batch_alter_table("interview_score_sheets", schema=None) as batch_op:
        batch_op.drop_index("ix_interview_score_sheets_panel")
        batch_op.drop_index(batch_op.f("ix_interview_score_sheets_candidate_id"))

    op.drop_table("interview_score_sheets")
    with op.batch_alter_table("interview_conflicts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interview_conflicts_candidate_id"))
        batch_op.drop_index(batch_op.f("ix_interview_conflicts_assessor_id"))

    op.drop_table("interview_conflicts")
    with op.batch_alter_table("interview_panels", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interview_panels_season_id"))
        batch_op.drop_index(batch_op.f("ix_interview_panels_office_id"))

    op.drop_table("interview_panels")
    op.execute(
        "UPDATE users SET role = 'candidate', disabled = true, organisation_id = NULL"
        " WHERE role = 'assessor'"
    )
    _roles(OLD_ROLES)
