"""Renewal intentions collected from the ALTs (SQLite and PostgreSQL): the sweep asks once when
the window opens, reminds once, tells the company once of a deadline passed without an answer
and of a contract coming up for renewal; the ALT's answer sets the roster's intention with
compare-and-swap, is audited, and the company sees who has not answered.

On the coverage world (contract ends, deadline = end - 90 days, asked from 30 days and reminded
from 7 days before it): Eve ends 31 Jan 2027 (deadline 2 Nov 2026, already passed on 25 Nov);
Cai ends 31 Mar 2027 (deadline 31 Dec 2026: asked from 1 Dec, reminded from 24 Dec); Ada ends
30 Jun 2027 (deadline 1 Apr 2027: not asked yet). Ben has no account.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select
from tests.dispatch_coverage_world import TODAY, CoverageWorld, build_coverage_world

from altmatch.clock import JAPAN
from altmatch.db import Sessions
from altmatch.db.models import (
    AuditEntry,
    DispatchContract,
    Notification,
    RenewalAsk,
    RosterAlt,
    User,
)
from altmatch.domain.access import AccessDeniedError, Actor, NotFoundError, Role
from altmatch.rulebook.vocabulary import RenewalIntention
from altmatch.services.dispatch.renewal_asks import (
    RenewalAnswerIn,
    RenewalSweep,
    answer_renewal,
    ask_renewals,
    my_renewal,
)
from altmatch.services.dispatch.retention import AskState, company_retention
from altmatch.services.kernel.errors import StaleError

pytestmark = pytest.mark.date_sensitive


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=JAPAN)


def _user(sessions: Sessions, email: str, role: str, org: int | None = None) -> int:
    with sessions.begin() as session:
        user = User(
            email=email,
            display_name=email.split("@")[0],
            password_hash="",
            role=role,
            organisation_id=org,
            locale="en",
        )
        session.add(user)
        session.flush()
        return user.id


@pytest.fixture
def world(sessions: Sessions) -> CoverageWorld:
    found = build_coverage_world(sessions)
    users = {k: _user(sessions, f"{k}@example.org", "alt") for k in ("cai", "eve", "ada")}
    _user(sessions, "staff@example.org", "company_staff", found.company)
    with sessions.begin() as session:
        for key, uid in users.items():
            alt = session.get(RosterAlt, found.alts[key])
            assert alt is not None
            alt.user_id = uid
    return found


def sweep(sessions: Sessions, day: date) -> RenewalSweep:
    return ask_renewals(sessions, today=day, now=_at(day))


def alt_actor(sessions: Sessions, email: str) -> Actor:
    with sessions() as session:
        uid = session.scalars(select(User.id).where(User.email == email)).one()
    return Actor(user_id=uid, role=Role.ALT, organisation_id=None)


def notices(sessions: Sessions, kind: str) -> list[Notification]:
    with sessions() as session:
        return list(session.scalars(select(Notification).where(Notification.kind == kind)))


def test_the_sweep_asks_reminds_and_tells_the_company_once_each(
    sessions: Sessions, world: CoverageWorld
) -> None:
    assert sweep(sessions, TODAY) == RenewalSweep(asked=1)  # Eve, late but asked
    assert sweep(sessions, TODAY) == RenewalSweep()  # done today already
    (asked,) = notices(sessions, "renewal_asked")
    assert asked.link == "/my/renewal"
    assert asked.message["params"]["deadline"] == {"date": "2026-11-02"}

    assert sweep(sessions, date(2026, 11, 30)) == RenewalSweep(unanswered=1)  # Eve's deadline
    assert sweep(sessions, date(2026, 12, 1)) == RenewalSweep(asked=1)  # Cai; Eve told once
    assert sweep(sessions, date(2026, 12, 23)) == RenewalSweep()
    assert sweep(sessions, date(2026, 12, 24)) == RenewalSweep(reminded=1)  # Cai
    assert sweep(sessions, date(2026, 12, 25)) == RenewalSweep()
    (told,) = notices(sessions, "renewal_unanswered")
    assert told.link == "/dispatch/retention"
    assert told.message["params"]["staff_number"] == "A-eve"  # never the ALT's name
    with sessions() as session:
        asks = {a.alt_id: a for a in session.scalars(select(RenewalAsk))}
    assert set(asks) == {world.alts["eve"], world.alts["cai"]}
    assert asks[world.alts["cai"]].deadline == date(2026, 12, 31)
    assert asks[world.alts["cai"]].reminded_at is not None


def test_the_alt_answers_with_compare_and_swap_and_the_company_sees_it(
    sessions: Sessions, world: CoverageWorld
) -> None:
    sweep(sessions, date(2026, 12, 1))
    cai = alt_actor(sessions, "cai@example.org")
    mine = my_renewal(sessions, cai)
    assert (mine.contract_end, mine.deadline, mine.asked, mine.answer) == (
        date(2027, 3, 31),
        date(2026, 12, 31),
        True,
        None,
    )
    stale = RenewalAnswerIn(intention=RenewalIntention.LEAVING, version=mine.version - 1)
    with pytest.raises(StaleError):
        answer_renewal(sessions, cai, stale, today=date(2026, 12, 2))
    with sessions() as session:
        row = session.get(RosterAlt, world.alts["cai"])
        assert row is not None and row.renewal_intention == "undecided"

    body = RenewalAnswerIn(
        intention=RenewalIntention.LEAVING, reason="  Going home to study.  ", version=mine.version
    )
    done = answer_renewal(sessions, cai, body, today=date(2026, 12, 2))
    assert (done.answer, done.reason, done.version) == (
        RenewalIntention.LEAVING,
        "Going home to study.",
        mine.version + 1,
    )
    with sessions() as session:
        row = session.get(RosterAlt, world.alts["cai"])
        assert row is not None and row.renewal_intention == "leaving"
        (entry,) = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "roster_alt.renewal_answered")
        )
        assert entry.tenant_id == world.company
    (answered,) = notices(sessions, "renewal_answered")
    assert answered.link == "/dispatch/retention"
    # the same form sent again: its version is now stale
    with pytest.raises(StaleError):
        answer_renewal(sessions, cai, body, today=date(2026, 12, 2))

    staff = Actor(user_id=1, role=Role.COMPANY_STAFF, organisation_id=world.company)
    found = company_retention(sessions, staff, today=date(2026, 12, 2))
    states = {i.external_id: i.state for i in found.intentions}
    assert states == {
        "A-ada": AskState.NOT_YET,
        "A-ben": AskState.NO_ACCOUNT,
        "A-cai": AskState.ANSWERED,
        "A-dee": AskState.NO_ACCOUNT,
        "A-eve": AskState.OVERDUE,  # asked on 1 Dec, a month after her deadline
    }
    cai_row = next(i for i in found.intentions if i.external_id == "A-cai")
    assert (cai_row.answer, cai_row.reason) == (RenewalIntention.LEAVING, "Going home to study.")
    risk = next(a for a in found.alts if a.external_id == "A-cai")
    assert [r.reason.value for r in risk.reasons] == ["leaving"]


def test_an_alt_may_answer_before_being_asked_and_the_unanswered_are_counted(
    sessions: Sessions, world: CoverageWorld
) -> None:
    sweep(sessions, TODAY)  # Eve asked, not answered
    ada = alt_actor(sessions, "ada@example.org")
    mine = my_renewal(sessions, ada)
    assert (mine.asked, mine.deadline) == (False, date(2027, 4, 1))
    body = RenewalAnswerIn(intention=RenewalIntention.RENEWING, version=mine.version)
    assert answer_renewal(sessions, ada, body, today=TODAY).asked is True
    staff = Actor(user_id=1, role=Role.COMPANY_STAFF, organisation_id=world.company)
    found = company_retention(sessions, staff, today=TODAY)
    assert found.unanswered == 1  # Eve
    assert found.intentions[0].external_id == "A-eve"
    assert found.intentions[0].state is AskState.OVERDUE


def test_only_the_alt_on_a_roster_answers_for_themself(
    sessions: Sessions, world: CoverageWorld
) -> None:
    stranger = Actor(
        user_id=_user(sessions, "jet@example.org", "alt"), role=Role.ALT, organisation_id=None
    )
    with pytest.raises(NotFoundError):
        my_renewal(sessions, stranger)
    body = RenewalAnswerIn(intention=RenewalIntention.LEAVING, version=1)
    with pytest.raises(NotFoundError):
        answer_renewal(sessions, stranger, body)
    staff = Actor(user_id=1, role=Role.COMPANY_STAFF, organisation_id=world.company)
    with pytest.raises(AccessDeniedError):
        answer_renewal(sessions, staff, body)


def test_a_contract_coming_up_for_renewal_is_told_once(
    sessions: Sessions, world: CoverageWorld
) -> None:
    """K-1's renewal date moved to 15 Jan 2027: 51 days after 25 Nov, within 90."""
    with sessions.begin() as session:
        k1 = session.get(DispatchContract, world.contracts["K-1"])
        assert k1 is not None
        k1.renewal_date = date(2027, 1, 15)
    assert sweep(sessions, TODAY).contracts == 1
    assert sweep(sessions, date(2026, 11, 26)).contracts == 0
    (told,) = notices(sessions, "contract_renewal_due")
    assert told.link == "/dispatch/contract-health"
    assert told.message["params"]["reference"] == "K-1"
