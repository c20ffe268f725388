"""Repository for notices (every kind, not only support cases), their readers' e-mail
preferences and the markers of one-off notices; callers own the transaction and commit."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from altmatch.db.models import (
    NoticeMarker,
    Notification,
    NotificationPreference,
    SeasonRequest,
    SeasonRow,
    User,
)


def count_unread(session: Session, user_id: int) -> int:
    """How many of the user's notices are unread: one COUNT on (user_id, read_at)."""
    query = (
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
    )
    return int(session.scalar(query) or 0)


def count_notifications(session: Session, user_id: int) -> int:
    query = select(func.count()).select_from(Notification).where(Notification.user_id == user_id)
    return int(session.scalar(query) or 0)


def notifications_page(
    session: Session, user_id: int, *, offset: int, limit: int
) -> list[Notification]:
    """One page of the user's notices, newest first."""
    query = (
        select(Notification)
        .where(Notification.user_id == user_id)
        .order_by(Notification.at.desc(), Notification.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return list(session.scalars(query))


def mark_read(session: Session, user_id: int, notification_id: int, *, at: datetime) -> bool:
    """Mark one of the user's own unread notices read; False when it is not theirs or already
    read. The owner is part of the UPDATE, so nobody marks another person's notice."""
    result = session.execute(
        update(Notification)
        .where(
            Notification.id == notification_id,
            Notification.user_id == user_id,
            Notification.read_at.is_(None),
        )
        .values(read_at=at)
    )
    return bool(getattr(result, "rowcount", 0))


def get_own_notification(
    session: Session, user_id: int, notification_id: int
) -> Notification | None:
    query = select(Notification).where(
        Notification.id == notification_id, Notification.user_id == user_id
    )
    return session.scalars(query).one_or_none()


def mark_all_read(session: Session, user_id: int, *, at: datetime) -> int:
    """Mark every unread notice of the user read; how many."""
    result = session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=at)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def email_preferences(session: Session, user_ids: Collection[int]) -> dict[tuple[int, str], bool]:
    """(user id, kind group) -> e-mail wanted, for the groups these users chose; a missing
    pair means the default."""
    if not user_ids:
        return {}
    query = select(NotificationPreference).where(NotificationPreference.user_id.in_(list(user_ids)))
    return {(p.user_id, p.kind_group): p.email for p in session.scalars(query)}


def set_email_preference(session: Session, user_id: int, kind_group: str, *, email: bool) -> None:
    """Record the user's choice for one group (insert or update)."""
    found = session.get(NotificationPreference, (user_id, kind_group))
    if found is None:
        session.add(NotificationPreference(user_id=user_id, kind_group=kind_group, email=email))
    else:
        found.email = email


def mark_email_skipped(session: Session, notification_ids: Collection[int], *, at: datetime) -> int:
    """Stamp notices the reader does not want e-mailed, so the sweep never looks at them again."""
    if not notification_ids:
        return 0
    result = session.execute(
        update(Notification)
        .where(
            Notification.id.in_(list(notification_ids)),
            Notification.emailed_at.is_(None),
            Notification.email_skipped_at.is_(None),
        )
        .values(email_skipped_at=at)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def active_user_ids(
    session: Session, organisation_ids: Collection[int], role: str
) -> dict[int, list[int]]:
    """Organisation id -> ids of its active users in `role`, by id."""
    if not organisation_ids:
        return {}
    query = (
        select(User.organisation_id, User.id)
        .where(
            User.organisation_id.in_(list(organisation_ids)),
            User.role == role,
            User.disabled.is_(False),
        )
        .order_by(User.id)
    )
    found: dict[int, list[int]] = {}
    for organisation_id, user_id in session.execute(query):
        if organisation_id is not None:
            found.setdefault(organisation_id, []).append(user_id)
    return found


def existing_markers(session: Session, keys: Collection[str]) -> set[str]:
    if not keys:
        return set()
    query = select(NoticeMarker.key).where(NoticeMarker.key.in_(list(keys)))
    return set(session.scalars(query))


def add_marker(session: Session, key: str, *, at: datetime) -> bool:
    """Record a one-off notice as sent; False when it already was (by anyone, even at the same
    moment: the primary key refuses the second insert, inside a savepoint)."""
    try:
        with session.begin_nested():
            session.add(NoticeMarker(key=key, at=at))
            session.flush()
    except IntegrityError:
        return False
    return True


def confirmed_user_ids(session: Session, user_ids: Collection[int]) -> set[int]:
    """Those of `user_ids` whose account is active and whose address is confirmed: an
    unconfirmed account is shown nothing imported for its address, so it is told nothing."""
    wanted = list(dict.fromkeys(user_ids))
    found: set[int] = set()
    for start in range(0, len(wanted), 1000):
        query = select(User.id).where(
            User.id.in_(wanted[start : start + 1000]),
            User.disabled.is_(False),
            User.email_verified_at.is_not(None),
        )
        found.update(session.scalars(query))
    return found


def seasons_locked_since(session: Session, since: datetime, now: datetime) -> list[SeasonRow]:
    """Open seasons whose request deadline passed between `since` and `now`."""
    query = (
        select(SeasonRow)
        .where(
            SeasonRow.status == "open",
            SeasonRow.request_deadline > since,
            SeasonRow.request_deadline <= now,
        )
        .order_by(SeasonRow.id)
    )
    return list(session.scalars(query))


def boes_with_requests(session: Session, season_id: int) -> list[int]:
    """The BoEs that filed a request in the season, by id."""
    query = (
        select(SeasonRequest.boe_id)
        .where(SeasonRequest.season_id == season_id)
        .distinct()
        .order_by(SeasonRequest.boe_id)
    )
    return [int(b) for b in session.scalars(query)]
