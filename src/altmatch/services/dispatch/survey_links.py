"""The survey links: what following one shows, answering through it, and the e-mails that carry
them (the first one when a round opens, one reminder before its deadline).

No account is needed: the link's token is the only key, and it opens exactly one invitation's
form, naming only that invitation's ALT and school. Only the token's SHA-256 is stored. A link
works until the round closes (the end of its closing day in Japan) and until it is answered;
a used, expired, replaced or unknown link shows the same page, which names nothing. Answering
is one conditional update, so a second submission, even at the same moment, is refused and
changes nothing.

E-mails: each invitation is its own outbox row. A run claims it and mints a fresh token in one
short transaction, sends outside any transaction, then stamps it sent and makes the e-mail's
token the live one; a reminder (from the round's `remind_on`, once per invitation, to those not
yet answered) carries a new token, which replaces the first e-mail's once it is sent (a failed
send leaves the first link working). The school's e-mail is written in Japanese, with the English
after it; the ALT's in their language.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import smtplib
from dataclasses import dataclass, field
from urllib.parse import urlencode

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from altmatch.clock import today_in_japan, utc_now
from altmatch.config import Settings
from altmatch.db import Sessions
from altmatch.db import surveys as repo
from altmatch.db.models import Organisation, RosterAlt, School, SurveyInvitation, SurveyRound
from altmatch.domain.satisfaction import SurveyKind
from altmatch.i18n import N_, Message, render
from altmatch.rulebook import load_rulebook
from altmatch.services.accounts.authentication import token_hash
from altmatch.services.dispatch.surveys import form_of
from altmatch.services.kernel import mail
from altmatch.services.kernel.errors import RuleError

log = logging.getLogger(__name__)

TOKEN_BYTES = 32
MAX_TOKEN_LENGTH = 128
BATCH = 200
CLAIM_TIMEOUT = dt.timedelta(minutes=10)
MAX_COMMENT = 4000


class SurveyLinkError(RuleError):
    """The link is unknown, used, expired or replaced; which one is not told."""

    def __init__(self) -> None:
        super().__init__(
            Message(
                N_(
                    "This survey link does not work any more: the survey was answered already, "
                    "it has closed, or a newer e-mail replaced the link."
                )
            ),
            "token",
        )


class ScaleOut(BaseModel):
    value: int
    label: str


class QuestionOut(BaseModel):
    id: str
    question: str


class SurveyFormOut(BaseModel):
    """What a live link opens: whose survey it is, about whom, and the questions. `valid`
    False: nothing else is filled."""

    valid: bool
    kind: SurveyKind | None = None
    title: str | None = None
    intro: str | None = None
    company: str | None = None
    about: str | None = None  # the ALT (school's survey) or the school (ALT's survey)
    term: str | None = None
    closes_on: dt.date | None = None
    questions: list[QuestionOut] = []
    scale: list[ScaleOut] = []
    confidential: bool = False


class SurveyAnswerIn(BaseModel):
    """The answers: every question's id to 1-5, and an optional comment."""

    answers: dict[str, int]
    comment: str = Field(default="", max_length=MAX_COMMENT)


class SurveyThanksOut(BaseModel):
    answered: bool
    kind: SurveyKind


def _live(session: Session, token: str, now: dt.datetime) -> SurveyInvitation | None:
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    row = repo.invitation_by_hash(session, token_hash(token))
    if row is None or row.answered_at is not None or row.expires_at <= now:
        return None
    return row


def _term_label(round_: SurveyRound, locale: str) -> str:
    rules = load_rulebook().dispatch_surveys
    name = rules.school_terms.terms[round_.term - 1].name.get(locale)
    year = round_.academic_year
    return f"{year}年度 {name}" if locale == "ja" else f"{name} {year}"


def read_survey(
    sessions: Sessions, token: str, *, locale: str = "ja", now: dt.datetime | None = None
) -> SurveyFormOut:
    """The form a link opens (reading changes nothing: mail scanners open links too)."""
    now = now or utc_now()
    with sessions() as session:
        row = _live(session, token, now)
        if row is None:
            return SurveyFormOut(valid=False)
        kind = SurveyKind(row.kind)
        form = form_of(kind)
        round_ = session.get(SurveyRound, row.round_id)
        company = session.get(Organisation, row.company_id)
        alt = session.get(RosterAlt, row.alt_id)
        school = session.get(School, row.school_id)
        if round_ is None or company is None or alt is None or school is None:
            return SurveyFormOut(valid=False)
        school_name = school.name_ja if locale == "ja" else school.name_en
        scale = load_rulebook().dispatch_surveys.scale
        return SurveyFormOut(
            valid=True,
            kind=kind,
            title=form.title.get(locale),
            intro=form.intro.get(locale),
            company=company.name_ja if locale == "ja" else company.name_en,
            about=alt.name if kind is SurveyKind.SCHOOL else school_name,
            term=_term_label(round_, locale),
            closes_on=round_.closes_on,
            questions=[QuestionOut(id=i.id, question=i.question.get(locale)) for i in form.items],
            scale=[ScaleOut(value=n + 1, label=t.get(locale)) for n, t in enumerate(scale)],
            confidential=kind is SurveyKind.ALT,
        )


def answer_survey(
    sessions: Sessions, token: str, body: SurveyAnswerIn, *, now: dt.datetime | None = None
) -> SurveyThanksOut:
    """Store the answers of a live link, once. RuleError naming the question for a missing or
    off-scale answer; SurveyLinkError for a used, expired or unknown link (nothing changes)."""
    now = now or utc_now()
    with sessions.begin() as session:
        row = _live(session, token, now)
        if row is None:
            raise SurveyLinkError
        kind = SurveyKind(row.kind)
        answers: dict[str, int] = {}
        for item in form_of(kind).items:
            value = body.answers.get(item.id)
            if value is None or not 1 <= value <= 5:
                raise RuleError(Message(N_("Choose an answer from 1 to 5.")), item.id)
            answers[item.id] = value
        unknown = sorted(set(body.answers) - set(answers))
        if unknown:
            raise RuleError(Message(N_("There is no such question.")), unknown[0])
        if not repo.record_answers(
            session,
            row.id,
            token_hash(token),
            answers=answers,
            comment=body.comment.strip(),
            at=now,
        ):
            raise SurveyLinkError
        return SurveyThanksOut(answered=True, kind=kind)


# --- e-mail ----------------------------------------------------------------------------------

SCHOOL_SUBJECT = N_("Survey about your ALT ({term}): please answer by {closes_on}")
ALT_SUBJECT = N_("Your survey of your school ({term}): please answer by {closes_on}")
REMINDER_SUBJECT = N_("Reminder: {subject}")
SCHOOL_BODY = N_(
    "{company} asks {school} how this term went with the ALT {alt}. The survey has four "
    "questions and a comment box and takes about three minutes. No account is needed: open "
    "this link."
)
ALT_BODY = N_(
    "{company} asks you how this term went at {school}. Your answers are confidential: the "
    "school and the Board of Education never see them. No sign-in is needed: open this link."
)
LINK_VALID = N_("The link works until {closes_on} and only once.")
REMINDER_NOTE = N_("This link replaces the one in our earlier e-mail.")


@dataclass
class SurveyMailRun:
    sent: int = 0
    reminders: int = 0
    failed: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Letter:
    to: str
    subject: str
    body: str
    reminder: bool
    token_hash: str


def survey_url(settings: Settings, token: str, locale: str) -> str:
    return f"{settings.site_url}/survey?{urlencode({'token': token, 'lang': locale})}"


def _letter(
    row: SurveyInvitation, token: str, settings: Settings, reminder: bool, names: dict[str, object]
) -> _Letter:
    """The e-mail: the school's in Japanese then English, the ALT's in their language."""
    kind = SurveyKind(row.kind)
    locales = ["ja", "en"] if kind is SurveyKind.SCHOOL else [row.locale]
    subjects, bodies = [], []
    for locale in locales:
        params: dict[str, object] = {
            "company": names[f"company_{locale}"],
            "school": names[f"school_{locale}"],
            "alt": names["alt"],
            "term": names[f"term_{locale}"],
            "closes_on": names["closes_on"],
        }
        subject = render(
            Message(SCHOOL_SUBJECT if kind is SurveyKind.SCHOOL else ALT_SUBJECT, params), locale
        )
        if reminder:
            subject = render(Message(REMINDER_SUBJECT, {"subject": subject}), locale)
        lines = [
            render(Message(SCHOOL_BODY if kind is SurveyKind.SCHOOL else ALT_BODY, params), locale),
            survey_url(settings, token, locale),
            render(Message(LINK_VALID, params), locale),
        ]
        if reminder:
            lines.append(render(Message(REMINDER_NOTE), locale))
        subjects.append(subject)
        bodies.append("\n\n".join(lines))
    return _Letter(
        row.email,
        " / ".join(subjects),
        "\n\n----------------------------------------\n\n".join(bodies) + "\n",
        reminder,
        token_hash(token),
    )


def _claim(
    sessions: Sessions, invitation_id: int, settings: Settings, now: dt.datetime
) -> _Letter | None:
    with sessions.begin() as session:
        row = session.get(SurveyInvitation, invitation_id)
        if row is None:
            return None
        round_ = session.get(SurveyRound, row.round_id)
        company = session.get(Organisation, row.company_id)
        alt = session.get(RosterAlt, row.alt_id)
        school = session.get(School, row.school_id)
        if round_ is None or company is None or alt is None or school is None:
            return None
        token = secrets.token_urlsafe(TOKEN_BYTES)
        reminder = row.sent_at is not None
        if not repo.claim_for_mail(session, row.id, at=now, stale_before=now - CLAIM_TIMEOUT):
            return None
        names: dict[str, object] = {
            "company_ja": company.name_ja,
            "company_en": company.name_en,
            "school_ja": school.name_ja,
            "school_en": school.name_en,
            "alt": alt.name,
            "term_ja": _term_label(round_, "ja"),
            "term_en": _term_label(round_, "en"),
            "closes_on": round_.closes_on,
        }
        return _letter(row, token, settings, reminder, names)


def send_survey_mail(
    sessions: Sessions,
    settings: Settings,
    *,
    now: dt.datetime | None = None,
    today: dt.date | None = None,
) -> SurveyMailRun:
    """Send every survey e-mail that is due: first e-mails of open rounds, and reminders from
    each round's reminder day to those not answered, once per invitation."""
    now = now or utc_now()
    today = today or today_in_japan()
    run = SurveyMailRun()
    tried: set[int] = set()
    with mail.connect(settings) as connection:
        while True:
            with sessions() as session:
                due = repo.mail_due(
                    session, now=now, today=today, stale_before=now - CLAIM_TIMEOUT, limit=BATCH
                )
            waiting = [i for i in due if i not in tried]
            if not waiting:
                break
            tried.update(waiting)
            for invitation_id in waiting:
                letter = _claim(sessions, invitation_id, settings, now)
                if letter is None:
                    continue
                label = f"{invitation_id:09d}-survey"
                message = mail.compose(
                    sender=settings.smtp_sender,
                    to=letter.to,
                    subject=letter.subject,
                    body=letter.body,
                    at=now,
                    ref=label,
                )
                try:
                    connection.send(message, label)
                except (smtplib.SMTPException, OSError, ValueError) as exc:
                    error = f"{type(exc).__name__}: {exc}"
                    log.warning("survey e-mail %s not sent: %s", label, error)
                    run.failed.append(f"{label}: {error}")
                    with sessions.begin() as session:
                        repo.release_claim(session, invitation_id)
                    continue
                with sessions.begin() as session:
                    repo.mark_mailed(session, invitation_id, at=now, token_hash=letter.token_hash)
                if letter.reminder:
                    run.reminders += 1
                else:
                    run.sent += 1
    return run
