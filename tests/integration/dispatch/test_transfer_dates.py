"""Approved transfers take effect on their date, once, on SQLite and PostgreSQL: the sweep
applies due ones idempotently, a cancelled one never applies, a stale version changes nothing,
everyone concerned is told once, and the ALT's placement shows the move to come, then the new
school and its BoE."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import select
from tests.dispatch_world import ON, DispatchWorld, build_dispatch_world
from tests.schema_template import SchemaTemplate
from typer.testing import CliRunner

from altmatch.cli import app
from altmatch.clock import JAPAN, today_in_japan
from altmatch.config import Settings
from altmatch.db import Sessions, make_engine, session_factory
from altmatch.db.models import EmploymentContract, Notification, RosterAssignment, User
from altmatch.domain.access import OPERATOR, Actor, OrgKind, Role
from altmatch.domain.transfers import default_effective_date
from altmatch.i18n import render
from altmatch.services.accounts.users import create_organisation, create_user
from altmatch.services.dispatch.assignment import (
    CommitRequest,
    PinIn,
    PlanRequest,
    commit_assignment,
    plan_assignment,
)
from altmatch.services.dispatch.transfers import (
    TransferIn,
    TransferOut,
    apply_due_transfers,
    approve_transfer,
    cancel_transfer,
    decline_transfer,
    get_transfer,
    preview_approval,
    propose_transfer_moves,
    request_my_transfer,
)
from altmatch.services.kernel.errors import RuleError, StaleError
from altmatch.services.my_placement import my_placement
from altmatch.services.notifications import restored_message

pytestmark = pytest.mark.date_sensitive

OSAKA = TransferIn(to_prefecture="Osaka", reasons="Family")
LATER = ON + timedelta(days=10)


@pytest.fixture
def world(sessions: Sessions) -> DispatchWorld:
    return build_dispatch_world(sessions)


def _alt_actor(sessions: Sessions, world: DispatchWorld) -> Actor:
    with sessions() as session:
        user = session.scalars(select(User).where(User.email == world.alt_user_email)).one()
        return Actor(user_id=user.id, role=Role.ALT)


def _open(sessions: Sessions) -> set[tuple[int, int]]:
    with sessions() as session:
        rows = session.scalars(select(RosterAssignment).where(RosterAssignment.end.is_(None)))
        return {(r.alt_id, r.position_id) for r in rows}


def _proposed(sessions: Sessions, world: DispatchWorld) -> TransferOut:
    made = request_my_transfer(sessions, _alt_actor(sessions, world), OSAKA)
    return propose_transfer_moves(
        sessions, OPERATOR, made.id, version=made.version, company_id=world.company_id, on=ON
    )


def _approved(sessions: Sessions, world: DispatchWorld, on: date = LATER) -> TransferOut:
    proposed = _proposed(sessions, world)
    return approve_transfer(
        sessions,
        OPERATOR,
        proposed.id,
        version=proposed.version,
        company_id=world.company_id,
        effective_on=on,
    )


def _moved(world: DispatchWorld) -> set[tuple[int, int]]:
    a, p = world.alts, world.positions
    return {(a["A1"], p["O2-P"]), (a["A2"], p["K2-P"]), (a["A3"], p["O1-P"]), (a["A4"], p["K1-P"])}


def _staff(sessions: Sessions, org: int, role: Role, email: str) -> int:
    return create_user(
        sessions,
        actor=OPERATOR,
        email=email,
        display_name=email.split("@")[0],
        role=role,
        password="correct horse battery",
        organisation_id=org,
    ).id


def _notices(sessions: Sessions) -> Counter[tuple[int, str]]:
    with sessions() as session:
        return Counter((n.user_id, n.kind) for n in session.scalars(select(Notification)))


def test_a_future_transfer_waits_for_its_date_and_the_sweep_applies_it_once(
    sessions: Sessions, world: DispatchWorld
) -> None:
    before = _open(sessions)
    done = _approved(sessions, world)
    assert done.status == "approved" and done.scheduled and done.effective_on == LATER
    assert done.applied_at is None
    assert _open(sessions) == before, "nothing moves before the date"
    assert apply_due_transfers(sessions, on=LATER - timedelta(days=1)).applied == 0
    assert _open(sessions) == before
    assert apply_due_transfers(sessions, on=LATER).applied == 1
    assert _open(sessions) == _moved(world)
    assert apply_due_transfers(sessions, on=LATER).applied == 0, "idempotent"
    assert apply_due_transfers(sessions, on=LATER + timedelta(days=30)).applied == 0
    assert _open(sessions) == _moved(world)
    with sessions() as session:
        rows = session.scalars(select(RosterAssignment).where(RosterAssignment.end.is_not(None)))
        assert {r.end for r in rows} == {LATER}
    after = get_transfer(sessions, OPERATOR, done.id, company_id=world.company_id)
    assert after.status == "approved" and not after.scheduled and after.applied_at is not None
    assert [e.action for e in after.events] == ["requested", "proposed", "approved", "effective"]


def test_the_sweep_reads_the_clock(
    sessions: Sessions, world: DispatchWorld, clock: time_machine.TimeMachineFixture
) -> None:
    done = _approved(sessions, world)
    clock.move_to(dt.datetime.combine(LATER - timedelta(days=1), dt.time(9), JAPAN), tick=False)
    assert apply_due_transfers(sessions).applied == 0
    clock.move_to(dt.datetime.combine(LATER, dt.time(0, 5), JAPAN), tick=False)
    assert today_in_japan() == LATER
    assert apply_due_transfers(sessions).applied == 1
    assert not get_transfer(sessions, OPERATOR, done.id, company_id=world.company_id).scheduled


def test_an_effective_date_of_today_applies_at_once(
    sessions: Sessions, world: DispatchWorld
) -> None:
    done = _approved(sessions, world, on=ON)
    assert done.applied_at is not None and not done.scheduled
    assert _open(sessions) == _moved(world)
    assert apply_due_transfers(sessions, on=ON).applied == 0


def test_the_default_date_is_the_first_of_next_month(
    sessions: Sessions, world: DispatchWorld
) -> None:
    proposed = _proposed(sessions, world)
    preview = preview_approval(
        sessions, OPERATOR, proposed.id, version=proposed.version, company_id=world.company_id
    )
    assert preview.effective_on == default_effective_date(today_in_japan())
    assert preview.effective_on.day == 1 and preview.effective_on > today_in_japan()
    assert not preview.applies_at_once
    (a1,) = [m for m in preview.transfer.moves if m.alt == "A1"]
    assert a1.from_place is not None and a1.to_place is not None
    assert (a1.from_place.school, a1.from_place.boe) == ("K1 Junior High", "Kobe BoE")
    assert (a1.to_place.school_ja, a1.to_place.boe_ja) == ("O2中学校", "大阪市教委")
    assert any(a1.alt_name in who for who in preview.told)


def test_dates_in_the_past_or_outside_the_contracts_are_refused(
    sessions: Sessions, world: DispatchWorld
) -> None:
    proposed = _proposed(sessions, world)
    for bad in (ON - timedelta(days=1), ON + timedelta(days=400)):  # past; contracts end at +300
        with pytest.raises(RuleError) as refused:
            approve_transfer(
                sessions,
                OPERATOR,
                proposed.id,
                version=proposed.version,
                company_id=world.company_id,
                effective_on=bad,
            )
        assert refused.value.field == "effective_on"
    still = get_transfer(sessions, OPERATOR, proposed.id, company_id=world.company_id)
    assert still.status == "requested" and still.version == proposed.version


def test_a_cancelled_transfer_never_applies(sessions: Sessions, world: DispatchWorld) -> None:
    before = _open(sessions)
    done = _approved(sessions, world)
    with pytest.raises(RuleError):  # a reason is required
        cancel_transfer(
            sessions, OPERATOR, done.id, version=done.version, company_id=world.company_id
        )
    cancelled = cancel_transfer(
        sessions,
        OPERATOR,
        done.id,
        version=done.version,
        note="The new school closed its post",
        company_id=world.company_id,
    )
    assert cancelled.status == "cancelled" and not cancelled.scheduled
    assert apply_due_transfers(sessions, on=LATER + timedelta(days=5)).applied == 0
    assert _open(sessions) == before
    # a new request is possible again once the approved one is cancelled
    assert request_my_transfer(sessions, _alt_actor(sessions, world), OSAKA).status == "requested"


def test_an_approved_transfer_blocks_a_second_request(
    sessions: Sessions, world: DispatchWorld
) -> None:
    _approved(sessions, world)
    with pytest.raises(RuleError):
        request_my_transfer(sessions, _alt_actor(sessions, world), OSAKA)


def test_a_stale_version_changes_nothing(sessions: Sessions, world: DispatchWorld) -> None:
    proposed = _proposed(sessions, world)
    before, notices = _open(sessions), _notices(sessions)
    with pytest.raises(StaleError):
        approve_transfer(
            sessions,
            OPERATOR,
            proposed.id,
            version=proposed.version - 1,
            company_id=world.company_id,
            effective_on=ON,
        )
    assert _open(sessions) == before and _notices(sessions) == notices
    done = approve_transfer(
        sessions,
        OPERATOR,
        proposed.id,
        version=proposed.version,
        company_id=world.company_id,
        effective_on=LATER,
    )
    with pytest.raises(StaleError):
        cancel_transfer(
            sessions,
            OPERATOR,
            done.id,
            version=proposed.version,
            note="x",
            company_id=world.company_id,
        )
    assert get_transfer(sessions, OPERATOR, done.id, company_id=world.company_id).scheduled


def test_a_roster_changed_before_the_date_puts_the_request_back(
    sessions: Sessions, world: DispatchWorld
) -> None:
    done = _approved(sessions, world)
    pin = PinIn(alt_id=world.alts["A2"], position_id=world.positions["K1-P"])
    company = world.company_id
    plan = plan_assignment(sessions, OPERATOR, PlanRequest(on=ON, pins=[pin]), company_id=company)
    commit_assignment(
        sessions,
        OPERATOR,
        CommitRequest(on=ON, pins=[pin], fingerprint=plan.proposed.fingerprint),
        company_id=company,
    )
    changed = _open(sessions)
    swept = apply_due_transfers(sessions, on=LATER)
    assert (swept.applied, swept.lapsed) == (0, 1)
    assert _open(sessions) == changed
    back = get_transfer(sessions, OPERATOR, done.id, company_id=company)
    assert back.status == "requested" and back.proposal is None
    assert back.events[-1].action == "lapsed"


def test_everyone_concerned_is_told_once(sessions: Sessions, world: DispatchWorld) -> None:
    company_staff = _staff(sessions, world.company_id, Role.COMPANY_STAFF, "ken@example.org")
    kobe = _staff(sessions, world.kobe_boe_id, Role.BOE_STAFF, "kobe@example.org")
    osaka = _staff(sessions, world.osaka_boe_id, Role.BOE_STAFF, "osaka@example.org")
    other_boe = create_organisation(
        sessions, actor=OPERATOR, kind=OrgKind.BOE, name_en="Nara BoE", name_ja="奈良市教委"
    ).id
    outsider = _staff(sessions, other_boe, Role.BOE_STAFF, "nara@example.org")
    alt = _alt_actor(sessions, world).own_user_id()
    _approved(sessions, world)
    told = _notices(sessions)
    for user in (alt, company_staff, kobe, osaka):
        assert told[user, "transfer_decided"] == 1, user
    assert not any(user == outsider for user, _kind in told)
    apply_due_transfers(sessions, on=LATER)
    apply_due_transfers(sessions, on=LATER)
    told = _notices(sessions)
    for user in (alt, company_staff, kobe, osaka):
        assert told[user, "transfer_effective"] == 1, user
    with sessions() as session:
        mine = session.scalars(
            select(Notification).where(
                Notification.user_id == kobe, Notification.kind == "transfer_effective"
            )
        ).one()
    assert "K1 Junior High (Kobe BoE)" in mine.message["params"]["moves"]
    assert mine.message["params"]["date"] == {"date": LATER.isoformat()}  # kept as a date
    shown = render(restored_message(mine.message), "ja")
    assert f"{LATER.year}年{LATER.month}月{LATER.day}日" in shown  # written the reader's way


def test_a_decline_needs_a_reason_and_tells_the_alt(
    sessions: Sessions, world: DispatchWorld
) -> None:
    proposed = _proposed(sessions, world)
    with pytest.raises(RuleError):
        decline_transfer(
            sessions,
            OPERATOR,
            proposed.id,
            version=proposed.version,
            note="  ",
            company_id=world.company_id,
        )
    decline_transfer(
        sessions,
        OPERATOR,
        proposed.id,
        version=proposed.version,
        note="No post there this year",
        company_id=world.company_id,
    )
    alt = _alt_actor(sessions, world).own_user_id()
    assert _notices(sessions)[alt, "transfer_decided"] == 1


def test_my_placement_shows_the_move_to_come_then_the_new_school_and_boe(
    sessions: Sessions, world: DispatchWorld
) -> None:
    alt = _alt_actor(sessions, world)
    with sessions.begin() as session:
        session.add(
            EmploymentContract(
                user_id=alt.own_user_id(),
                employer_id=world.company_id,
                path="dispatch",
                start=ON - timedelta(days=100),
                end=ON + timedelta(days=200),
                workplace_boe_id=world.kobe_boe_id,
            )
        )
    _approved(sessions, world)
    before = my_placement(sessions, alt)
    (post,) = before.posts
    assert (post.school, post.boe.name) == ("K1 Junior High", "Kobe BoE")
    (coming,) = before.upcoming
    assert (coming.school, coming.boe.name, coming.on) == ("O2 Junior High", "Osaka BoE", LATER)
    apply_due_transfers(sessions, on=LATER)
    after = my_placement(sessions, alt)
    (post,) = after.posts
    assert (post.school, post.boe.name_ja) == ("O2 Junior High", "大阪市教委")
    assert after.upcoming == []
    (contract,) = after.contracts
    assert contract.workplace_boe is not None and contract.workplace_boe.name == "Osaka BoE"


@pytest.fixture
def cli_sessions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, schema_template: SchemaTemplate
) -> Iterator[Sessions]:
    """Sessions on the database the `altmatch` commands read (ALTMATCH_DATABASE_URL)."""
    monkeypatch.setenv("ALTMATCH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ALTMATCH_DATABASE_URL", "")
    settings = Settings()
    schema_template.install(settings)
    engine = make_engine(settings)
    try:
        yield session_factory(engine)
    finally:
        engine.dispose()


def test_altmatch_sweep_applies_the_transfers_due_for_cron(cli_sessions: Sessions) -> None:
    """With the server's sweep off, cron runs `altmatch sweep`: it applies what is due, once."""
    world = build_dispatch_world(cli_sessions)
    before = _open(cli_sessions)
    _approved(cli_sessions, world)
    early = CliRunner().invoke(app, ["sweep", "--transfers-on", str(LATER - timedelta(days=1))])
    assert early.exit_code == 0, early.output
    assert "transfers: 0 applied" in early.output and _open(cli_sessions) == before
    due = CliRunner().invoke(app, ["sweep", "--transfers-on", str(LATER)])
    assert due.exit_code == 0 and "transfers: 1 applied" in due.output
    assert _open(cli_sessions) == _moved(world)
    again = CliRunner().invoke(app, ["sweep", "--transfers-on", str(LATER)])
    assert "transfers: 0 applied" in again.output
    bad = CliRunner().invoke(app, ["sweep", "--transfers-on", "next week"])
    assert bad.exit_code == 2
