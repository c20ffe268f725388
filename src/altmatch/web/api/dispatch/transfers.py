"""Transfer requests as JSON: an ALT's own (/me/transfers) and the company's (/dispatch/...)."""

from __future__ import annotations

from fastapi import APIRouter

from altmatch.services.dispatch.transfers import (
    ApprovalIn,
    ApprovalPreviewOut,
    DecisionIn,
    StaffTransferIn,
    TransferIn,
    TransferOut,
    TransfersOut,
    VersionIn,
    approve_transfer,
    cancel_transfer,
    decline_transfer,
    file_transfer,
    get_transfer,
    list_company_transfers,
    list_my_transfers,
    preview_approval,
    propose_transfer_moves,
    request_my_transfer,
    withdraw_my_transfer,
)
from altmatch.web.api.params import Id
from altmatch.web.auth import DispatchManagerDep, OwnTransferDep
from altmatch.web.deps import SessionsDep
from altmatch.web.locale import LocaleDep

router = APIRouter(tags=["transfers"])


@router.get("/me/transfers", response_model=TransfersOut)
def my_transfers(actor: OwnTransferDep, sessions: SessionsDep, locale: LocaleDep) -> TransfersOut:
    """The signed-in ALT's transfer requests with status and timeline."""
    return list_my_transfers(sessions, actor, locale=locale)


@router.post("/me/transfers", response_model=TransferOut, status_code=201)
def post_my_transfer(
    body: TransferIn, actor: OwnTransferDep, sessions: SessionsDep, locale: LocaleDep
) -> TransferOut:
    """Ask to move to another prefecture (and municipality), with reasons."""
    return request_my_transfer(sessions, actor, body, locale=locale)


@router.post("/me/transfers/{transfer_id}/withdraw", response_model=TransferOut)
def post_withdraw(
    transfer_id: Id,
    body: VersionIn,
    actor: OwnTransferDep,
    sessions: SessionsDep,
    locale: LocaleDep,
) -> TransferOut:
    """Withdraw a pending request (409 if it changed since `version`)."""
    return withdraw_my_transfer(sessions, actor, transfer_id, version=body.version, locale=locale)


@router.get("/dispatch/transfers", response_model=TransfersOut)
def company_transfers(
    actor: DispatchManagerDep, sessions: SessionsDep, locale: LocaleDep
) -> TransfersOut:
    """The company's transfer requests, pending first."""
    return list_company_transfers(sessions, actor, locale=locale)


@router.post("/dispatch/transfers", response_model=TransferOut, status_code=201)
def post_company_transfer(
    body: StaffTransferIn, actor: DispatchManagerDep, sessions: SessionsDep, locale: LocaleDep
) -> TransferOut:
    """File a transfer request on behalf of one of the company's ALTs."""
    return file_transfer(sessions, actor, body, locale=locale)


@router.get("/dispatch/transfers/{transfer_id}", response_model=TransferOut)
def company_transfer(
    transfer_id: Id, actor: DispatchManagerDep, sessions: SessionsDep, locale: LocaleDep
) -> TransferOut:
    """One request with the ALT's current position, the proposal and the timeline."""
    return get_transfer(sessions, actor, transfer_id, locale=locale)


@router.post("/dispatch/transfers/{transfer_id}/propose", response_model=TransferOut)
def post_propose(
    transfer_id: Id,
    body: VersionIn,
    actor: DispatchManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
) -> TransferOut:
    """Ask the optimiser for moves that keep coverage; stored on the request."""
    return propose_transfer_moves(sessions, actor, transfer_id, version=body.version, locale=locale)


@router.post("/dispatch/transfers/{transfer_id}/approve/preview", response_model=ApprovalPreviewOut)
def post_approve_preview(
    transfer_id: Id,
    body: ApprovalIn,
    actor: DispatchManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
) -> ApprovalPreviewOut:
    """What approving would do (the confirmation step): the moves by school and BoE from the
    effective date, and who will be told. Changes nothing."""
    return preview_approval(
        sessions,
        actor,
        transfer_id,
        version=body.version,
        effective_on=body.effective_on,
        locale=locale,
    )


@router.post("/dispatch/transfers/{transfer_id}/approve", response_model=TransferOut)
def post_approve(
    transfer_id: Id,
    body: ApprovalIn,
    actor: DispatchManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
) -> TransferOut:
    """Approve the proposed moves from `effective_on` (default: the first day of next month;
    today applies them at once) and tell everyone concerned (409 if the request or roster
    changed)."""
    return approve_transfer(
        sessions,
        actor,
        transfer_id,
        version=body.version,
        note=body.note,
        effective_on=body.effective_on,
        locale=locale,
    )


@router.post("/dispatch/transfers/{transfer_id}/decline", response_model=TransferOut)
def post_decline(
    transfer_id: Id,
    body: DecisionIn,
    actor: DispatchManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
) -> TransferOut:
    """Decline with a reason (`note`, required); the roster is not changed."""
    return decline_transfer(
        sessions, actor, transfer_id, version=body.version, note=body.note, locale=locale
    )


@router.post("/dispatch/transfers/{transfer_id}/cancel", response_model=TransferOut)
def post_cancel(
    transfer_id: Id,
    body: DecisionIn,
    actor: DispatchManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
) -> TransferOut:
    """Cancel an approved transfer before its date, with a reason (`note`, required)."""
    return cancel_transfer(
        sessions, actor, transfer_id, version=body.version, note=body.note, locale=locale
    )
