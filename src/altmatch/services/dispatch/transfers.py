"""Transfer requests: an ALT (or their company's staff) asks for a move to another area; staff
ask the optimiser for a proposal that keeps coverage, then approve it (the moves become roster
assignments, in one transaction) or decline it. Every step is a TransferEvent and an audit entry.

Each step carries the `version` the client read: a stale one is refused (409). Approving also
refuses a proposal computed against a roster that has changed since (propose again).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from altmatch.clock import today_in_japan, utc_now
from altmatch.db import Sessions
from altmatch.db.dispatch import (
    TRANSFER_PENDING,
    pending_transfer_id,
    transfer_events,
    transfers_of_alt,
    transfers_of_company,
)
from altmatch.db.models import RosterAlt, TransferEvent, TransferRequest
from altmatch.domain.access import Actor, NotFoundError, Permission, require
from altmatch.domain.transfers import propose_transfer
from altmatch.i18n import N_, Message, render
from altmatch.rulebook import load_rulebook
from altmatch.services.dispatch.access import access_roster_alt, access_transfer, own_roster_alt
from altmatch.services.dispatch.assignment import (
    MoveOut,
    WeightsIn,
    apply_moves,
    grid_for,
    load_roster,
    lock_company,
    resolve_company,
    solve_with_engine,
    weights_for,
)
from altmatch.services.kernel.audit import record_audit
from altmatch.services.kernel.bounds import RowId
from altmatch.services.kernel.errors import RuleError, StaleError
from altmatch.services.kernel.locking import expect_version, stale_guard, touch

PENDING = TRANSFER_PENDING


class TransferIn(BaseModel):
    to_prefecture: str = Field(min_length=1, max_length=64)
    to_municipality: str | None = Field(default=None, max_length=200)
    reasons: str = Field(min_length=1, max_length=4000)


class StaffTransferIn(TransferIn):
    alt_id: RowId


class VersionIn(BaseModel):
    version: int


class DecisionIn(VersionIn):
    note: str = Field(default="", max_length=4000)


class TransferEventOut(BaseModel):
    at: datetime
    action: str
    note: str
    by_user_id: int | None


class ProposalOut(BaseModel):
    on: date
    feasible: bool
    reasons: list[str]
    kind: str
    moves: list[MoveOut]
    filled_before: int
    filled_after: int
    target_position: str | None


class TransferOut(BaseModel):
    id: int
    alt_id: int
    alt: str
    alt_name: str
    current_position: str | None
    to_prefecture: str
    to_municipality: str | None
    reasons: str
    status: str
    created_at: datetime
    decided_at: datetime | None
    decision_note: str
    version: int
    proposal: ProposalOut | None
    events: list[TransferEventOut]


class TransfersOut(BaseModel):
    transfers: list[TransferOut]


def _current_positions(session: Session, company_id: int) -> dict[int, str | None]:
    """Each of the company's ALTs' position today (its label), None when they have none."""
    data = load_roster(session, company_id, today_in_japan())
    labels = {p.id: p.label for p in data.positions}
    return {a.id: labels.get(a.current_position) if a.current_position else None for a in data.alts}


def _proposal_out(stored: dict[str, Any] | None, locale: str) -> ProposalOut | None:
    if not stored:
        return None
    reasons = stored.get("reasons", {})
    return ProposalOut(
        on=date.fromisoformat(stored["on"]),
        feasible=stored["feasible"],
        reasons=list(reasons.get(locale) or reasons.get("en") or []),
        kind=stored.get("kind", ""),
        moves=[MoveOut(**m) for m in stored.get("moves", [])],
        filled_before=stored["filled_before"],
        filled_after=stored["filled_after"],
        target_position=stored.get("target_position"),
    )


def transfer_out(
    session: Session,
    row: TransferRequest,
    locale: str,
    positions: dict[int, str | None] | None = None,
) -> TransferOut:
    alt = session.get(RosterAlt, row.alt_id)
    assert alt is not None
    if positions is None:
        positions = _current_positions(session, alt.company_id)
    events = transfer_events(session, row.id)
    return TransferOut(
        id=row.id,
        alt_id=alt.id,
        alt=alt.external_id,
        alt_name=alt.name,
        current_position=positions.get(alt.id),
        to_prefecture=row.to_prefecture,
        to_municipality=row.to_municipality,
        reasons=row.reasons,
        status=row.status,
        created_at=row.created_at,
        decided_at=row.decided_at,
        decision_note=row.decision_note,
        version=row.version,
        proposal=_proposal_out(row.proposal, locale),
        events=[
            TransferEventOut(at=e.at, action=e.action, note=e.note, by_user_id=e.by_user_id)
            for e in events
        ],
    )


def _event(
    session: Session,
    actor: Actor,
    row: TransferRequest,
    action: str,
    note: str = "",
    detail: dict[str, Any] | None = None,
) -> None:
    session.flush()  # the UPDATE moves the version on: audit the one it wrote
    session.add(
        TransferEvent(
            transfer_id=row.id, by_user_id=actor.user_id, action=action, note=note, detail=detail
        )
    )
    record_audit(
        session,
        actor,
        f"transfer.{action}",
        "transfer_request",
        row.id,
        None,
        {"status": row.status, "version": row.version, **({"note": note} if note else {})},
        tenant_id=row.company_id,
    )


def _listing(session: Session, rows: list[TransferRequest], locale: str) -> TransfersOut:
    cache: dict[int, dict[int, str | None]] = {}
    out = []
    for r in rows:
        if r.company_id not in cache:
            cache[r.company_id] = _current_positions(session, r.company_id)
        out.append(transfer_out(session, r, locale, cache[r.company_id]))
    return TransfersOut(transfers=out)


def _create(session: Session, actor: Actor, alt: RosterAlt, body: TransferIn) -> TransferRequest:
    if pending_transfer_id(session, alt.id) is not None:
        raise RuleError(
            Message(N_("There is already a pending transfer request; withdraw it first.")),
            "to_prefecture",
        )
    municipality = (body.to_municipality or "").strip() or None
    row = TransferRequest(
        company_id=alt.company_id,
        alt_id=alt.id,
        to_prefecture=body.to_prefecture.strip(),
        to_municipality=municipality,
        reasons=body.reasons.strip(),
        requested_by=actor.user_id,
    )
    session.add(row)
    session.flush()
    _event(
        session,
        actor,
        row,
        "requested",
        detail={"to": row.to_prefecture, "municipality": municipality},
    )
    return row


# --- the ALT's own requests ---------------------------------------------------------------


def list_my_transfers(sessions: Sessions, actor: Actor, *, locale: str = "en") -> TransfersOut:
    with sessions() as session:
        alt = own_roster_alt(session, actor)
        return _listing(session, transfers_of_alt(session, alt.id), locale)


def request_my_transfer(
    sessions: Sessions, actor: Actor, body: TransferIn, *, locale: str = "en"
) -> TransferOut:
    with sessions.begin() as session:
        alt = own_roster_alt(session, actor)
        return transfer_out(session, _create(session, actor, alt, body), locale)


@stale_guard()
def withdraw_my_transfer(
    sessions: Sessions, actor: Actor, transfer_id: int, *, version: int, locale: str = "en"
) -> TransferOut:
    with sessions.begin() as session:
        alt = own_roster_alt(session, actor)
        row = access_transfer(session, actor, transfer_id)
        if row.alt_id != alt.id:
            raise NotFoundError("transfer")
        _pending(row, version)
        row.status = "withdrawn"
        row.decided_at = utc_now()
        row.decided_by = actor.user_id
        _event(session, actor, row, "withdrawn")
        return transfer_out(session, row, locale)


# --- company staff --------------------------------------------------------------------------


def _staff_transfer(
    session: Session, actor: Actor, transfer_id: int, company_id: int | None
) -> TransferRequest:
    company = resolve_company(session, actor, company_id)
    lock_company(session, company)
    row = session.get(TransferRequest, transfer_id)
    if row is None or row.company_id != company:
        raise NotFoundError("transfer")
    if not actor.is_operator:
        access_transfer(session, actor, transfer_id)
    return row


def _pending(row: TransferRequest, version: int) -> None:
    expect_version(row, version)
    if row.status != PENDING:
        raise StaleError(
            Message(N_("This request has already been decided or withdrawn.")), "version"
        )


def list_company_transfers(
    sessions: Sessions,
    actor: Actor,
    *,
    company_id: int | None = None,
    locale: str = "en",
) -> TransfersOut:
    """The company's transfer requests, pending ones first."""
    with sessions() as session:
        company = resolve_company(session, actor, company_id)
        return _listing(session, transfers_of_company(session, company), locale)


def file_transfer(
    sessions: Sessions, actor: Actor, body: StaffTransferIn, *, locale: str = "en"
) -> TransferOut:
    """Company staff file a request on an ALT's behalf."""
    require(actor, Permission.DISPATCH_MANAGE)
    with sessions.begin() as session:
        alt = access_roster_alt(session, actor, body.alt_id)
        return transfer_out(session, _create(session, actor, alt, body), locale)


def get_transfer(
    sessions: Sessions,
    actor: Actor,
    transfer_id: int,
    *,
    company_id: int | None = None,
    locale: str = "en",
) -> TransferOut:
    with sessions() as session:
        row = _staff_transfer(session, actor, transfer_id, company_id)
        return transfer_out(session, row, locale)


@stale_guard()
def propose_transfer_moves(
    sessions: Sessions,
    actor: Actor,
    transfer_id: int,
    *,
    version: int,
    company_id: int | None = None,
    on: date | None = None,
    locale: str = "en",
) -> TransferOut:
    """Ask the optimiser for moves that bring the ALT into the area without losing coverage."""
    with sessions.begin() as session:
        row = _staff_transfer(session, actor, transfer_id, company_id)
        _pending(row, version)
        data = load_roster(session, row.company_id, on or today_in_japan())
        grid = grid_for(data, weights_for(WeightsIn()))
        found = propose_transfer(
            grid,
            solve_with_engine,
            row.alt_id,
            row.to_prefecture,
            row.to_municipality,
            relocation_minutes=load_rulebook().dispatch_operations.commute.fixed_minutes,
        )
        labels = {p.id: p.label for p in data.positions}
        moves = [
            MoveOut(
                alt_id=m.alt_id,
                alt=data.alt_rows[m.alt_id].external_id,
                alt_name=data.alt_rows[m.alt_id].name,
                from_position_id=m.from_position,
                from_position=labels.get(m.from_position) if m.from_position else None,
                to_position_id=m.to_position,
                to_position=labels.get(m.to_position) if m.to_position else None,
            ).model_dump()
            for m in found.moves
        ]
        row.proposal = {
            "on": data.on.isoformat(),
            "fingerprint": data.fingerprint(),
            "feasible": found.feasible,
            "reasons": {loc: [render(r, loc) for r in found.reasons] for loc in ("en", "ja")},
            "kind": found.kind,
            "moves": moves,
            "filled_before": found.filled_before,
            "filled_after": found.filled_after,
            "target_position": labels.get(found.target_position) if found.target_position else None,
        }
        touch(row)  # a new proposal may equal the last one: the version moves on anyway
        _event(
            session,
            actor,
            row,
            "proposed",
            detail={"feasible": found.feasible, "moves": len(moves)},
        )
        return transfer_out(session, row, locale)


@stale_guard()
def approve_transfer(
    sessions: Sessions,
    actor: Actor,
    transfer_id: int,
    *,
    version: int,
    note: str = "",
    company_id: int | None = None,
    locale: str = "en",
) -> TransferOut:
    """Apply the proposed moves as assignments and mark the request approved."""
    with sessions.begin() as session:
        row = _staff_transfer(session, actor, transfer_id, company_id)
        _pending(row, version)
        proposal = row.proposal
        if not proposal or not proposal.get("feasible"):
            raise RuleError(
                Message(N_("There is no proposal that keeps coverage to approve.")), "proposal"
            )
        data = load_roster(session, row.company_id, date.fromisoformat(proposal["on"]))
        if data.fingerprint() != proposal["fingerprint"]:
            raise StaleError(
                Message(N_("The roster changed since the proposal was made. Propose again.")),
                "proposal",
            )
        moves = [
            (m["alt_id"], m["from_position_id"], m["to_position_id"]) for m in proposal["moves"]
        ]
        apply_moves(session, data, moves, actor)
        row.status = "approved"
        row.decided_at = utc_now()
        row.decided_by = actor.user_id
        row.decision_note = note.strip()
        _event(session, actor, row, "approved", note.strip(), {"moves": proposal["moves"]})
        return transfer_out(session, row, locale)


@stale_guard()
def decline_transfer(
    sessions: Sessions,
    actor: Actor,
    transfer_id: int,
    *,
    version: int,
    note: str = "",
    company_id: int | None = None,
    locale: str = "en",
) -> TransferOut:
    """Decline the request with a note; the roster is left as it is."""
    with sessions.begin() as session:
        row = _staff_transfer(session, actor, transfer_id, company_id)
        _pending(row, version)
        row.status = "declined"
        row.decided_at = utc_now()
        row.decided_by = actor.user_id
        row.decision_note = note.strip()
        _event(session, actor, row, "declined", note.strip())
        return transfer_out(session, row, locale)
