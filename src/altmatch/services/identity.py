"""Following a link mailed to an address, across contexts: the account is confirmed or set up
(services.accounts.email_links) and the applications imported for the address are linked to it
(services.season.linking), in one transaction. Accounts may not reach into the season, so the
two steps meet here, beside the contexts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from altmatch.clock import utc_now
from altmatch.db import Sessions
from altmatch.domain.access import Actor
from altmatch.services.accounts.authentication import (
    SignedIn,
    SignInPolicy,
    actor_for,
    open_session,
)
from altmatch.services.accounts.email_links import confirm_address_in, set_up_account_in
from altmatch.services.accounts.users import UserOut, user_out
from altmatch.services.kernel.audit import record_audit
from altmatch.services.season.linking import link_applications_in


@dataclass(frozen=True)
class AddressProven:
    """The account that holds the proven address, how many applications were linked to it
    now, and the session opened for it (when the link set the account up)."""

    user: UserOut
    linked: int
    signed_in: SignedIn | None = None


def confirm_my_address(
    sessions: Sessions, actor: Actor, token: str, *, now: datetime | None = None
) -> AddressProven:
    """The signed-in account holds the link's address: confirm it and link its applications."""
    now = now or utc_now()
    with sessions.begin() as session:
        user = confirm_address_in(session, actor, token, now)
        linked = link_applications_in(session, user)
        return AddressProven(user_out(session, user), len(linked))


def set_up_account_by_link(
    sessions: Sessions,
    token: str,
    *,
    display_name: str,
    password: str,
    locale: str,
    consent_version: str | None,
    policy: SignInPolicy | None = None,
    replacing_token: str | None = None,
    now: datetime | None = None,
) -> AddressProven:
    """Make (or take over) the confirmed account of the link's address, link its applications
    and sign it in."""
    now = now or utc_now()
    with sessions.begin() as session:
        user = set_up_account_in(
            session,
            token,
            display_name=display_name,
            password=password,
            locale=locale,
            consent_version=consent_version,
            now=now,
        )
        linked = link_applications_in(session, user)
        signed_in = open_session(
            session, user, policy=policy or SignInPolicy(), now=now, replacing_token=replacing_token
        )
        actor = actor_for(session, user)
        record_audit(session, actor, "sign_in", "user", user.id, None, {"via": "email_link"})
        return AddressProven(signed_in.user, len(linked), signed_in)
