"""Transfer requests: an ALT (or their company's staff) asks for a move to another area; staff
ask the optimiser for a proposal that keeps coverage, then approve it for an effective date or
decline it with a reason. The moves become roster assignments, in one transaction, on the
effective date: at once when that is today, else by the periodic sweep (`apply_due_transfers`),
once. Until then an approved transfer can be cancelled. Every step is a TransferEvent and an
audit entry, and the people concerned are told: the moving ALTs, the company's staff and the
staff of the BoEs whose schools they leave or join.

Each step carries the `version` the client read: a stale one is refused (409). Approving also
refuses a proposal computed against a roster that has changed since (propose again); a sweep
that finds the roster changed before the date puts the request back to pending ("lapsed").
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from altmatch.clock import today_in_japan, utc_now
from altmatch.db import Sessions
from altmatch.db.dispatch import (
    TRANSFER_PENDING,
    alts_at_positions,
    due_transfer_ids,
    open_transfer_id,
    position_places,
    staff_of_organisations,
    transfer_events,
    transfers_of_alt,
    transfers_of_company,
)
from altmatch.db.models import RosterAlt, TransferEvent, TransferRequest, User
from altmatch.db.season import contracts_of_user
from altmatch.domain.access import OPERATOR, Actor, NotFoundError, Permission, Role, require
from altmatch.domain.transfers import (
    PlannedMove,
    area_label,
    default_effective_date,
    effective_date_problem,
    moves_still_fit,
    propose_transfer,
)
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
from altmatch.services.notifications import notify

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


class ApprovalIn(DecisionIn):
    """`effective_on`: when the moves apply (default: the first day of next month; today
    applies them at once)."""

    effective_on: date | None = None


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


class PlaceOut(BaseModel):
    """A post as people know it: the school and its BoE (names in English and Japanese)."""

    position_id: int
    position: str
    school: str
    school_ja: str
    boe: str
    boe_ja: str


class MoveDetailOut(BaseModel):
    alt_id: int
    alt: str
    alt_name: str
    from_place: PlaceOut | None
    to_place: PlaceOut | None


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
    effective_on: date | None  # approved: the date the moves apply
    applied_at: datetime | None  # when they did (None: not yet, or approved before dates)
    scheduled: bool  # approved and waiting for its date
    version: int
    proposal: ProposalOut | None
    moves: list[MoveDetailOut]  # the proposal's moves, by school and BoE
    events: list[TransferEventOut]


class ApprovalPreviewOut(BaseModel):
    """What approving would do: the moves from `effective_on`, and who will be told."""

    transfer: TransferOut
    effective_on: date
    applies_at_once: bool
    told: list[str]


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
        effective_on=row.effective_on,
        applied_at=row.applied_at,
        scheduled=_is_scheduled(row),
        moves=_move_details(session, row),
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


def _is_scheduled(row: TransferRequest) -> bool:
    return row.status == "approved" and row.effective_on is not None and row.applied_at is None


def _planned(row: TransferRequest) -> list[PlannedMove]:
    moves = (row.proposal or {}).get("moves", [])
    return [(m["alt_id"], m["from_position_id"], m["to_position_id"]) for m in moves]


def _move_details(session: Session, row: TransferRequest) -> list[MoveDetailOut]:
    """The stored proposal's moves with the school and BoE of each post (not position ids)."""
    stored = (row.proposal or {}).get("moves", [])
    ids = {m[k] for m in stored for k in ("from_position_id", "to_position_id") if m[k]}
    places = position_places(session, ids)

    def place(position_id: int | None) -> PlaceOut | None:
        if position_id is None or position_id not in places:
            return None
        position, school, boe = places[position_id]
        return PlaceOut(
            position_id=position.id,
            position=position.external_id,
            school=school.name_en,
            school_ja=school.name_ja,
            boe=boe.name_en,
            boe_ja=boe.name_ja,
        )

    return [
        MoveDetailOut(
            alt_id=m["alt_id"],
            alt=m["alt"],
            alt_name=m["alt_name"],
            from_place=place(m["from_position_id"]),
            to_place=place(m["to_position_id"]),
        )
        for m in stored
    ]


def _place_name(place: PlaceOut | None, locale: str) -> str:
    if place is None:
        return render(Message(N_("no position")), locale)
    if locale == "ja":
        return f"{place.school_ja}（{place.boe_ja}）"
    return f"{place.school} ({place.boe})"


def _moves_text(moves: list[MoveDetailOut], locale: str) -> str:
    """ "Name: School A (BoE) → School B (BoE)" for each move, in the reader's language."""
    sep = "、" if locale == "ja" else "; "
    return sep.join(
        f"{m.alt_name}: {_place_name(m.from_place, locale)} → {_place_name(m.to_place, locale)}"
        for m in moves
    )


def _audience(
    session: Session, row: TransferRequest, moves: list[MoveDetailOut], *, boes: bool = True
) -> dict[str, list[tuple[int, str]]]:
    """Whom a decision is told to, by group: "alt" (the requesting and every moving ALT who
    has an account), "company" (the company's staff), "boe" (staff of the BoEs whose schools
    the moves leave or join); each a list of (user id, locale)."""
    alt_ids = dict.fromkeys([row.alt_id, *(m.alt_id for m in moves)])
    alts: list[tuple[int, str]] = []
    for alt_id in alt_ids:
        alt = session.get(RosterAlt, alt_id)
        user = session.get(User, alt.user_id) if alt is not None and alt.user_id else None
        if user is not None and not user.disabled:
            alts.append((user.id, user.locale))
    company = staff_of_organisations(session, [row.company_id], Role.COMPANY_STAFF.value)
    boe_ids: dict[int, None] = {}
    if boes:
        places = position_places(
            session,
            {p.position_id for m in moves for p in (m.from_place, m.to_place) if p is not None},
        )
        boe_ids = dict.fromkeys(boe.id for _p, _s, boe in places.values())
    boe_staff = staff_of_organisations(session, list(boe_ids), Role.BOE_STAFF.value)
    return {
        "alt": alts,
        "company": [(uid, loc) for uid, loc, _org in company],
        "boe": [(uid, loc) for uid, loc, _org in boe_staff],
    }


def _tell(
    session: Session,
    row: TransferRequest,
    moves: list[MoveDetailOut],
    *,
    kind: str,
    msgid: str,
    params: dict[str, object],
    boes: bool = True,
    groups: tuple[str, ...] = ("alt", "company", "boe"),
) -> None:
    """One notice to each person concerned, in their language (the moves are named by school
    and BoE in it); the ALTs' link is their placement, staff's the request."""
    links = {"alt": "/my/placement", "company": f"/dispatch/transfers/{row.id}", "boe": None}
    told: set[int] = set()
    for group, people in _audience(session, row, moves, boes=boes).items():
        if group not in groups:
            continue
        by_locale: dict[str, list[int]] = {}
        for uid, loc in people:
            if uid not in told:
                told.add(uid)
                by_locale.setdefault(loc if loc in ("en", "ja") else "en", []).append(uid)
        for loc, uids in by_locale.items():
            message = Message(msgid, {**params, "moves": _moves_text(moves, loc)})
            notify(session, uids, kind=kind, message=message, link=links[group])


def _told_summary(session: Session, row: TransferRequest, locale: str) -> list[str]:
    """Who approving will tell, for the confirmation: ALTs by name, staff by organisation."""
    moves = _move_details(session, row)
    audience = _audience(session, row, moves)
    out: list[str] = []
    for alt_id in dict.fromkeys([row.alt_id, *(m.alt_id for m in moves)]):
        alt = session.get(RosterAlt, alt_id)
        if alt is not None:
            msgid = (
                N_("{name} ({alt}), ALT")
                if alt.user_id
                else N_("{name} ({alt}), ALT: no account, tell them yourself")
            )
            out.append(render(Message(msgid, {"name": alt.name, "alt": alt.external_id}), locale))
    out.append(
        render(
            Message(N_("Your company's staff ({count})"), {"count": len(audience["company"])}),
            locale,
        )
    )
    names = {}
    for m in moves:
        for p in (m.from_place, m.to_place):
            if p is not None:
                names[p.boe] = p.boe_ja if locale == "ja" else p.boe
    counts = staff_counts(session, row, moves)
    for en, shown in names.items():
        out.append(
            render(
                Message(N_("Staff of {boe} ({count})"), {"boe": shown, "count": counts.get(en, 0)}),
                locale,
            )
        )
    return out


def staff_counts(
    session: Session, row: TransferRequest, moves: list[MoveDetailOut]
) -> dict[str, int]:
    """BoE English name -> how many of its staff will be told."""
    places = position_places(
        session,
        {p.position_id for m in moves for p in (m.from_place, m.to_place) if p is not None},
    )
    boes = {boe.id: boe.name_en for _p, _s, boe in places.values()}
    counts: dict[str, int] = {}
    for _uid, _loc, org in staff_of_organisations(session, list(boes), Role.BOE_STAFF.value):
        counts[boes[org]] = counts.get(boes[org], 0) + 1
    return counts


def _decide(
    session: Session,
    actor: Actor,
    row: TransferRequest,
    status: str,
    note: str | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Record a decision on `row`: its status, who decided and when, the note its pages show
    (None leaves the stored one), and the timeline event with its audit entry."""
    row.status = status
    row.decided_at = utc_now()
    row.decided_by = actor.user_id
    if note is not None:
        row.decision_note = note
    _event(session, actor, row, status, note or "", detail)


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
    if open_transfer_id(session, alt.id) is not None:
        raise RuleError(
            Message(
                N_(
                    "There is already a pending or approved transfer request; withdraw or "
                    "cancel it first."
                )
            ),
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
        _decide(session, actor, row, "withdrawn")
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


def _approvable(session: Session, row: TransferRequest, effective_on: date) -> None:
    """Refuse an approval that cannot be made: no proposal, a roster changed since, a date in
    the past or too far ahead, or a post moved to whose contract is not in force then."""
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
    problem = effective_date_problem(effective_on, today_in_japan())
    if problem is not None:
        raise RuleError(problem, "effective_on")
    then = {p.id for p in load_roster(session, row.company_id, effective_on).positions}
    for m in proposal["moves"]:
        if m["to_position_id"] is not None and m["to_position_id"] not in then:
            raise RuleError(
                Message(
                    N_(
                        "The contract of {position} is not in force on {date}: choose another date."
                    ),
                    {"position": m["to_position"] or "", "date": effective_on},
                ),
                "effective_on",
            )


def preview_approval(
    sessions: Sessions,
    actor: Actor,
    transfer_id: int,
    *,
    version: int,
    effective_on: date | None = None,
    company_id: int | None = None,
    locale: str = "en",
) -> ApprovalPreviewOut:
    """What approving would do, for the confirmation step: the moves by school and BoE from
    the effective date, and who will be told. Refuses what `approve_transfer` would refuse."""
    with sessions() as session:
        row = _staff_transfer(session, actor, transfer_id, company_id)
        _pending(row, version)
        when = effective_on or default_effective_date(today_in_japan())
        _approvable(session, row, when)
        return ApprovalPreviewOut(
            transfer=transfer_out(session, row, locale),
            effective_on=when,
            applies_at_once=when <= today_in_japan(),
            told=_told_summary(session, row, locale),
        )


def _apply(session: Session, row: TransferRequest, actor: Actor, on: date) -> bool:
    """Apply the approved moves on `on` (ending the old assignments the day before the new
    ones start is the roster's convention: both on `on`); False, changing nothing, when the
    roster no longer fits them. The moving ALTs' employment contracts with the company name the
    BoE of their new school as their workplace from then on."""
    moves = _planned(row)
    data = load_roster(session, row.company_id, on)
    held = {alt: [a.position_id for a in rows] for alt, rows in data.open_rows.items()}
    targets = [after for _alt, _before, after in moves if after is not None]
    if not moves or not moves_still_fit(
        moves, held, alts_at_positions(session, targets), {p.id for p in data.positions}
    ):
        return False
    apply_moves(session, data, moves, actor)
    places = position_places(session, targets)
    for alt_id, _before, after in moves:
        alt = session.get(RosterAlt, alt_id)
        if alt is None or alt.user_id is None or after is None:
            continue
        for contract in contracts_of_user(session, alt.user_id):
            if contract.employer_id == row.company_id and contract.start <= on <= contract.end:
                contract.workplace_boe_id = places[after][2].id
    row.applied_at = utc_now()
    return True


def _took_effect(session: Session, actor: Actor, row: TransferRequest, on: date) -> None:
    _event(session, actor, row, "effective", detail={"on": on.isoformat()})
    _tell(
        session,
        row,
        _move_details(session, row),
        kind="transfer_effective",
        msgid=N_("A transfer is now in effect, from {date}: {moves}."),
        params={"date": on},
    )


@stale_guard()
def approve_transfer(
    sessions: Sessions,
    actor: Actor,
    transfer_id: int,
    *,
    version: int,
    note: str = "",
    effective_on: date | None = None,
    company_id: int | None = None,
    locale: str = "en",
) -> TransferOut:
    """Approve the proposed moves from `effective_on` (default: the first day of next month)
    and tell everyone concerned; a date of today applies them at once, a later one leaves the
    request approved until the sweep applies it on that date."""
    with sessions.begin() as session:
        row = _staff_transfer(session, actor, transfer_id, company_id)
        _pending(row, version)
        today = today_in_japan()
        when = effective_on or default_effective_date(today)
        _approvable(session, row, when)
        row.effective_on = when
        _decide(
            session,
            actor,
            row,
            "approved",
            note.strip(),
            {"moves": row.proposal["moves"] if row.proposal else [], "effective_on": str(when)},
        )
        _tell(
            session,
            row,
            _move_details(session, row),
            kind="transfer_decided",
            msgid=N_("A transfer was approved, taking effect on {date}: {moves}."),
            params={"date": when},
        )
        if when <= today:
            if not _apply(session, row, actor, when):  # the fingerprint matched: cannot happen
                raise StaleError(
                    Message(N_("The roster changed since the proposal was made. Propose again.")),
                    "proposal",
                )
            _took_effect(session, actor, row, when)
        return transfer_out(session, row, locale)


def _reason(note: str, message: str) -> str:
    reason = note.strip()
    if not reason:
        raise RuleError(Message(message), "note")
    return reason


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
    """Decline the request with a reason the ALT reads; the roster is left as it is."""
    with sessions.begin() as session:
        row = _staff_transfer(session, actor, transfer_id, company_id)
        _pending(row, version)
        reason = _reason(note, N_("Give the reason for declining: the ALT will read it."))
        _decide(session, actor, row, "declined", reason)
        alt = session.get(RosterAlt, row.alt_id)
        _tell(
            session,
            row,
            [],
            kind="transfer_decided",
            msgid=N_("The transfer request of {alt} to {area} was declined: {reason}"),
            params={
                "alt": alt.name if alt else "",
                "area": area_label(row.to_prefecture, row.to_municipality),
                "reason": reason,
            },
            boes=False,
            groups=("alt", "company"),
        )
        return transfer_out(session, row, locale)


@stale_guard()
def cancel_transfer(
    sessions: Sessions,
    actor: Actor,
    transfer_id: int,
    *,
    version: int,
    note: str = "",
    company_id: int | None = None,
    locale: str = "en",
) -> TransferOut:
    """Call off an approved transfer before its date, with a reason; the roster never changes
    and everyone told of the approval is told."""
    with sessions.begin() as session:
        row = _staff_transfer(session, actor, transfer_id, company_id)
        expect_version(row, version)
        if not _is_scheduled(row):
            raise StaleError(
                Message(N_("Only an approved transfer not yet in effect can be cancelled.")),
                "version",
            )
        reason = _reason(note, N_("Give the reason for cancelling: everyone told will read it."))
        _decide(session, actor, row, "cancelled", reason)  # the note the pages now show
        _tell(
            session,
            row,
            _move_details(session, row),
            kind="transfer_decided",
            msgid=N_(
                "The transfer due on {date} was cancelled and will not take effect ({moves}): "
                "{reason}"
            ),
            params={"date": row.effective_on, "reason": reason},
        )
        return transfer_out(session, row, locale)


# --- the sweep: approved transfers take effect on their date -----------------------------


def _apply_due(sessions: Sessions, transfer_id: int, on: date) -> str:
    """Apply one due transfer in its own transaction: "applied", "lapsed" or "skipped"."""
    with sessions.begin() as session:
        row = session.get(TransferRequest, transfer_id)
        if row is None:
            return "skipped"
        lock_company(session, row.company_id)
        session.refresh(row)  # as it is now that the company's roster is ours
        if not _is_scheduled(row) or row.effective_on is None or row.effective_on > on:
            return "skipped"
        when = row.effective_on
        if _apply(session, row, OPERATOR, when):
            _took_effect(session, OPERATOR, row, when)
            return "applied"
        moves = _move_details(session, row)
        row.status = TRANSFER_PENDING
        row.proposal = None
        row.effective_on = None
        _event(session, OPERATOR, row, "lapsed", detail={"on": when.isoformat()})
        alt = session.get(RosterAlt, row.alt_id)
        _tell(
            session,
            row,
            moves,
            kind="transfer_effective",
            msgid=N_(
                "The transfer of {alt} due on {date} could not take effect: the roster changed "
                "since it was approved. The request is pending again; propose the moves again."
            ),
            params={"alt": alt.name if alt else "", "date": when},
            groups=("company",),
        )
        _tell(  # those told it was coming hear that it is not, for now
            session,
            row,
            moves,
            kind="transfer_effective",
            msgid=N_(
                "The transfer due on {date} did not take effect ({moves}): the company is "
                "reviewing it and will tell you the new plan."
            ),
            params={"date": when},
            groups=("alt", "boe"),
        )
        return "lapsed"


class DueTransfersOut(BaseModel):
    applied: int
    lapsed: int


def apply_due_transfers(sessions: Sessions, *, on: date | None = None) -> DueTransfersOut:
    """Apply every approved transfer whose date has come (the periodic sweep; idempotent: a
    transfer applies once, and a concurrent sweep or decision makes this one skip it)."""
    on = on or today_in_japan()
    with sessions() as session:
        due = due_transfer_ids(session, on)
    done = {"applied": 0, "lapsed": 0, "skipped": 0}
    for transfer_id in due:
        try:
            done[_apply_due(sessions, transfer_id, on)] += 1
        except StaleDataError:  # someone else changed it first: theirs stands
            done["skipped"] += 1
    return DueTransfersOut(applied=done["applied"], lapsed=done["lapsed"])
