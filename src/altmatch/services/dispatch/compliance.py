"""A dispatch company's compliance watch: the read model its page, API and CLI share, the
acknowledgement of an alert, and the e-mail reminders the periodic sweep sends.

The alerts are computed, never stored: `altmatch.domain.compliance` turns each roster ALT's
facts (first contract, residence card, assignments with their client BoE and contract type)
into dated alerts with the rulebook's figures. What is stored is who acknowledged which alert
(ALT, rule, due date): an acknowledged alert leaves the to-do list but stays listed with who
acknowledged it and when, until its facts change (a new date is a new alert). ALTs whose own
contract with the company has ended (`contract_end` before today) are left out: they no longer
work for it.

Company staff see their own company; the operator (the CLI) names one. Acknowledging is
idempotent and race-safe: the table's unique key keeps the first acknowledgement, and only that
one is audited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from altmatch.clock import today_in_japan, utc_now
from altmatch.db import Sessions
from altmatch.db import accounts as accounts_repo
from altmatch.db import notifications as notices_repo
from altmatch.db.dispatch import (
    acknowledgement_of,
    acknowledgements_of_company,
    add_acknowledgement,
    assignments_with_clients,
    company_ids,
    roster_alts_of_company,
    staff_of_organisations,
)
from altmatch.db.models import ComplianceAcknowledgement, Organisation, RosterAlt
from altmatch.domain.access import Actor, NotFoundError, Permission, Role, require
from altmatch.domain.compliance import (
    Alert,
    AltFacts,
    ComplianceRule,
    ComplianceRules,
    DueStatus,
    Names,
    Stint,
    alerts_for,
    compliance_alerts,
    due_status,
)
from altmatch.i18n import N_, Message, label, render
from altmatch.rulebook import Rulebook, load_rulebook
from altmatch.rulebook.vocabulary import ContractType
from altmatch.services.dispatch.contracts import company_for, named
from altmatch.services.kernel.audit import record_audit
from altmatch.services.kernel.bounds import RowId
from altmatch.services.kernel.errors import RuleError
from altmatch.services.notifications import notify

COMPLIANCE_LINK = "/dispatch/compliance"
REMINDER = N_(
    "Compliance: {rule} for ALT {staff_number}, due {due_on}. The compliance page says what to do."
)


class AcknowledgementOut(BaseModel):
    by_user_id: int | None  # None: the operator, or an account deleted since
    by: str | None  # the acknowledging user's display name, when their account exists
    at: dt.datetime
    note: str


class ComplianceAlertOut(BaseModel):
    alt_id: int  # the roster entry's id (/dispatch/roster/{alt_id})
    external_id: str  # the company's own id for the ALT
    name: str
    rule: ComplianceRule
    rule_name: str
    due_on: dt.date
    shows_from: dt.date
    status: DueStatus
    days_left: int  # negative once overdue
    detail: str
    action: str
    acknowledged: AcknowledgementOut | None


class ComplianceRuleOut(BaseModel):
    rule: ComplianceRule
    name: str
    explanation: str
    action: str
    lead_days: int
    source: str
    as_of: dt.date
    estimate: bool


class ComplianceOut(BaseModel):
    company_id: int
    company: str
    today: dt.date
    due_soon_days: int
    to_do: int  # alerts not acknowledged
    overdue: int  # of those, past their date
    alerts: list[ComplianceAlertOut]  # earliest due first, acknowledged ones too
    rules: list[ComplianceRuleOut]


class AcknowledgeIn(BaseModel):
    """The alert acknowledged: its ALT (the roster entry's id), rule and due date."""

    alt_id: RowId
    rule: ComplianceRule
    due_on: dt.date
    note: str = Field(default="", max_length=1000, description="What was done, for the record.")


def _rules(book: Rulebook) -> ComplianceRules:
    return ComplianceRules.of(book.dispatch_compliance)


def _facts(session: Session, alts: Sequence[RosterAlt]) -> list[AltFacts]:
    stints: dict[int, list[Stint]] = {}
    for assignment, contract, school, boe in assignments_with_clients(
        session, [a.id for a in alts]
    ):
        stints.setdefault(assignment.alt_id, []).append(
            Stint(
                assignment.start,
                assignment.end,
                boe.id,
                Names(boe.name_en, boe.name_ja),
                Names(school.name_en, school.name_ja),
                ContractType(contract.contract_type),
            )
        )
    return [
        AltFacts(a.id, a.employed_since, a.residence_card_expires_on, tuple(stints.get(a.id, ())))
        for a in alts
    ]


def _working(session: Session, company_id: int, today: dt.date) -> list[RosterAlt]:
    """The company's ALTs whose contract with it has not ended."""
    return [a for a in roster_alts_of_company(session, company_id) if a.contract_end >= today]


def _company_alerts(
    session: Session, company_id: int, today: dt.date, rules: ComplianceRules
) -> tuple[list[Alert], dict[int, RosterAlt]]:
    alts = _working(session, company_id, today)
    return compliance_alerts(_facts(session, alts), today, rules), {a.id: a for a in alts}


def _acknowledgement_out(
    row: ComplianceAcknowledgement, names: dict[int, str]
) -> AcknowledgementOut:
    by = row.acknowledged_by
    return AcknowledgementOut(
        by_user_id=by,
        by=names.get(by) if by is not None else None,
        at=row.acknowledged_at,
        note=row.note,
    )


def _alert_out(
    alert: Alert,
    alt: RosterAlt,
    today: dt.date,
    book: Rulebook,
    locale: str,
    acknowledged: AcknowledgementOut | None,
) -> ComplianceAlertOut:
    info = book.dispatch_compliance.rule(alert.rule.value)
    return ComplianceAlertOut(
        alt_id=alt.id,
        external_id=alt.external_id,
        name=alt.name,
        rule=alert.rule,
        rule_name=info.name.get(locale),
        due_on=alert.due_on,
        shows_from=alert.shows_from,
        status=due_status(alert.due_on, today, book.dispatch_compliance.due_soon.days),
        days_left=(alert.due_on - today).days,
        detail=render(alert.detail, locale),
        action=info.action.get(locale),
        acknowledged=acknowledged,
    )


def _rule_outs(book: Rulebook, locale: str) -> list[ComplianceRuleOut]:
    out = []
    for rule in ComplianceRule:
        info = book.dispatch_compliance.rule(rule.value)
        out.append(
            ComplianceRuleOut(
                rule=rule,
                name=info.name.get(locale),
                explanation=info.explanation.get(locale),
                action=info.action.get(locale),
                lead_days=info.lead.days,
                source=str(info.source),
                as_of=info.as_of,
                estimate=info.estimate,
            )
        )
    return out


def company_compliance(
    sessions: Sessions,
    actor: Actor,
    *,
    company_id: int | None = None,
    today: dt.date | None = None,
    locale: str = "en",
    book: Rulebook | None = None,
) -> ComplianceOut:
    """The company's alerts showing on `today` (default: today in Japan), earliest due first,
    each with its acknowledgement if any. Company staff see their own company; the operator
    names one."""
    require(actor, Permission.DISPATCH_MANAGE)
    book = book or load_rulebook()
    today = today or today_in_japan()
    with sessions() as session:
        company = company_for(session, actor, company_id)
        alerts, alts = _company_alerts(session, company.id, today, _rules(book))
        acks = {
            (a.alt_id, a.rule, a.due_on): a
            for a in acknowledgements_of_company(session, company.id)
        }
        names = accounts_repo.display_names(
            session, {a.acknowledged_by for a in acks.values() if a.acknowledged_by is not None}
        )
        out = []
        for alert in alerts:
            ack = acks.get(alert.key)
            done = _acknowledgement_out(ack, names) if ack is not None else None
            out.append(_alert_out(alert, alts[alert.alt_id], today, book, locale, done))
        to_do = [a for a in out if a.acknowledged is None]
        return ComplianceOut(
            company_id=company.id,
            company=named(company, locale),
            today=today,
            due_soon_days=book.dispatch_compliance.due_soon.days,
            to_do=len(to_do),
            overdue=sum(1 for a in to_do if a.status is DueStatus.OVERDUE),
            alerts=out,
            rules=_rule_outs(book, locale),
        )


def companies_compliance(
    sessions: Sessions,
    actor: Actor,
    *,
    company_id: int | None = None,
    today: dt.date | None = None,
    locale: str = "en",
) -> list[ComplianceOut]:
    """The watch of one company (`company_id`) or, for the operator, of every company."""
    if company_id is not None or not actor.is_operator:
        return [
            company_compliance(sessions, actor, company_id=company_id, today=today, locale=locale)
        ]
    with sessions() as session:
        every = company_ids(session)
    return [
        company_compliance(sessions, actor, company_id=c, today=today, locale=locale) for c in every
    ]


def _access_alt(session: Session, company: Organisation, alt_id: int) -> RosterAlt:
    alt = session.get(RosterAlt, alt_id)
    if alt is None or alt.company_id != company.id:
        raise NotFoundError("alt")
    return alt


def acknowledge_alert(
    sessions: Sessions,
    actor: Actor,
    body: AcknowledgeIn,
    *,
    company_id: int | None = None,
    today: dt.date | None = None,
    locale: str = "en",
    book: Rulebook | None = None,
) -> ComplianceAlertOut:
    """Record that the actor dealt with one alert of their company's ALT, with a note. The
    alert must show today; another company's ALT is NotFoundError. Acknowledging again (or at
    the same moment as a colleague) changes nothing and answers the first acknowledgement;
    only that one is audited."""
    require(actor, Permission.DISPATCH_MANAGE)
    book = book or load_rulebook()
    today = today or today_in_japan()
    with sessions.begin() as session:
        company = company_for(session, actor, company_id)
        alt = _access_alt(session, company, body.alt_id)
        key = (alt.id, body.rule.value, body.due_on)
        (facts,) = _facts(session, [alt])
        alert = next((a for a in alerts_for(facts, today, _rules(book)) if a.key == key), None)
        if alert is None or alt.contract_end < today:
            raise RuleError(
                Message(N_("This ALT has no such alert today: reload the compliance page.")),
                "due_on",
            )
        row = add_acknowledgement(
            session,
            company_id=company.id,
            alt_id=alt.id,
            rule=body.rule.value,
            due_on=body.due_on,
            by_user_id=actor.user_id,
            at=utc_now(),
            note=body.note.strip(),
        )
        if row is not None:
            record_audit(
                session,
                actor,
                "compliance.acknowledged",
                "roster_alt",
                alt.id,
                None,
                {
                    "acknowledgement_id": row.id,
                    "rule": body.rule.value,
                    "due_on": body.due_on.isoformat(),
                },
                tenant_id=company.id,
            )
        else:
            row = acknowledgement_of(session, *key)
            if row is None:  # pragma: no cover - the unique key refused it, so it exists
                raise RuleError(Message(N_("Try again.")), "due_on")
        ids = {row.acknowledged_by} if row.acknowledged_by is not None else set()
        names = accounts_repo.display_names(session, ids)
        done = _acknowledgement_out(row, names)
        return _alert_out(alert, alt, today, book, locale, done)


def reminder_marker(alert: Alert) -> str:
    """The key that says the reminder of this alert was sent."""
    return f"compliance:{alert.alt_id}:{alert.rule.value}:{alert.due_on.isoformat()}"


def remind_compliance(
    sessions: Sessions, *, today: dt.date | None = None, now: dt.datetime | None = None
) -> int:
    """Tell each company's staff of every alert that has entered its lead window and is not
    acknowledged, once per alert (ALT, rule, due date) however often it runs: a stored marker,
    written with the notices, says it was done. The notice names the ALT by the company's staff
    number only, never by name. The number of alerts told.

    Alerts move by the day, so the work is done once per Japanese day (another marker), not at
    every run of the sweep: reading every company's roster each few minutes would cost a large
    installation for nothing."""
    at = now or utc_now()
    book = load_rulebook()
    today = today or today_in_japan()
    rules = _rules(book)
    told = 0
    with sessions.begin() as session:
        if not notices_repo.add_marker(session, f"compliance_reminders:{today.isoformat()}", at=at):
            return 0  # done today already
        for company_id in company_ids(session):
            alerts, alts = _company_alerts(session, company_id, today, rules)
            acked = {
                (a.alt_id, a.rule, a.due_on)
                for a in acknowledgements_of_company(session, company_id)
            }
            pending = [a for a in alerts if a.key not in acked]
            if not pending:
                continue
            done = notices_repo.existing_markers(session, [reminder_marker(a) for a in pending])
            staff = [
                uid
                for uid, _locale, _org in staff_of_organisations(
                    session, [company_id], Role.COMPANY_STAFF.value
                )
            ]
            for alert in pending:
                key = reminder_marker(alert)
                if key in done or not notices_repo.add_marker(session, key, at=at):
                    continue
                params = {
                    "rule": Message(label(alert.rule)),
                    "staff_number": alts[alert.alt_id].external_id,
                    "due_on": alert.due_on,
                }
                notify(
                    session,
                    staff,
                    kind="compliance_due",
                    message=Message(REMINDER, params),
                    link=COMPLIANCE_LINK,
                )
                told += 1
    return told
