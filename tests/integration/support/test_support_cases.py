"""Support cases on SQLite and PostgreSQL: routing for every path, deadlines as the domain
computes them, escalation on breach (idempotent), emergencies, the visibility matrix, internal
notes, audit entries and view events, attachment limits and stale versions."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from tests.support_world import MONDAY_9, SupportWorld, build_support_world, monday_support_world
from time_machine import TimeMachineFixture

from altmatch.db import Sessions
from altmatch.db.models import AuditEntry, CaseEvent, Notification, SupportCase
from altmatch.domain.access import OPERATOR, AccessDeniedError, NotFoundError
from altmatch.domain.business_calendar import BusinessCalendar
from altmatch.domain.support import RouteRole, deadlines
from altmatch.rulebook import load_rulebook
from altmatch.rulebook.vocabulary import CaseCategory, Urgency
from altmatch.services.kernel.errors import RuleError, StaleError
from altmatch.services.support.case_reads import get_case, list_my_cases, list_queue
from altmatch.services.support.cases import (
    CaseIn,
    MediationIn,
    MessageIn,
    ReopenIn,
    ResolveIn,
    UploadIn,
    open_case,
    post_message,
    record_mediation,
    reopen_case,
    resolve_case,
)
from altmatch.services.support.escalation import escalate_overdue
from altmatch.services.support.routing import (
    RouteEntryIn,
    RoutesIn,
    list_routes,
    set_role_handlers,
    set_routes,
)

pytestmark = pytest.mark.date_sensitive


@pytest.fixture
def world(sessions: Sessions, clock: TimeMachineFixture) -> SupportWorld:
    return monday_support_world(sessions, clock)


def _open(
    sessions: Sessions,
    world: SupportWorld,
    alt: str,
    category: CaseCategory = CaseCategory.PAY_CONTRACT,
    urgency: Urgency = Urgency.NORMAL,
    files: list[UploadIn] | None = None,
    now: datetime = MONDAY_9,
) -> int:
    body = CaseIn(
        category=category, urgency=urgency, subject="My payslip", description="Pay is short."
    )
    return open_case(sessions, world.actors[alt], body, files, now=now).id


def _notified(sessions: Sessions, case_id: int) -> set[int]:
    with sessions() as session:
        rows = session.scalars(select(Notification.user_id).where(Notification.case_id == case_id))
        return set(rows)


def _ids(world: SupportWorld, *names: str) -> set[int]:
    return {world.actors[n].user_id for n in names}


def test_a_jet_case_goes_to_the_boe_supervisor_then_the_chief_then_the_prefectures_adviser(
    sessions: Sessions, world: SupportWorld
) -> None:
    case_id = _open(sessions, world, "jet_alt")
    case = get_case(sessions, world.actors["kobe_supervisor"], case_id, now=MONDAY_9)
    assert (case.path, case.employer_id, case.adviser_org_id) == (
        "jet",
        world.kobe_id,
        world.hyogo_id,
    )
    assert case.level == 1 and case.levels == 3
    assert [(h.level, h.role, h.name) for h in case.handlers] == [
        (1, "supervisor", "Kobe Supervisor")
    ]
    assert _notified(sessions, case_id) == _ids(world, "kobe_supervisor")
    # The first response is missed: level 2 (section chief); then resolution: level 3.
    late = case.first_response_due + timedelta(minutes=1)
    assert [e.to_level for e in escalate_overdue(sessions, late).escalated] == [2]
    later = case.resolution_due + timedelta(minutes=1)
    assert [e.to_level for e in escalate_overdue(sessions, later).escalated] == [3]
    assert _notified(sessions, case_id) == _ids(
        world, "kobe_supervisor", "kobe_chief", "hyogo_adviser"
    )
    seen = get_case(sessions, world.actors["hyogo_adviser"], case_id, now=later)
    assert [h.role for h in seen.handlers] == ["supervisor", "section_chief", "programme_adviser"]


def test_a_direct_hire_case_stays_at_the_boe_and_stops_at_the_section_chief(
    sessions: Sessions, world: SupportWorld
) -> None:
    case_id = _open(sessions, world, "direct_alt")
    case = get_case(sessions, world.actors["kobe_supervisor"], case_id, now=MONDAY_9)
    assert (case.path, case.employer_id, case.adviser_org_id, case.levels) == (
        "direct_hire",
        world.kobe_id,
        None,
        2,
    )
    much_later = case.resolution_due + timedelta(days=30)
    assert [e.to_level for e in escalate_overdue(sessions, much_later).escalated] == [2]
    assert _notified(sessions, case_id) == _ids(world, "kobe_supervisor", "kobe_chief")
    with pytest.raises(NotFoundError):
        get_case(sessions, world.actors["hyogo_adviser"], case_id, now=much_later)


def test_a_dispatch_case_goes_to_the_company_desk_then_the_area_manager(
    sessions: Sessions, world: SupportWorld
) -> None:
    case_id = _open(sessions, world, "dispatch_alt")
    case = get_case(sessions, world.actors["company_desk"], case_id, now=MONDAY_9)
    assert (case.path, case.employer_id, case.levels) == ("dispatch", world.company_id, 2)
    assert _notified(sessions, case_id) == _ids(world, "company_desk")
    late = case.first_response_due + timedelta(seconds=1)
    first = escalate_overdue(sessions, late)
    assert [(e.case_id, e.from_level, e.to_level, e.notified) for e in first.escalated] == [
        (case_id, 1, 2, 1)
    ]
    assert escalate_overdue(sessions, late).escalated == []  # idempotent
    assert escalate_overdue(sessions, late + timedelta(days=60)).escalated == []  # top of route
    assert _notified(sessions, case_id) == _ids(world, "company_desk", "company_manager")
    with sessions() as session:
        events = session.scalars(
            select(CaseEvent.detail).where(
                CaseEvent.case_id == case_id, CaseEvent.action == "escalated"
            )
        ).all()
    assert events == [{"from": 1, "to": 2}]


def test_deadlines_are_stored_as_the_domain_computes_them(
    sessions: Sessions, world: SupportWorld
) -> None:
    rules = load_rulebook().support
    calendar = BusinessCalendar.from_rules(rules.business_hours)
    for category, urgency in (
        (CaseCategory.PAY_CONTRACT, Urgency.HIGH),
        (CaseCategory.HOUSING, Urgency.LOW),
        (CaseCategory.HARASSMENT, Urgency.LOW),
    ):
        case_id = _open(sessions, world, "jet_alt", category, urgency)
        with sessions() as session:
            row = session.get(SupportCase, case_id)
            assert row is not None
            expected = deadlines(calendar, rules.targets, category, urgency, MONDAY_9)
            assert (row.opened_at, row.first_response_due, row.resolution_due) == (
                MONDAY_9,
                expected.first_response_due,
                expected.resolution_due,
            )
    # High urgency, 4 working hours from Monday 09:00 in Japan: 13:00 the same day.
    with sessions() as session:
        first = session.scalars(select(SupportCase).order_by(SupportCase.id)).first()
        assert first is not None and first.first_response_due == MONDAY_9 + timedelta(hours=4)


def test_an_emergency_reaches_everyone_at_once_and_returns_the_emergency_contacts(
    sessions: Sessions, world: SupportWorld
) -> None:
    body = CaseIn(category=CaseCategory.EMERGENCY, subject="Flooded", description="Help")
    opened = open_case(sessions, world.actors["jet_alt"], body, now=MONDAY_9)
    assert opened.level == 3 and opened.first_response_due == MONDAY_9
    assert [c.number for c in opened.emergency_contacts][:2] == ["110", "119"]
    assert opened.emergency_contacts[0].label == "Police"
    assert _notified(sessions, opened.id) == _ids(
        world, "kobe_supervisor", "kobe_chief", "hyogo_adviser"
    )
    assert escalate_overdue(sessions, MONDAY_9 + timedelta(hours=1)).escalated == []
    ordinary = open_case(
        sessions, world.actors["jet_alt"], CaseIn(category="housing", subject="x", description="y")
    )
    assert ordinary.emergency_contacts == [] and ordinary.level == 1


ALL = (
    "jet_alt",
    "direct_alt",
    "dispatch_alt",
    "kobe_supervisor",
    "kobe_chief",
    "kobe_clerk",
    "hyogo_adviser",
    "company_desk",
    "company_manager",
    "company_clerk",
    "osaka_staff",
    "other_company_staff",
    "coordinator",
    "candidate",
    "admin",
)


def _who_sees(sessions: Sessions, world: SupportWorld, case_id: int) -> set[str]:
    seen = set()
    for name in ALL:
        try:
            get_case(sessions, world.actors[name], case_id, now=MONDAY_9)
            seen.add(name)
        except NotFoundError:
            pass
    return seen


@pytest.mark.parametrize(
    ("alt", "category", "expected"),
    [
        ("jet_alt", "housing", {"jet_alt", "kobe_supervisor", "kobe_chief", "kobe_clerk"}),
        ("jet_alt", "harassment", {"jet_alt", "kobe_supervisor"}),
        (
            "dispatch_alt",
            "pay_contract",
            {"dispatch_alt", "company_desk", "company_manager", "company_clerk"},
        ),
        ("dispatch_alt", "health", {"dispatch_alt", "company_desk"}),
    ],
)
def test_who_may_see_a_case(
    sessions: Sessions, world: SupportWorld, alt: str, category: str, expected: set[str]
) -> None:
    case_id = _open(sessions, world, alt, CaseCategory(category))
    assert _who_sees(sessions, world, case_id) == expected


def test_a_confidential_case_opens_to_the_next_handler_only_once_it_is_escalated(
    sessions: Sessions, world: SupportWorld
) -> None:
    case_id = _open(sessions, world, "jet_alt", CaseCategory.HEALTH)
    with pytest.raises(NotFoundError):
        get_case(sessions, world.actors["kobe_chief"], case_id, now=MONDAY_9)
    case = get_case(sessions, world.actors["jet_alt"], case_id, now=MONDAY_9)
    late = case.first_response_due + timedelta(minutes=5)
    # Reading the case after the breach escalates it: no cron needed.
    assert get_case(sessions, world.actors["kobe_chief"], case_id, now=late).level == 2
    assert list_queue(sessions, world.actors["kobe_clerk"], now=late).cases == []


def test_internal_notes_never_reach_the_alt(sessions: Sessions, world: SupportWorld) -> None:
    case_id = _open(sessions, world, "jet_alt")
    supervisor = world.actors["kobe_supervisor"]
    post_message(
        sessions, supervisor, case_id, MessageIn(body="Check the payroll first", internal=True)
    )
    after_note = get_case(sessions, world.actors["jet_alt"], case_id)
    assert after_note.status == "open" and after_note.first_responded_at is None
    assert after_note.messages == []
    post_message(sessions, supervisor, case_id, MessageIn(body="We will fix it this month."))
    alt_view = get_case(sessions, world.actors["jet_alt"], case_id)
    assert [m.body for m in alt_view.messages] == ["We will fix it this month."]
    assert alt_view.status == "answered" and alt_view.first_responded_at is not None
    assert "noted" not in {e.action for e in alt_view.events}
    assert all(e.detail is None and e.by_user_id is None for e in alt_view.events)
    handler_view = get_case(sessions, supervisor, case_id)
    assert [(m.body, m.internal) for m in handler_view.messages] == [
        ("Check the payroll first", True),
        ("We will fix it this month.", False),
    ]
    with pytest.raises(RuleError):
        post_message(sessions, world.actors["jet_alt"], case_id, MessageIn(body="x", internal=True))
    with sessions() as session:
        kinds = session.scalars(
            select(Notification.kind).where(Notification.user_id == world.actors["jet_alt"].user_id)
        ).all()
    assert kinds == ["case_update"]  # the reply, not the note


def test_every_change_is_audited_and_every_view_is_an_event(
    sessions: Sessions, world: SupportWorld
) -> None:
    case_id = _open(sessions, world, "jet_alt")
    handler = world.actors["kobe_supervisor"]
    get_case(sessions, handler, case_id)
    get_case(sessions, world.actors["jet_alt"], case_id)
    post_message(sessions, handler, case_id, MessageIn(body="On it"))
    version = get_case(sessions, handler, case_id).version
    resolved = resolve_case(sessions, handler, case_id, ResolveIn(version=version))
    reopened = reopen_case(
        sessions,
        world.actors["jet_alt"],
        case_id,
        ReopenIn(version=resolved.version, reason="Still short"),
    )
    assert (reopened.status, reopened.reopened_count, reopened.resolved_at) == ("open", 1, None)
    with sessions() as session:
        audit = session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.entity == "support_case", AuditEntry.entity_id == str(case_id))
            .order_by(AuditEntry.id)
        ).all()
        views = session.scalars(
            select(CaseEvent.by_user_id).where(
                CaseEvent.case_id == case_id, CaseEvent.action == "viewed"
            )
        ).all()
    assert audit == ["case.opened", "case.answered", "case.resolved", "case.reopened"]
    assert views == [handler.user_id, world.actors["jet_alt"].user_id, handler.user_id]


def test_the_queue_shows_breached_cases_first_and_the_alt_sees_only_their_own(
    sessions: Sessions, world: SupportWorld
) -> None:
    early = _open(sessions, world, "jet_alt", urgency=Urgency.LOW, now=MONDAY_9)
    urgent = _open(sessions, world, "direct_alt", urgency=Urgency.HIGH, now=MONDAY_9)
    _open(sessions, world, "dispatch_alt")
    at = MONDAY_9 + timedelta(hours=5)  # the high-urgency case's 4 hours have passed
    queue = list_queue(sessions, world.actors["kobe_supervisor"], now=at).cases
    # Reading the queue escalated the breached case (no cron run in between).
    assert [(c.id, c.breaches, c.level) for c in queue] == [
        (urgent, ["first_response"], 2),
        (early, [], 1),
    ]
    mine = list_my_cases(sessions, world.actors["jet_alt"], now=at).cases
    assert [c.id for c in mine] == [early]
    with pytest.raises(AccessDeniedError):
        list_queue(sessions, world.actors["coordinator"])


def test_an_alt_without_a_current_contract_is_told_whom_to_contact(
    sessions: Sessions, world: SupportWorld
) -> None:
    with pytest.raises(RuleError) as refused:
        _open(sessions, world, "jobless_alt")
    assert "Contact your employer directly" in refused.value.message.template


def _file(name: str, size: int = 10, kind: str = "application/pdf") -> UploadIn:
    return UploadIn(filename=name, content_type=kind, data=b"x" * size)


def test_attachments_are_limited_in_size_type_and_number(
    sessions: Sessions, world: SupportWorld
) -> None:
    limits = load_rulebook().support.attachments
    refusals = {
        "too big": [_file("payslip.pdf", limits.max_bytes + 1)],
        "wrong type": [_file("run-me.html", kind="text/html")],
        "too many": [_file(f"page{i}.pdf") for i in range(limits.max_files + 1)],
    }
    named = {
        "too big": "payslip.pdf",
        "wrong type": "run-me.html",
        "too many": f"page{limits.max_files}.pdf",
    }
    for why, files in refusals.items():
        with pytest.raises(RuleError) as refused:
            _open(sessions, world, "jet_alt", files=files)
        assert refused.value.field == "attachments"
        assert refused.value.message.params["file"] == named[why], why
    with sessions() as session:
        assert session.scalars(select(SupportCase)).all() == []  # nothing half-written
    case_id = _open(sessions, world, "jet_alt", files=[_file("payslip.pdf", limits.max_bytes)])
    case = get_case(sessions, world.actors["jet_alt"], case_id)
    assert [(a.filename, a.size) for a in case.attachments] == [("payslip.pdf", limits.max_bytes)]


def test_a_stale_version_is_refused(sessions: Sessions, world: SupportWorld) -> None:
    case_id = _open(sessions, world, "jet_alt")
    handler = world.actors["kobe_supervisor"]
    read = get_case(sessions, handler, case_id)
    post_message(sessions, handler, case_id, MessageIn(body="Looking", version=read.version))
    with pytest.raises(StaleError):
        resolve_case(sessions, handler, case_id, ResolveIn(version=read.version))
    with pytest.raises(StaleError):
        post_message(sessions, handler, case_id, MessageIn(body="Again", version=read.version))


def test_mediation_on_a_school_relations_case_is_shown_to_the_alt(
    sessions: Sessions, world: SupportWorld
) -> None:
    case_id = _open(sessions, world, "jet_alt", CaseCategory.SCHOOL_RELATIONS)
    handler = world.actors["kobe_supervisor"]
    record_mediation(
        sessions,
        handler,
        case_id,
        MediationIn(
            school_id=world.school_id,
            contact_name="Mr Tanaka",
            contact_role="Vice principal",
            agreed="Lesson plans are shared by Thursday.",
        ),
    )
    alt_view = get_case(sessions, world.actors["jet_alt"], case_id)
    assert [(m.school, m.contact_name, m.agreed) for m in alt_view.mediations] == [
        ("Kobe Minato Junior High", "Mr Tanaka", "Lesson plans are shared by Thursday.")
    ]
    other = _open(sessions, world, "jet_alt", CaseCategory.HOUSING)
    with pytest.raises(RuleError):
        record_mediation(sessions, handler, other, MediationIn(contact_name="x", agreed="y"))


def test_routes_are_kept_by_the_organisations_staff_with_its_own_staff_only(
    sessions: Sessions, world: SupportWorld
) -> None:
    clerk = world.actors["kobe_clerk"]
    table = list_routes(sessions, clerk, world.kobe_id)
    assert [(e.role, e.name) for e in table.entries] == [
        (RouteRole.SUPERVISOR, "Kobe Supervisor"),
        (RouteRole.SECTION_CHIEF, "Kobe Chief"),
    ]
    entry = RouteEntryIn(role=RouteRole.SUPERVISOR, user_id=clerk.user_id)
    changed = set_routes(sessions, clerk, world.kobe_id, RoutesIn(entries=[entry]))
    assert [(e.role, e.name) for e in changed.entries] == [(RouteRole.SUPERVISOR, "Kobe Clerk")]
    outsider = RouteEntryIn(role=RouteRole.SUPERVISOR, user_id=world.actors["osaka_staff"].user_id)
    with pytest.raises(RuleError):
        set_routes(sessions, clerk, world.kobe_id, RoutesIn(entries=[outsider]))
    wrong_role = RouteEntryIn(role=RouteRole.SUPPORT_DESK, user_id=clerk.user_id)
    with pytest.raises(RuleError):
        set_routes(sessions, clerk, world.kobe_id, RoutesIn(entries=[wrong_role]))
    with pytest.raises(NotFoundError):
        list_routes(sessions, world.actors["osaka_staff"], world.kobe_id)
    with pytest.raises(AccessDeniedError):
        list_routes(sessions, world.actors["coordinator"], world.kobe_id)
    assert list_routes(sessions, world.actors["admin"], world.kobe_id).entries
    by_mail = set_role_handlers(
        sessions, OPERATOR, world.kobe_id, [(RouteRole.SECTION_CHIEF, world.emails["kobe_chief"])]
    )
    assert [(e.role, e.name) for e in by_mail.entries] == [
        (RouteRole.SUPERVISOR, "Kobe Clerk"),
        (RouteRole.SECTION_CHIEF, "Kobe Chief"),
    ]
    with sessions() as session:
        assert session.scalars(
            select(AuditEntry.action).where(AuditEntry.action == "support.routes_set")
        ).all() == ["support.routes_set", "support.routes_set"]


def test_with_nobody_routed_the_employers_staff_are_told_to_fill_in_the_table(
    sessions: Sessions, clock: TimeMachineFixture
) -> None:
    clock.move_to(MONDAY_9, tick=False)  # the contracts run around the day the case opens
    world = build_support_world(sessions, with_routes=False)
    case_id = _open(sessions, world, "jet_alt", CaseCategory.HARASSMENT)
    with sessions() as session:
        notices = session.execute(
            select(Notification.user_id, Notification.kind).where(Notification.case_id == case_id)
        ).all()
    kobe_staff = _ids(world, "kobe_supervisor", "kobe_chief", "kobe_clerk")
    assert {u for u, _ in notices} == kobe_staff and {k for _, k in notices} == {"case_unrouted"}
    assert _who_sees(sessions, world, case_id) == {"jet_alt"}  # still confidential
