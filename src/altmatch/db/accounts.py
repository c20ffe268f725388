"""Repository for organisations, users, sessions, sign-in attempts, second-factor rows and
account e-mails; callers commit."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.orm import Session

from altmatch.clock import utc_now
from altmatch.db.models import (
    EmailToken,
    LoginAttempt,
    Organisation,
    RecoveryCode,
    SignInChallenge,
    User,
    UserSession,
)


def add_organisation(
    session: Session,
    *,
    kind: str,
    name_en: str,
    name_ja: str,
    prefecture: str | None = None,
    municipality: str | None = None,
    programme_id: int | None = None,
) -> Organisation:
    """Add an organisation and flush so its id is known."""
    organisation = Organisation(
        kind=kind,
        name_en=name_en,
        name_ja=name_ja,
        prefecture=prefecture,
        municipality=municipality,
        programme_id=programme_id,
    )
    session.add(organisation)
    session.flush()
    return organisation


def get_organisation(session: Session, organisation_id: int) -> Organisation | None:
    return session.get(Organisation, organisation_id)


def list_organisations(session: Session) -> list[Organisation]:
    return list(session.scalars(select(Organisation).order_by(Organisation.id)))


def programme_member_ids(session: Session, programme_id: int) -> set[int]:
    """The programme itself and every organisation taking part in it."""
    query = select(Organisation.id).where(Organisation.programme_id == programme_id)
    return {programme_id, *session.scalars(query)}


def add_user(
    session: Session,
    *,
    email: str,
    display_name: str,
    password_hash: str,
    role: str,
    organisation_id: int | None,
    locale: str,
    consent_version: str | None = None,
    consented_at: datetime | None = None,
    created_at: datetime | None = None,
    email_verified_at: datetime | None = None,
) -> User:
    """Add a user (the email must already be normalised) and flush so its id is known."""
    user = User(
        created_at=created_at or utc_now(),
        email_verified_at=email_verified_at,
        email=email,
        display_name=display_name,
        password_hash=password_hash,
        role=role,
        organisation_id=organisation_id,
        locale=locale,
        disabled=False,
        consent_version=consent_version,
        consented_at=consented_at,
    )
    session.add(user)
    session.flush()
    return user


def get_user(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def get_user_by_email(session: Session, email: str) -> User | None:
    return session.scalars(select(User).where(User.email == email)).one_or_none()


EMAILS_PER_QUERY = 900  # bound parameters per query: under SQLite's oldest limit (999)


def users_by_emails(session: Session, emails: Collection[str]) -> dict[str, User]:
    """The accounts holding these (normalised) addresses, by address."""
    wanted = sorted(set(emails))
    found: dict[str, User] = {}
    for start in range(0, len(wanted), EMAILS_PER_QUERY):
        part = select(User).where(User.email.in_(wanted[start : start + EMAILS_PER_QUERY]))
        found.update((user.email, user) for user in session.scalars(part))
    return found


def list_users(session: Session, *, organisation_id: int | None = None) -> list[User]:
    query = select(User).order_by(User.id)
    if organisation_id is not None:
        query = query.where(User.organisation_id == organisation_id)
    return list(session.scalars(query))


def display_names(session: Session, user_ids: Collection[int]) -> dict[int, str]:
    """Each user's display name by id (unknown ids are left out)."""
    if not user_ids:
        return {}
    query = select(User.id, User.display_name).where(User.id.in_(list(user_ids)))
    return {i: name for i, name in session.execute(query)}


def delete_user(session: Session, user: User) -> None:
    """Remove the user, their sessions, second-factor rows and the sign-in attempts made with
    their email."""
    session.execute(delete(UserSession).where(UserSession.user_id == user.id))
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    session.execute(delete(SignInChallenge).where(SignInChallenge.user_id == user.id))
    session.execute(delete(LoginAttempt).where(LoginAttempt.email == user.email))
    session.delete(user)
    session.flush()


def add_user_session(
    session: Session, *, token_hash: str, user_id: int, created_at: datetime, expires_at: datetime
) -> UserSession:
    row = UserSession(
        token_hash=token_hash,
        user_id=user_id,
        created_at=created_at,
        expires_at=expires_at,
        last_seen_at=created_at,
    )
    session.add(row)
    session.flush()
    return row


def get_user_session(session: Session, token_hash: str) -> UserSession | None:
    query = select(UserSession).where(UserSession.token_hash == token_hash)
    return session.scalars(query).one_or_none()


def list_user_sessions(session: Session, user_id: int) -> list[UserSession]:
    query = select(UserSession).where(UserSession.user_id == user_id).order_by(UserSession.id)
    return list(session.scalars(query))


def revoke_user_sessions(
    session: Session, user_id: int, *, at: datetime, keeping_token_hash: str | None = None
) -> int:
    """Revoke every live session of a user (after a password reset), or every one but the
    session `keeping_token_hash` names; returns how many."""
    query = update(UserSession).where(
        UserSession.user_id == user_id, UserSession.revoked_at.is_(None)
    )
    if keeping_token_hash is not None:
        query = query.where(UserSession.token_hash != keeping_token_hash)
    result = session.execute(query.values(revoked_at=at))
    return int(getattr(result, "rowcount", 0) or 0)


# Sign-up attempts share login_attempts (no table of their own): their `ip` carries this
# prefix, so no sign-in query (an exact address, or `_not_sign_up`) ever counts them.
SIGN_UP_MARK = "sign-up:"


def _not_sign_up() -> ColumnElement[bool]:
    return LoginAttempt.ip.not_like(f"{SIGN_UP_MARK}%")


def add_login_attempt(
    session: Session, *, email: str, ip: str, success: bool, at: datetime
) -> LoginAttempt:
    attempt = LoginAttempt(email=email, ip=ip, success=success, at=at)
    session.add(attempt)
    session.flush()
    return attempt


def add_sign_up_attempt(session: Session, *, email: str, ip: str, at: datetime) -> None:
    row = LoginAttempt(email=email[:254], ip=f"{SIGN_UP_MARK}{ip}"[:64], success=False, at=at)
    session.add(row)
    session.flush()


def sign_up_times(
    session: Session, *, since: datetime, email: str | None = None, ip: str | None = None
) -> list[datetime]:
    """When the sign-ups after `since` were tried (for one email or one address), oldest
    first."""
    query = select(LoginAttempt.at).where(LoginAttempt.at > since)
    if email is not None:
        query = query.where(LoginAttempt.email == email, ~_not_sign_up())
    if ip is not None:
        query = query.where(LoginAttempt.ip == f"{SIGN_UP_MARK}{ip}"[:64])
    return list(session.scalars(query.order_by(LoginAttempt.at)))


def sign_in_failures(
    session: Session, *, since: datetime, email: str
) -> tuple[int, datetime | None]:
    """How many sign-ins with `email` failed after `since`, and when the last one did."""
    query = select(func.count(LoginAttempt.id), func.max(LoginAttempt.at)).where(
        LoginAttempt.email == email,
        LoginAttempt.success.is_(False),
        LoginAttempt.at > since,
        _not_sign_up(),
    )
    count, last = session.execute(query).one()
    return int(count or 0), last


def last_success_at(session: Session, email: str) -> datetime | None:
    query = select(func.max(LoginAttempt.at)).where(
        LoginAttempt.email == email, LoginAttempt.success.is_(True)
    )
    found: datetime | None = session.scalar(query)
    return found


def failure_times(
    session: Session, *, since: datetime, email: str | None = None, ip: str | None = None
) -> list[datetime]:
    """When the failed attempts after `since` happened (for one email or one address), oldest
    first."""
    query = select(LoginAttempt.at).where(
        LoginAttempt.success.is_(False), LoginAttempt.at > since, _not_sign_up()
    )
    if email is not None:
        query = query.where(LoginAttempt.email == email)
    if ip is not None:
        query = query.where(LoginAttempt.ip == ip)
    return list(session.scalars(query.order_by(LoginAttempt.at)))


def list_login_attempts(session: Session, email: str) -> list[LoginAttempt]:
    query = select(LoginAttempt).where(LoginAttempt.email == email).order_by(LoginAttempt.id)
    return list(session.scalars(query))


def replace_recovery_codes(
    session: Session, user_id: int, code_hashes: list[str], *, at: datetime
) -> None:
    """Drop a user's recovery codes (used or not) and store the hashes of a new set."""
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
    session.add_all(
        RecoveryCode(user_id=user_id, code_hash=code_hash, created_at=at)
        for code_hash in code_hashes
    )
    session.flush()


def delete_recovery_codes(session: Session, user_id: int) -> None:
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))


def unused_recovery_code(session: Session, user_id: int, code_hash: str) -> RecoveryCode | None:
    query = select(RecoveryCode).where(
        RecoveryCode.user_id == user_id,
        RecoveryCode.code_hash == code_hash,
        RecoveryCode.used_at.is_(None),
    )
    return session.scalars(query.limit(1)).one_or_none()


def count_unused_recovery_codes(session: Session, user_id: int) -> int:
    query = select(func.count(RecoveryCode.id)).where(
        RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None)
    )
    return int(session.scalar(query) or 0)


def add_sign_in_challenge(
    session: Session, *, token_hash: str, user_id: int, created_at: datetime, expires_at: datetime
) -> SignInChallenge:
    row = SignInChallenge(
        token_hash=token_hash, user_id=user_id, created_at=created_at, expires_at=expires_at
    )
    session.add(row)
    session.flush()
    return row


def get_sign_in_challenge(session: Session, token_hash: str) -> SignInChallenge | None:
    query = select(SignInChallenge).where(SignInChallenge.token_hash == token_hash)
    return session.scalars(query).one_or_none()


def delete_sign_in_challenges(session: Session, user_id: int) -> None:
    session.execute(delete(SignInChallenge).where(SignInChallenge.user_id == user_id))


def claim_totp_step(session: Session, user_id: int, step: int) -> bool:
    """Record `step` as the user's last accepted TOTP step unless it (or a later one) already
    is: one conditional UPDATE, so two requests racing with the same code cannot both win."""
    result = session.execute(
        update(User)
        .where(
            User.id == user_id,
            (User.totp_last_step.is_(None)) | (User.totp_last_step < step),
        )
        .values(totp_last_step=step)
    )
    return int(getattr(result, "rowcount", 0) or 0) == 1


def spend_recovery_code(session: Session, code_id: int, *, at: datetime) -> bool:
    """Mark a recovery code used unless a concurrent request already did."""
    result = session.execute(
        update(RecoveryCode)
        .where(RecoveryCode.id == code_id, RecoveryCode.used_at.is_(None))
        .values(used_at=at)
    )
    return int(getattr(result, "rowcount", 0) or 0) == 1


def close_sign_in_challenge(session: Session, challenge_id: int, *, at: datetime) -> bool:
    """Mark a challenge answered unless a concurrent request already did."""
    result = session.execute(
        update(SignInChallenge)
        .where(SignInChallenge.id == challenge_id, SignInChallenge.used_at.is_(None))
        .values(used_at=at)
    )
    return int(getattr(result, "rowcount", 0) or 0) == 1


def count_challenge_try(session: Session, challenge_id: int) -> None:
    """One more wrong answer, counted in SQL so concurrent tries are not lost."""
    session.execute(
        update(SignInChallenge)
        .where(SignInChallenge.id == challenge_id)
        .values(attempts=SignInChallenge.attempts + 1)
    )


def add_email_token(
    session: Session,
    *,
    purpose: str,
    email: str,
    locale: str | None,
    created_at: datetime,
    user_id: int | None = None,
    season_candidate_id: int | None = None,
) -> EmailToken:
    """Queue an account e-mail (its token is minted when it is sent)."""
    row = EmailToken(
        purpose=purpose,
        email=email,
        locale=locale,
        created_at=created_at,
        user_id=user_id,
        season_candidate_id=season_candidate_id,
    )
    session.add(row)
    session.flush()
    return row


def unsent_email_tokens(
    session: Session,
    *,
    since: datetime,
    invitations_since: datetime,
    stale_before: datetime,
    email: str | None = None,
    limit: int,
) -> list[int]:
    """Ids of account e-mails not sent yet nor being sent (a claim before `stale_before` was
    left by a run that died), queued after `since` (invitations: `invitations_since`), oldest
    first; only those to `email` when given."""
    query = select(EmailToken.id).where(
        EmailToken.sent_at.is_(None),
        (EmailToken.claimed_at.is_(None)) | (EmailToken.claimed_at < stale_before),
        ((EmailToken.purpose == "invite") & (EmailToken.created_at > invitations_since))
        | ((EmailToken.purpose != "invite") & (EmailToken.created_at > since)),
    )
    if email is not None:
        query = query.where(EmailToken.email == email)
    return list(session.scalars(query.order_by(EmailToken.id).limit(limit)))


def claim_email_token(
    session: Session,
    token_id: int,
    *,
    at: datetime,
    stale_before: datetime,
    token_hash: str | None,
    expires_at: datetime | None,
) -> bool:
    """Take an unsent e-mail for this run and store the hash of the token it will carry; one
    conditional UPDATE, so two runs never both send it."""
    result = session.execute(
        update(EmailToken)
        .where(
            EmailToken.id == token_id,
            EmailToken.sent_at.is_(None),
            (EmailToken.claimed_at.is_(None)) | (EmailToken.claimed_at < stale_before),
        )
        .values(claimed_at=at, token_hash=token_hash, expires_at=expires_at)
    )
    return int(getattr(result, "rowcount", 0) or 0) == 1


def release_email_token(session: Session, token_id: int) -> None:
    """The send failed: nobody holds the token, and the next run may claim the e-mail again."""
    session.execute(
        update(EmailToken)
        .where(EmailToken.id == token_id)
        .values(claimed_at=None, token_hash=None, expires_at=None)
    )


def mark_email_token_sent(session: Session, token_id: int, *, at: datetime) -> None:
    session.execute(update(EmailToken).where(EmailToken.id == token_id).values(sent_at=at))


def get_email_token(session: Session, token_id: int) -> EmailToken | None:
    return session.get(EmailToken, token_id)


def email_token_by_hash(session: Session, token_hash: str) -> EmailToken | None:
    query = select(EmailToken).where(EmailToken.token_hash == token_hash)
    return session.scalars(query).one_or_none()


def spend_email_token(session: Session, token_id: int, *, at: datetime) -> bool:
    """Mark a link used unless a concurrent request already did."""
    result = session.execute(
        update(EmailToken)
        .where(EmailToken.id == token_id, EmailToken.used_at.is_(None))
        .values(used_at=at)
    )
    return int(getattr(result, "rowcount", 0) or 0) == 1


def email_tokens_queued_since(
    session: Session, *, user_id: int, purpose: str, since: datetime
) -> list[datetime]:
    """When the user's e-mails of `purpose` were queued after `since`, oldest first."""
    query = select(EmailToken.created_at).where(
        EmailToken.user_id == user_id, EmailToken.purpose == purpose, EmailToken.created_at > since
    )
    return list(session.scalars(query.order_by(EmailToken.created_at)))
