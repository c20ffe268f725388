"""Everything altmatch holds about one person, across the contexts: the APPI export of it and
its erasure when the person deletes their account.

It reads every context (season, dispatch, direct hire, support, accounts), so it sits beside
them as a loose service module rather than inside any one of them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from altmatch.clock import utc_now
from altmatch.db import Sessions
from altmatch.db import accounts as repo
from altmatch.db.audit import audit_entries_about_user
from altmatch.domain.access import Actor, NotFoundError, Permission, require
from altmatch.i18n import N_, Message
from altmatch.services.accounts.users import normalise_email, user_out
from altmatch.services.kernel.audit import record_audit
from altmatch.services.kernel.errors import RuleError


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def export_my_data(
    sessions: Sessions, actor: Actor, *, now: datetime | None = None
) -> dict[str, Any]:
    """Everything stored about the signed-in user, as JSON-ready data (APPI disclosure).

    Session token hashes are left out: they are secrets, not information about the person.
    Areas added later (applications, placements) add their own section here.
    """
    with sessions() as session:
        user = repo.get_user(session, actor.own_user_id())
        if user is None:
            raise NotFoundError("user")
        account = user_out(session, user).model_dump(mode="json")
        return {
            "exported_at": (now or utc_now()).isoformat(),
            "account": account,
            "sessions": [
                {
                    "created_at": _iso(s.created_at),
                    "expires_at": _iso(s.expires_at),
                    "revoked_at": _iso(s.revoked_at),
                    "last_seen_at": _iso(s.last_seen_at),
                }
                for s in repo.list_user_sessions(session, user.id)
            ],
            "sign_in_attempts": [
                {"at": _iso(a.at), "ip": a.ip, "success": a.success}
                for a in repo.list_login_attempts(session, user.email)
            ],
            "audit_log": [
                {
                    "at": _iso(e.at),
                    "action": e.action,
                    "entity": e.entity,
                    "entity_id": e.entity_id,
                    "by_you": e.actor_user_id == user.id,
                    "before": e.before,
                    "after": e.after,
                }
                for e in audit_entries_about_user(session, user.id)
            ],
        }


def delete_my_account(sessions: Sessions, actor: Actor, *, confirm_email: str) -> None:
    """Delete the candidate's account, sessions and sign-in records (APPI), once they have
    typed their email to confirm. Audit entries stay, holding ids but no personal details."""
    require(actor, Permission.APPLICATION_EDIT_OWN)
    with sessions.begin() as session:
        user = repo.get_user(session, actor.own_user_id())
        if user is None:
            raise NotFoundError("user")
        if normalise_email(confirm_email) != user.email:
            raise RuleError(
                Message(N_("Type your email address exactly to confirm.")), "confirm_email"
            )
        before = {"role": user.role, "consent_version": user.consent_version}
        record_audit(session, actor, "user.deleted", "user", user.id, before, None)
        repo.delete_user(session, user)
