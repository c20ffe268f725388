"""Renewal intentions collected from the ALTs: asked by the periodic sweep ahead of each ALT's
renewal deadline, answered by the ALT on their own page (/my/renewal), and listed for the
company with who has not answered.

Dispatch ALTs sign in (Role.ALT, their roster entry linked by `user_id`), so the ask is a notice
with a link to a signed-in page, e-mailed by the mail sweep like every notice: no token link is
needed. An ALT without an account cannot be asked this way; the company sees that and asks in
person (and records the answer on the roster page, as before).

The dates are the rulebook's `dispatch_retention.renewal_ask` (a company-policy default): the
deadline is `deadline_days` before the ALT's contract ends; they are asked from `ask_days`
before it and reminded once from `remind_days` before it. Every step happens once: an ask is
unique per (ALT, contract end), and a reminder or the company's "no answer" notice is recorded
on the ask or by a marker. Answering sets the roster entry's renewal intention with
compare-and-swap on its version (a stale form is 409) and is audited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from altmatch.clock import today_in_japan, utc_now
from altmatch.db import Sessions
from altmatch.db import notifications as notices_repo
from altmatch.db.dispatch import company_ids, contracts_of_company, staff_of_organisations
from altmatch.db.models import Organisation, RosterAlt
from altmatch.db.retention_watch import add_ask, ask_of, asks_of_company
from altmatch.domain.access import Actor, Role
from altmatch.domain.retention_risk import ask_dates
from altmatch.i18n import N_, Message, label
from altmatch.rulebook import Rulebook, load_rulebook
from altmatch.rulebook.vocabulary import RenewalIntention
from altmatch.services.dispatch.access import own_roster_alt
from altmatch.services.dispatch.contract_health import CONTRACT_HEALTH_LINK
from altmatch.services.dispatch.retention import RETENTION_LINK, working_alts
from altmatch.services.kernel.audit import record_audit
from altmatch.services.kernel.errors import RuleError
from altmatch.services.kernel.locking import expect_version, stale_guard, touch
from altmatch.services.notifications import notify

MY_RENEWAL_LINK = "/my/renewal"
ASKED = N_(
    "Will you renew your contract ending {end}? Your company asks you to answer by {deadline}."
)
REMINDED = N_(
    "Reminder: will you renew your contract ending {end}? Your company asks you to answer by "
    "{deadline}."
)
UNANSWERED = N_(
    "ALT {staff_number} has not said by {deadline} whether they will renew their contract "
    "ending {end}."
)
RENEWAL_DUE = N_(
    "Contract {reference} comes up for renewal on {date}. The contract health page shows how it "
    "stands."
)
ANSWERED = N_("ALT {staff_number} answered about renewing their contract ending {end}: {answer}.")


# --- the ALT's own page ----------------------------------------------------------------------


class MyRenewalOut(BaseModel):
    company: str
    company_ja: str
    contract_end: dt.date
    deadline: dt.date
    asked: bool  # the company's question is out (or they answered already)
    answered_at: dt.datetime | None
    answer: RenewalIntention | None
    reason: str
    renewal_intention: RenewalIntention  # as the roster records it
    version: int  # the roster entry's version, sent back with the answer


class RenewalAnswerIn(BaseModel):
    """The ALT's answer: renewing, undecided or leaving, with an optional reason."""

    intention: RenewalIntention
    reason: str = Field(default="", max_length=2000, description="Why, if you wish to say.")
    version: int = Field(ge=1, description="The version of your roster entry you read.")


def _my_out(session: Session, alt: RosterAlt, book: Rulebook) -> MyRenewalOut:
    company = session.get(Organisation, alt.company_id)
    assert company is not None
    ask = ask_of(session, alt.id, alt.contract_end)
    return MyRenewalOut(
        company=company.name_en,
        company_ja=company.name_ja,
        contract_end=alt.contract_end,
        deadline=ask.deadline
        if ask
        else ask_dates(alt.contract_end, book.dispatch_retention).deadline,
        asked=ask is not None,
        answered_at=ask.answered_at if ask else None,
        answer=RenewalIntention(ask.answer) if ask and ask.answer else None,
        reason=ask.reason if ask else "",
        renewal_intention=RenewalIntention(alt.renewal_intention),
        version=alt.version,
    )


def my_renewal(sessions: Sessions, actor: Actor, *, book: Rulebook | None = None) -> MyRenewalOut:
    """The signed-in ALT's renewal question for their current contract and their answer."""
    book = book or load_rulebook()
    with sessions() as session:
        return _my_out(session, own_roster_alt(session, actor), book)


@stale_guard()
def answer_renewal(
    sessions: Sessions,
    actor: Actor,
    body: RenewalAnswerIn,
    *,
    today: dt.date | None = None,
    book: Rulebook | None = None,
) -> MyRenewalOut:
    """Record the ALT's answer: the roster entry's renewal intention changes only if they read
    its current version (409 otherwise, and nothing changes); the ask (created now if the ALT
    answers before being asked) keeps the answer, the reason and when; audited, and the
    company's staff are told. The answer may be changed until the contract ends."""
    book = book or load_rulebook()
    today = today or today_in_japan()
    now = utc_now()
    with sessions.begin() as session:
        alt = own_roster_alt(session, actor)
        if alt.contract_end < today:
            raise RuleError(
                Message(N_("Your contract has ended: ask your company about a new one.")),
                "intention",
            )
        expect_version(alt, body.version)
        before = {"renewal_intention": alt.renewal_intention}
        ask = ask_of(session, alt.id, alt.contract_end)
        if ask is None:
            deadline = ask_dates(alt.contract_end, book.dispatch_retention).deadline
            ask = add_ask(
                session,
                company_id=alt.company_id,
                alt_id=alt.id,
                contract_end=alt.contract_end,
                deadline=deadline,
                at=now,
            ) or ask_of(session, alt.id, alt.contract_end)
            assert ask is not None  # added now, or by a request at the same moment
        alt.renewal_intention = body.intention.value
        touch(alt)
        ask.answer = body.intention.value
        ask.reason = body.reason.strip()
        ask.answered_at = now
        ask.answered_by = actor.user_id
        session.flush()
        record_audit(
            session,
            actor,
            "roster_alt.renewal_answered",
            "roster_alt",
            alt.id,
            before,
            {"renewal_intention": body.intention.value, "ask_id": ask.id},
            tenant_id=alt.company_id,
        )
        staff = [
            uid
            for uid, _locale, _org in staff_of_organisations(
                session, [alt.company_id], Role.COMPANY_STAFF.value
            )
        ]
        notify(
            session,
            staff,
            kind="renewal_answered",
            message=Message(
                ANSWERED,
                {
                    "staff_number": alt.external_id,
                    "end": alt.contract_end,
                    "answer": Message(label(body.intention)),
                },
            ),
            link=RETENTION_LINK,
        )
        return _my_out(session, alt, book)


# --- the periodic sweep ----------------------------------------------------------------------


@dataclass(frozen=True)
class RenewalSweep:
    asked: int = 0
    reminded: int = 0
    unanswered: int = 0  # deadlines passed without an answer, told to the company
    contracts: int = 0  # client contracts coming up for renewal, told to the company


def ask_renewals(
    sessions: Sessions, *, today: dt.date | None = None, now: dt.datetime | None = None
) -> RenewalSweep:
    """Ask every working ALT with an account whose ask window is open (and who was not asked
    about this term), remind once those who have not answered from `remind_days` before the
    deadline, and tell the company's staff once of each deadline passed without an answer.
    Done once per Japanese day (a marker), however often the sweep runs."""
    at = now or utc_now()
    book = load_rulebook()
    rules = book.dispatch_retention
    today = today or today_in_japan()
    asked = reminded = unanswered = contracts = 0
    with sessions.begin() as session:
        if not notices_repo.add_marker(session, f"renewal_asks:{today.isoformat()}", at=at):
            return RenewalSweep()
        for company_id in company_ids(session):
            asks = {(a.alt_id, a.contract_end): a for a in asks_of_company(session, company_id)}
            staff = [
                uid
                for uid, _locale, _org in staff_of_organisations(
                    session, [company_id], Role.COMPANY_STAFF.value
                )
            ]
            contracts += _tell_renewals_due(session, company_id, staff, today, at, book)
            for alt in working_alts(session, company_id, today):
                if alt.user_id is None or alt.contract_end <= today:
                    continue
                dates = ask_dates(alt.contract_end, rules)
                ask = asks.get((alt.id, alt.contract_end))
                params = {"end": alt.contract_end, "deadline": dates.deadline}
                if ask is None:
                    if today < dates.ask_from:
                        continue
                    row = add_ask(
                        session,
                        company_id=company_id,
                        alt_id=alt.id,
                        contract_end=alt.contract_end,
                        deadline=dates.deadline,
                        at=at,
                    )
                    if row is None:
                        continue
                    notify(
                        session,
                        [alt.user_id],
                        kind="renewal_asked",
                        message=Message(ASKED, params),
                        link=MY_RENEWAL_LINK,
                    )
                    asked += 1
                    continue
                if ask.answered_at is not None:
                    continue
                if ask.reminded_at is None and dates.remind_from <= today <= ask.deadline:
                    ask.reminded_at = at
                    notify(
                        session,
                        [alt.user_id],
                        kind="renewal_reminder",
                        message=Message(REMINDED, {**params, "deadline": ask.deadline}),
                        link=MY_RENEWAL_LINK,
                    )
                    reminded += 1
                elif today > ask.deadline and notices_repo.add_marker(
                    session, f"renewal_unanswered:{ask.id}", at=at
                ):
                    notify(
                        session,
                        staff,
                        kind="renewal_unanswered",
                        message=Message(
                            UNANSWERED,
                            {
                                "staff_number": alt.external_id,
                                "deadline": ask.deadline,
                                "end": alt.contract_end,
                            },
                        ),
                        link=RETENTION_LINK,
                    )
                    unanswered += 1
    return RenewalSweep(asked, reminded, unanswered, contracts)


def _tell_renewals_due(
    session: Session,
    company_id: int,
    staff: list[int],
    today: dt.date,
    at: dt.datetime,
    book: Rulebook,
) -> int:
    """Tell the staff once of each contract whose renewal date is within the contract health
    watch window (`watch_renewal_within_days`)."""
    window = dt.timedelta(days=book.dispatch_retention.contract_health.watch_renewal_within_days)
    told = 0
    for contract in contracts_of_company(session, company_id):
        due = contract.renewal_date
        if due is None or contract.end < today or not due - window <= today <= due:
            continue
        if not notices_repo.add_marker(
            session, f"contract_renewal:{contract.id}:{due.isoformat()}", at=at
        ):
            continue
        notify(
            session,
            staff,
            kind="contract_renewal_due",
            message=Message(RENEWAL_DUE, {"reference": contract.reference, "date": due}),
            link=CONTRACT_HEALTH_LINK,
        )
        told += 1
    return told
