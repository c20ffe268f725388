"""A referee's upload by link (issue 19): no account, only the single-use token the applicant's
request e-mailed them. The link works until it expires or a letter is uploaded through it;
an unknown, used or expired token reads as "not valid", never saying which.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime

from pydantic import BaseModel
from sqlalchemy.orm import Session

from altmatch.clock import utc_now
from altmatch.config import Settings
from altmatch.db import Sessions
from altmatch.db import recruitment as repo
from altmatch.db.models import ApplicationReference, OnlineApplication, SeasonRow
from altmatch.i18n import N_, Message
from altmatch.services.accounts.authentication import token_hash
from altmatch.services.kernel.audit import record_audit
from altmatch.services.kernel.errors import StaleError
from altmatch.services.kernel.mail import compose, connect
from altmatch.services.season.application_reads import (
    MAX_TOKEN_LENGTH,
    RefereeLetter,
    UploadFileIn,
)
from altmatch.services.season.online_application import (
    _safe_name,
    check_upload,
)

log = logging.getLogger(__name__)


class ReferenceLinkOut(BaseModel):
    """What a referee's link shows: whom it is for, or `valid` False."""

    valid: bool
    referee_name: str | None = None
    applicant: str | None = None
    season: str | None = None
    expires_at: datetime | None = None
    received: bool = False


def _live(session: Session, token: str, now: datetime) -> ApplicationReference | None:
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    row = repo.reference_by_token(session, token_hash(token))
    if row is None or row.received_at is not None or row.expires_at is None:
        return None
    return row if row.expires_at > now else None


def _context(session: Session, ref: ApplicationReference) -> tuple[str, str]:
    application = session.get(OnlineApplication, ref.application_id)
    season = session.get(SeasonRow, application.season_id) if application else None
    applicant = str(application.answers.get("name") or "") if application else ""
    return applicant, season.name if season else ""


def read_reference_link(
    sessions: Sessions, token: str, *, now: datetime | None = None
) -> ReferenceLinkOut:
    with sessions() as session:
        ref = _live(session, token, now or utc_now())
        if ref is None:
            return ReferenceLinkOut(valid=False)
        applicant, season = _context(session, ref)
        return ReferenceLinkOut(
            valid=True,
            referee_name=ref.referee_name,
            applicant=applicant,
            season=season,
            expires_at=ref.expires_at,
        )


def upload_reference(
    sessions: Sessions, token: str, upload: UploadFileIn, *, now: datetime | None = None
) -> ReferenceLinkOut:
    """Store the referee's letter and spend the link (one conditional update, so two uploads
    through one link never both land)."""
    content_type = check_upload(upload.data, upload.filename)
    now = now or utc_now()
    with sessions.begin() as session:
        ref = _live(session, token, now)
        if ref is None:
            raise StaleError(
                Message(N_("This link is not valid: it is used, expired or unknown.")), "token"
            )
        spent = repo.receive_reference(
            session,
            ref,
            at=now,
            filename=_safe_name(upload.filename),
            content_type=content_type,
            data=upload.data,
        )
        if not spent:
            raise StaleError(
                Message(N_("This link is not valid: it is used, expired or unknown.")), "token"
            )
        record_audit(
            session,
            None,
            "application.reference_received",
            "online_application",
            ref.application_id,
            None,
            {"slot": ref.slot, "size": len(upload.data)},
        )
        applicant, season = _context(session, ref)
        return ReferenceLinkOut(
            valid=False,
            referee_name=ref.referee_name,
            applicant=applicant,
            season=season,
            received=True,
        )


def send_referee_letter(settings: Settings, letter: RefereeLetter) -> bool:
    """E-mail a referee their link, after the commit that made it live (through SMTP, or the
    mail folder without a server). False when it could not be sent: the applicant sees the
    request and can send it again."""
    message = compose(
        sender=settings.smtp_sender,
        to=letter.to,
        subject=letter.subject,
        body=letter.body,
        at=utc_now(),
        ref=letter.label,
    )
    try:
        with connect(settings) as connection:
            connection.send(message, letter.label)
    except (smtplib.SMTPException, OSError, ValueError):
        log.warning("a referee's e-mail could not be sent", exc_info=True)
        return False
    return True
