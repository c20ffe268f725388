"""The compliance watch on SQLite and PostgreSQL: a company's alerts from its roster's dates and
assignments, seen by its own staff only; acknowledging one (audited once, idempotent, safe when
two colleagues click at once); new facts give a new alert; reminders go out once per alert; the
roster file carries the dates in and out."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass

import pytest
from sqlalchemy import select
from time_machine import TimeMachineFixture

from altmatch.db import Sessions
from altmatch.db.models import (
    AuditEntry,
    ComplianceAcknowledgement,
    ContractPosition,
    DispatchContract,
    Notification,
    RosterAlt,
    RosterAssignment,
    School,
)
from altmatch.demo import generate_demo, persona
from altmatch.demo.seed_database import seed_demo_database
from altmatch.domain.access import OPERATOR, AccessDeniedError, Actor, NotFoundError, OrgKind, Role
from altmatch.domain.compliance import ComplianceRule, DueStatus
from altmatch.i18n import render
from altmatch.services.accounts.authentication import act_as
from altmatch.services.accounts.users import create_organisation, create_user
from altmatch.services.dispatch.compliance import (
    AcknowledgeIn,
    ComplianceAlertOut,
    acknowledge_alert,
    companies_compliance,
    company_compliance,
    remind_compliance,
)
from altmatch.services.dispatch.roster import (
    ComplianceDatesEdit,
    export_roster,
    get_roster_alt,
    import_roster,
    set_compliance_dates,
)
from altmatch.services.kernel.errors import RuleError
from altmatch.services.notifications import restored_message

TODAY = dt.date(2026, 12, 6)
PASSWORD = "correct horse battery"
CARD, CONVERSION = ComplianceRule.RESIDENCE_CARD_EXPIRY, ComplianceRule.INDEFINITE_CONVERSION
UNIT, OUTSOURCING = ComplianceRule.DISPATCH_THREE_YEAR_UNIT, ComplianceRule.OUTSOURCING_DIRECTION
NAMES = {
    "A1": "Amy Clark",
    "A2": "Ben Davis",
    "A3": "Cara Evans",
    "A4": "Dan Ford",
    "B1": "Eve Green",
}


@dataclass
class Watch:
    company_id: int
    staff: Actor
    colleague: Actor
    other_staff: Actor  # another company's staff member
    alt_user: Actor
    alts: dict[str, int]  # external id -> roster row id


def _staff(sessions: Sessions, org: int, email: str, role: Role = Role.COMPANY_STAFF) -> Actor:
    user = create_user(
        sessions,
        actor=OPERATOR,
        email=email,
        display_name=email.split("@")[0].title(),
        role=role,
        password=PASSWORD,
        organisation_id=org,
    )
    return Actor(user_id=user.id, role=role, organisation_id=org)


@pytest.fixture
def watch(sessions: Sessions) -> Watch:
    """Sakura: Kobe (worker dispatch) and Osaka (outsourcing), each from 2024-04-01.

    A1 works at Kobe from 2024-04-01 (three years reached 2027-04-01) and began their first
    contract 2021-12-20 (five years complete 2026-12-20); A2's card expired 2026-11-30; A3
    works at Osaka under outsourcing from 2026-04-01; A4's own contract ended 2026-11-30 (left
    out, though their card expires in a week). Minato has one ALT, B1, whose card expires in
    ten days."""
    org = create_organisation
    sakura = org(sessions, actor=OPERATOR, kind=OrgKind.COMPANY, name_en="Sakura", name_ja="さくら")
    minato = org(sessions, actor=OPERATOR, kind=OrgKind.COMPANY, name_en="Minato", name_ja="みなと")
    kobe = org(sessions, actor=OPERATOR, kind=OrgKind.BOE, name_en="Kobe BoE", name_ja="神戸市教委")
    osaka = org(
        sessions, actor=OPERATOR, kind=OrgKind.BOE, name_en="Osaka BoE", name_ja="大阪市教委"
    )
    staff = _staff(sessions, sakura.id, "naoko@example.org")
    colleague = _staff(sessions, sakura.id, "kenji@example.org")
    other = _staff(sessions, minato.id, "daisuke@example.org")
    alt_user = create_user(
        sessions,
        actor=OPERATOR,
        email="alex@example.org",
        display_name="Alex",
        role=Role.ALT,
        password=PASSWORD,
    )
    alts: dict[str, int] = {}
    with sessions.begin() as session:
        positions = {}
        for boe, kind, ref in ((kobe, "worker_dispatch", "K-1"), (osaka, "outsourcing", "O-1")):
            school = School(
                boe_id=boe.id,
                external_id=f"{ref}-S",
                name_en=f"{boe.name_en} East JHS",
                name_ja=f"{boe.name_ja}東中学校",
                level="junior_high",
                area="urban",
                municipality=boe.name_en,
            )
            contract = DispatchContract(
                company_id=sakura.id,
                boe_id=boe.id,
                reference=ref,
                contract_type=kind,
                start=dt.date(2024, 4, 1),
                end=dt.date(2028, 3, 31),
                price_per_alt_month=300_000,
            )
            session.add_all([school, contract])
            session.flush()
            position = ContractPosition(
                contract_id=contract.id,
                external_id=f"{ref}-P",
                school_id=school.id,
                days_per_week=5,
            )
            session.add(position)
            session.flush()
            positions[ref] = position.id
        for company, ext, since, card, end in (
            (sakura.id, "A1", dt.date(2021, 12, 20), None, dt.date(2027, 7, 31)),
            (sakura.id, "A2", None, dt.date(2026, 11, 30), dt.date(2027, 7, 31)),
            (sakura.id, "A3", None, None, dt.date(2027, 7, 31)),
            (sakura.id, "A4", None, dt.date(2026, 12, 13), dt.date(2026, 11, 30)),
            (minato.id, "B1", None, dt.date(2026, 12, 16), dt.date(2027, 7, 31)),
        ):
            alt = RosterAlt(
                company_id=company,
                user_id=alt_user.id if ext == "A1" else None,
                external_id=ext,
                name=NAMES[ext],
                home_prefecture="Hyogo",
                home_municipality="Kobe",
                home_latitude=34.7,
                home_longitude=135.2,
                school_experience=[],
                driving_licence=False,
                jlpt="none",
                contract_end=end,
                employed_since=since,
                residence_card_expires_on=card,
            )
            session.add(alt)
            session.flush()
            alts[ext] = alt.id
        session.add_all(
            [
                RosterAssignment(
                    alt_id=alts["A1"], position_id=positions["K-1"], start=dt.date(2024, 4, 1)
                ),
                RosterAssignment(
                    alt_id=alts["A3"], position_id=positions["O-1"], start=dt.date(2026, 4, 1)
                ),
            ]
        )
    alt_actor = Actor(user_id=alt_user.id, role=Role.ALT)
    return Watch(sakura.id, staff, colleague, other, alt_actor, alts)


def _keys(alerts: list[ComplianceAlertOut]) -> list[tuple[str, ComplianceRule, dt.date]]:
    return [(a.external_id, a.rule, a.due_on) for a in alerts]


def _ack(
    watch: Watch, ext: str, rule: ComplianceRule, due_on: dt.date, note: str = ""
) -> AcknowledgeIn:
    return AcknowledgeIn(alt_id=watch.alts[ext], rule=rule, due_on=due_on, note=note)


def test_company_staff_see_their_alerts_earliest_first_with_what_to_do(
    sessions: Sessions, watch: Watch
) -> None:
    """On 2026-12-06: A3's outsourcing warning (due on its start, 2026-04-01) and A2's card
    (2026-11-30) are overdue; A1's five years complete on 2026-12-20, in 14 days (due soon);
    A1's three years at Kobe are reached on 2027-04-01, in 116 days (later, shown since
    2026-10-03). A4 has left; Minato's B1 is another company's."""
    found = company_compliance(sessions, watch.staff, today=TODAY)

    assert _keys(found.alerts) == [
        ("A3", OUTSOURCING, dt.date(2026, 4, 1)),
        ("A2", CARD, dt.date(2026, 11, 30)),
        ("A1", CONVERSION, dt.date(2026, 12, 20)),
        ("A1", UNIT, dt.date(2027, 4, 1)),
    ]
    assert [a.status for a in found.alerts] == [
        DueStatus.OVERDUE,
        DueStatus.OVERDUE,
        DueStatus.DUE_SOON,
        DueStatus.LATER,
    ]
    assert (found.to_do, found.overdue, found.due_soon_days) == (4, 2, 30)
    unit = found.alerts[3]
    assert unit.days_left == 116 and unit.shows_from == dt.date(2026, 10, 3)
    assert "Kobe BoE" in unit.detail and "1 Apr 2024" in unit.detail
    assert unit.rule_name == "Three-year limit in one client unit" and unit.action
    assert all(a.acknowledged is None for a in found.alerts)
    assert {r.rule for r in found.rules} == set(ComplianceRule)

    ja = company_compliance(sessions, watch.staff, today=TODAY, locale="ja")
    assert ja.alerts[3].rule_name == "派遣の個人単位の期間制限（3年）"
    assert "神戸市教委" in ja.alerts[3].detail and "2027年4月1日" in ja.alerts[3].detail


def test_another_company_sees_nothing_of_it_and_cannot_acknowledge_its_alerts(
    sessions: Sessions, watch: Watch
) -> None:
    theirs = company_compliance(sessions, watch.other_staff, today=TODAY)
    assert _keys(theirs.alerts) == [("B1", CARD, dt.date(2026, 12, 16))]
    with pytest.raises(NotFoundError):
        acknowledge_alert(
            sessions, watch.other_staff, _ack(watch, "A2", CARD, dt.date(2026, 11, 30)), today=TODAY
        )
    with pytest.raises(NotFoundError):  # naming the other company does not help either
        company_compliance(sessions, watch.other_staff, company_id=watch.company_id, today=TODAY)
    with pytest.raises(AccessDeniedError):  # an ALT, even one on the roster, sees no watch
        company_compliance(sessions, watch.alt_user, today=TODAY)
    with sessions() as session:
        assert session.scalars(select(ComplianceAcknowledgement)).all() == []


def test_the_operator_sees_every_company_or_the_one_named(sessions: Sessions, watch: Watch) -> None:
    every = companies_compliance(sessions, OPERATOR, today=TODAY)
    assert [len(c.alerts) for c in every] == [4, 1]
    (one,) = companies_compliance(sessions, OPERATOR, company_id=watch.company_id, today=TODAY)
    assert one.company == "Sakura"


def test_acknowledging_is_audited_once_and_repeating_it_changes_nothing(
    sessions: Sessions, watch: Watch
) -> None:
    body = _ack(watch, "A2", CARD, dt.date(2026, 11, 30), note="Renewal applied for on 28 Nov.")
    first = acknowledge_alert(sessions, watch.staff, body, today=TODAY)
    again = acknowledge_alert(
        sessions, watch.colleague, body.model_copy(update={"note": "me too"}), today=TODAY
    )

    assert first.acknowledged is not None and again.acknowledged is not None
    assert first.acknowledged.by == "Naoko" and first.acknowledged.by_user_id == watch.staff.user_id
    assert again.acknowledged == first.acknowledged  # the first one stands
    assert first.acknowledged.note == "Renewal applied for on 28 Nov."
    with sessions() as session:
        rows = session.scalars(select(ComplianceAcknowledgement)).all()
        audits = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "compliance.acknowledged")
        ).all()
    assert len(rows) == 1 and rows[0].company_id == watch.company_id
    assert len(audits) == 1
    (audit,) = audits
    assert (audit.entity, audit.entity_id, audit.actor_user_id) == (
        "roster_alt",
        str(watch.alts["A2"]),
        watch.staff.user_id,
    )
    assert audit.after == {
        "acknowledgement_id": rows[0].id,
        "rule": "residence_card_expiry",
        "due_on": "2026-11-30",
    }
    found = company_compliance(sessions, watch.staff, today=TODAY)
    assert (found.to_do, found.overdue) == (3, 1)
    card = next(a for a in found.alerts if a.rule is CARD)
    assert card.acknowledged == first.acknowledged  # listed still, with who and when


def test_two_colleagues_acknowledging_at_once_leave_one_acknowledgement(
    sessions: Sessions, watch: Watch
) -> None:
    body = _ack(watch, "A1", CONVERSION, dt.date(2026, 12, 20))
    barrier = threading.Barrier(2)
    answers: list[ComplianceAlertOut] = []
    failures: list[BaseException] = []

    def click(actor: Actor) -> None:
        barrier.wait()
        try:
            answers.append(acknowledge_alert(sessions, actor, body, today=TODAY))
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=click, args=(a,)) for a in (watch.staff, watch.colleague)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert failures == [] and len(answers) == 2
    assert answers[0].acknowledged == answers[1].acknowledged
    with sessions() as session:
        assert len(session.scalars(select(ComplianceAcknowledgement)).all()) == 1
        audits = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "compliance.acknowledged")
        ).all()
        assert len(audits) == 1


def test_an_alert_that_does_not_show_today_cannot_be_acknowledged(
    sessions: Sessions, watch: Watch
) -> None:
    with pytest.raises(RuleError) as refused:
        acknowledge_alert(
            sessions, watch.staff, _ack(watch, "A2", CARD, dt.date(2026, 12, 1)), today=TODAY
        )
    assert refused.value.field == "due_on"
    with pytest.raises(RuleError):  # A4 has left the company: no alerts
        acknowledge_alert(
            sessions, watch.staff, _ack(watch, "A4", CARD, dt.date(2026, 12, 13)), today=TODAY
        )


def test_a_new_card_date_is_a_new_alert_and_the_old_acknowledgement_stays(
    sessions: Sessions, watch: Watch
) -> None:
    acknowledge_alert(
        sessions, watch.staff, _ack(watch, "A2", CARD, dt.date(2026, 11, 30)), today=TODAY
    )
    alt = get_roster_alt(sessions, watch.staff, watch.alts["A2"])
    edit = ComplianceDatesEdit(residence_card_expires_on=dt.date(2027, 2, 1), version=alt.version)
    set_compliance_dates(sessions, watch.staff, watch.alts["A2"], edit)

    found = company_compliance(sessions, watch.staff, today=dt.date(2026, 11, 3))
    card = next(a for a in found.alerts if a.rule is CARD and a.external_id == "A2")
    assert (card.due_on, card.acknowledged) == (dt.date(2027, 2, 1), None)
    with sessions() as session:
        assert len(session.scalars(select(ComplianceAcknowledgement)).all()) == 1
    stale = ComplianceDatesEdit(employed_since=dt.date(2030, 1, 1), version=alt.version + 1)
    with pytest.raises(RuleError) as refused:  # after the contract end
        set_compliance_dates(sessions, watch.staff, watch.alts["A2"], stale)
    assert refused.value.field == "employed_since"


def test_reminders_go_to_the_companys_staff_once_per_alert_by_staff_number(
    sessions: Sessions, watch: Watch
) -> None:
    acknowledge_alert(
        sessions, watch.staff, _ack(watch, "A3", OUTSOURCING, dt.date(2026, 4, 1)), today=TODAY
    )
    assert remind_compliance(sessions, today=TODAY) == 4  # Sakura's three open ones, Minato's B1
    assert remind_compliance(sessions, today=TODAY) == 0
    with sessions() as session:
        notices = session.scalars(
            select(Notification).where(Notification.kind == "compliance_due")
        ).all()
    by_user: dict[int, list[str]] = {}
    for n in notices:
        by_user.setdefault(n.user_id, []).append(render(restored_message(n.message), "en"))
    assert sorted(len(v) for v in by_user.values()) == [1, 3, 3]  # two at Sakura, one at Minato
    texts = by_user[watch.staff.user_id]
    assert (
        "Compliance: Residence card and period of stay expiry for ALT A2, due 30 Nov 2026. "
        "The compliance page says what to do."
    ) in texts
    assert sum("for ALT A1," in t for t in texts) == 2 and not any("A3" in t for t in texts)
    assert not any(name in t for t in texts for name in NAMES.values())  # staff numbers only
    assert all(n.link == "/dispatch/compliance" for n in notices)
    # A later day brings no reminder for what was already told.
    assert remind_compliance(sessions, today=TODAY + dt.timedelta(days=1)) == 0


def test_the_roster_file_brings_the_dates_in_keeps_them_when_absent_and_exports_them(
    sessions: Sessions, watch: Watch
) -> None:
    header = (
        "alt_id,name,home_prefecture,home_municipality,home_latitude,home_longitude,contract_end"
    )
    row = "A2,Ben Davis,Hyogo,Kobe,34.7,135.2,2027-07-31"
    with_dates = f"{header},employed_since,residence_card_expires_on\n{row},2023-04-01,2028-01-31\n"
    out = import_roster(sessions, watch.staff, content=with_dates.encode(), filename="roster.csv")
    assert out.committed
    alt = get_roster_alt(sessions, watch.staff, watch.alts["A2"])
    assert (alt.employed_since, alt.residence_card_expires_on) == (
        dt.date(2023, 4, 1),
        dt.date(2028, 1, 31),
    )
    without = f"{header}\n{row.replace('Ben Davis', 'Ben Davies')}\n"
    assert import_roster(
        sessions, watch.staff, content=without.encode(), filename="r.csv"
    ).committed
    alt = get_roster_alt(sessions, watch.staff, watch.alts["A2"])
    assert alt.name == "Ben Davies" and alt.employed_since == dt.date(2023, 4, 1)
    exported = export_roster(sessions, watch.staff, "csv").decode("utf-8-sig").splitlines()
    columns = exported[0].split(",")
    line = next(line for line in exported if line.startswith("A2,")).split(",")
    assert line[columns.index("employed_since")] == "2023-04-01"
    assert line[columns.index("residence_card_expires_on")] == "2028-01-31"
    cleared = f"{header},employed_since,residence_card_expires_on\n{row},,\n"
    assert import_roster(
        sessions, watch.staff, content=cleared.encode(), filename="r.csv"
    ).committed
    alt = get_roster_alt(sessions, watch.staff, watch.alts["A2"])
    assert (alt.employed_since, alt.residence_card_expires_on) == (None, None)


def test_the_demo_company_has_an_alert_of_each_rule_one_overdue_and_one_acknowledged(
    sessions: Sessions, clock: TimeMachineFixture
) -> None:
    """Seeded on 2026-11-25 (as the demo's other tests are), Sakura's staff persona sees
    every rule, an overdue alert still open, and acknowledged ones with who and when."""
    clock.move_to(dt.datetime(2026, 11, 25, 0, 0, tzinfo=dt.UTC), tick=True)
    seed_demo_database(sessions, generate_demo(candidates=60))
    naoko = act_as(sessions, OPERATOR, persona("sakura_company_staff").login)

    found = company_compliance(sessions, naoko, today=dt.date(2026, 11, 25))

    open_ = [a for a in found.alerts if a.acknowledged is None]
    done = [a for a in found.alerts if a.acknowledged is not None]
    assert {a.rule for a in open_} == set(ComplianceRule)
    assert {a.status for a in open_} == set(DueStatus) and found.overdue >= 1
    assert any(a.rule is CONVERSION for a in done)
    assert all(a.acknowledged and a.acknowledged.by == "Naoko Kato" for a in done)
