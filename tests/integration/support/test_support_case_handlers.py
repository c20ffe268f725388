"""Who handles a case comes from the handlers it reached, recorded on the case, never from
today's routing table (issue 15, item 1); route changes are audited and notified; the audit log
holds no category or urgency of a case (item 2); a mediation names only a school of the ALT's
workplace (item 14). On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from tests.support_world import MONDAY_9, SupportWorld, build_support_world, monday_support_world
from time_machine import TimeMachineFixture

from altmatch.config import Settings
from altmatch.db import Sessions, downgrade_database, upgrade_database
from altmatch.db.models import AuditEntry, Notification, School, SupportCaseHandler
from altmatch.domain.access import NotFoundError
from altmatch.domain.support import RouteRole
from altmatch.rulebook.vocabulary import CaseCategory, Urgency
from altmatch.services.kernel.audit import list_audit_log
from altmatch.services.kernel.errors import RuleError
from altmatch.services.support.case_reads import get_attachment, get_case, list_queue
from altmatch.services.support.cases import (
    CaseIn,
    MediationIn,
    MessageIn,
    ResolveIn,
    UploadIn,
    open_case,
    post_message,
    record_mediation,
    resolve_case,
)
from altmatch.services.support.routing import RouteEntryIn, RoutesIn, set_routes

pytestmark = pytest.mark.date_sensitive


@pytest.fixture
def world(sessions: Sessions, clock: TimeMachineFixture) -> SupportWorld:
    return monday_support_world(sessions, clock)


def _open(
    sessions: Sessions,
    world: SupportWorld,
    category: CaseCategory,
    alt: str = "jet_alt",
    files: list[UploadIn] | None = None,
) -> int:
    body = CaseIn(category=category, urgency=Urgency.HIGH, subject="Help", description="Details")
    return open_case(sessions, world.actors[alt], body, files, now=MONDAY_9).id


def _route(sessions: Sessions, world: SupportWorld, by: str, **roles: str) -> None:
    entries = [
        RouteEntryIn(role=RouteRole(role), user_id=world.actors[name].user_id)
        for role, name in roles.items()
    ]
    set_routes(sessions, world.actors[by], world.kobe_id, RoutesIn(entries=entries))


def _notices(sessions: Sessions, world: SupportWorld, name: str, kind: str) -> list[int | None]:
    with sessions() as session:
        query = select(Notification.case_id).where(
            Notification.user_id == world.actors[name].user_id, Notification.kind == kind
        )
        return list(session.scalars(query.order_by(Notification.id)))


def _sees(sessions: Sessions, world: SupportWorld, name: str, case_id: int) -> bool:
    try:
        get_case(sessions, world.actors[name], case_id, now=MONDAY_9)
    except NotFoundError:
        return False
    return True


def test_putting_oneself_on_the_route_reveals_no_existing_confidential_case(
    sessions: Sessions, world: SupportWorld
) -> None:
    pdf = UploadIn(filename="letter.pdf", content_type="application/pdf", data=b"%PDF private")
    case_id = _open(sessions, world, CaseCategory.HARASSMENT, files=[pdf])
    attachment = get_case(sessions, world.actors["jet_alt"], case_id).attachments[0].id
    clerk = world.actors["kobe_clerk"]
    # The clerk takes the supervisor's place on the route (and would put it back afterwards).
    _route(sessions, world, "kobe_clerk", supervisor="kobe_clerk", section_chief="kobe_chief")
    assert not _sees(sessions, world, "kobe_clerk", case_id)
    with pytest.raises(NotFoundError):
        get_attachment(sessions, clerk, case_id, attachment)
    with pytest.raises(NotFoundError):
        post_message(sessions, clerk, case_id, MessageIn(body="Tell me more"))
    assert case_id not in {c.id for c in list_queue(sessions, clerk, now=MONDAY_9).cases}
    # The supervisor it reached keeps it, off the route or not, and is still its handler.
    assert _sees(sessions, world, "kobe_supervisor", case_id)
    handlers = get_case(sessions, world.actors["kobe_supervisor"], case_id).handlers
    assert [(h.level, h.role, h.name) for h in handlers] == [(1, "supervisor", "Kobe Supervisor")]
    assert case_id in {
        c.id for c in list_queue(sessions, world.actors["kobe_supervisor"], now=MONDAY_9).cases
    }
    # A case opened after the change reaches the clerk, and not the supervisor.
    later = _open(sessions, world, CaseCategory.HEALTH)
    assert _sees(sessions, world, "kobe_clerk", later)
    assert not _sees(sessions, world, "kobe_supervisor", later)


def test_a_route_change_is_audited_and_notified_to_the_handlers_before_and_after(
    sessions: Sessions, world: SupportWorld
) -> None:
    _route(sessions, world, "kobe_clerk", supervisor="kobe_clerk", section_chief="kobe_chief")
    assert _notices(sessions, world, "kobe_supervisor", "routes_changed") == [None]  # taken off
    assert _notices(sessions, world, "kobe_chief", "routes_changed") == [None]  # still on it
    assert _notices(sessions, world, "kobe_clerk", "routes_changed") == []  # made the change
    assert _notices(sessions, world, "hyogo_adviser", "routes_changed") == []  # another table
    with sessions() as session:
        notice = session.scalars(
            select(Notification).where(Notification.kind == "routes_changed")
        ).first()
        assert notice is not None and notice.message["params"] == {"name": "Kobe Clerk"}
        audit = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "support.routes_set")
        ).one()
    assert (audit.actor_user_id, audit.tenant_id) == (
        world.actors["kobe_clerk"].user_id,
        world.kobe_id,
    )
    # Setting the same table again changes nothing and tells nobody.
    _route(sessions, world, "kobe_clerk", supervisor="kobe_clerk", section_chief="kobe_chief")
    assert _notices(sessions, world, "kobe_chief", "routes_changed") == [None]


def test_an_escalated_case_reaches_the_handlers_on_the_route_when_it_escalates(
    sessions: Sessions, world: SupportWorld
) -> None:
    case_id = _open(sessions, world, CaseCategory.HEALTH)
    # Before the breach the clerk becomes section chief: the escalation reaches the clerk.
    _route(sessions, world, "kobe_clerk", supervisor="kobe_supervisor", section_chief="kobe_clerk")
    assert not _sees(sessions, world, "kobe_clerk", case_id)  # level 2 not reached yet
    due = get_case(sessions, world.actors["jet_alt"], case_id).first_response_due
    late = due + timedelta(minutes=5)
    seen = get_case(sessions, world.actors["kobe_clerk"], case_id, now=late)
    assert [(h.level, h.name) for h in seen.handlers] == [
        (1, "Kobe Supervisor"),
        (2, "Kobe Clerk"),
    ]
    assert not _sees(sessions, world, "kobe_chief", case_id)
    # The route changing back leaves the case with the handlers it reached.
    _route(sessions, world, "kobe_chief", supervisor="kobe_supervisor", section_chief="kobe_chief")
    assert get_case(sessions, world.actors["kobe_clerk"], case_id, now=late).level == 2
    with pytest.raises(NotFoundError):
        get_case(sessions, world.actors["kobe_chief"], case_id, now=late)


def test_an_unrouted_case_reaches_the_handlers_once_the_table_names_them(
    sessions: Sessions, clock: TimeMachineFixture
) -> None:
    clock.move_to(MONDAY_9, tick=False)
    world = build_support_world(sessions, with_routes=False)
    case_id = _open(sessions, world, CaseCategory.HARASSMENT)
    assert not _sees(sessions, world, "kobe_supervisor", case_id)
    _route(sessions, world, "kobe_clerk", supervisor="kobe_supervisor")
    assert _sees(sessions, world, "kobe_supervisor", case_id)
    assert not _sees(sessions, world, "kobe_clerk", case_id)
    assert _notices(sessions, world, "kobe_supervisor", "case_routed") == [case_id]
    # A level that has its handlers keeps them: a second change reaches nobody new.
    _route(sessions, world, "kobe_clerk", supervisor="kobe_chief")
    assert not _sees(sessions, world, "kobe_chief", case_id)
    with sessions() as session:
        recorded = session.scalars(
            select(SupportCaseHandler.user_id).where(SupportCaseHandler.case_id == case_id)
        ).all()
    assert recorded == [world.actors["kobe_supervisor"].user_id]


def test_a_handler_who_leaves_the_organisation_loses_the_case(
    sessions: Sessions, world: SupportWorld
) -> None:
    case_id = _open(sessions, world, CaseCategory.HARASSMENT)
    supervisor = world.actors["kobe_supervisor"]
    moved = supervisor.__class__(
        user_id=supervisor.user_id,
        role=supervisor.role,
        organisation_id=world.osaka_id,
        programme_id=None,
    )
    with pytest.raises(NotFoundError):
        get_case(sessions, moved, case_id, now=MONDAY_9)


@pytest.mark.parametrize("category", [CaseCategory.HARASSMENT, CaseCategory.HEALTH])
def test_the_audit_log_never_shows_a_confidential_cases_category_or_urgency(
    sessions: Sessions, world: SupportWorld, category: CaseCategory
) -> None:
    case_id = _open(sessions, world, category)
    handler = world.actors["kobe_supervisor"]
    post_message(sessions, handler, case_id, MessageIn(body="We are on it"))
    get_case(sessions, handler, case_id, now=MONDAY_9 + timedelta(days=30))  # escalates
    for reader in ("coordinator", "admin"):
        entries = [
            e
            for e in list_audit_log(sessions, world.actors[reader])
            if e.entity == "support_case" and e.entity_id == str(case_id)
        ]
        assert "case.opened" in {e.action for e in entries}, reader
        for entry in entries:
            text = repr((entry.before, entry.after))
            for hidden in ("category", "urgency", category.value, "high"):
                assert hidden not in text, (reader, entry.action, text)
    # The case's own history, for its handlers, still says what it is about.
    opened = [e for e in get_case(sessions, handler, case_id).events if e.action == "opened"]
    assert opened[0].detail is not None and opened[0].detail["category"] == category.value


def test_a_mediation_names_only_a_school_of_the_alts_workplace(
    sessions: Sessions, world: SupportWorld
) -> None:
    with sessions.begin() as session:
        elsewhere = School(
            boe_id=world.osaka_id,
            external_id="OSAKA-JH1",
            name_en="Osaka Minami Junior High",
            name_ja="大阪南中学校",
            level="junior_high",
            area="urban",
            municipality="Osaka",
        )
        session.add(elsewhere)
        session.flush()
        other_school = elsewhere.id
    for alt, handler in (("jet_alt", "kobe_supervisor"), ("dispatch_alt", "company_desk")):
        case_id = _open(sessions, world, CaseCategory.SCHOOL_RELATIONS, alt=alt)
        for school in (other_school, 10**9):
            with pytest.raises(RuleError) as refused:
                record_mediation(
                    sessions,
                    world.actors[handler],
                    case_id,
                    MediationIn(school_id=school, contact_name="Ms Sato", agreed="Talk weekly"),
                )
            assert refused.value.field == "school_id"
            assert refused.value.message.params == {"school_id": school}
        done = record_mediation(
            sessions,
            world.actors[handler],
            case_id,
            MediationIn(school_id=world.school_id, contact_name="Ms Sato", agreed="Talk weekly"),
        )
        assert [m.school for m in done.mediations] == ["Kobe Minato Junior High"]


def test_the_migration_gives_open_cases_the_handlers_on_the_route_in_force(
    sessions: Sessions, world: SupportWorld, settings: Settings
) -> None:
    """l1_case_handlers: open cases get today's route at the levels they reached; resolved
    cases get none (only the ALT, and for a non-confidential case the employer's staff)."""
    open_id = _open(sessions, world, CaseCategory.HARASSMENT)
    done_id = _open(sessions, world, CaseCategory.HEALTH)
    handler = world.actors["kobe_supervisor"]
    version = get_case(sessions, handler, done_id).version
    resolve_case(sessions, handler, done_id, ResolveIn(version=version))
    _route(sessions, world, "kobe_clerk", supervisor="kobe_clerk")  # the route at migration
    downgrade_database(settings, "k1_alternate_lists")
    upgrade_database(settings)
    with sessions() as session:
        rows = session.execute(
            select(SupportCaseHandler.case_id, SupportCaseHandler.user_id, SupportCaseHandler.level)
        ).all()
    assert rows == [(open_id, world.actors["kobe_clerk"].user_id, 1)]
    assert _sees(sessions, world, "kobe_clerk", open_id)
    assert not _sees(sessions, world, "kobe_supervisor", done_id)
