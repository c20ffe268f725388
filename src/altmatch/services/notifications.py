"""Notices to people about every event that concerns them: stored for the in-app list (with an
unread count), and e-mailed by the mail sweep when the reader's preferences allow.

`notify` is called inside the caller's transaction, so a notice exists exactly when the change
that caused it does. The message is a catalog msgid with its parameters, rendered in the
reader's language when shown or sent; `link` is the in-app path the notice points to.

Every kind is listed in KINDS, grouped for e-mail preferences in GROUPS; security notices
(SECURITY_KINDS) are always e-mailed, whatever the preference.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any, Literal, get_args

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from altmatch.clock import utc_now
from altmatch.db import Sessions
from altmatch.db import notifications as repo
from altmatch.db.models import Notification
from altmatch.domain.access import Actor, NotFoundError
from altmatch.i18n import N_, Message, render

log = logging.getLogger(__name__)

# kind group -> the kinds in it; the groups are what a user chooses e-mail for.
GROUPS: dict[str, tuple[str, ...]] = {
    "season": (
        "outcome_published",  # a candidate's outcome of a published match
        "placements_published",  # a BoE's placements of a published match
        "alternate_upgraded",  # a candidate moved up from an alternate list
        "outcome_changed",  # a candidate's placement changed by an upgrade otherwise
        "placements_changed",  # a BoE's placements changed by a published upgrade
        "requests_locked",  # a BoE's requests are read-only: the request deadline passed
        "stage_changed",  # a candidate's application moved to another screening stage
        "interview_decided",  # a candidate's interview result: shortlisted, alternate or not
        "application_received",  # an online application's receipt (issue 19)
        "application_screened",  # a screener's decision on it, with the reason
        "application_withdrawn",  # the applicant withdrew it (to them and the office's staff)
        "office_staff",  # a coordinator added to or removed from a recruiting office's screeners
        "interview_booked",  # a candidate's interview slot booked (by them or the office)
        "interview_moved",  # their booking moved (by them, or rescheduled by the office)
        "interview_reminder",  # the reminders before the interview (rulebook hours)
        "interview_panel",  # an assessor added to or removed from an interview panel
        "interview_conflict",  # an assessor declared a conflict of interest with a candidate
        "interview_zone_changed",  # a booked candidate will be in another time zone
    ),
    "transfers": ("transfer_decided", "transfer_effective", "hired", "not_hired"),
    "compliance": ("compliance_due",),  # a dispatch company's legal deadline is near
    "retention": (
        "renewal_asked",  # an ALT is asked whether they will renew
        "renewal_reminder",  # and reminded once before the deadline
        "renewal_answered",  # a company's ALT answered
        "renewal_unanswered",  # a company's ALT did not answer by the deadline
        "contract_renewal_due",  # a company's contract comes up for renewal
    ),
    "support": (
        "case_opened",
        "case_message",  # the ALT wrote on a case its handlers hold
        "case_reopened",
        "case_unrouted",
        "case_update",
        "case_escalated",
        "case_routed",
        "routes_changed",
    ),
    "account": ("account_deleted", "two_factor_reset", "security"),
}
KINDS: tuple[str, ...] = tuple(kind for kinds in GROUPS.values() for kind in kinds)
# Always e-mailed: the person must hear of them even if someone else holds the account.
SECURITY_KINDS: frozenset[str] = frozenset({"two_factor_reset", "security"})
DEFAULT_GROUP = "account"  # where a kind missing from KINDS is counted (and so e-mailed)

GROUP_LABELS: dict[str, str] = {
    "season": N_("Season outcomes"),
    "transfers": N_("Transfers and hires"),
    "compliance": N_("Compliance deadlines"),
    "retention": N_("Renewal intentions and contract renewals"),
    "support": N_("Support cases"),
    "account": N_("Account and security"),
}


def group_of(kind: str) -> str:
    """The preference group of a notice kind."""
    for group, kinds in GROUPS.items():
        if kind in kinds:
            return group
    return DEFAULT_GROUP


def is_site_path(link: str) -> bool:
    """Whether `link` is a path on this site: "/..." but never "//host" or "/\\host" (which
    browsers read as another site), and nothing a header could be split on."""
    return (
        link.startswith("/")
        and not link.startswith(("//", "/\\"))
        and len(link) <= 300
        and not any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in link)
    )


def notify(
    session: Session,
    user_ids: Iterable[int],
    *,
    kind: str,
    message: Message,
    case_id: int | None = None,
    link: str | None = None,
) -> list[Notification]:
    """Store one notice per user (each user once), in the caller's transaction. `link` is the
    in-app path the notice points to (e.g. "/my/application"); it must start with "/"."""
    if kind not in KINDS:
        log.warning("notice kind %r is not in altmatch.services.notifications.KINDS", kind)
    if link is not None and not is_site_path(link):
        raise ValueError(f"a notice's link is a path on this site, not {link!r}")
    if link is None and case_id is not None:
        link = f"/cases/{case_id}"
    rows = [
        Notification(
            user_id=user_id,
            case_id=case_id,
            kind=kind,
            link=link,
            message=stored_message(message),
        )
        for user_id in dict.fromkeys(user_ids)
    ]
    session.add_all(rows)
    return rows


def stored_message(message: Message) -> dict[str, Any]:
    """A message as JSON: dates and times keep their type (and so are written the reader's
    way when shown, not as ISO text), and a message inside it stays translatable."""
    return {"msgid": message.template, "params": {k: _stored(v) for k, v in message.params.items()}}


def _stored(value: object) -> object:
    if isinstance(value, Message):
        return {"message": stored_message(value)}
    if isinstance(value, datetime):  # before date: a datetime is a date too
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    return value


def restored_message(stored: Mapping[str, Any] | None) -> Message:
    """The Message `stored_message` wrote (older notices hold plain values, which stay so);
    ValueError when it is malformed."""
    stored = stored or {}
    msgid, params = stored.get("msgid"), stored.get("params", {})
    params = {} if params is None else params
    if not isinstance(msgid, str) or not isinstance(params, dict):
        raise ValueError("malformed notice")
    return Message(msgid, {k: _restored(v) for k, v in params.items()})


def _restored(value: object) -> object:
    if isinstance(value, dict) and len(value) == 1:
        ((kind, inner),) = value.items()
        if kind == "message" and isinstance(inner, dict):
            return restored_message(inner)
        if kind == "datetime" and isinstance(inner, str):
            return datetime.fromisoformat(inner)
        if kind == "date" and isinstance(inner, str):
            return date.fromisoformat(inner)
    return value


def email_wanted(session: Session, notices: Sequence[Notification]) -> set[int]:
    """The ids of those `notices` whose readers want them e-mailed: their preference for the
    kind's group (e-mail when they chose nothing), and always for security notices."""
    chosen = repo.email_preferences(session, {n.user_id for n in notices})
    return {
        n.id
        for n in notices
        if n.kind in SECURITY_KINDS or chosen.get((n.user_id, group_of(n.kind)), True)
    }


# --- reading one's notices -----------------------------------------------------------------

PAGE_SIZE = 50


class NoticeOut(BaseModel):
    id: int
    at: datetime
    kind: str
    group: str
    case_id: int | None
    link: str | None
    text: str
    read_at: datetime | None


class NoticesOut(BaseModel):
    notifications: list[NoticeOut]
    unread: int
    total: int
    page: int
    pages: int


def _notice_out(row: Notification, locale: str) -> NoticeOut:
    try:
        text = render(restored_message(row.message), locale)
    except (KeyError, IndexError, ValueError):  # a malformed notice still lists
        text = render(Message(N_("There is a new notice for you in altmatch.")), locale)
    return NoticeOut(
        id=row.id,
        at=row.at,
        kind=row.kind,
        group=group_of(row.kind),
        case_id=row.case_id,
        link=row.link or (f"/cases/{row.case_id}" if row.case_id is not None else None),
        text=text,
        read_at=row.read_at,
    )


def unread_count(sessions: Sessions, user_id: int) -> int:
    """How many of the user's notices are unread (one COUNT; for the badge on every page)."""
    with sessions() as session:
        return repo.count_unread(session, user_id)


def list_notices(
    sessions: Sessions, actor: Actor, *, locale: str = "en", page: int = 1
) -> NoticesOut:
    """One page of the signed-in user's notices, newest first, in their language."""
    user_id = actor.own_user_id()
    with sessions() as session:
        total = repo.count_notifications(session, user_id)
        pages = max(1, -(-total // PAGE_SIZE))
        page = min(max(1, page), pages)
        rows = repo.notifications_page(
            session, user_id, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE
        )
        return NoticesOut(
            notifications=[_notice_out(r, locale) for r in rows],
            unread=repo.count_unread(session, user_id),
            total=total,
            page=page,
            pages=pages,
        )


def mark_notice_read(
    sessions: Sessions, actor: Actor, notification_id: int, *, locale: str = "en"
) -> NoticeOut:
    """Mark one of the user's own notices read (NotFoundError for anyone else's, so nobody
    learns whether another person's notice exists)."""
    user_id = actor.own_user_id()
    with sessions.begin() as session:
        repo.mark_read(session, user_id, notification_id, at=utc_now())
        row = repo.get_own_notification(session, user_id, notification_id)
        if row is None:
            raise NotFoundError("notification")
        return _notice_out(row, locale)


def mark_all_notices_read(sessions: Sessions, actor: Actor) -> int:
    """Mark every unread notice of the user read; how many were."""
    user_id = actor.own_user_id()
    with sessions.begin() as session:
        return repo.mark_all_read(session, user_id, at=utc_now())


# --- e-mail preferences --------------------------------------------------------------------


class EmailPreferenceOut(BaseModel):
    group: str
    label: str
    email: bool
    always: bool  # security notices in this group are e-mailed whatever the choice


class EmailPreferencesOut(BaseModel):
    preferences: list[EmailPreferenceOut]


Group = Literal["season", "transfers", "compliance", "retention", "support", "account"]
assert set(get_args(Group)) == set(GROUPS)  # one list of groups


class EmailPreferencesIn(BaseModel):
    """The groups whose notices are e-mailed as well; every other group is in-app only."""

    emailed: list[Group] = Field(max_length=len(GROUPS))


def email_preferences(
    sessions: Sessions, actor: Actor, *, locale: str = "en"
) -> EmailPreferencesOut:
    """The user's choice per kind group: in-app only, or in-app and e-mail (the default)."""
    user_id = actor.own_user_id()
    with sessions() as session:
        chosen = repo.email_preferences(session, [user_id])
    return EmailPreferencesOut(
        preferences=[
            EmailPreferenceOut(
                group=group,
                label=render(Message(GROUP_LABELS[group]), locale),
                email=chosen.get((user_id, group), True),
                always=any(kind in SECURITY_KINDS for kind in GROUPS[group]),
            )
            for group in GROUPS
        ]
    )


def set_email_preferences(
    sessions: Sessions, actor: Actor, emailed: Iterable[str], *, locale: str = "en"
) -> EmailPreferencesOut:
    """Record the user's choices: e-mail for the groups in `emailed`, in-app only for the
    rest. An unknown group is refused (ValueError) before anything is written."""
    user_id = actor.own_user_id()
    wanted = set(emailed)
    unknown = wanted - set(GROUPS)
    if unknown:
        raise ValueError(f"unknown notice groups: {sorted(unknown)}")
    with sessions.begin() as session:
        for group in GROUPS:
            repo.set_email_preference(session, user_id, group, email=group in wanted)
    return email_preferences(sessions, actor, locale=locale)
