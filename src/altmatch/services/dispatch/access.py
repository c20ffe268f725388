"""Whose dispatch data an actor may touch: the `access_*` checks every dispatch service uses.

A company's staff see everything of their own company and nothing of another's. A BoE's staff
see the contracts their BoE signed and the ALTs working at their schools, never the company's
other clients. An ALT sees their own roster entry and transfer requests. Anything else is
NotFoundError, so a refusal never confirms that another tenant's record exists.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from altmatch.db.dispatch import roster_alt_of_user
from altmatch.db.models import DispatchContract, RosterAlt, TransferRequest
from altmatch.domain.access import Actor, NotFoundError, Permission, Role, require


def company_of(actor: Actor) -> int:
    """The company a dispatch manager works for (AccessDeniedError for anyone else)."""
    require(actor, Permission.DISPATCH_MANAGE)
    if actor.organisation_id is None:
        raise NotFoundError("company")
    return actor.organisation_id


def access_contract(session: Session, actor: Actor, contract_id: int) -> DispatchContract:
    """The contract, if the actor's company holds it or the actor's BoE signed it."""
    require(actor, Permission.CONTRACT_VIEW)
    contract = session.get(DispatchContract, contract_id)
    if contract is None or actor.organisation_id is None:
        raise NotFoundError("contract")
    if actor.role is Role.COMPANY_STAFF and contract.company_id == actor.organisation_id:
        return contract
    if actor.role is Role.BOE_STAFF and contract.boe_id == actor.organisation_id:
        return contract
    raise NotFoundError("contract")


def access_roster_alt(session: Session, actor: Actor, alt_id: int) -> RosterAlt:
    """The roster entry, for its company's staff or the ALT themself."""
    alt = session.get(RosterAlt, alt_id)
    if alt is None:
        raise NotFoundError("alt")
    if actor.role is Role.COMPANY_STAFF and alt.company_id == actor.organisation_id:
        return alt
    if actor.role is Role.ALT and alt.user_id is not None and alt.user_id == actor.user_id:
        return alt
    raise NotFoundError("alt")


def own_roster_alt(session: Session, actor: Actor) -> RosterAlt:
    """The signed-in ALT's own roster entry (NotFoundError when they are not on a roster)."""
    require(actor, Permission.TRANSFER_REQUEST_OWN)
    alt = roster_alt_of_user(session, actor.own_user_id())
    if alt is None:
        raise NotFoundError("alt")
    return alt


def access_transfer(session: Session, actor: Actor, transfer_id: int) -> TransferRequest:
    """The transfer request, for its company's staff or the ALT who asked."""
    transfer = session.get(TransferRequest, transfer_id)
    if transfer is None:
        raise NotFoundError("transfer")
    access_roster_alt(session, actor, transfer.alt_id)
    return transfer
