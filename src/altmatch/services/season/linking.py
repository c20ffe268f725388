"""Which account an imported application belongs to: only one whose address is confirmed.

A candidates file names each application's e-mail. An application is linked to the candidate
account with that address only once the address is proven (services.accounts.email_links): at
import when the account is confirmed already, else when its holder confirms it. An import
invites each address no confirmed account holds, after its transaction commits (the invitation
is queued in it, services.accounts.mail sends it). One application per account and season, as
ever, the first imported.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from sqlalchemy.orm import Session

from altmatch.db import season as repo
from altmatch.db.models import SeasonCandidate, User
from altmatch.domain.access import Role
from altmatch.services.accounts.authentication import actor_for
from altmatch.services.accounts.email_links import queue_invitation_in
from altmatch.services.kernel.audit import record_audit


def linkable(user: User | None) -> bool:
    """An account an application may be linked to: a candidate's, its address confirmed."""
    return user is not None and user.role == Role.CANDIDATE and user.email_verified_at is not None


def link_applications_in(session: Session, user: User) -> list[int]:
    """Link to `user` the applications in open seasons that carry its confirmed address and no
    account yet, one per season (the first imported); the ids linked. Nothing for an account
    that is not `linkable`."""
    if not linkable(user):
        return []
    have = repo.season_ids_of_user(session, user.id)
    actor = actor_for(session, user)
    linked = []
    for row in repo.unlinked_candidates_with_email(session, user.email):
        if row.season_id in have:
            continue
        row.user_id = user.id
        have.add(row.season_id)
        linked.append(row.id)
        season = repo.get_season(session, row.season_id)
        tenant = season.programme_id if season else None
        after = {"user_id": user.id}
        record_audit(
            session,
            actor,
            "application.linked",
            "season_candidate",
            row.id,
            None,
            after,
            tenant_id=tenant,
        )
    session.flush()
    return linked


def invite_unlinked_in(
    session: Session, rows: Iterable[SeasonCandidate], accounts: Mapping[str, User], now: datetime
) -> int:
    """Queue one invitation per address among `rows` (just imported, flushed) that no
    confirmed account holds, in the language of the unconfirmed account it has, if any (else
    English and Japanese); how many."""
    invited: set[str] = set()
    for row in rows:
        email = row.email
        if email is None or row.user_id is not None or email in invited:
            continue
        account = accounts.get(email)
        if account is not None and account.email_verified_at is not None:
            continue  # its holder knows; a second application in a season stays unlinked
        invited.add(email)
        locale = account.locale if account is not None else None
        queue_invitation_in(
            session, email=email, season_candidate_id=row.id, locale=locale, now=now
        )
    return len(invited)
