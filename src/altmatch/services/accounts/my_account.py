"""A person's own account: candidate sign-up with consent, and APPI export and deletion."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from altmatch.clock import utc_now
from altmatch.db import Sessions
from altmatch.db import accounts as repo
from altmatch.db.audit import audit_entries_about_user
from altmatch.domain.access import Actor, NotFoundError, Permission, Role, require
from altmatch.i18n import N_, Message
from altmatch.services.accounts.authentication import (
    SignedIn,
    SignInPolicy,
    actor_for,
    open_session,
)
from altmatch.services.accounts.consent import CONSENT_VERSION
from altmatch.services.accounts.users import add_user_in, normalise_email, user_out
from altmatch.services.kernel.audit import record_audit
from altmatch.services.kernel.errors import RuleError


def sign_up_candidate(
    sessions: Sessions,
    *,
    email: str,
    display_name: str,
    password: str,
    locale: str,
    consent_version: str | None,
    policy: SignInPolicy | None = None,
    replacing_token: str | None = None,
    now: datetime | None = None,
) -> SignedIn:
    """Create a candidate's account and sign them in.

    `consent_version` must be the version of the consent text they were shown and agreed to;
    an older one means the text changed under them, so they must read it again.
    """
    if consent_version != CONSENT_VERSION:
        raise RuleError(Message(N_("Please read and accept the consent text.")), "consent")
    now = now or utc_now()
    with sessions.begin() as session:
        user = add_user_in(
            session,
            actor=None,
            email=email,
            display_name=display_name,
            role=Role.CANDIDATE,
            password=password,
            locale=locale,
            consent_version=consent_version,
            now=now,
        )
        after = {"consent_version": consent_version}
        record_audit(
            session, actor_for(session, user), "user.consented", "user", user.id, None, after
        )
        return open_session(
            session, user, policy=policy or SignInPolicy(), now=now, replacing_token=replacing_token
        )


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
