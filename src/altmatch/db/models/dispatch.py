"""A dispatch company's operations: contracts with BoEs and their positions, tenders, the roster
of ALTs it employs, who is assigned where, and transfer requests with every step recorded.

Enum values (contract types, renewal intentions, statuses) are plain strings guarded by CHECK
constraints, as elsewhere in the storage layer.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from altmatch.clock import utc_now
from altmatch.db.base import Base

CONTRACT_TYPES = ("worker_dispatch", "outsourcing")
TENDER_OUTCOMES = ("pending", "won", "lost")
RENEWAL_INTENTIONS = ("renewing", "undecided", "leaving")
COMPLIANCE_RULES = (
    "dispatch_three_year_unit",
    "indefinite_conversion",
    "residence_card_expiry",
    "outsourcing_direction",
)
TRANSFER_STATUSES = ("requested", "approved", "declined", "withdrawn", "cancelled")
JLPT_LEVELS = ("none", "N5", "N4", "N3", "N2", "N1")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class DispatchContract(Base):
    """A company's contract to supply ALTs to a BoE: its type decides who may direct the ALTs'
    daily work; positions say which schools are covered and how many days a week."""

    __tablename__ = "dispatch_contracts"
    __table_args__ = (
        UniqueConstraint("company_id", "reference", name="uq_dispatch_contracts_reference"),
        CheckConstraint(_in("contract_type", CONTRACT_TYPES), name="contract_type"),
        CheckConstraint('start <= "end"', name="term"),
        CheckConstraint("price_per_alt_month >= 0", name="price"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    boe_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    reference: Mapped[str] = mapped_column(String(64))
    contract_type: Mapped[str] = mapped_column(String(16))
    start: Mapped[date]
    end: Mapped[date]
    renewal_date: Mapped[date | None]
    price_per_alt_month: Mapped[int]  # yen, before consumption tax
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class ContractPosition(Base):
    """One ALT's post under a contract: the school they are based at, the days a week it needs
    an ALT, and the hard requirements for whoever fills it."""

    __tablename__ = "contract_positions"
    __table_args__ = (
        UniqueConstraint("contract_id", "external_id", name="uq_contract_positions_external"),
        CheckConstraint("days_per_week BETWEEN 1 AND 5", name="days_per_week"),
        CheckConstraint(_in("min_jlpt", JLPT_LEVELS), name="min_jlpt"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(
        ForeignKey("dispatch_contracts.id", ondelete="CASCADE"), index=True
    )
    external_id: Mapped[str] = mapped_column(String(64))
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    days_per_week: Mapped[int]
    requires_driving_licence: Mapped[bool] = mapped_column(default=False)
    min_jlpt: Mapped[str] = mapped_column(String(4), default="none")
    # Whom the company sends the school's termly survey to (NULL: nobody recorded yet): the
    # company's own contact at the school for this position, so companies never share one.
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(254))


class Tender(Base):
    """A BoE's call for ALTs and the company's bid: what was asked, the price offered, the
    outcome, and the contract it became when won."""

    __tablename__ = "tenders"
    __table_args__ = (CheckConstraint(_in("outcome", TENDER_OUTCOMES), name="outcome"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    boe_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    requested_alts: Mapped[int]
    requested_start: Mapped[date]
    bid_price_per_alt_month: Mapped[int]
    submitted_on: Mapped[date]
    outcome: Mapped[str] = mapped_column(String(8), default="pending")
    contract_id: Mapped[int | None] = mapped_column(
        ForeignKey("dispatch_contracts.id", ondelete="SET NULL")
    )
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utc_now)


class RosterAlt(Base):
    """An ALT the company employs: where they live, what they have taught, their skills, when
    their own employment contract ends and whether they mean to renew, and onboarding progress.
    `checklist` maps onboarding item ids to the ISO date each was completed."""

    __tablename__ = "roster_alts"
    __table_args__ = (
        UniqueConstraint("company_id", "external_id", name="uq_roster_alts_external"),
        CheckConstraint(_in("renewal_intention", RENEWAL_INTENTIONS), name="renewal_intention"),
        CheckConstraint(_in("jlpt", JLPT_LEVELS), name="jlpt"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), unique=True
    )
    external_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    home_prefecture: Mapped[str] = mapped_column(String(64))
    home_municipality: Mapped[str] = mapped_column(String(200))
    # NULL once the ALT deleted their account: the kept roster entry has no home, and the
    # assignment planner leaves it out.
    home_latitude: Mapped[float | None]
    home_longitude: Mapped[float | None]
    school_experience: Mapped[list[str]] = mapped_column(JSON)
    driving_licence: Mapped[bool]
    jlpt: Mapped[str] = mapped_column(String(4))
    contract_end: Mapped[date]
    renewal_intention: Mapped[str] = mapped_column(String(16), default="undecided")
    preferred_prefectures: Mapped[list[str]] = mapped_column(JSON, default=list)
    checklist: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    # The compliance watch's facts (NULL: not recorded): when the ALT's first fixed-term
    # contract with this company began, and when their residence card expires.
    employed_since: Mapped[date | None]
    residence_card_expires_on: Mapped[date | None]
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class RosterAssignment(Base):
    """An ALT working a position from `start`; `end` is set when they leave it. The current
    roster is the rows without an end (the service keeps one per ALT and one per position)."""

    __tablename__ = "roster_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    alt_id: Mapped[int] = mapped_column(
        ForeignKey("roster_alts.id", ondelete="CASCADE"), index=True
    )
    position_id: Mapped[int] = mapped_column(
        ForeignKey("contract_positions.id", ondelete="CASCADE"), index=True
    )
    start: Mapped[date]
    end: Mapped[date | None]
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)


class TransferRequest(Base):
    """An ALT's request to move to another area, with reasons; `proposal` holds the moves the
    optimiser proposed when it was last asked, and the decision records who decided and why."""

    __tablename__ = "transfer_requests"
    __table_args__ = (CheckConstraint(_in("status", TRANSFER_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    alt_id: Mapped[int] = mapped_column(
        ForeignKey("roster_alts.id", ondelete="CASCADE"), index=True
    )
    to_prefecture: Mapped[str] = mapped_column(String(64))
    to_municipality: Mapped[str | None] = mapped_column(String(200))
    reasons: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="requested")
    proposal: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str] = mapped_column(Text, default="")
    # An approved request's moves apply on `effective_on` (a Japanese date); `applied_at` is
    # when they did. Approved with no `effective_on`: approved before dates were recorded, and
    # applied at once.
    effective_on: Mapped[date | None]
    applied_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class TransferEvent(Base):
    """One step of a transfer request (requested, proposed, approved, declined, withdrawn,
    cancelled, effective: the moves applied, lapsed: the roster changed before they could)."""

    __tablename__ = "transfer_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    transfer_id: Mapped[int] = mapped_column(
        ForeignKey("transfer_requests.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(default=utc_now)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class ComplianceAcknowledgement(Base):
    """That a company's staff member saw one compliance alert (an ALT, a rule, a due date) and
    dealt with it: the alert then leaves the to-do list. The unique key makes acknowledging
    twice, even at the same moment, keep the first."""

    __tablename__ = "compliance_acknowledgements"
    __table_args__ = (
        UniqueConstraint("alt_id", "rule", "due_on", name="uq_compliance_acknowledgements_alert"),
        CheckConstraint(_in("rule", COMPLIANCE_RULES), name="rule"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    alt_id: Mapped[int] = mapped_column(
        ForeignKey("roster_alts.id", ondelete="CASCADE"), index=True
    )
    rule: Mapped[str] = mapped_column(String(32))
    due_on: Mapped[date]
    acknowledged_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    acknowledged_at: Mapped[datetime] = mapped_column(default=utc_now)
    note: Mapped[str] = mapped_column(Text, default="")


class RenewalAsk(Base):
    """That an ALT was asked whether they will renew their contract ending `contract_end`, by
    `deadline`; reminded once; and their answer with an optional reason, who gave it and when.
    One per ALT and contract end: asking twice, even at the same moment, keeps the first."""

    __tablename__ = "renewal_asks"
    __table_args__ = (
        UniqueConstraint("alt_id", "contract_end", name="uq_renewal_asks_term"),
        CheckConstraint(f"answer IS NULL OR {_in('answer', RENEWAL_INTENTIONS)}", name="answer"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    alt_id: Mapped[int] = mapped_column(
        ForeignKey("roster_alts.id", ondelete="CASCADE"), index=True
    )
    contract_end: Mapped[date]
    deadline: Mapped[date]
    asked_at: Mapped[datetime] = mapped_column(default=utc_now)
    reminded_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]
    answer: Mapped[str | None] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text, default="")
    answered_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
