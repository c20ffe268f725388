"""Sending account e-mails: address confirmations, sign-up notices and invitations.

Each is queued (an `email_tokens` row, services.accounts.email_links) in the transaction that
causes it and sent afterwards: by the request that caused it, in the background once its answer
is out, and whatever is left (an import's invitations, a send that failed) by the sweep
`altmatch serve` runs every `mail_sweep_seconds`, or by `altmatch mail send`. A run claims each
e-mail and mints its token in one short transaction, sends outside any transaction (so the SQLite
write lock is never held during SMTP), then stamps it sent; a failed send is released for the
next run. They go through SMTP when `smtp_host` is set, else into the mail folder
(services.kernel.mail), in the reader's language, or in English and Japanese for an
invitation to an address nobody has an account for.
"""

from __future__ import annotations

import logging
import secrets
import smtplib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlencode

from altmatch.clock import utc_now
from altmatch.config import Settings
from altmatch.db import Sessions
from altmatch.db import accounts as repo
from altmatch.i18n import LOCALES, N_, Message, render
from altmatch.services.accounts.authentication import token_hash
from altmatch.services.accounts.email_links import EmailLinkPolicy
from altmatch.services.kernel import mail
from altmatch.services.kernel.periodic import Periodic

log = logging.getLogger(__name__)

TOKEN_BYTES = 32  # 256 random bits, as session tokens
BATCH = 200  # e-mails looked up per query; a run goes on until none is left

VERIFY_SUBJECT = N_("altmatch: confirm your e-mail address")
VERIFY_BODY = N_(
    "Someone, probably you, created an altmatch account with this e-mail address. To confirm "
    "that the address is yours, open this link and sign in:"
)
VERIFY_WHY = N_(
    "Until you confirm it, your account shows none of the applications a programme "
    "coordinator adds for this address."
)
VERIFY_NOT_YOU = N_(
    "If you did not create this account, ignore this e-mail, or open the link to set the "
    "account up yourself: whoever created it then loses access to it."
)
INVITE_SUBJECT = N_("altmatch: an application for you")
INVITE_BODY = N_(
    "A programme coordinator added an application with this e-mail address to altmatch. To "
    "see it, open this link, then create your account or sign in to the one you have:"
)
INVITE_NOT_YOU = N_("If you do not expect an application, you can ignore this e-mail.")
TAKEN_SUBJECT = N_("altmatch: someone tried to sign up with your address")
TAKEN_BODY = N_(
    "Someone tried to create an altmatch account with this e-mail address, which has one "
    "already. Nothing was changed."
)
TAKEN_CONFIRMED = N_(
    "If it was you, sign in with the password you have: {url}. If it was not, you need not "
    "do anything."
)
TAKEN_UNCONFIRMED = N_(
    "That account's address has not been confirmed yet. To confirm it, or to set the account "
    "up afresh if you did not create it or have forgotten its password, open this link:"
)
VALID_HOURS = N_("The link works once, within {hours} hours.")
VALID_DAYS = N_("The link works once, within {days} days.")
FOOTER = N_("altmatch ({url}) sent this e-mail to {email}.")


@dataclass(frozen=True)
class Letter:
    """One account e-mail's words, ready to send."""

    subject: str
    body: str


@dataclass(frozen=True)
class Claimed:
    """An e-mail this run took, with the token it carries (None: a notice without a link)."""

    id: int
    purpose: str
    email: str
    locale: str | None
    token: str | None
    account_confirmed: bool  # whether the address's account (for `taken`) is confirmed

    @property
    def label(self) -> str:
        """Names its file in the mail folder after the time: in the order they were queued."""
        return f"{self.id:09d}-{self.purpose}"


@dataclass
class MailRun:
    """What one sending run did."""

    sent: int = 0
    failed: list[str] = field(default_factory=list)  # "<label>: <error>"


def send_account_mail(
    sessions: Sessions,
    settings: Settings,
    *,
    email: str | None = None,
    now: datetime | None = None,
) -> MailRun:
    """Send every account e-mail still waiting (only those to `email` when given); e-mails
    queued longer ago than their link would work are not sent any more."""
    now = now or utc_now()
    policy = EmailLinkPolicy.from_settings(settings)
    run = MailRun()
    tried: set[int] = set()
    with mail.connect(settings) as connection:
        while waiting := [i for i in _waiting(sessions, policy, now, email) if i not in tried]:
            tried.update(waiting)
            for token_id in waiting:
                claimed = _claim(sessions, token_id, policy, now)
                if claimed is None:
                    continue  # another run is sending it, or has sent it
                letter = write_letter(claimed, settings, policy)
                message = mail.compose(
                    sender=settings.smtp_sender,
                    to=claimed.email,
                    subject=letter.subject,
                    body=letter.body,
                    at=now,
                    ref=claimed.label,
                )
                try:
                    connection.send(message, claimed.label)
                except (smtplib.SMTPException, OSError, ValueError) as exc:
                    error = f"{type(exc).__name__}: {exc}"
                    log.warning("account e-mail %s not sent: %s", claimed.label, error)
                    run.failed.append(f"{claimed.label}: {error}")
                    with sessions.begin() as session:
                        repo.release_email_token(session, token_id)
                    continue
                with sessions.begin() as session:
                    repo.mark_email_token_sent(session, token_id, at=now)
                run.sent += 1
    return run


def _waiting(
    sessions: Sessions, policy: EmailLinkPolicy, now: datetime, email: str | None
) -> list[int]:
    with sessions() as session:
        return repo.unsent_email_tokens(
            session,
            since=now - policy.link_lifetime,
            invitations_since=now - policy.invitation_lifetime,
            stale_before=now - policy.claim_timeout,
            email=email,
            limit=BATCH,
        )


def _claim(
    sessions: Sessions, token_id: int, policy: EmailLinkPolicy, now: datetime
) -> Claimed | None:
    """Take the e-mail and mint its token, in one short transaction; None if another run has
    it. A notice to a confirmed account carries no link, so it gets no token."""
    with sessions.begin() as session:
        row = repo.get_email_token(session, token_id)
        if row is None:
            return None
        account = repo.get_user(session, row.user_id) if row.user_id is not None else None
        confirmed = account is not None and account.email_verified_at is not None
        linked = not (row.purpose == "taken" and confirmed)
        token = secrets.token_urlsafe(TOKEN_BYTES) if linked else None
        if not repo.claim_email_token(
            session,
            token_id,
            at=now,
            stale_before=now - policy.claim_timeout,
            token_hash=token_hash(token) if token else None,
            expires_at=now + policy.lifetime(row.purpose) if token else None,
        ):
            return None
        return Claimed(row.id, row.purpose, row.email, row.locale, token, confirmed)


def link_url(settings: Settings, token: str, locale: str | None) -> str:
    """The page a link opens, in the e-mail's language when it has one."""
    query = {"token": token, **({"lang": locale} if locale else {})}
    return f"{settings.site_url}/verify-email?{urlencode(query)}"


def write_letter(item: Claimed, settings: Settings, policy: EmailLinkPolicy) -> Letter:
    """The e-mail's words in its language, or in English then Japanese when it has none."""
    locales = [item.locale] if item.locale in LOCALES else ["en", "ja"]
    parts = [_letter(item, settings, policy, str(locale)) for locale in locales]
    return Letter(
        subject=" / ".join(p.subject for p in parts),
        body="\n\n----------------------------------------\n\n".join(p.body for p in parts),
    )


def _letter(item: Claimed, settings: Settings, policy: EmailLinkPolicy, locale: str) -> Letter:
    site = settings.site_url
    link = link_url(settings, item.token, item.locale) if item.token else ""
    validity = _validity(policy.lifetime(item.purpose))
    lines: list[Message | str]  # a plain string is a link, written as it is
    if item.purpose == "verify":
        subject = VERIFY_SUBJECT
        lines = [Message(VERIFY_BODY), link, validity, Message(VERIFY_WHY), Message(VERIFY_NOT_YOU)]
    elif item.purpose == "invite":
        subject = INVITE_SUBJECT
        lines = [Message(INVITE_BODY), link, validity, Message(INVITE_NOT_YOU)]
    elif item.account_confirmed:
        subject = TAKEN_SUBJECT
        lines = [Message(TAKEN_BODY), Message(TAKEN_CONFIRMED, {"url": f"{site}/sign-in"})]
    else:
        subject = TAKEN_SUBJECT
        lines = [Message(TAKEN_BODY), Message(TAKEN_UNCONFIRMED), link, validity]
    lines += ["--", Message(FOOTER, {"url": site, "email": item.email})]
    text = [render(line, locale) if isinstance(line, Message) else line for line in lines]
    return Letter(render(Message(subject), locale), "\n\n".join(text) + "\n")


def _validity(lifetime: timedelta) -> Message:
    hours = lifetime.total_seconds() / 3600
    if hours > 48 and hours % 24 == 0:
        return Message(VALID_DAYS, {"days": int(hours // 24)})
    return Message(VALID_HOURS, {"hours": f"{hours:g}"})


class MailSweeper(Periodic):
    """Sends the account e-mails still waiting every `mail_sweep_seconds` (`altmatch serve`)."""

    def __init__(self, sessions: Sessions, settings: Settings) -> None:
        super().__init__("account mail sweep", settings.mail_sweep_seconds, self._send)
        self._sessions, self._settings = sessions, settings

    def _send(self) -> None:
        run = send_account_mail(self._sessions, self._settings)
        if run.sent or run.failed:
            log.info("account mail: %s sent, %s failed", run.sent, len(run.failed))
