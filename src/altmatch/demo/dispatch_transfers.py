"""Demo transfer requests: James's pending move to Kyoto, a move approved last spring (its
earlier post kept as an ended assignment) and a request another company declined."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from altmatch.demo.dispatch_records import (
    DemoAssignment,
    DemoContract,
    DemoRosterAlt,
    DemoTransfer,
    DemoTransferEvent,
    fiscal_year_start,
    in_japan,
)
from altmatch.demo.model import Boe, DemoSchool
from altmatch.demo.personas import personas
from altmatch.domain.access import Role

JAMES_REASONS = (
    "My partner has taken a job in Kyoto and we would like to live together from April. "
    "I would be glad to work at any school within an hour of Kyoto city; Osaka is fine too."
)


def build_transfers(
    contracts: Sequence[DemoContract],
    roster: Sequence[DemoRosterAlt],
    assignments: list[DemoAssignment],
    boes: Mapping[str, Boe],
    schools: Mapping[str, Sequence[DemoSchool]],
    today: date,
) -> tuple[list[DemoTransfer], list[DemoAssignment]]:
    """James's pending request, an approved move last spring (with the ALT's earlier post kept
    as an ended assignment) and a declined request at another company."""
    fy = fiscal_year_start(today)
    school = {s.external_id: s for group in schools.values() for s in group}
    contract_of = {(c.company_id, c.reference): c for c in contracts}
    position_of = {(c.company_id, p.external_id): p for c in contracts for p in c.positions}
    now = {a.alt_external_id: a for a in assignments if a.end is None}
    out: list[DemoTransfer] = []

    def where(a: DemoAssignment) -> tuple[str, DemoSchool]:
        contract = contract_of[a.company_id, a.contract_reference]
        place = school[position_of[a.company_id, a.position_external_id].school_external_id]
        return boes[contract.boe_id].prefecture, place

    james = next((r for r in roster if r.persona_key == "alt_james"), None)
    if james is not None:
        asked = today - timedelta(days=9)
        out.append(
            DemoTransfer(
                company_id=james.company_id,
                alt_external_id=james.external_id,
                to_prefecture="Kyoto",
                to_municipality="Kyoto",
                reasons=JAMES_REASONS,
                status="requested",
                created_at=in_japan(asked, 20),
                requested_by_persona="alt_james",
                decided_by_persona=None,
                decided_at=None,
                decision_note="",
                events=(DemoTransferEvent(in_japan(asked, 20), "requested", "alt_james", ""),),
            )
        )
    for company_id, status in (("company-sakura", "approved"), ("company-minato", "declined")):
        staff = next(
            (
                p.key
                for p in personas()
                if p.role is Role.COMPANY_STAFF and p.organisation_id == company_id
            ),
            None,
        )
        movers = [
            r
            for r in roster
            if r.company_id == company_id and r.persona_key is None and r.external_id in now
        ]
        if not movers:
            continue
        alt = movers[len(movers) // 2]
        current = now[alt.external_id]
        prefecture, place = where(current)
        if status == "approved":
            # They worked elsewhere in the company last year and moved here on April 1.
            earlier = next(
                (
                    a
                    for a in assignments
                    if a.company_id == company_id
                    and a.end is None
                    and where(a)[0] != prefecture
                    and contract_of[company_id, a.contract_reference].start < fy
                ),
                None,
            )
            if earlier is None:
                continue
            asked, decided = fy - timedelta(days=75), fy - timedelta(days=48)
            i = assignments.index(current)
            assignments[i] = DemoAssignment(
                company_id, alt.external_id, current.contract_reference,
                current.position_external_id, fy,
            )  # fmt: skip
            assignments.append(
                DemoAssignment(
                    company_id,
                    alt.external_id,
                    earlier.contract_reference,
                    earlier.position_external_id,
                    fy - timedelta(days=365),
                    fy - timedelta(days=1),
                )
            )
            out.append(
                DemoTransfer(
                    company_id=company_id,
                    alt_external_id=alt.external_id,
                    to_prefecture=prefecture,
                    to_municipality=place.municipality,
                    reasons="My parents live nearby and need more help; I would like to move "
                    "closer to them from April.",
                    status="approved",
                    created_at=in_japan(asked, 11),
                    requested_by_persona=None,
                    decided_by_persona=staff,
                    decided_at=in_japan(decided, 14),
                    decision_note=f"Approved from April 1; moves to {place.name}.",
                    events=(
                        DemoTransferEvent(in_japan(asked, 11), "requested", None, ""),
                        DemoTransferEvent(
                            in_japan(decided, 14),
                            "approved",
                            staff,
                            "A post opens there in April; the current school has been told.",
                        ),
                    ),
                )
            )
        else:
            asked, decided = today - timedelta(days=62), today - timedelta(days=33)
            note = (
                "No vacancy in Tokyo this year; you are first on the list when one opens in April."
            )
            out.append(
                DemoTransfer(
                    company_id=company_id,
                    alt_external_id=alt.external_id,
                    to_prefecture="Tokyo",
                    to_municipality=None,
                    reasons="I have been accepted to an evening master's course in Tokyo and "
                    "would like a post within commuting distance.",
                    status="declined",
                    created_at=in_japan(asked, 12),
                    requested_by_persona=None,
                    decided_by_persona=staff,
                    decided_at=in_japan(decided, 15),
                    decision_note=note,
                    events=(
                        DemoTransferEvent(in_japan(asked, 12), "requested", None, ""),
                        DemoTransferEvent(in_japan(decided, 15), "declined", staff, note),
                    ),
                )
            )
    return out, assignments
