"""A dispatch company's tender records: what each BoE asked for, the bid, and won or lost.

Only the company's own staff (or the operator for a named company) see and change them; every
change is audited.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from altmatch.db import Sessions
from altmatch.db.dispatch import all_boes, contracts_of_company, tenders_of_company
from altmatch.db.models import DispatchContract, Organisation, Tender
from altmatch.domain.access import Actor, NotFoundError, OrgKind, Permission, require
from altmatch.domain.dispatch import tender_record
from altmatch.i18n import N_, Message
from altmatch.services.dispatch.contracts import (
    BoeOption,
    company_for,
    named,
)
from altmatch.services.kernel.audit import record_audit
from altmatch.services.kernel.bounds import MAX_DB_INT, RowId
from altmatch.services.kernel.errors import RuleError

Outcome = Literal["pending", "won", "lost"]


class TenderFields(BaseModel):
    boe_id: RowId
    title: str = Field(min_length=1, max_length=200)
    requested_alts: int = Field(ge=1, le=10_000)
    requested_start: date
    bid_price_per_alt_month: int = Field(gt=0, le=MAX_DB_INT, description="Yen per ALT per month")
    submitted_on: date
    note: str = Field(default="", max_length=2000)


class OutcomeFields(BaseModel):
    outcome: Outcome
    contract_id: RowId | None = Field(
        default=None, description="The contract the tender became (only when won)"
    )


class TenderOut(BaseModel):
    id: int
    boe_id: int
    boe: str
    title: str
    requested_alts: int
    requested_start: date
    bid_price_per_alt_month: int
    submitted_on: date
    outcome: Outcome
    contract_id: int | None
    contract_reference: str | None
    note: str


class TenderSummaryOut(BaseModel):
    won: int
    lost: int
    pending: int
    win_rate: float | None  # won / (won + lost); None before any tender is decided


class TendersOut(BaseModel):
    company_id: int
    company: str
    summary: TenderSummaryOut
    tenders: list[TenderOut]
    boes: list[BoeOption]
    contracts: list[BoeOption]  # the company's contracts (id, reference) a won tender may link


def _out(session: Session, tender: Tender, locale: str) -> TenderOut:
    boe = session.get(Organisation, tender.boe_id)
    contract = session.get(DispatchContract, tender.contract_id) if tender.contract_id else None
    return TenderOut(
        id=tender.id,
        boe_id=tender.boe_id,
        boe=named(boe, locale) if boe else "",
        title=tender.title,
        requested_alts=tender.requested_alts,
        requested_start=tender.requested_start,
        bid_price_per_alt_month=tender.bid_price_per_alt_month,
        submitted_on=tender.submitted_on,
        outcome=tender.outcome,  # CHECK-constrained to Outcome
        contract_id=tender.contract_id,
        contract_reference=contract.reference if contract else None,
        note=tender.note,
    )


def list_tenders(
    sessions: Sessions,
    actor: Actor,
    *,
    locale: str = "en",
    company_id: int | None = None,
) -> TendersOut:
    """The company's tenders, newest submission first, with the win rate so far."""
    require(actor, Permission.DISPATCH_MANAGE)
    with sessions() as session:
        company = company_for(session, actor, company_id)
        tenders = tenders_of_company(session, company.id)
        record = tender_record(t.outcome for t in tenders)
        boes = all_boes(session)
        contracts = contracts_of_company(session, company.id, by_reference=True)
        return TendersOut(
            company_id=company.id,
            company=named(company, locale),
            summary=TenderSummaryOut(
                won=record.won, lost=record.lost, pending=record.pending, win_rate=record.win_rate
            ),
            tenders=[_out(session, t, locale) for t in tenders],
            boes=[BoeOption(id=b.id, name=named(b, locale)) for b in boes],
            contracts=[BoeOption(id=c.id, name=c.reference) for c in contracts],
        )


def record_tender(
    sessions: Sessions,
    actor: Actor,
    fields: TenderFields,
    *,
    locale: str = "en",
    company_id: int | None = None,
) -> TenderOut:
    """Record a bid the company submitted (its outcome starts pending)."""
    require(actor, Permission.DISPATCH_MANAGE)
    with sessions.begin() as session:
        company = company_for(session, actor, company_id)
        boe = session.get(Organisation, fields.boe_id)
        if boe is None or boe.kind != OrgKind.BOE:
            raise RuleError(Message(N_("Choose a Board of Education.")), "boe_id")
        tender = Tender(company_id=company.id, **fields.model_dump())
        tender.title = fields.title.strip()
        session.add(tender)
        session.flush()
        after = fields.model_dump(mode="json", exclude={"note"})
        record_audit(
            session,
            actor,
            "tender.recorded",
            "tender",
            tender.id,
            None,
            after,
            tenant_id=company.id,
        )
        return _out(session, tender, locale)


def set_tender_outcome(
    sessions: Sessions,
    actor: Actor,
    tender_id: int,
    fields: OutcomeFields,
    *,
    locale: str = "en",
    company_id: int | None = None,
) -> TenderOut:
    """Say whether a tender was won or lost; a won tender may link the contract it became
    (a contract of the same company and BoE)."""
    require(actor, Permission.DISPATCH_MANAGE)
    with sessions.begin() as session:
        company = company_for(session, actor, company_id)
        tender = session.get(Tender, tender_id)
        if tender is None or tender.company_id != company.id:
            raise NotFoundError("tender")
        contract_id = fields.contract_id if fields.outcome == "won" else None
        if fields.contract_id is not None and fields.outcome != "won":
            raise RuleError(
                Message(N_("Only a won tender can be linked to a contract.")), "contract_id"
            )
        if contract_id is not None:
            contract = session.get(DispatchContract, contract_id)
            if (
                contract is None
                or contract.company_id != company.id
                or contract.boe_id != tender.boe_id
            ):
                raise RuleError(
                    Message(N_("Choose a contract of your company with this tender's BoE.")),
                    "contract_id",
                )
        before = {"outcome": tender.outcome, "contract_id": tender.contract_id}
        tender.outcome = fields.outcome
        tender.contract_id = contract_id
        session.flush()
        after = {"outcome": tender.outcome, "contract_id": tender.contract_id}
        record_audit(
            session,
            actor,
            "tender.outcome_set",
            "tender",
            tender.id,
            before,
            after,
            tenant_id=company.id,
        )
        return _out(session, tender, locale)
