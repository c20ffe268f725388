"""A person's own account: candidate sign-up with consent, and changing one's password.
(Their APPI export and deletion read every context: services.personal_data.)"""

from __future__ import annotations

from datetime import datetime

from altmatch.clock import utc_now
from altmatch.db import Sessions
from altmatch.db import accounts as repo
from altmatch.domain.access import Actor, NotFoundError, Role
from altmatch.i18n import N_, Message
from altmatch.services.accounts.authentication import (
    SignInPolicy,
    actor_for,
    end_other_sessions,
    limit_sign_ups,
)
from altmatch.services.accounts.consent import CONSENT_VERSION
from altmatch.services.accounts.email_links import queue_taken_notice_in, queue_verification_in
from altmatch.services.accounts.passwords import check_password, hash_password, password_problem
from altmatch.services.accounts.users import (
    DuplicateEmailError,
    add_user_in,
    normalise_email,
)
from altmatch.services.kernel.audit import record_audit
from altmatch.services.kernel.errors import RuleError

SIGN_UP_ANSWER = Message(
    N_(
        "Thank you. We are sending an e-mail to this address: follow its link to confirm the "
        "address, and sign in with your email address and the password you chose. Until the "
        "address is confirmed, your account shows no application. If this address already had "
        "an account, nothing was changed, and the e-mail says what to do."
    )
)


def sign_up_candidate(
    sessions: Sessions,
    *,
    email: str,
    display_name: str,
    password: str,
    locale: str,
    consent_version: str | None,
    ip: str,
    policy: SignInPolicy | None = None,
    now: datetime | None = None,
) -> Message:
    """Create a candidate's account, unconfirmed, and queue an e-mail with a link that
    confirms its address (services.accounts.email_links; services.accounts.mail sends it).

    The answer (SIGN_UP_ANSWER) is the same whether or not the email already has an account,
    so sign-up does not tell anyone which addresses are registered: for a taken one nothing
    is created or changed, the attempt costs the same hashing time, the audit log notes it
    against the existing account, and the address gets one e-mail all the same: a notice that
    someone tried to sign up with it (with a link to confirm or set up the account while it is
    unconfirmed), which tells its owner, and only them, what happened. Tries are limited per
    address and per client (SignUpLimitedError), which also bounds the e-mails. The e-mail is
    sent after the answer, so its sending time tells nothing either. `consent_version` must be
    the version of the consent text they were shown and agreed to; an older one means the text
    changed under them.
    """
    if consent_version != CONSENT_VERSION:
        raise RuleError(Message(N_("Please read and accept the consent text.")), "consent")
    now = now or utc_now()
    policy = policy or SignInPolicy()
    address = normalise_email(email)
    try:
        with sessions.begin() as session:
            limit_sign_ups(session, email=address, ip=ip, policy=policy, now=now)
            user = add_user_in(
                session,
                actor=None,
                email=email,
                display_name=display_name,
                role=Role.CANDIDATE,
                password=password,
                email_verified=False,
                locale=locale,
                consent_version=consent_version,
                now=now,
            )
            after = {"consent_version": consent_version}
            record_audit(
                session, actor_for(session, user), "user.consented", "user", user.id, None, after
            )
            queue_verification_in(session, user, now)
    except DuplicateEmailError:
        hash_password(password)  # as long as creating the account would have taken
        with sessions.begin() as session:
            repo.add_sign_up_attempt(session, email=address, ip=ip, at=now)
            existing = repo.get_user_by_email(session, address)
            user_id = existing.id if existing else None
            tenant = existing.organisation_id if existing else None
            if existing is not None:
                queue_taken_notice_in(session, existing, now)
            record_audit(
                session,
                None,
                "user.sign_up_repeated",
                "user",
                user_id,
                None,
                None,
                tenant_id=tenant,
            )
    return SIGN_UP_ANSWER


def change_password(
    sessions: Sessions,
    actor: Actor,
    *,
    current_password: str,
    new_password: str,
    keep_token: str | None = None,
    now: datetime | None = None,
) -> int:
    """Change one's own password, proving the current one; every other session ends (whoever
    knew the old password is signed out), the one `keep_token` opened stays. Returns how many
    sessions ended."""
    now = now or utc_now()
    if problem := password_problem(new_password):
        raise RuleError(problem, "new_password")
    with sessions.begin() as session:
        user = repo.get_user(session, actor.own_user_id())
        if user is None:
            raise NotFoundError("user")
        if not check_password(user.password_hash, current_password).ok:
            raise RuleError(Message(N_("Your current password is not right.")), "current_password")
        user.password_hash = hash_password(new_password)
        revoked = end_other_sessions(session, user.id, keep_token, now=now)
        after = {"sessions_revoked": revoked}
        record_audit(session, actor, "user.password_changed", "user", user.id, None, after)
        return revoked
