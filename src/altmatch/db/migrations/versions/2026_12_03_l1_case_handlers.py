"""Record who each support case reached: `support_case_handlers` (case, user, level, role).

Until now who could handle a case was re-derived from today's routing table, so anyone who put
themselves on the route could read the confidential cases that had already reached it. The
services now record the handlers a case reaches (when it opens, escalates, or reaches a level
that had nobody routed) and check only those rows.

Back-fill: each case still open (not resolved) at migration time gets, for every level it has
reached, the handlers on the routing table in force at migration time; that is the best record
there is of who it reached. Resolved cases get none: only the ALT (and, for a case that is not
confidential, the employer's staff) still see them, and reopening one routes it again by the
table of that day. The downgrade drops the table.

Plain Core on purpose: the models change later, this must not.

Revision ID: l1_case_handlers
Revises: k1_alternate_lists
Create Date: 2026-12-03 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from altmatch.clock import utc_now

revision: str = "l1_case_handlers"
down_revision: str | Sequence[str] | None = "k1_alternate_lists"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROLES = (
    "role IN ('supervisor', 'section_chief', 'programme_adviser', 'support_desk', 'area_manager')"
)
# The route of each hiring path, level 1 first (domain.support.ROUTE_BY_PATH when written).
ROUTE_BY_PATH = {
    "jet": ("supervisor", "section_chief", "programme_adviser"),
    "direct_hire": ("supervisor", "section_chief"),
    "dispatch": ("support_desk", "area_manager"),
}

_cases = sa.table(
    "support_cases",
    sa.column("id", sa.Integer()),
    sa.column("path", sa.String()),
    sa.column("employer_id", sa.Integer()),
    sa.column("adviser_org_id", sa.Integer()),
    sa.column("status", sa.String()),
    sa.column("level", sa.Integer()),
)
_routes = sa.table(
    "support_routes",
    sa.column("organisation_id", sa.Integer()),
    sa.column("role", sa.String()),
    sa.column("user_id", sa.Integer()),
)


def upgrade() -> None:
    handlers = op.create_table(
        "support_case_handlers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=24), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(ROLES, name=op.f("ck_support_case_handlers_role")),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["support_cases.id"],
            name=op.f("fk_support_case_handlers_case_id_support_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_support_case_handlers_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_case_handlers")),
        sa.UniqueConstraint("case_id", "level", "user_id", name="uq_support_case_handlers_handler"),
    )
    with op.batch_alter_table("support_case_handlers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_support_case_handlers_case_id"), ["case_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_support_case_handlers_user_id"), ["user_id"], unique=False
        )

    bind = op.get_bind()
    routed: dict[tuple[int, str], list[int]] = {}
    for org, role, user_id in bind.execute(
        sa.select(_routes.c.organisation_id, _routes.c.role, _routes.c.user_id).order_by(
            _routes.c.user_id
        )
    ):
        routed.setdefault((org, role), []).append(user_id)
    now = utc_now()
    rows = []
    open_cases = sa.select(
        _cases.c.id, _cases.c.path, _cases.c.employer_id, _cases.c.adviser_org_id, _cases.c.level
    ).where(_cases.c.status != "resolved")
    for case_id, path, employer_id, adviser_org_id, level in bind.execute(open_cases):
        roles = ROUTE_BY_PATH.get(path, ())
        for at_level, role in enumerate(roles[: max(level, 0)], start=1):
            org = adviser_org_id if role == "programme_adviser" else employer_id
            for user_id in routed.get((org, role), []) if org is not None else []:
                rows.append(
                    {
                        "case_id": case_id,
                        "user_id": user_id,
                        "level": at_level,
                        "role": role,
                        "added_at": now,
                    }
                )
    if rows:
        op.bulk_insert(handlers, rows)


def downgrade() -> None:
    with op.batch_alter_table("support_case_handlers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_support_case_handlers_user_id"))
        batch_op.drop_index(batch_op.f("ix_support_case_handlers_case_id"))
    op.drop_table("support_case_handlers")
