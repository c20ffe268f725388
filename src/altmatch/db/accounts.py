"""Repository for organisations, users, sessions and sign-in attempts; callers commit."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from altmatch.db.models import LoginAttempt, Organisation, User, UserSession


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
) -> User:
    """Add a user (the email must already be normalised) and flush so its id is known."""
    user = User(
        created_at=created_at or datetime.now(UTC),
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


def list_users(session: Session, *, organisation_id: int | None = None) -> list[User]:
    query = select(User).order_by(User.id)
    if organisation_id is not None:
        query = query.where(User.organisation_id == organisation_id)
    return list(session.scalars(query))


def delete_user(session: Session, user: User) -> None:
    """Remove the user, their sessions and the sign-in attempts made with their email."""
    session.execute(delete(UserSession).where(UserSession.user_id == user.id))
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


def revoke_user_sessions(session: Session, user_id: int, *, at: datetime) -> int:
    """Revoke every live session of a user (after a password reset); returns how many."""
    result = session.execute(
        update(UserSession)
        .where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
        .values(revoked_at=at)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def add_login_attempt(
    session: Session, *, email: str, ip: str, success: bool, at: datetime
) -> LoginAttempt:
    attempt = LoginAttempt(email=email, ip=ip, success=success, at=at)
    session.add(attempt)
    session.flush()
    return attempt


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
    query = select(LoginAttempt.at).where(LoginAttempt.success.is_(False), LoginAttempt.at > since)
    if email is not None:
        query = query.where(LoginAttempt.email == email)
    if ip is not None:
        query = query.where(LoginAttempt.ip == ip)
    return list(session.scalars(query.order_by(LoginAttempt.at)))


def list_login_attempts(session: Session, email: str) -> list[LoginAttempt]:
    query = select(LoginAttempt).where(LoginAttempt.email == email).order_by(LoginAttempt.id)
    return list(session.scalars(query))
