"""The transfer workflow on SQLite and PostgreSQL, and `altmatch dispatch transfers`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from tests.dispatch_world import ON, DispatchWorld, build_dispatch_world
from tests.schema_template import SchemaTemplate
from typer.testing import CliRunner

from altmatch.cli import app
from altmatch.config import Settings
from altmatch.db import Sessions, make_engine, session_factory
from altmatch.db.models import AuditEntry, RosterAssignment, User
from altmatch.domain.access import OPERATOR, Actor, Role
from altmatch.services.dispatch.assignment import (
    CommitRequest,
    PinIn,
    PlanRequest,
    commit_assignment,
    plan_assignment,
)
from altmatch.services.dispatch.transfers import (
    StaffTransferIn,
    TransferIn,
    approve_transfer,
    decline_transfer,
    file_transfer,
    list_company_transfers,
    propose_transfer_moves,
    request_my_transfer,
)
from altmatch.services.kernel.errors import RuleError, StaleError

pytestmark = pytest.mark.date_sensitive

runner = CliRunner()
OSAKA = TransferIn(to_prefecture="Osaka", reasons="Family")


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


def test_approval_applies_the_chain_in_one_transaction(
    sessions: Sessions, world: DispatchWorld
) -> None:
    made = request_my_transfer(sessions, _alt_actor(sessions, world), OSAKA)
    company = world.company_id
    proposed = propose_transfer_moves(
        sessions, OPERATOR, made.id, version=made.version, company_id=company, on=ON
    )
    assert proposed.proposal is not None and proposed.proposal.kind == "chain"
    done = approve_transfer(
        sessions, OPERATOR, made.id, version=proposed.version, company_id=company, effective_on=ON
    )
    assert done.status == "approved" and done.applied_at is not None and not done.scheduled
    a, p = world.alts, world.positions
    assert _open(sessions) == {
        (a["A1"], p["O2-P"]),
        (a["A2"], p["K2-P"]),
        (a["A3"], p["O1-P"]),
        (a["A4"], p["K1-P"]),
    }
    with sessions() as session:
        actions = session.scalars(
            select(AuditEntry.action).where(AuditEntry.entity == "transfer_request")
        ).all()
    assert sorted(actions) == [
        "transfer.approved",
        "transfer.effective",
        "transfer.proposed",
        "transfer.requested",
    ]


def test_a_proposal_goes_stale_when_the_roster_changes(
    sessions: Sessions, world: DispatchWorld
) -> None:
    made = request_my_transfer(sessions, _alt_actor(sessions, world), OSAKA)
    company = world.company_id
    proposed = propose_transfer_moves(
        sessions, OPERATOR, made.id, version=made.version, company_id=company, on=ON
    )
    pin = PinIn(alt_id=world.alts["A2"], position_id=world.positions["K1-P"])
    plan = plan_assignment(sessions, OPERATOR, PlanRequest(on=ON, pins=[pin]), company_id=company)
    body = CommitRequest(on=ON, pins=[pin], fingerprint=plan.proposed.fingerprint)
    commit_assignment(sessions, OPERATOR, body, company_id=company)
    with pytest.raises(StaleError):
        approve_transfer(sessions, OPERATOR, made.id, version=proposed.version, company_id=company)
    declined = decline_transfer(
        sessions, OPERATOR, made.id, version=proposed.version, note="Later", company_id=company
    )
    assert declined.status == "declined"
    assert [e.action for e in declined.events] == ["requested", "proposed", "declined"]


def test_only_one_pending_request_and_staff_may_file_one(
    sessions: Sessions, world: DispatchWorld
) -> None:
    alt = _alt_actor(sessions, world)
    request_my_transfer(sessions, alt, OSAKA)
    with pytest.raises(RuleError):
        request_my_transfer(sessions, alt, OSAKA)
    from altmatch.services.accounts.users import create_user

    staff_user = create_user(
        sessions,
        actor=OPERATOR,
        email="staff@example.org",
        display_name="Staff",
        role=Role.COMPANY_STAFF,
        password="correct horse battery",
        organisation_id=world.company_id,
    )
    staff = Actor(user_id=staff_user.id, role=Role.COMPANY_STAFF, organisation_id=world.company_id)
    filed = file_transfer(
        sessions,
        staff,
        StaffTransferIn(alt_id=world.alts["A2"], to_prefecture="Osaka", reasons="Needed there"),
    )
    assert filed.alt == "A2" and filed.status == "requested"
    listing = list_company_transfers(sessions, staff)
    assert {t.alt for t in listing.transfers} == {"A1", "A2"}


@pytest.fixture
def cli_world(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, schema_template: SchemaTemplate
) -> Iterator[DispatchWorld]:
    monkeypatch.setenv("ALTMATCH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ALTMATCH_DATABASE_URL", "")
    settings = Settings()
    schema_template.install(settings)
    engine = make_engine(settings)
    try:
        sessions = session_factory(engine)
        world = build_dispatch_world(sessions)
        request_my_transfer(sessions, _alt_actor(sessions, world), OSAKA)
        yield world
    finally:
        engine.dispose()


def test_cli_lists_requests_and_proposes_moves(cli_world: DispatchWorld) -> None:
    company = str(cli_world.company_id)
    listed = runner.invoke(app, ["dispatch", "transfers", "--company", company])
    assert listed.exit_code == 0, listed.output
    assert "A1" in listed.output and "Osaka" in listed.output and "requested" in listed.output
    tid = "1"
    proposed = runner.invoke(app, ["dispatch", "transfer-propose", tid, "--company", company])
    assert proposed.exit_code == 0, proposed.output
    assert "A1: K1-P -> O2-P" in proposed.output
    missing = runner.invoke(app, ["dispatch", "transfer-propose", "99", "--company", company])
    assert missing.exit_code == 2
