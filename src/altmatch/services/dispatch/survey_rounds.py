"""Opening a dispatch company's termly survey round: what it would send and to whom (the
preview), then one invitation per current ALT × school and side, all or none, once per term.

The school's survey goes to the contact the company recorded for the position (in Japanese),
the ALT's survey of the school to the ALT's account address (in their language); a pair without
an address is listed in the preview as not invited. The e-mails go out after the commit
(services.dispatch.survey_links). Company staff only (and the operator, naming a company).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import BaseModel, Field
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from altmatch.clock import JAPAN, today_in_japan, utc_now
from altmatch.db import Sessions
from altmatch.db import accounts as accounts_repo
from altmatch.db import surveys as repo
from altmatch.db.dispatch import (
    open_assignments_of_alts,
    positions_in_force,
    roster_alts_of_company,
)
from altmatch.db.models import (
    ContractPosition,
    DispatchContract,
    RosterAlt,
    School,
    SurveyInvitation,
    SurveyRound,
)
from altmatch.domain.access import Actor, Permission, require
from altmatch.domain.satisfaction import SurveyKind, Term, survey_window, term_of
from altmatch.i18n import N_, Message
from altmatch.rulebook import Rulebook, load_rulebook
from altmatch.rulebook.surveys import DispatchSurveys, SurveyForm
from altmatch.services.dispatch.contracts import company_for, named
from altmatch.services.kernel.audit import record_audit
from altmatch.services.kernel.errors import RuleError, StaleError


def _surveys(book: Rulebook | None = None) -> DispatchSurveys:
    return (book or load_rulebook()).dispatch_surveys


def form_of(kind: SurveyKind, book: Rulebook | None = None) -> SurveyForm:
    rules = _surveys(book)
    return rules.school_survey if kind is SurveyKind.SCHOOL else rules.alt_survey


def items_of(kind: SurveyKind, book: Rulebook | None = None) -> list[str]:
    return [item.id for item in form_of(kind, book).items]


class PlannedInvitationOut(BaseModel):
    kind: SurveyKind
    alt_id: int
    alt: str  # the company's staff number
    alt_name: str
    school_id: int
    school: str
    position_id: int
    recipient: str | None  # whom it goes to (None: no address recorded, so not invited)


class RoundPreviewOut(BaseModel):
    """What opening the round for a term would do, before anything is written."""

    company_id: int
    term_key: str
    academic_year: int
    term: int
    term_name: str
    term_start: dt.date
    term_end: dt.date
    opens_on: dt.date
    closes_on: dt.date
    remind_on: dt.date
    exists: bool  # the round is open already: nothing more to do
    invitations: list[PlannedInvitationOut]
    school_invitations: int
    alt_invitations: int
    without_address: int


class RoundOut(BaseModel):
    id: int
    term_key: str
    term_name: str
    opens_on: dt.date
    closes_on: dt.date
    remind_on: dt.date
    invited: int
    answered: int
    response_rate: float | None  # answered / invited, 0-1
    school_rate: float | None
    alt_rate: float | None


class OpenRoundIn(BaseModel):
    """Open the round of the term `on` falls in (default today); `expect` is the number of
    invitations the preview showed, so a roster changed since is refused, not surprised."""

    on: dt.date | None = None
    expect: int = Field(ge=0, le=100_000)


# --- opening a round -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Planned:
    kind: SurveyKind
    alt: RosterAlt
    school: School
    position: ContractPosition
    email: str | None
    name: str
    locale: str


def _term_name(rules: DispatchSurveys, term: int, academic_year: int, locale: str) -> str:
    name = rules.school_terms.terms[term - 1].name.get(locale)
    return f"{academic_year}年度 {name}" if locale == "ja" else f"{name} {academic_year}"


def _plan(session: Session, company_id: int, on: dt.date) -> list[_Planned]:
    """One invitation per current ALT × school and side, by ALT then school."""
    rows = positions_in_force(session, company_id, on)
    info: dict[int, tuple[ContractPosition, DispatchContract, School]] = {
        pos.id: (pos, c, s) for pos, c, s, _p in rows
    }
    alts = {a.id: a for a in roster_alts_of_company(session, company_id)}
    users = {
        a.user_id: user
        for a in alts.values()
        if a.user_id is not None and (user := accounts_repo.get_user(session, a.user_id))
    }
    planned: list[_Planned] = []
    seen: set[tuple[int, int]] = set()
    for row in open_assignments_of_alts(session, list(alts)):
        if row.position_id not in info or row.start > on:
            continue
        pos, _contract, school = info[row.position_id]
        alt = alts[row.alt_id]
        if (alt.id, school.id) in seen:
            continue
        seen.add((alt.id, school.id))
        contact = (pos.contact_email or "").strip() or None
        planned.append(
            _Planned(SurveyKind.SCHOOL, alt, school, pos, contact, pos.contact_name or "", "ja")
        )
        user = users.get(alt.user_id) if alt.user_id is not None else None
        planned.append(
            _Planned(
                SurveyKind.ALT,
                alt,
                school,
                pos,
                user.email if user is not None and not user.disabled else None,
                alt.name,
                user.locale if user is not None and user.locale in ("en", "ja") else "en",
            )
        )
    planned.sort(key=lambda p: (p.alt.external_id, p.school.id, p.kind != SurveyKind.SCHOOL))
    return planned


def plan_round(
    session: Session, company_id: int, on: dt.date, locale: str, book: Rulebook
) -> tuple[RoundPreviewOut, list[_Planned], Term]:
    """The round of the term `on` falls in: its preview, the invitations it would queue (none
    when it is open already) and the term; nothing is written."""
    rules = book.dispatch_surveys
    term = term_of(on, rules.school_terms)
    window = survey_window(term, rules.window)
    exists = repo.round_of_term(session, company_id, term.academic_year, term.number) is not None
    planned = [] if exists else _plan(session, company_id, on)
    out = RoundPreviewOut(
        company_id=company_id,
        term_key=term.key,
        academic_year=term.academic_year,
        term=term.number,
        term_name=_term_name(rules, term.number, term.academic_year, locale),
        term_start=term.start,
        term_end=term.end,
        opens_on=window.opens_on,
        closes_on=window.closes_on,
        remind_on=window.remind_on,
        exists=exists,
        invitations=[
            PlannedInvitationOut(
                kind=p.kind,
                alt_id=p.alt.id,
                alt=p.alt.external_id,
                alt_name=p.alt.name,
                school_id=p.school.id,
                school=named(p.school, locale),
                position_id=p.position.id,
                recipient=p.email,
            )
            for p in planned
        ],
        school_invitations=sum(1 for p in planned if p.kind is SurveyKind.SCHOOL and p.email),
        alt_invitations=sum(1 for p in planned if p.kind is SurveyKind.ALT and p.email),
        without_address=sum(1 for p in planned if not p.email),
    )
    return out, planned, term


def preview_round(
    sessions: Sessions,
    actor: Actor,
    *,
    on: dt.date | None = None,
    company_id: int | None = None,
    locale: str = "en",
) -> RoundPreviewOut:
    """What opening the round of the term `on` falls in would send, and to whom."""
    require(actor, Permission.DISPATCH_MANAGE)
    with sessions() as session:
        company = company_for(session, actor, company_id)
        return plan_round(session, company.id, on or today_in_japan(), locale, load_rulebook())[0]


def expires_at(closes_on: dt.date) -> dt.datetime:
    """The end of the closing day in Japan, as the moment links stop working."""
    return dt.datetime.combine(closes_on + dt.timedelta(days=1), dt.time(), JAPAN).astimezone(
        dt.UTC
    )


def open_round(
    sessions: Sessions,
    actor: Actor,
    body: OpenRoundIn,
    *,
    company_id: int | None = None,
    locale: str = "en",
    now: dt.datetime | None = None,
) -> RoundOut:
    """Open the round of the term `body.on` falls in and queue its invitations, all or none.
    Refused when the round is open already (StaleError, 409) or the preview's count no longer
    matches (`expect`: RuleError); the e-mails go out after the commit."""
    require(actor, Permission.DISPATCH_MANAGE)
    book = load_rulebook()
    now = now or utc_now()
    on = body.on or today_in_japan()
    try:
        with sessions.begin() as session:
            company = company_for(session, actor, company_id)
            preview, planned, term = plan_round(session, company.id, on, locale, book)
            if preview.exists:
                raise StaleError(
                    Message(N_("The survey round for this term is open already.")), "on"
                )
            invited = [p for p in planned if p.email]
            if len(invited) != body.expect:
                raise RuleError(
                    Message(
                        N_(
                            "The roster changed since the preview: {count} surveys would go "
                            "out now, not {expected}. Check the preview again."
                        ),
                        {"count": len(invited), "expected": body.expect},
                    ),
                    "expect",
                )
            if not invited:
                raise RuleError(
                    Message(N_("Nobody can be invited: record the schools' contacts first.")),
                    "expect",
                )
            round_ = SurveyRound(
                company_id=company.id,
                academic_year=term.academic_year,
                term=term.number,
                opens_on=preview.opens_on,
                closes_on=preview.closes_on,
                remind_on=preview.remind_on,
                opened_by=actor.user_id,
                opened_at=now,
            )
            session.add(round_)
            session.flush()
            for p in invited:
                session.add(
                    SurveyInvitation(
                        round_id=round_.id,
                        company_id=company.id,
                        kind=p.kind.value,
                        alt_id=p.alt.id,
                        school_id=p.school.id,
                        position_id=p.position.id,
                        email=p.email or "",
                        recipient_name=p.name,
                        locale=p.locale,
                        expires_at=expires_at(preview.closes_on),
                        created_at=now,
                    )
                )
            session.flush()
            record_audit(
                session,
                actor,
                "survey_round.opened",
                "survey_round",
                round_.id,
                None,
                {"term": term.key, "invitations": len(invited)},
                tenant_id=company.id,
            )
            return round_out(round_, repo.invitations_of_rounds(session, [round_.id]), locale)
    except IntegrityError:
        raise StaleError(
            Message(N_("The survey round for this term is open already.")), "on"
        ) from None


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def round_out(
    round_: SurveyRound, invitations: Sequence[SurveyInvitation], locale: str
) -> RoundOut:
    rules = _surveys()
    schools = [i for i in invitations if i.kind == SurveyKind.SCHOOL]
    alts = [i for i in invitations if i.kind == SurveyKind.ALT]
    answered = [i for i in invitations if i.answered_at is not None]
    return RoundOut(
        id=round_.id,
        term_key=f"{round_.academic_year}-{round_.term}",
        term_name=_term_name(rules, round_.term, round_.academic_year, locale),
        opens_on=round_.opens_on,
        closes_on=round_.closes_on,
        remind_on=round_.remind_on,
        invited=len(invitations),
        answered=len(answered),
        response_rate=_rate(len(answered), len(invitations)),
        school_rate=_rate(sum(1 for i in schools if i.answered_at), len(schools)),
        alt_rate=_rate(sum(1 for i in alts if i.answered_at), len(alts)),
    )
