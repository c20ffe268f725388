"""Sending e-mail: through the SMTP server the settings name (ALTMATCH_SMTP_*), or, without one,
into a folder of `.eml` files (ALTMATCH_MAIL_SINK, by default DATA_DIR/mail) that a developer
reads with `altmatch mail list` and `altmatch mail show`, so the demo works offline.

Support notices go out only through SMTP (services.support.email); account e-mails, whose links
someone must be able to follow, use the folder when there is no server (services.accounts.mail).
"""

from __future__ import annotations

import logging
import os
import smtplib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from email.utils import format_datetime, make_msgid, parsedate_to_datetime
from pathlib import Path
from typing import Protocol

from altmatch.config import Settings

log = logging.getLogger(__name__)

SMTP_TIMEOUT = 30  # seconds to connect or answer


class MailConnection(Protocol):
    def send(self, message: EmailMessage, label: str) -> None:
        """Send one message (`label` names it in the folder: `000000012-verify`); raises
        smtplib.SMTPException, OSError or ValueError when it cannot."""


def compose(
    *, sender: str, to: str, subject: str, body: str, at: datetime, ref: str
) -> EmailMessage:
    """A plain-text message; `ref` makes its Message-ID (`notice12`, `verify-3`)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(at)
    message["Message-ID"] = make_msgid(ref, domain=sender.rpartition("@")[2] or "localhost")
    message.set_content(body)
    return message


@contextmanager
def connect(settings: Settings) -> Iterator[MailConnection]:
    """The SMTP server when `smtp_host` is set, else the mail folder; closed afterwards."""
    if settings.smtp_host is None:
        yield FolderConnection(settings.mail_folder)
        return
    with SmtpConnection(settings) as connection:
        yield connection


class FolderConnection:
    """Writes each message to `folder` as `<UTC time>-<label>.eml`, readable only by its owner
    (the links in it are live)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def send(self, message: EmailMessage, label: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = _stamp(message)
        path = self.folder / f"{stamp}-{label}.eml"
        partial = path.with_suffix(".part")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(message.as_bytes())
        os.replace(partial, path)  # a reader never sees half a message
        log.info("e-mail %r written to %s (no SMTP server is set)", str(message["Subject"]), path)


def _stamp(message: EmailMessage) -> str:
    try:
        return (
            parsedate_to_datetime(str(message["Date"])).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        )
    except (TypeError, ValueError):
        return "undated"


@dataclass(frozen=True)
class FolderMessage:
    """One message in the mail folder."""

    name: str  # the file name, which `altmatch mail show` takes
    to: str
    subject: str
    message: EmailMessage

    @property
    def body(self) -> str:
        part = self.message.get_body(("plain",))
        content = part.get_content() if part is not None else ""
        return content if isinstance(content, str) else ""


def folder_messages(folder: Path) -> list[FolderMessage]:
    """The messages in the folder, oldest first (by name, which starts with the time)."""
    if not folder.is_dir():
        return []
    return [read_folder_message(path) for path in sorted(folder.glob("*.eml"))]


def read_folder_message(path: Path) -> FolderMessage:
    parsed = message_from_bytes(path.read_bytes(), policy=default)
    assert isinstance(parsed, EmailMessage)
    return FolderMessage(path.name, str(parsed["To"] or ""), str(parsed["Subject"] or ""), parsed)


class SmtpConnection:
    """One SMTP connection for a batch, opened on first use and again after it drops."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._smtp: smtplib.SMTP | None = None
        self._cannot_open: Exception | None = None

    def __enter__(self) -> SmtpConnection:
        return self

    def __exit__(self, *exc: object) -> None:
        self._close()

    def send(self, message: EmailMessage, label: str = "") -> None:
        if self._cannot_open is not None:
            raise self._cannot_open  # the server could not be reached: fail the rest alike
        if self._smtp is None:
            try:
                self._smtp = open_smtp(self._settings)
            except (smtplib.SMTPException, OSError) as exc:
                self._cannot_open = exc
                raise
        try:
            refused = self._smtp.send_message(message)
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException):
            raise  # the server refused this message; the connection is still good
        except (smtplib.SMTPException, OSError, ValueError):
            self._close()  # dropped or in an unknown state: start afresh for the next one
            raise
        if refused:  # a single recipient: refusing it raises above, but keep the check
            raise smtplib.SMTPRecipientsRefused(refused)

    def _close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            with suppress(smtplib.SMTPException, OSError):
                smtp.quit()
            with suppress(smtplib.SMTPException, OSError):
                smtp.close()


def open_smtp(settings: Settings) -> smtplib.SMTP:
    assert settings.smtp_host is not None
    smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT)
    try:
        if settings.smtp_starttls:
            smtp.starttls(context=ssl.create_default_context())  # verifies the certificate
            smtp.ehlo()
        if settings.smtp_username:
            smtp.login(settings.smtp_username, settings.smtp_password or "")
    except BaseException:
        with suppress(smtplib.SMTPException, OSError):
            smtp.close()
        raise
    return smtp
