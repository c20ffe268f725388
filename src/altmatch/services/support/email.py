"""E-mail delivery of notifications through the configured SMTP server (ALTMATCH_SMTP_*).

Every notice is first stored for the in-app list (services.notifications.notify); a run of
`deliver_pending_emails` then sends each notice not yet e-mailed to its reader, in their own
language, and stamps `emailed_at`, unless the reader chose in-app only for that kind of notice
(their preferences, services.notifications), when it stamps `email_skipped_at` instead. A
notice whose send fails keeps `emailed_at` empty and is tried again on the next run; one
failure never stops the rest of the batch. Without `smtp_host` nothing is sent: notices stay
in-app only.

Confidential cases (the rulebook's `support.confidential_categories`: harassment, health) are
never described in an e-mail: the reader is only told that there is an update on case N and
where to read it after signing in. The link is a path relative to the site (`/cases/N`), since
altmatch does not know the address it is served at.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage

from altmatch.clock import utc_now
from altmatch.config import Settings
from altmatch.db import Sessions
from altmatch.db import notifications as notices_repo
from altmatch.db import support as repo
from altmatch.db.models import Notification
from altmatch.domain.support import is_confidential
from altmatch.i18n import N_, Message, normalize_locale, render
from altmatch.rulebook import Rulebook, load_rulebook
from altmatch.rulebook.vocabulary import CaseCategory
from altmatch.services.kernel.mail import SmtpConnection, compose
from altmatch.services.notifications import email_wanted, restored_message

log = logging.getLogger(__name__)

SUBJECT_MAX = 150  # characters of the rendered notice kept in a subject line
CLAIM_TIMEOUT = timedelta(minutes=10)  # longer than any batch's SMTP timeouts

SUBJECT = N_("altmatch: {message}")
CONFIDENTIAL_SUBJECT = N_("altmatch: update on case #{case_id}")
CONFIDENTIAL_BODY = N_(
    "There is an update on case #{case_id}. This e-mail does not include its details, "
    "to keep the case confidential."
)
UNREADABLE = N_("There is a new notice for you in altmatch.")
CASE_LINK = N_("Sign in to altmatch and open {path} to read it.")
FOOTER = N_(
    "You receive this e-mail because you have an altmatch account; the same notice is in your "
    "notifications in altmatch."
)


@dataclass(frozen=True)
class OutgoingEmail:
    """One notice ready to send: who to, in which words."""

    notification_id: int
    to: str
    subject: str
    body: str


@dataclass(frozen=True)
class FailedEmail:
    """A notice that could not be sent this time (it is tried again on the next run)."""

    notification_id: int
    error: str


@dataclass
class EmailRun:
    """What one delivery run did."""

    sent: int = 0
    failed: list[FailedEmail] = field(default_factory=list)
    configured: bool = True


def deliver_pending_emails(
    sessions: Sessions, settings: Settings, *, now: datetime | None = None
) -> int:
    """Send every notice not yet e-mailed; the number sent (0 when SMTP is not configured).
    Failures are logged and left for the next run; `send_pending_emails` lists them."""
    return send_pending_emails(sessions, settings, now=now).sent


def send_pending_emails(
    sessions: Sessions,
    settings: Settings,
    *,
    now: datetime | None = None,
    rulebook: Rulebook | None = None,
) -> EmailRun:
    """Send every notice not yet e-mailed, one SMTP connection for the batch (re-opened after a
    dropped connection). Each notice is first claimed (`email_claimed_at`), so two processes
    sweeping at once never both send it, and stamped sent in its own transaction, so a crash
    halfway never sends it twice; a failed send releases the claim for the next run."""
    if settings.smtp_host is None:
        return EmailRun(configured=False)
    stamp = now or utc_now()
    book = rulebook or load_rulebook()
    outgoing = pending_emails(sessions, book, now=stamp)
    run = EmailRun()
    if not outgoing:
        return run
    with SmtpConnection(settings) as connection:
        for item in outgoing:
            if not _claim(sessions, item.notification_id, stamp):
                continue  # another process is sending it, or has sent it
            try:
                connection.send(_compose(item, settings.smtp_sender, stamp))
            except (smtplib.SMTPException, OSError, ValueError) as exc:  # e.g. a bad address
                error = f"{type(exc).__name__}: {exc}"
                log.warning("e-mail for notification %s not sent: %s", item.notification_id, error)
                run.failed.append(FailedEmail(item.notification_id, error))
                _release(sessions, item.notification_id)
                continue
            _mark_sent(sessions, item.notification_id, stamp)
            run.sent += 1
    return run


def pending_emails(
    sessions: Sessions, rulebook: Rulebook, *, now: datetime | None = None
) -> list[OutgoingEmail]:
    """Each notice not yet e-mailed to an active user with an address, rendered in the
    user's language, oldest first. Notices whose reader chose in-app only for their kind
    group are stamped skipped instead (security notices are always e-mailed)."""
    with sessions.begin() as session:
        found = repo.unsent_notifications(session)
        wanted = email_wanted(session, [notice for notice, *_ in found])
        skipped = [notice.id for notice, *_ in found if notice.id not in wanted]
        notices_repo.mark_email_skipped(session, skipped, at=now or utc_now())
        rows = [row for row in found if row[0].id in wanted]
        return [
            render_email(
                notice,
                to=email,
                locale=normalize_locale(locale) or "en",
                confidential=category is not None
                and is_confidential(rulebook.support, CaseCategory(category)),
            )
            for notice, email, locale, category in rows
        ]


def render_email(
    notice: Notification, *, to: str, locale: str, confidential: bool
) -> OutgoingEmail:
    """The e-mail for one notice: its subject and plain-text body in `locale`. A confidential
    case's e-mail names only the case number, never what the notice says about it."""
    case_id = notice.case_id
    lines: list[str] = []
    if case_id is not None and confidential:
        subject = render(Message(CONFIDENTIAL_SUBJECT, {"case_id": case_id}), locale)
        lines.append(render(Message(CONFIDENTIAL_BODY, {"case_id": case_id}), locale))
    else:
        text = _notice_text(notice, locale)
        head = " ".join(text.split())
        if len(head) > SUBJECT_MAX:
            head = head[: SUBJECT_MAX - 1].rstrip() + "…"
        subject = render(Message(SUBJECT, {"message": head}), locale)
        lines.append(text)
    path = notice.link or (f"/cases/{case_id}" if case_id is not None else None)
    if path is not None:
        lines += ["", render(Message(CASE_LINK, {"path": path}), locale)]
    lines += ["", "--", render(FOOTER, locale)]
    return OutgoingEmail(notice.id, to, subject, "\n".join(lines) + "\n")


def _notice_text(notice: Notification, locale: str) -> str:
    """The stored message in `locale`; a malformed one falls back to a neutral sentence rather
    than stopping the batch."""
    try:
        return render(restored_message(notice.message), locale)
    except (KeyError, IndexError, ValueError):
        log.warning("notification %s has a malformed message", notice.id)
        return render(UNREADABLE, locale)


def _compose(item: OutgoingEmail, sender: str, at: datetime) -> EmailMessage:
    ref = f"notice{item.notification_id}"
    return compose(sender=sender, to=item.to, subject=item.subject, body=item.body, at=at, ref=ref)


def _claim(sessions: Sessions, notification_id: int, at: datetime) -> bool:
    """Take the notice for this run; a claim older than CLAIM_TIMEOUT was left by a process
    that died mid-send and may be taken over."""
    with sessions.begin() as session:
        return repo.claim_notification(
            session, notification_id, at=at, stale_before=at - CLAIM_TIMEOUT
        )


def _release(sessions: Sessions, notification_id: int) -> None:
    with sessions.begin() as session:
        repo.release_notification(session, notification_id)


def _mark_sent(sessions: Sessions, notification_id: int, at: datetime) -> None:
    with sessions.begin() as session:
        repo.mark_notification_emailed(session, notification_id, at=at)
